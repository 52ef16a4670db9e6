// Bad input exits 2 with the cause first: what the operator typed cannot be used at all, so the
// built CLI says which flag and path, and the next step, before it prints any plan or progress.
// Per-command help is the same page however it is asked for.
import {existsSync} from 'node:fs';
import {mkdir, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {subcommands} from '../../../source/app/flags.js';
import {cliPath, makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';
import {runProgram, type ProgramResult} from '../../helpers/run-program.js';

let made: ClusterFixture;

async function cli(args: string[]): Promise<ProgramResult> {
	return runProgram(process.execPath, [cliPath, ...args], {cwd: made.workdir, env: {...made.env, CI: 'true'}});
}

/** Exit 2, nothing on stdout, and the cause as the first line on stderr, its next step right after. */
function expectRefused(result: ProgramResult, cause: string): void {
	expect(result.code, result.stdout + result.stderr).toBe(2);
	expect(result.stdout).toBe('');
	const lines = result.stderr.trimEnd().split('\n');
	expect(lines[0]).toBe(`addon-wizard: ${cause}`);
	expect(lines[1]).toMatch(/^ {2}next: \S/);
	expect(lines).toHaveLength(2);
}

beforeAll(async () => {
	expect(existsSync(cliPath), 'run `npm run build` first (npm test does)').toBe(true);
	made = await makeClusterFixture({packages: [{version: 'v0.13.9', arch: 'amd64'}], imagesAndCharts: 'official-service'});
});

afterAll(async () => {
	await rm(made.root, {recursive: true, force: true});
});

describe('a path that cannot be used', () => {
	it('refuses -p to a missing file before any plan: plan, run and the JSON error', async () => {
		const missing = path.join(made.packagesDir, 'addon-offline-full-package-v0.13.9-amd64.tar.gx');
		expectRefused(await cli(['plan', '-c', made.configPath, '-p', missing]), `--package ${missing}: no such file.`);
		expectRefused(await cli(['run', '--yes', '-c', made.configPath, '-p', missing]), `--package ${missing}: no such file.`);

		const json = await cli(['plan', '--json', '-c', made.configPath, '-p', missing]);
		expect(json.code).toBe(2);
		const lines = json.stdout.trim().split('\n');
		expect(lines).toHaveLength(1);
		expect(JSON.parse(lines[0]!)).toMatchObject({
			kind: 'Error',
			error: {id: 'path-missing', message: `--package ${missing}: no such file.`},
			exitCode: 2,
		});
		expect(json.stdout).not.toContain('unknown version');

		// `run` closes every path with a RunResult, bad input included: a script's last line is always one.
		const run = await cli(['run', '--yes', '--json', '-c', made.configPath, '-p', missing]);
		expect(run.code).toBe(2);
		const runLines = run.stdout.trim().split('\n');
		expect(runLines.map(line => (JSON.parse(line) as {kind: string}).kind)).toEqual(['Error', 'RunResult']);
		expect(JSON.parse(runLines[1]!)).toMatchObject({outcome: 'blocked', exitCode: 2, changed: false});
	});

	it('refuses -p to a directory, and a relative -p is read from the working directory', async () => {
		expectRefused(
			await cli(['run', '--yes', '-c', made.configPath, '-p', made.packagesDir]),
			`--package ${made.packagesDir} is a directory, not a file.`,
		);
		expectRefused(
			await cli(['plan', '-c', made.configPath, '-p', 'nope.tar.gz']),
			`--package ${path.join(made.workdir, 'nope.tar.gz')}: no such file.`,
		);
	});

	it('refuses a -c, a --workdir and a --baseline that are not there or not what they must be', async () => {
		const pkg = made.packages[0]!.path;
		const config = path.join(made.root, 'missing', 'clusterConfig.yaml');
		expectRefused(await cli(['plan', '-c', config, '-p', pkg]), `--config ${config}: no such file.`);
		expectRefused(await cli(['status', '-c', config]), `--config ${config}: no such file.`);

		const workdir = path.join(made.root, 'no-such-workdir');
		expectRefused(await cli(['plan', '-c', made.configPath, '-p', pkg, '--workdir', workdir]), `--workdir ${workdir}: no such directory.`);
		expectRefused(
			await cli(['run', '--yes', '-c', made.configPath, '-p', pkg, '--workdir', made.configPath]),
			`--workdir ${made.configPath} is a file, not a directory.`,
		);

		const baseline = path.join(made.packagesDir, 'gone.tar.gz');
		expectRefused(await cli(['plan', '-c', made.configPath, '-p', pkg, '--baseline', baseline]), `--baseline ${baseline}: no such file.`);
	});

	it('checks only the flags the command reads: -p given to history is not its input', async () => {
		const result = await cli(['history', '-c', made.configPath, '-p', path.join(made.root, 'nope.tar.gz')]);
		expect(result.code).toBe(0);
	});

	it('leaves a missing --installer to the plan, which blocks on it (exit 3) naming it', async () => {
		const installer = path.join(made.root, 'no-such-dir', 'dce5-installer');
		const result = await cli(['plan', '-c', made.configPath, '-p', made.packages[0]!.path, '--installer', installer]);
		expect(result.code).toBe(3);
		expect(result.stdout).toContain(installer);
	});

	it('accepts a --workdir that is a directory', async () => {
		const workdir = path.join(made.root, 'other-work');
		await mkdir(workdir, {recursive: true});
		await writeFile(path.join(workdir, '.keep'), '');
		const result = await cli(['plan', '-c', made.configPath, '-p', made.packages[0]!.path, '--workdir', workdir]);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toContain('Plan is ready.');
	});
});

describe('help per command', () => {
	it('shows the same page for `help COMMAND` and `COMMAND --help`, each with only its flags', async () => {
		for (const command of ['run', 'status'] as const) {
			const [asked, flagged] = await Promise.all([cli(['help', command]), cli([command, '--help'])]);
			expect(asked).toEqual({code: 0, stdout: flagged.stdout, stderr: ''});
			expect(asked.stdout.split('\n')[0]).toMatch(new RegExp(`^addon-wizard ${command}: `));
		}

		const status = await cli(['status', '--help']);
		expect(status.stdout).toContain('--json');
		expect(status.stdout).not.toContain('--package');
	});

	it('refuses help for an unknown command with the cause and the list (exit 2)', async () => {
		expectRefused(await cli(['help', 'upgrade']), 'No command "upgrade" to show the help of.');
		expect((await cli(['help', 'upgrade'])).stderr).toContain(subcommands.join(', '));
	});
});
