// The built CLI's --cleanup against a real leftover: an import that ran out of space half-way left
// its unpack, and the operator kept a note in it. The clean-up names the note and deletes nothing
// until --cleanup-unexplained says it may.
import {existsSync} from 'node:fs';
import {mkdir, readFile, rm, symlink, writeFile} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {cliPath, makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';
import {runProgram, type ProgramResult} from '../../helpers/run-program.js';

let made: ClusterFixture;
let leftover: string;
let precious: string;

async function cli(args: string[], env: Record<string, string> = {}): Promise<ProgramResult> {
	return runProgram(process.execPath, [cliPath, ...args], {cwd: made.workdir, env: {...made.env, CI: 'true', ...env}});
}

const run = (...extra: string[]) => ['run', '--yes', '--no-verify', '-c', made.configPath, '-p', made.packages[0]!.path, ...extra];

beforeAll(async () => {
	expect(existsSync(cliPath), 'run `npm run build` first (npm test does)').toBe(true);
	made = await makeClusterFixture({packages: [{version: 'v0.13.9', arch: 'amd64'}], imagesAndCharts: 'official-service'});
	leftover = path.join(made.workdir, 'addon-offline-target-package');
	precious = path.join(leftover, 'my-notes', 'precious.txt');
});

afterAll(async () => {
	await rm(made.root, {recursive: true, force: true});
});

beforeEach(async () => {
	// A real leftover: the installer's disk fills while it unpacks the second bundle.
	await rm(leftover, {recursive: true, force: true});
	const failed = await cli(run(), {DCE5_SIM_DISK_BUDGET: '40000'});
	expect(failed.code).toBe(4);
	expect(existsSync(path.join(leftover, 'addon-offline-package', 'metadata.yaml'))).toBe(true);
	await mkdir(path.dirname(precious), {recursive: true});
	await writeFile(precious, 'the only copy');
});

describe('--cleanup and files the package does not explain', () => {
	it('refuses, names the file, deletes nothing and says what to do', async () => {
		const configBefore = await readFile(made.configPath, 'utf8');
		const result = await cli(run('--cleanup'));
		expect(result.code).toBe(3);
		expect(result.stdout).toContain(`Leftover ${leftover}`);
		expect(result.stdout).toContain('holds 1 file the package does not explain: my-notes/precious.txt');
		expect(result.stdout).toMatch(/Move it out of \S+addon-offline-target-package if you want to keep it/);
		expect(result.stdout).toContain('--cleanup --cleanup-unexplained');
		expect(result.stderr).toContain('nothing was run');
		expect(await readFile(precious, 'utf8')).toBe('the only copy');
		// Not a byte of the installer's part went either, and clusterConfig.yaml is as it was.
		expect(existsSync(path.join(leftover, 'addon-offline-package', 'metadata.yaml'))).toBe(true);
		expect(await readFile(made.configPath, 'utf8')).toBe(configBefore);
	});

	it('says the same in the RunResult with --json', async () => {
		const result = await cli(run('--cleanup', '--json'));
		expect(result.code).toBe(3);
		const last = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as {kind: string; summary: string; nextStep: string};
		expect(last).toMatchObject({kind: 'RunResult', outcome: 'blocked', changed: false});
		expect(last.summary).toContain('my-notes/precious.txt');
		expect(last.nextStep).toContain('--cleanup-unexplained');
		expect(existsSync(precious)).toBe(true);
	});

	it('deletes the directory, the file included, with --cleanup-unexplained, and the import runs', async () => {
		const result = await cli(run('--cleanup', '--cleanup-unexplained'));
		expect(result.stdout).toContain('with 1 file the package does not explain: my-notes/precious.txt (--cleanup-unexplained)');
		expect(result.stdout).toMatch(/removed \S+addon-offline-target-package/);
		expect(result.code).toBe(0);
		expect(existsSync(precious)).toBe(false);
	});

	it('never follows a link out of the directory: what it points at stays', async () => {
		const outside = path.join(made.root, 'outside');
		await mkdir(outside, {recursive: true});
		await writeFile(path.join(outside, 'keep.txt'), 'not in the leftover');
		await symlink(outside, path.join(leftover, 'my-notes', 'elsewhere'));
		const refused = await cli(run('--cleanup'));
		expect(refused.code).toBe(3);
		expect(refused.stdout).toContain('holds 2 files the package does not explain: my-notes/elsewhere, my-notes/precious.txt');

		const result = await cli(run('--cleanup', '--cleanup-unexplained'));
		expect(result.code).toBe(0);
		expect(existsSync(path.join(leftover, 'my-notes'))).toBe(false);
		expect(await readFile(path.join(outside, 'keep.txt'), 'utf8')).toBe('not in the leftover');
	});
});
