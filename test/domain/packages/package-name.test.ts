import {describe, expect, it} from 'vitest';
import {parsePackageName, stripIncompleteSuffix} from '../../../source/domain/packages/package-name.js';
import {packageFileNameFor} from '../../../source/domain/packages/package-kinds.js';
import {publishedChecksums} from '../../../source/domain/packages/published-checksums.js';
import {compareSemver, parseSemver} from '../../../source/domain/shared/semver.js';
import {resolveHints} from '../../../source/domain/packages/resolve-hints.js';
import {parseImageRef, registrySpaceOf} from '../../../source/domain/packages/image-ref.js';

describe('parsePackageName', () => {
	it.each([
		['addon-offline-full-package-v0.9.0-amd64.tar.gz', 'full', 'v0.9.0', 'amd64'],
		['standard-addon-offline-package-v0.18.0-arm64.tar.gz', 'standard', 'v0.18.0', 'arm64'],
		['gpu-addon-offline-package-v0.20.0-amd64.tar.gz', 'gpu', 'v0.20.0', 'amd64'],
		['addon-offline-full-package-v0.8.0-rc2-aarch64.tar.gz', 'full', 'v0.8.0-rc2', 'arm64'],
	])('recognises %s', (fileName, kind, version, arch) => {
		expect(parsePackageName(fileName)).toMatchObject({kind, version, arch});
	});

	it.each([
		['standard-addon-offline-package-v0.44.0-amd64.tar.gz', 'standard', 'v0.44.0', 'amd64'],
		['standard-addon-offline-package-v0.44.0-arm64.tar.gz', 'standard', 'v0.44.0', 'arm64'],
		['gpu-addon-offline-package-v0.44.0-amd64.tar.gz', 'gpu', 'v0.44.0', 'amd64'],
		['gpu-addon-offline-package-v0.28.0-arm64.tar.gz', 'gpu', 'v0.28.0', 'arm64'],
		['metax-addon-offline-package-v0.41.2-amd64.tar.gz', 'metax', 'v0.41.2', 'amd64'],
		['jenkins-addon-offline-package-v0.44.0-amd64.tar.gz', 'jenkins', 'v0.44.0', 'amd64'],
		['jenkins-addon-offline-package-v0.44.0-arm64.tar.gz', 'jenkins', 'v0.44.0', 'arm64'],
		['addon-offline-full-package-v0.8.0-rc2-amd64.tar.gz', 'full', 'v0.8.0-rc2', 'amd64'],
		['standard-addon-offline-package-0.41.2-x86_64.tar.gz', 'standard', '0.41.2', 'amd64'],
	])("recognises today's %s", (fileName, kind, version, arch) => {
		expect(parsePackageName(fileName)).toMatchObject({kind, knownKind: true, version, arch});
	});

	it('parses every file of the published table (§1.3 and §8.2) back to its version, kind and arch', () => {
		expect(publishedChecksums.length).toBeGreaterThan(140);
		for (const item of publishedChecksums) {
			const fileName = packageFileNameFor(item.kind, item.version, item.arch);
			expect(parsePackageName(fileName), fileName).toMatchObject({
				kind: item.kind,
				knownKind: true,
				version: item.version,
				arch: item.arch,
			});
		}
	});

	it('parses a kind a later release adds, and says the wizard does not know it', () => {
		expect(parsePackageName('foo-addon-offline-package-v0.50.0-amd64.tar.gz')).toMatchObject({
			kind: 'foo',
			knownKind: false,
			version: 'v0.50.0',
			arch: 'amd64',
		});
		expect(parsePackageName('ascend-npu-addon-offline-package-v0.51.0-rc1-arm64.tar.gz')).toMatchObject({
			kind: 'ascend-npu',
			knownKind: false,
			version: 'v0.51.0-rc1',
			arch: 'arm64',
		});
	});

	it.each([
		'addon-offline-full-package-v0.9.0.tar.gz',
		'addon-offline-full-package-latest-amd64.tar.gz',
		'offline-v0.9.0-amd64.tar',
		'addon-offline-package-new.tar.gz',
		'standard-addon-offline-package-v0.44.0.tar.gz',
		'-addon-offline-package-v0.44.0-amd64.tar.gz',
		'standard-addon-offline-package-v0.44-amd64.tar.gz',
	])('rejects %s', fileName => {
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
		const hints =
			'- "{{ .image.registry }}/{{ .image.repository }}:{{ .image.tag }}"\n- "{{ .Values.sidecar.registry }}/{{ .Values.sidecar.repository }}"\n';
		const values =
			'image:\n  registry: release.daocloud.io\n  repository: kpanda/foo\n  tag: v1\nsidecar:\n  registry: localhost\n  repository: helper\n';
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
