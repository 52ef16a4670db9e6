import {describe, expect, it} from 'vitest';
import {manifestAccept, mediaTypes, parseConfigPlatform, parseManifest} from '../../../source/domain/registry/manifest.js';

const digest = (char: string) => `sha256:${char.repeat(64)}`;

describe('manifest parsing', () => {
	it('asks for all four manifest types', () => {
		expect(manifestAccept.split(', ').sort()).toEqual(
			[mediaTypes.dockerList, mediaTypes.dockerManifest, mediaTypes.ociIndex, mediaTypes.ociManifest].sort(),
		);
	});

	it('reads an OCI index and leaves out BuildKit attestations and unknown/unknown entries', () => {
		const body = JSON.stringify({
			schemaVersion: 2,
			mediaType: mediaTypes.ociIndex,
			manifests: [
				{mediaType: mediaTypes.ociManifest, digest: digest('a'), size: 1, platform: {architecture: 'amd64', os: 'linux'}},
				{mediaType: mediaTypes.ociManifest, digest: digest('b'), size: 1, platform: {architecture: 'arm64', os: 'linux', variant: 'v8'}},
				{
					mediaType: mediaTypes.ociManifest,
					digest: digest('c'),
					size: 1,
					platform: {architecture: 'unknown', os: 'unknown'},
					annotations: {'vnd.docker.reference.type': 'attestation-manifest'},
				},
				{
					mediaType: mediaTypes.ociManifest,
					digest: digest('d'),
					size: 1,
					platform: {architecture: 'amd64', os: 'linux'},
					annotations: {'vnd.docker.reference.type': 'attestation-manifest'},
				},
			],
		});
		expect(parseManifest(body, mediaTypes.ociIndex)).toEqual({
			kind: 'list',
			mediaType: mediaTypes.ociIndex,
			entries: [
				{digest: digest('a'), mediaType: mediaTypes.ociManifest, architecture: 'amd64', os: 'linux', variant: undefined},
				{digest: digest('b'), mediaType: mediaTypes.ociManifest, architecture: 'arm64', os: 'linux', variant: 'v8'},
			],
		});
	});

	it('reads a Docker list without mediaType in the body from the Content-Type', () => {
		const body = JSON.stringify({schemaVersion: 2, manifests: [{digest: digest('a'), platform: {architecture: 'arm64', os: 'linux'}}]});
		const parsed = parseManifest(body, `${mediaTypes.dockerList}; charset=utf-8`);
		expect(parsed).toMatchObject({kind: 'list', mediaType: mediaTypes.dockerList});
	});

	it("reads a single image's config digest, and a schema1 manifest's inline arch", () => {
		expect(
			parseManifest(
				JSON.stringify({schemaVersion: 2, mediaType: mediaTypes.dockerManifest, config: {digest: digest('e')}, layers: []}),
				undefined,
			),
		).toEqual({kind: 'image', mediaType: mediaTypes.dockerManifest, configDigest: digest('e')});
		expect(parseManifest(JSON.stringify({schemaVersion: 1, architecture: 'arm64', fsLayers: []}), mediaTypes.dockerSchema1)).toEqual({
			kind: 'image',
			mediaType: mediaTypes.dockerSchema1,
			inlineArch: 'arm64',
		});
	});

	it('says why a body is not a manifest', () => {
		expect(parseManifest('<html>', 'text/html')).toEqual({kind: 'invalid', reason: 'the manifest is not JSON'});
		expect(parseManifest('{"errors":[]}', 'application/json')).toMatchObject({kind: 'invalid'});
		expect(parseManifest(JSON.stringify({config: {}}), undefined)).toMatchObject({
			kind: 'invalid',
			reason: "the manifest's config has no digest",
		});
	});

	it('reads the platform from a config blob', () => {
		expect(parseConfigPlatform(JSON.stringify({architecture: 'arm64', os: 'linux', variant: 'v8', rootfs: {}}))).toEqual({
			architecture: 'arm64',
			os: 'linux',
			variant: 'v8',
		});
		expect(parseConfigPlatform('not json')).toBeUndefined();
	});
});
