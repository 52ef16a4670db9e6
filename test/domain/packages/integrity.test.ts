import {readFileSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {inspectPackage} from '../../../source/adapters/packages/inspect-package.js';
import {parseChecksumList} from '../../../source/domain/packages/checksum-list.js';
import {judgeIntegrity, parseChecksumFile} from '../../../source/domain/packages/integrity.js';
import {parsePackageName} from '../../../source/domain/packages/package-name.js';
import {
	findBySha512,
	findPublishedChecksum,
	publishedChecksums,
	publishedTableEnd,
} from '../../../source/domain/packages/published-checksums.js';
import {buildPackage} from '../../helpers/build-package.js';

// The download pages' values, as the domain reference copied them (an excerpt kept in the repo).
const reference = readFileSync(new URL('../../fixtures/published-checksums-reference.md', import.meta.url), 'utf8');

describe('published checksums', () => {
	it('holds every published package from v0.5.2 to v0.44.0, each a full sha512 found in the reference', () => {
		// 26 full (v0.5.2–v0.17.0) + 30 standard/gpu (v0.18.0–v0.27.0) + 16 releases × 5 + v0.44.0's 7.
		expect(publishedChecksums).toHaveLength(26 + 30 + 80 + 7);
		for (const item of publishedChecksums) {
			expect(item.sha512).toMatch(/^[\da-f]{128}$/);
			expect(reference).toContain(item.sha512);
		}
	});

	it('finds a package by version, kind and arch', () => {
		expect(findPublishedChecksum('v0.12.0', 'full', 'amd64')?.sha512).toMatch(/^e253e1ed8ac7/);
		expect(findPublishedChecksum('0.27.0', 'gpu', 'amd64')?.sha512).toMatch(/^d436df805e8c/);
		expect(findPublishedChecksum('v0.27.0', 'gpu', 'arm64')).toBeUndefined();
		expect(findPublishedChecksum('v0.28.0', 'gpu', 'arm64')?.sha512).toMatch(/^5e250e0c242c/);
		expect(findPublishedChecksum('v0.41.2', 'metax', 'amd64')?.sha512).toMatch(/^42540c6d884e/);
		expect(findPublishedChecksum('v0.44.0', 'jenkins', 'arm64')?.sha512).toMatch(/^5f695bdad1aa/);
	});

	it("carries the zh values for v0.31.0, not the en page's copy of v0.30.0", () => {
		expect(findPublishedChecksum('v0.31.0', 'standard', 'amd64')?.sha512).toMatch(/^545929e880f5/);
		expect(findBySha512(findPublishedChecksum('v0.30.0', 'standard', 'amd64')!.sha512).map(item => item.version)).toEqual(['v0.30.0']);
	});

	it('says where the table ends, where it was copied from and when', () => {
		expect(publishedTableEnd).toEqual({
			version: 'v0.44.0',
			copiedOn: '2026-12-01',
			source: expect.stringContaining('windsonsea/daocloud-download-docs'),
		});
		expect(findPublishedChecksum('v0.44.0', 'metax', 'amd64')).toMatchObject({size: '4.12GB', date: '2026-09-16', copiedOn: '2026-12-01'});
	});
});

describe('judgeIntegrity', () => {
	const name = parsePackageName('addon-offline-full-package-v0.11.0-arm64.tar.gz')!;
	const published = findPublishedChecksum('v0.11.0', 'full', 'arm64')!.sha512;

	it('verifies a package whose sha512 matches the download page', () => {
		expect(judgeIntegrity(published, name).integrity.state).toBe('verified');
	});

	it('rejects a published version whose sha512 differs, showing both', () => {
		const verdict = judgeIntegrity('a'.repeat(128), name);
		expect(verdict.integrity.state).toBe('mismatch');
		expect(verdict.findings[0]).toMatchObject({code: 'checksum-mismatch', severity: 'error'});
		expect(verdict.findings[0]!.message).toContain(published.slice(0, 12));
	});

	it('has nothing to say about an unpublished version beyond "unknown"', () => {
		const unpublished = parsePackageName('addon-offline-full-package-v0.11.5-arm64.tar.gz')!;
		expect(judgeIntegrity('a'.repeat(128), unpublished).integrity.state).toBe('unknown');
	});

	it('for a release newer than the table, says where the table ends and how to add a checksum', () => {
		const newer = parsePackageName('standard-addon-offline-package-v0.45.0-amd64.tar.gz')!;
		const [finding] = judgeIntegrity('a'.repeat(128), newer).findings;
		expect(finding).toMatchObject({code: 'checksum-unknown', severity: 'info'});
		expect(finding!.message).toContain(
			'No published checksum for v0.45.0 standard amd64: the published table this wizard carries ends at v0.44.0, copied 2026-12-01 from windsonsea/daocloud-download-docs',
		);
		expect(finding!.hint).toBe(
			"Put the sha512 from the download page in standard-addon-offline-package-v0.45.0-amd64.tar.gz.sha512 beside the file, or pass --checksums FILE with the page's lines.",
		);
	});

	it('for an unknown kind, names the kinds the table knows', () => {
		const [finding] = judgeIntegrity('a'.repeat(128), parsePackageName('foo-addon-offline-package-v0.44.0-amd64.tar.gz')!).findings;
		expect(finding!.message).toContain('knows the kinds full, standard, gpu, metax, jenkins, not foo');
	});

	it('names the real identity of a renamed published file', () => {
		const gpu = findPublishedChecksum('v0.44.0', 'gpu', 'amd64')!.sha512;
		const verdict = judgeIntegrity(gpu, parsePackageName('standard-addon-offline-package-v0.44.0-amd64.tar.gz'));
		expect(verdict.findings[0]!.hint).toBe(
			'Its sha512 is the published value of v0.44.0 gpu amd64: the file was renamed; give it that name.',
		);
	});
});

describe('judgeIntegrity with --checksums FILE', () => {
	const fileName = 'standard-addon-offline-package-v0.45.0-amd64.tar.gz';
	const name = parsePackageName(fileName)!;
	const good = 'c'.repeat(128);
	const list = parseChecksumList(`notes\n${good}  ${fileName}\n`, '/root/v0.45.0-sums.txt');

	it('verifies a release the published table does not hold, naming the list and line', () => {
		const verdict = judgeIntegrity(good, name, undefined, {list});
		expect(verdict.integrity).toMatchObject({state: 'sidecar-verified', sidecar: good, sidecarFile: '/root/v0.45.0-sums.txt'});
		expect(verdict.findings).toEqual([
			{code: 'checksum-list-verified', severity: 'info', message: 'sha512 matches /root/v0.45.0-sums.txt line 2.'},
		]);
	});

	it('blocks a file that differs from the list, naming the file and the expected value', () => {
		const verdict = judgeIntegrity('d'.repeat(128), name, undefined, {list});
		expect(verdict.integrity.state).toBe('mismatch');
		expect(verdict.findings).toEqual([expect.objectContaining({code: 'checksum-list-mismatch', severity: 'error'})]);
		expect(verdict.findings[0]!.message).toBe(
			`${fileName}: sha512 differs from /root/v0.45.0-sums.txt line 2: expected ${good}, got dddddddddddd….`,
		);
	});

	it('blocks when the list disagrees with the published table even though the file is right, and says the line is wrong', () => {
		const published = findPublishedChecksum('v0.44.0', 'gpu', 'arm64')!.sha512;
		const gpuName = parsePackageName('gpu-addon-offline-package-v0.44.0-arm64.tar.gz')!;
		const wrong = parseChecksumList(`v0.44.0 GPU ARM 64 ${'e'.repeat(128)}`, 'mine.txt');
		const verdict = judgeIntegrity(published, gpuName, undefined, {list: wrong});
		expect(verdict.integrity.state).toBe('mismatch');
		expect(verdict.findings[0]!.hint).toBe('The file matches the published value; line 1 of mine.txt is wrong: correct or remove it.');
	});

	it('takes the published table as the strongest source when every source agrees', () => {
		const published = findPublishedChecksum('v0.44.0', 'metax', 'amd64')!.sha512;
		const metaxName = parsePackageName('metax-addon-offline-package-v0.44.0-amd64.tar.gz')!;
		const agreeing = parseChecksumList(`${published}  ${metaxName.fileName}`, 'sums');
		const verdict = judgeIntegrity(published, metaxName, {file: 'x.sha512', sha512: published}, {list: agreeing});
		expect(verdict.integrity.state).toBe('verified');
		expect(verdict.findings.map(finding => finding.code)).toEqual(['checksum-verified']);
	});

	it('reports every source that disagrees, sidecar included', () => {
		const verdict = judgeIntegrity('d'.repeat(128), name, {file: `${fileName}.sha512`, sha512: 'f'.repeat(128)}, {list});
		expect(verdict.findings.map(finding => finding.code)).toEqual(['checksum-list-mismatch', 'sidecar-mismatch']);
		expect(verdict.findings[1]!.message).toContain(`expected ${'f'.repeat(128)}`);
	});
});

// A generated package named as a published release is, rightly, not that release: the check
// must say so for every kind, with the published value, through the real inspection.
describe('a generated package under a published name is a mismatch, for every kind', () => {
	let dir = '';

	beforeAll(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'integrity-kinds-'));
	});

	afterAll(async () => rm(dir, {recursive: true, force: true}));

	it.each([
		['full', 'v0.17.0', 'amd64'],
		['full', 'v0.8.0-rc2', 'arm64'],
		['standard', 'v0.44.0', 'amd64'],
		['standard', 'v0.41.2', 'arm64'],
		['gpu', 'v0.44.0', 'arm64'],
		['metax', 'v0.44.0', 'amd64'],
		['jenkins', 'v0.44.0', 'arm64'],
	])('%s %s %s', async (kind, version, arch) => {
		const built = await buildPackage({
			dir,
			kind,
			version,
			arch,
			charts: [{name: 'dao-2048', version: '1.4.1', images: [{ref: 'release.daocloud.io/daocloud/dao-2048:v1.4.1'}]}],
		});
		const expected = findPublishedChecksum(version, kind, arch)!.sha512;
		const inspection = await inspectPackage(built.path, {cacheDir: path.join(dir, 'cache'), useCache: false});
		expect(inspection.integrity).toMatchObject({state: 'mismatch', published: expected});
		const mismatch = inspection.findings.find(finding => finding.code === 'checksum-mismatch');
		expect(mismatch?.severity).toBe('error');
		expect(mismatch?.message).toBe(
			`${built.fileName}: sha512 differs from the value published for ${version} ${kind} ${arch}: expected ${expected}, got ${built.sha512.slice(0, 12)}….`,
		);
	});
});

describe('parseChecksumFile', () => {
	const hash = 'ab'.repeat(64);
	it.each([
		[`${hash}  pkg.tar.gz`, hash],
		[`${hash} *pkg.tar.gz`, hash],
		[`SHA512 (pkg.tar.gz) = ${hash}`, hash],
		[hash, hash],
		[`${hash}  other.tar.gz`, undefined],
	])('reads %s', (text, expected) => {
		expect(parseChecksumFile(text, 'pkg.tar.gz')).toBe(expected);
	});

	it("reads the download page's verify line as a sidecar", () => {
		const file = 'jenkins-addon-offline-package-v0.44.0-amd64.tar.gz';
		expect(parseChecksumFile(`echo "${hash}  ${file}" | sha512sum -c\n`, file)).toBe(hash);
	});
});
