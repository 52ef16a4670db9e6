import {describe, expect, it} from 'vitest';
import {parsePackageName, stripIncompleteSuffix} from '../../source/domain/package-name.js';
import {compareSemver, parseSemver} from '../../source/domain/semver.js';
import {resolveHints} from '../../source/domain/resolve-hints.js';
import {parseImageRef, registrySpaceOf} from '../../source/domain/image-ref.js';

describe('parsePackageName', () => {
	it.each([
		['addon-offline-full-package-v0.9.0-amd64.tar.gz', 'full', 'v0.9.0', 'amd64'],
		['standard-addon-offline-package-v0.18.0-arm64.tar.gz', 'standard', 'v0.18.0', 'arm64'],
		['gpu-addon-offline-package-v0.20.0-amd64.tar.gz', 'gpu', 'v0.20.0', 'amd64'],
		['addon-offline-full-package-v0.8.0-rc2-aarch64.tar.gz', 'full', 'v0.8.0-rc2', 'arm64'],
	])('recognises %s', (fileName, kind, version, arch) => {
		expect(parsePackageName(fileName)).toMatchObject({kind, version, arch});
	});

	it.each(['addon-offline-full-package-v0.9.0.tar.gz', 'addon-offline-full-package-latest-amd64.tar.gz', 'offline-v0.9.0-amd64.tar'])('rejects %s', fileName => {
		expect(parsePackageName(fileName)).toBeUndefined();
	});

	it('names the complete file behind a download-in-progress suffix', () => {
		expect(stripIncompleteSuffix('a.tar.gz.crdownload')).toEqual({name: 'a.tar.gz', suffix: '.crdownload'});
	});
});

describe('semver', () => {
	it('orders releases and pre-releases', () => {
		const order = ['v0.8.0-rc2', 'v0.8.0', 'v0.9.0', 'v0.11.0', 'v0.12.0'].map(text => parseSemver(text)!);
		for (let index = 1; index < order.length; index++) {
			expect(compareSemver(order[index - 1]!, order[index]!)).toBeLessThan(0);
		}
	});
});

describe('resolveHints', () => {
	it('resolves relok8s templates through the chart values, including .Values and missing tags', () => {
		const hints = '- "{{ .image.registry }}/{{ .image.repository }}:{{ .image.tag }}"\n- "{{ .Values.sidecar.registry }}/{{ .Values.sidecar.repository }}"\n';
		const values = 'image:\n  registry: release.daocloud.io\n  repository: kpanda/foo\n  tag: v1\nsidecar:\n  registry: localhost\n  repository: helper\n';
		expect(resolveHints(hints, values)).toEqual(['release.daocloud.io/kpanda/foo:v1', 'localhost/helper']);
	});
});

describe('registry spaces', () => {
	it('maps an image to the space named by its origin registry (localhost for podman-prefixed images)', () => {
		expect(registrySpaceOf(parseImageRef('localhost/egressgateway:v0.4'))).toBe('localhost');
		expect(registrySpaceOf(parseImageRef('release.daocloud.io/kpanda/foo:v1'))).toBe('release.daocloud.io');
		expect(registrySpaceOf(parseImageRef('nginx:1'))).toBe('docker.io');
		expect(registrySpaceOf(parseImageRef('release.daocloud.io/kpanda/foo:v1'), 'repository')).toBe('kpanda');
	});
});
