import {describe, expect, it} from 'vitest';
import {
	archesOfKind,
	compareKinds,
	isPublishedFor,
	kindFindings,
	kindsOfRelease,
	packageKinds,
} from '../../../source/domain/packages/package-kinds.js';
import {parsePackageName} from '../../../source/domain/packages/package-name.js';
import {publishedChecksums} from '../../../source/domain/packages/published-checksums.js';
import {parseSemver} from '../../../source/domain/shared/semver.js';

const at = (version: string) => parseSemver(version)!;
const kindsAt = (version: string, arch: string) => kindsOfRelease(at(version), arch).map(info => info.kind);

describe('the kinds table (§8.1)', () => {
	it('describes every kind in words', () => {
		expect(packageKinds.map(info => info.kind)).toEqual(['full', 'standard', 'gpu', 'metax', 'jenkins']);
		for (const info of packageKinds) {
			expect(info.description.length).toBeGreaterThan(10);
		}
	});

	it('knows which kinds each release publishes for each arch', () => {
		expect(kindsAt('v0.17.0', 'amd64')).toEqual(['full']);
		expect(kindsAt('v0.8.0-rc2', 'arm64')).toEqual(['full']);
		expect(kindsAt('v0.18.0', 'amd64')).toEqual(['standard', 'gpu']);
		expect(kindsAt('v0.27.0', 'arm64')).toEqual(['standard']);
		expect(kindsAt('v0.28.0', 'amd64')).toEqual(['standard', 'gpu', 'metax']);
		expect(kindsAt('v0.28.0', 'arm64')).toEqual(['standard', 'gpu']);
		expect(kindsAt('v0.43.0', 'amd64')).toEqual(['standard', 'gpu', 'metax']);
		expect(kindsAt('v0.44.0', 'amd64')).toEqual(['standard', 'gpu', 'metax', 'jenkins']);
		expect(kindsAt('v0.44.0', 'arm64')).toEqual(['standard', 'gpu', 'jenkins']);
		expect(archesOfKind('metax', at('v0.44.0'))).toEqual(['amd64']);
		expect(isPublishedFor('metax', 'arm64', at('v0.44.0'))).toBe(false);
		expect(isPublishedFor('foo', 'amd64', at('v0.50.0'))).toBeUndefined();
	});

	it("agrees with the published checksum table: every published file is a kind, arch and release the table knows, and every release from v0.18 publishes exactly the table's kinds", () => {
		for (const item of publishedChecksums) {
			expect(isPublishedFor(item.kind, item.arch, at(item.version)), `${item.version} ${item.kind} ${item.arch}`).toBe(true);
		}

		const releases = [...new Set(publishedChecksums.map(item => item.version))].filter(version => at(version).minor >= 18);
		for (const version of releases) {
			for (const arch of ['amd64', 'arm64']) {
				const published = publishedChecksums.filter(item => item.version === version && item.arch === arch).map(item => item.kind);
				expect(published, `${version} ${arch}`).toEqual(kindsAt(version, arch));
			}
		}
	});

	it('orders kinds as the table does, unknown ones last', () => {
		expect(['foo', 'jenkins', 'standard', 'metax', 'gpu'].sort(compareKinds)).toEqual(['standard', 'gpu', 'metax', 'jenkins', 'foo']);
	});
});

describe('kindFindings', () => {
	it('says nothing about a published file', () => {
		expect(kindFindings(parsePackageName('metax-addon-offline-package-v0.44.0-amd64.tar.gz')!)).toEqual([]);
	});

	it('shows an unknown kind as information, never an error', () => {
		const [finding] = kindFindings(parsePackageName('foo-addon-offline-package-v0.50.0-amd64.tar.gz')!);
		expect(finding).toMatchObject({code: 'kind-unknown', severity: 'info'});
		expect(finding!.message).toContain('"foo"');
		expect(finding!.message).toContain('standard, gpu, metax, jenkins');
	});

	it('notes a file the table says was never published (metax for arm64)', () => {
		const [finding] = kindFindings(parsePackageName('metax-addon-offline-package-v0.44.0-arm64.tar.gz')!);
		expect(finding).toMatchObject({code: 'kind-arch-unpublished', severity: 'info'});
		expect(finding!.message).toContain('metax: amd64 from v0.28.0');
	});
});
