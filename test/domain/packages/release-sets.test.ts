import {describe, expect, it} from 'vitest';
import {classifyPackages, type FoundFile} from '../../../source/domain/packages/classify-packages.js';
import {groupReleases, mixedReleaseFindings, selectRelease, singleArchKindFindings} from '../../../source/domain/packages/release-sets.js';
import {parseSemver} from '../../../source/domain/shared/semver.js';

const GB = 1_000_000_000;
const file = (fileName: string, size = 10 * GB): FoundFile => ({path: `/root/dl/${fileName}`, fileName, size, mtimeMs: 0});
const v44 = [
	file('standard-addon-offline-package-v0.44.0-amd64.tar.gz', 37 * GB),
	file('standard-addon-offline-package-v0.44.0-arm64.tar.gz', 22 * GB),
	file('gpu-addon-offline-package-v0.44.0-amd64.tar.gz', 22 * GB),
	file('gpu-addon-offline-package-v0.44.0-arm64.tar.gz', 13 * GB),
	file('metax-addon-offline-package-v0.44.0-amd64.tar.gz', 4 * GB),
	file('jenkins-addon-offline-package-v0.44.0-amd64.tar.gz', 7 * GB),
	file('jenkins-addon-offline-package-v0.44.0-arm64.tar.gz', 6.5 * GB),
];

describe('groupReleases', () => {
	it('groups a v0.44.0 download folder into one release with two arches, every kind present', () => {
		const {releases, unnamed} = groupReleases(classifyPackages(v44));
		expect(unnamed).toEqual([]);
		expect(releases).toHaveLength(1);
		const [release] = releases;
		expect(release!.version).toBe('v0.44.0');
		expect(release!.arches.map(set => [set.arch, set.present, set.missing.map(info => info.kind)])).toEqual([
			['amd64', ['standard', 'gpu', 'metax', 'jenkins'], []],
			['arm64', ['standard', 'gpu', 'jenkins'], []],
		]);
		expect(release!.arches.flatMap(set => set.findings)).toEqual([]);
	});

	it('says which kinds of a release are missing: an optional one is information, the standard one a warning', () => {
		const found = classifyPackages([
			file('gpu-addon-offline-package-v0.44.0-arm64.tar.gz', 13 * GB),
			file('standard-addon-offline-package-v0.44.0-amd64.tar.gz', 37 * GB),
		]);
		const [release] = groupReleases(found).releases;
		const [amd64, arm64] = release!.arches;
		expect(amd64!.missing.map(info => info.kind)).toEqual(['gpu', 'metax', 'jenkins']);
		expect(amd64!.findings.map(finding => finding.severity)).toEqual(['info', 'info', 'info']);
		expect(amd64!.findings[1]).toEqual({
			code: 'release-kind-missing',
			severity: 'info',
			message:
				'v0.44.0 amd64: no metax package here (MetaX GPU charts: metax-exporter, metax-gpu-extensions, metax-operator); it is optional.',
			hint: 'Download metax-addon-offline-package-v0.44.0-amd64.tar.gz from the v0.44.0 download page if the cluster needs it.',
		});
		expect(arm64!.missing.map(info => info.kind)).toEqual(['standard', 'jenkins']);
		expect(arm64!.findings[0]).toMatchObject({severity: 'warning', message: expect.stringContaining('no standard package here')});
	});

	it('keeps releases apart, newest first; v0.41.2 and 0.41.2 are one release; unparsed names come back apart', () => {
		const found = classifyPackages([
			file('standard-addon-offline-package-v0.41.2-amd64.tar.gz', 35 * GB),
			file('metax-addon-offline-package-0.41.2-amd64.tar.gz', 4 * GB),
			file('addon-offline-full-package-v0.17.0-arm64.tar.gz', 15 * GB),
			file('standard-addon-offline-package-v0.44.0-amd64.tar.gz', 37 * GB),
			file('addon-offline-package-new.tar.gz'),
		]);
		const {releases, unnamed} = groupReleases(found);
		expect(releases.map(release => [release.version, release.arches.map(set => `${set.arch}: ${set.present.join(', ')}`)])).toEqual([
			['v0.44.0', ['amd64: standard']],
			['v0.41.2', ['amd64: standard, metax']],
			['v0.17.0', ['arm64: full']],
		]);
		expect(release17Missing(releases)).toEqual([]);
		expect(unnamed.map(item => item.fileName)).toEqual(['addon-offline-package-new.tar.gz']);
	});

	it('lists a kind whose only file is unfinished as incomplete, not present', () => {
		const found = classifyPackages([...v44.slice(0, 4), file('metax-addon-offline-package-v0.44.0-amd64.tar.gz.part', 1 * GB)]);
		const amd64 = groupReleases(found).releases[0]!.arches[0]!;
		expect(amd64.present).toEqual(['standard', 'gpu']);
		expect(amd64.incomplete).toEqual(['metax']);
		expect(amd64.missing.map(info => info.kind)).toEqual(['jenkins']);
	});

	it('shows an unknown kind in its release, as present, with an info finding on the file', () => {
		const found = classifyPackages([
			file('standard-addon-offline-package-v0.50.0-amd64.tar.gz', 40 * GB),
			file('foo-addon-offline-package-v0.50.0-amd64.tar.gz', 3 * GB),
		]);
		const [release] = groupReleases(found).releases;
		expect(release!.arches[0]!.present).toEqual(['standard', 'foo']);
		const foo = found.find(item => item.fileName.startsWith('foo'))!;
		expect(foo.status).toBe('candidate');
		expect(foo.findings).toEqual([expect.objectContaining({code: 'kind-unknown', severity: 'info'})]);
	});
});

function release17Missing(releases: ReturnType<typeof groupReleases>['releases']) {
	return releases.find(release => release.version === 'v0.17.0')!.arches.flatMap(set => set.missing);
}

describe('selectRelease', () => {
	it('selects the kinds found for one release and arch, in kind order, and leaves unfinished files out', () => {
		const found = classifyPackages([
			...v44,
			file('gpu-addon-offline-package-v0.43.0-amd64.tar.gz', 22 * GB),
			file('jenkins-addon-offline-package-v0.44.0-amd64.tar.gz.crdownload', GB),
		]);
		expect(selectRelease(found, 'v0.44.0', 'amd64').map(item => item.fileName)).toEqual([
			'standard-addon-offline-package-v0.44.0-amd64.tar.gz',
			'gpu-addon-offline-package-v0.44.0-amd64.tar.gz',
			'metax-addon-offline-package-v0.44.0-amd64.tar.gz',
			'jenkins-addon-offline-package-v0.44.0-amd64.tar.gz',
		]);
		expect(selectRelease(found, 'v0.44.0', 'arm64').map(item => item.name!.kind)).toEqual(['standard', 'gpu', 'jenkins']);
		expect(selectRelease(found, 'v0.45.0', 'amd64')).toEqual([]);
	});
});

describe('mixedReleaseFindings', () => {
	it('blocks two releases inside one arch, and lets arches differ', () => {
		expect(
			mixedReleaseFindings([
				{fileName: 'a', version: 'v0.44.0', kind: 'standard', arch: 'amd64'},
				{fileName: 'b', version: 'v0.43.0', kind: 'gpu', arch: 'arm64'},
			]),
		).toEqual([]);
		const [finding] = mixedReleaseFindings([
			{fileName: 'a', version: 'v0.44.0', kind: 'standard', arch: 'amd64'},
			{fileName: 'b', version: 'v0.43.0', kind: 'metax', arch: 'amd64'},
		]);
		expect(finding).toMatchObject({code: 'release-versions-mixed', severity: 'error'});
	});
});

describe('singleArchKindFindings', () => {
	const semver = parseSemver('v0.44.0')!;
	const f = (kind: string, arch: string) => ({fileName: `${kind}-${arch}`, version: 'v0.44.0', semver, kind, arch});

	it('notes that metax stays amd64-only in a multi-arch plan, because it is never published for arm64', () => {
		const findings = singleArchKindFindings([f('standard', 'amd64'), f('metax', 'amd64')], [f('standard', 'arm64')], 'amd64', []);
		expect(findings).toEqual([
			{
				code: 'kind-stays-single-arch',
				severity: 'info',
				message:
					'metax charts stay amd64-only: metax is published for amd64 from v0.28.0, so no arm64 step brings them; their images do not run on arm64 nodes.',
				hint: 'Run metax workloads on amd64 nodes.',
			},
		]);
	});

	it('notes a kind left out of a partly chosen arch, and says nothing for a single-arch cluster', () => {
		const findings = singleArchKindFindings([f('standard', 'amd64'), f('gpu', 'amd64')], [f('standard', 'arm64')], 'amd64', []);
		expect(findings.map(finding => finding.message)).toEqual([
			'gpu charts stay amd64-only: gpu-addon-offline-package-v0.44.0-arm64.tar.gz is not chosen, so no arm64 step brings them.',
		]);
		expect(singleArchKindFindings([f('standard', 'amd64'), f('metax', 'amd64')], [], 'amd64', [])).toEqual([]);
	});

	it("counts the cluster's own arches (from the path list or --cluster-arches)", () => {
		expect(singleArchKindFindings([f('metax', 'amd64')], [], 'amd64', ['arm64']).map(finding => finding.code)).toEqual([
			'kind-stays-single-arch',
		]);
	});
});

describe('selectRelease by a version written without its v', () => {
	it('finds the same files', () => {
		const found = classifyPackages(v44);
		expect(selectRelease(found, '0.44.0', 'arm64')).toHaveLength(3);
	});
});
