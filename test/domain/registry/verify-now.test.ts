// `addon-wizard verify`'s judgement of the registry as it is now, with no read before to compare.
import {describe, expect, it} from 'vitest';
import {plannedPushes, type PushImage} from '../../../source/domain/registry/push-diff.js';
import type {TagState} from '../../../source/domain/registry/tag-state.js';
import {verifyPresence, type PackageUnderTest} from '../../../source/domain/registry/verify-now.js';

const cfg = (name: string) => `sha256:${name.padEnd(64, '0')}`;
const repos = ['kpanda/a', 'kpanda/b', 'kpanda/c'];
const key = (repo: string) => `release.daocloud.io/${repo}:v1`;
const image = (repo: string, arch: string): PushImage => ({
	registry: 'release.daocloud.io',
	repository: repo,
	tag: 'v1',
	architecture: arch,
	configDigest: cfg(`${repo}-${arch}`),
});
const pkg = (arch: string, version = 'v0.11.2'): PackageUnderTest => ({
	arch,
	version,
	pushes: plannedPushes(
		repos.map(repo => image(repo, arch)),
		{pathPrefix: ''},
		arch,
	),
});
const single = (repo: string, arch: string): TagState => ({
	kind: 'image',
	image: {arch, os: 'linux', configDigest: cfg(`${repo}-${arch}`)},
});
const list = (repo: string): TagState => ({
	kind: 'list',
	images: ['amd64', 'arm64'].map(arch => ({arch, os: 'linux', configDigest: cfg(`${repo}-${arch}`)})),
});

describe('verifyPresence', () => {
	it('verified: every image of both packages at its tag with its config digest', () => {
		const result = verifyPresence(
			{packages: [pkg('amd64'), pkg('arm64')], clusterArches: ['amd64', 'arm64']},
			new Map(repos.map(repo => [key(repo), list(repo)])),
		);
		expect(result).toMatchObject({verified: true, checkedImages: 6, checkedTags: 3, missing: {count: 0}, nextSteps: []});
		expect(result.message).toBe(
			'All 6 images of the v0.11.2 amd64, v0.11.2 arm64 packages are at their tags in the registry; tags carry amd64, arm64.',
		);
	});

	it('after the <0.12.0 conversion: the tags without arm64 are named, the likely cause said, the integration asked for', () => {
		const result = verifyPresence(
			{packages: [pkg('amd64')], clusterArches: ['amd64', 'arm64']},
			new Map(repos.map(repo => [key(repo), single(repo, 'amd64')])),
		);
		expect(result.verified).toBe(false);
		expect(result.lackingClusterArch.first).toEqual(repos.map(repo => ({key: key(repo), missing: ['arm64']})));
		expect(result.cause?.kind).toBe('below-0.12-conversion');
		expect(result.nextSteps).toEqual([
			{kind: 'integrate', arch: 'arm64', version: 'v0.11.2', packageKind: undefined, reason: 'tags of v0.11.2 carry no arm64 image'},
		]);
		expect(result.hint).toBe('Integrate the v0.11.2 arm64 package (import -addon) to give them arm64 again.');
		// From 0.12.0 the same picture is not that conversion: no cause is claimed.
		expect(
			verifyPresence(
				{packages: [pkg('amd64', 'v0.12.0')], clusterArches: ['amd64', 'arm64']},
				new Map(repos.map(repo => [key(repo), single(repo, 'amd64')])),
			).cause,
		).toBeUndefined();
	});

	it('an arch image given with -p and not at its tag is missing; another image at its place is named too', () => {
		const after = new Map<string, TagState>(repos.map(repo => [key(repo), single(repo, 'amd64')]));
		after.set(key('kpanda/c'), {kind: 'image', image: {arch: 'amd64', os: 'linux', configDigest: cfg('someone-else')}});
		const result = verifyPresence({packages: [pkg('amd64'), pkg('arm64')], clusterArches: []}, after);
		expect(result.missing).toEqual({count: 3, first: repos.map(repo => `${key(repo)} (arm64)`)});
		expect(result.different.first).toEqual([`${key('kpanda/c')} (amd64)`]);
		expect(result.message).toMatch(/^3 of 6 images of the v0\.11\.2 amd64, v0\.11\.2 arm64 packages are not in the registry/);
	});

	it('a tag it cannot read is not verified, and says why', () => {
		const after = new Map<string, TagState>([
			[
				key('kpanda/a'),
				{kind: 'unreadable', error: {kind: 'registry-forbidden', message: 'User ops may not read kpanda/a (403).', hint: 'h', exitCode: 3}},
			],
		]);
		const result = verifyPresence({packages: [pkg('amd64')], clusterArches: []}, after);
		expect(result).toMatchObject({verified: false, message: '1 tag(s) could not be read: User ops may not read kpanda/a (403).'});
	});
});
