import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {entriesFor, parseChecksumList} from '../../../source/domain/packages/checksum-list.js';
import {parsePackageName} from '../../../source/domain/packages/package-name.js';
import {findPublishedChecksum} from '../../../source/domain/packages/published-checksums.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/download-page/${name}`, import.meta.url), 'utf8');
const published = (version: string, kind: string, arch: string) => findPublishedChecksum(version, kind, arch)!.sha512;
const identities = (list: ReturnType<typeof parseChecksumList>) =>
	list.entries.map(entry => `${entry.version} ${entry.kind} ${entry.arch}`);

describe('parseChecksumList: the v0.44.0 download page copied from a browser', () => {
	const list = parseChecksumList(fixture('v0.44.0-en-copied.txt'), 'v0.44.0.txt');

	it('takes the seven `echo "<sha512>  <file>" | sha512sum -c` lines and nothing else', () => {
		expect(identities(list)).toEqual([
			'v0.44.0 standard amd64',
			'v0.44.0 standard arm64',
			'v0.44.0 gpu amd64',
			'v0.44.0 gpu arm64',
			'v0.44.0 metax amd64',
			'v0.44.0 jenkins amd64',
			'v0.44.0 jenkins arm64',
		]);
		expect(list.entries.map(entry => entry.fileName)).toEqual([
			'standard-addon-offline-package-v0.44.0-amd64.tar.gz',
			'standard-addon-offline-package-v0.44.0-arm64.tar.gz',
			'gpu-addon-offline-package-v0.44.0-amd64.tar.gz',
			'gpu-addon-offline-package-v0.44.0-arm64.tar.gz',
			'metax-addon-offline-package-v0.44.0-amd64.tar.gz',
			'jenkins-addon-offline-package-v0.44.0-amd64.tar.gz',
			'jenkins-addon-offline-package-v0.44.0-arm64.tar.gz',
		]);
		expect(list.problems).toEqual([]);
	});

	it('reads the values the page publishes, with the line each came from', () => {
		for (const entry of list.entries) {
			expect(entry.sha512).toBe(published(entry.version!, entry.kind!, entry.arch!));
		}

		const lines = fixture('v0.44.0-en-copied.txt').split('\n');
		expect(lines[list.entries[4]!.line - 1]).toContain('metax-addon-offline-package-v0.44.0-amd64.tar.gz" | sha512sum -c');
	});
});

describe('parseChecksumList: sha512sum output', () => {
	it('reads GNU lines, with the binary marker and a directory in the name', () => {
		const list = parseChecksumList(fixture('sha512sum.txt'), 'sums.txt');
		expect(identities(list)).toEqual([
			'v0.44.0 standard amd64',
			'v0.44.0 standard arm64',
			'v0.44.0 gpu amd64',
			'v0.44.0 gpu arm64',
			'v0.44.0 metax amd64',
		]);
		expect(list.entries[4]).toMatchObject({
			fileName: 'metax-addon-offline-package-v0.44.0-amd64.tar.gz',
			line: 5,
			sha512: published('v0.44.0', 'metax', 'amd64'),
		});
	});

	it('reads BSD lines', () => {
		const hash = published('v0.43.0', 'gpu', 'arm64');
		const list = parseChecksumList(`SHA512 (gpu-addon-offline-package-v0.43.0-arm64.tar.gz) = ${hash}\n`, 'bsd.txt');
		expect(list.entries).toMatchObject([
			{fileName: 'gpu-addon-offline-package-v0.43.0-arm64.tar.gz', kind: 'gpu', arch: 'arm64', sha512: hash},
		]);
	});
});

describe('parseChecksumList: a table of hashes copied as text', () => {
	it('reads `|` rows naming version, kind and arch ("AMD 64", coloured "ARM 64"), with size and date', () => {
		const list = parseChecksumList(fixture('hash-table.md'), 'table.md');
		expect(identities(list)).toEqual([
			'v0.43.0 standard amd64',
			'v0.43.0 standard arm64',
			'v0.43.0 gpu amd64',
			'v0.43.0 gpu arm64',
			'v0.43.0 metax amd64',
		]);
		expect(list.entries[0]).toMatchObject({size: '36.96GB', date: '2026-08-17', sha512: published('v0.43.0', 'standard', 'amd64')});
		expect(list.problems).toEqual([]);
	});

	it('reads tab-separated rows, the joined `standard-amd64` form, and a version without its v', () => {
		const text = [
			`0.44.0\tJenkins\tARM 64\t${published('v0.44.0', 'jenkins', 'arm64')}\t6.53 GB\t2026-09-16`,
			`v0.27.0 standard-arm64 ${published('v0.27.0', 'standard', 'arm64')}`,
		].join('\n');
		expect(identities(parseChecksumList(text, 'x'))).toEqual(['0.44.0 jenkins arm64', 'v0.27.0 standard arm64']);
	});

	it('needs no kind for a release before the split, which has one kind per arch', () => {
		const list = parseChecksumList(`| v0.12.0 | AMD 64 | ${published('v0.12.0', 'full', 'amd64')} |`, 'x');
		expect(identities(list)).toEqual(['v0.12.0 full amd64']);
	});
});

describe('parseChecksumList: lines it cannot use are reported, not guessed', () => {
	const hash = published('v0.44.0', 'gpu', 'amd64');
	const other = published('v0.44.0', 'gpu', 'arm64');

	it.each([
		['a bare hash amid prose', `${hash}`, /names no file and not exactly one version, one arch/],
		['a v0.18+ row without its kind', `| v0.44.0 | AMD 64 | ${hash} |`, /v0.44.0 amd64 but no kind \(standard, gpu, metax, jenkins\)/],
		["a §1.3-style row with both arches' hashes", `| v0.12.0 | 2023-11-14 | ${hash} | ${other} |`, /holds 2 sha512 values/],
		['a row naming two arches', `v0.44.0 gpu amd64 arm64 ${hash}`, /not exactly one arch/],
	])('%s', (_label, line, reason) => {
		const list = parseChecksumList(`some prose\n${line}\n`, 'x');
		expect(list.entries).toEqual([]);
		expect(list.problems).toHaveLength(1);
		expect(list.problems[0]).toMatchObject({line: 2});
		expect(list.problems[0]!.reason).toMatch(reason);
	});

	it('flags two different values for one file, keeping both so the check can show them', () => {
		const text = `${hash}  gpu-addon-offline-package-v0.44.0-amd64.tar.gz\nv0.44.0 gpu amd64 ${other}\n`;
		const list = parseChecksumList(text, 'x');
		expect(list.entries).toHaveLength(2);
		expect(list.problems).toEqual([expect.objectContaining({line: 2, reason: 'it gives 0.44.0 gpu amd64 another sha512 than line 1'})]);
	});
});

describe('entriesFor', () => {
	const list = parseChecksumList(fixture('v0.44.0-en-copied.txt'), 'page');

	it('finds a package by version, kind and arch, with or without v', () => {
		const name = parsePackageName('jenkins-addon-offline-package-0.44.0-arm64.tar.gz')!;
		expect(entriesFor(list, name, name.fileName).map(entry => entry.sha512)).toEqual([published('v0.44.0', 'jenkins', 'arm64')]);
	});

	it('finds a renamed file only by its exact name, and nothing for another release', () => {
		const renamed = parseChecksumList(`${'ab'.repeat(64)}  my-addon.tar.gz`, 'x');
		expect(entriesFor(renamed, undefined, 'my-addon.tar.gz')).toHaveLength(1);
		expect(
			entriesFor(
				list,
				parsePackageName('gpu-addon-offline-package-v0.43.0-amd64.tar.gz'),
				'gpu-addon-offline-package-v0.43.0-amd64.tar.gz',
			),
		).toEqual([]);
	});
});
