// `kill -9` of the wizard mid-step, with the built CLI and the installer simulator held at a gate
// file: the step's exit status goes with the wizard, but the run is never missing. `history`
// records it as outcome unknown, and `attach` says why and gives the exact `verify` to run.
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {readdir, readFile, rm, truncate, writeFile} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {historyDocumentSchema} from '../../../source/report/contract/history.js';
import {cliPath, makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';
import {waitUntil} from '../../helpers/fake-ports.js';
import {heldSimulator} from '../../helpers/held-installer.js';
import {sessionMembers} from '../../helpers/proc-session.js';
import {runProgram, type ProgramResult} from '../../helpers/run-program.js';

let made: ClusterFixture;
let gate: string;
let secondGate: string;

/** The simulator, held after its import until the test opens `gateFile`. */
async function heldInstaller(name: string, gateFile: string): Promise<string> {
	return heldSimulator(path.join(made.root, name), gateFile);
}

async function cli(args: string[]): Promise<ProgramResult> {
	return runProgram(process.execPath, [cliPath, ...args], {cwd: made.workdir, env: {...made.env, CI: 'true'}, timeoutMs: 60_000});
}

const until = async <T>(look: () => T | undefined | Promise<T | undefined>, what: string) => waitUntil(look, what, 60_000);

beforeAll(async () => {
	expect(existsSync(cliPath), 'run `npm run build` first (npm test does)').toBe(true);
	made = await makeClusterFixture({packages: [{version: 'v0.13.9', arch: 'amd64'}], imagesAndCharts: 'official-service'});
	gate = path.join(made.root, 'gate');
	secondGate = path.join(made.root, 'second-gate');
});

afterAll(async () => {
	// Opens the gate, so a failed case leaves no installer waiting.
	await writeFile(gate, '');
	await writeFile(secondGate, '');
	await rm(made.root, {recursive: true, force: true});
});

describe('after kill -9 of the wizard mid-step', () => {
	it('history records the step as outcome unknown, and attach says why and gives the verify to run', async () => {
		// The simulator, held after its import until the test opens the gate: the step is mid-way when the wizard dies.
		const installer = await heldInstaller('held-installer', gate);
		const packagePath = made.packages[0]!.path;
		const wizard = spawn(
			process.execPath,
			[cliPath, 'run', '--yes', '--no-verify', '--installer', installer, '-c', made.configPath, '-p', packagePath],
			{cwd: made.workdir, env: {...made.env, CI: 'true'}, stdio: ['ignore', 'pipe', 'ignore']},
		);
		let output = '';
		wizard.stdout.on('data', (chunk: Buffer) => {
			output += chunk.toString();
		});
		const installerPid = await until(() => /\(in \S+, pid (\d+)\)/.exec(output)?.[1], 'the step start').then(Number);
		const exited = new Promise<void>(resolve => {
			wizard.once('exit', () => resolve());
		});
		wizard.kill('SIGKILL');
		await exited;

		const verify = `addon-wizard verify -c ${made.configPath} -p ${packagePath}`;
		const text = await cli(['history', '-c', made.configPath]);
		expect(text.code).toBe(0);
		expect(text.stdout).toMatch(/cluster-create v0\.13\.9 amd64 {2}outcome unknown/);
		expect(text.stdout).toContain(`its exit status went with the wizard; ${verify} shows what the step left`);

		await writeFile(gate, '');
		await until(async () => ((await sessionMembers(installerPid)).length === 0 ? true : undefined), 'the installer end');
		const attached = await cli(['attach', '-c', made.configPath]);
		expect(attached.code).toBe(4);
		expect(attached.stdout + attached.stderr).toContain(
			`The run (wizard pid ${wizard.pid}) ended without recording a result: its exit status went with the wizard; the history records the step as outcome unknown.`,
		);
		expect(attached.stdout + attached.stderr).toContain(`${verify} shows what the step left`);

		// Recorded once, however many look: history and attach both found the run lost.
		const json = historyDocumentSchema.parse(JSON.parse((await cli(['history', '--json', '-c', made.configPath])).stdout));
		expect(json.entries.map(entry => entry.outcome)).toEqual(['unknown']);
	}, 120_000);
});

describe('attach when the run record is truncated while the installer still runs', () => {
	it('names the live installer, says its progress cannot be shown and why, gives the log and what to run next', async () => {
		const installer = await heldInstaller('second-installer', secondGate);
		const wizard = spawn(
			process.execPath,
			[cliPath, 'run', '--yes', '--no-verify', '--installer', installer, '-c', made.configPath, '-p', made.packages[0]!.path],
			{cwd: made.workdir, env: {...made.env, CI: 'true'}, stdio: ['ignore', 'pipe', 'ignore']},
		);
		let output = '';
		wizard.stdout.on('data', (chunk: Buffer) => {
			output += chunk.toString();
		});
		const exited = new Promise<number | null>(resolve => {
			wizard.once('exit', resolve);
		});
		const installerPid = await until(() => /\(in \S+, pid (\d+)\)/.exec(output)?.[1], 'the step start').then(Number);
		const logPath = /log: (\S+\.log)/.exec(output)![1]!;
		const records = path.join(made.root, 'state', 'addon-wizard', 'runs');
		// The record itself (never a temporary file of its atomic write), once it names the installer: the wizard writes it after the step starts.
		const record = await until(async () => {
			for (const name of (await readdir(records)).filter(item => /^[\da-f]+\.json$/.test(item))) {
				const text = await readFile(path.join(records, name), 'utf8').catch(() => '');
				if (text.includes(`"installerPid":${installerPid},`)) {
					return name;
				}
			}

			return undefined;
		}, 'the record naming the installer');
		// Cut short, as a full disk or a crash mid-write would leave it.
		await truncate(path.join(records, record!), 200);

		const attached = await cli(['attach', '-c', made.configPath]);
		expect(attached.code, attached.stdout + attached.stderr).toBe(3);
		expect(attached.stderr).toContain(`installer pid ${installerPid} (`);
		expect(attached.stderr).toContain(`is still running: /bin/sh ${installer} cluster-create`);
		expect(attached.stderr).toContain(`its wizard (pid ${wizard.pid}, `);
		expect(attached.stderr).toContain(
			`cannot show: its steps and progress; its run record ${path.join(records, record!)} is unreadable (truncated`,
		);
		expect(attached.stderr).toContain(`can show: its log ${logPath}`);
		expect(attached.stderr).toContain(
			`next: wait for it to end (\`addon-wizard status -c ${made.configPath}\` tells), then \`addon-wizard verify -c ${made.configPath}\``,
		);
		expect(attached.stderr).not.toContain('no run to attach to');

		await writeFile(secondGate, '');
		await exited;
	}, 120_000);
});
