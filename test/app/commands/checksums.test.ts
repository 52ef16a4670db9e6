// An operator with a release newer than the wizard's table (v0.45.0 here) copies the download
// page's checksums into a file and passes --checksums: the built CLI verifies against it, names
// a mismatch with the expected value, and refuses a file it cannot read.
import {rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {inspectionDocumentSchema} from '../../../source/report/contract/inspection.js';
import {cliPath, makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';
import {runProgram, type ProgramResult} from '../../helpers/run-program.js';

let made: ClusterFixture;

async function cli(args: string[]): Promise<ProgramResult> {
	return runProgram(process.execPath, [cliPath, ...args], {cwd: made.workdir, env: {...made.env, CI: 'true'}});
}

const inspected = (result: ProgramResult) => inspectionDocumentSchema.parse(JSON.parse(result.stdout)).packages;

beforeAll(async () => {
	made = await makeClusterFixture({packages: [{kind: 'standard', version: 'v0.45.0', arch: 'amd64'}]});
});

afterAll(async () => {
	await rm(made.root, {recursive: true, force: true});
});

describe('--checksums FILE', () => {
	it("says why a release newer than the table is unverified: the table's end and date, and how to add a checksum", async () => {
		const result = await cli(['inspect', '--json', '-p', made.packages[0]!.path]);
		const [inspection] = inspected(result);
		expect(inspection!.integrity.state).toBe('unknown');
		const finding = inspection!.findings.find(item => item.id === 'checksum-unknown')!;
		expect(finding.message).toContain('ends at v0.44.0');
		expect(finding.message).toMatch(/copied \d{4}-\d\d-\d\d/);
		expect(finding.hint).toContain('--checksums FILE');
	});

	it("verifies against sha512sum output, and against the page's table copied as text", async () => {
		const built = made.packages[0]!;
		const sums = path.join(made.root, 'sums.txt');
		await writeFile(sums, `${built.sha512}  ${built.fileName}\n`);
		const table = path.join(made.root, 'page.md');
		await writeFile(
			table,
			`| Version | Kind | Architecture | sha512 |\n| --- | --- | --- | --- |\n| v0.45.0 | Standard | AMD 64 | ${built.sha512} |\n`,
		);
		for (const file of [sums, table]) {
			const result = await cli(['inspect', '--json', '--no-cache', '--checksums', file, '-p', built.path]);
			expect(result.code, result.stderr).toBe(0);
			const [inspection] = inspected(result);
			expect(inspection!.integrity.state).toBe('sidecar-verified');
			expect(inspection!.findings.map(item => item.id)).toContain('checksum-list-verified');
		}
	});

	it('blocks a package whose sha512 differs from the list, naming the line and the expected value, also from the cache', async () => {
		const built = made.packages[0]!;
		const wrong = `${'0'.repeat(127)}1`;
		const sums = path.join(made.root, 'wrong.txt');
		await writeFile(sums, `${wrong}  ${built.fileName}\n`);
		// The first inspection fills the cache; the second is answered from it and must still be judged.
		await cli(['inspect', '--json', '-p', built.path]);
		const result = await cli(['inspect', '--json', '--checksums', sums, '-p', built.path]);
		expect(result.code).toBe(3);
		const [inspection] = inspected(result);
		expect(inspection!.integrity.state).toBe('mismatch');
		const finding = inspection!.findings.find(item => item.id === 'checksum-list-mismatch')!;
		expect(finding.message).toContain(`wrong.txt line 1: expected ${wrong}`);
	});

	it('refuses a --checksums file it cannot read, or one with no usable line, before reading any package (exit 2)', async () => {
		const missing = await cli(['inspect', '--checksums', path.join(made.root, 'nope.txt'), '-p', made.packages[0]!.path]);
		expect(missing.code).toBe(2);
		expect(missing.stderr).toContain('Cannot read the --checksums file');
		const empty = path.join(made.root, 'empty.txt');
		await writeFile(empty, 'nothing here\n');
		const useless = await cli(['inspect', '--checksums', empty, '-p', made.packages[0]!.path]);
		expect(useless.code).toBe(2);
		expect(useless.stderr).toContain('holds no sha512 value');
	});

	it('says which lines it could not use, once, and still uses the others', async () => {
		const built = made.packages[0]!;
		const mixed = path.join(made.root, 'mixed.txt');
		await writeFile(mixed, `${built.sha512}  ${built.fileName}\n${'a'.repeat(128)}\n${'b'.repeat(128)}  \n`);
		const result = await cli(['inspect', '--json', '--no-cache', '--checksums', mixed, '-p', built.path]);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stderr).toMatch(/--checksums mixed\.txt line \d: not used/);
		expect(inspected(result)[0]!.integrity.state).toBe('sidecar-verified');
	});
});
