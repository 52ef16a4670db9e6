// `addon-wizard status` as a script or Ansible's `async` poll runs it: the built CLI, a real run of
// the installer simulator (slowed down, so it is seen running), and the Status document validated
// with its schema. Exit 0 whenever a status was shown, `none` included.
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {rm, writeFile} from 'node:fs/promises';
import {userInfo} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {setTimeout as delay} from 'node:timers/promises';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {statusSchema, type StatusDocument} from '../../../source/report/contract/status.js';
import {cliPath, makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';
import {heldSimulator} from '../../helpers/held-installer.js';
import {runProgram, type ProgramResult} from '../../helpers/run-program.js';

let made: ClusterFixture;

async function cli(args: string[], env: Record<string, string> = {}): Promise<ProgramResult> {
	return runProgram(process.execPath, [cliPath, ...args], {cwd: made.workdir, env: {...made.env, CI: 'true', ...env}});
}

async function status(): Promise<StatusDocument> {
	const result = await cli(['status', '--json', '-c', made.configPath]);
	expect(result.code, result.stderr).toBe(0);
	return statusSchema.parse(JSON.parse(result.stdout));
}

/** Asks `status` until `done` holds: the poll a script would run. */
async function pollStatus(done: (status: StatusDocument) => boolean, timeoutMs = 30_000): Promise<StatusDocument> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const now = await status();
		if (done(now)) {
			return now;
		}

		if (Date.now() > deadline) {
			throw new Error(`status never got there; last: ${JSON.stringify(now)}`);
		}

		await delay(100);
	}
}

beforeAll(async () => {
	expect(existsSync(cliPath), 'run `npm run build` first (npm test does)').toBe(true);
	made = await makeClusterFixture({packages: [{version: 'v0.13.9', arch: 'amd64'}], imagesAndCharts: 'official-service'});
});

afterAll(async () => {
	await rm(made.root, {recursive: true, force: true});
});

describe('addon-wizard status', () => {
	it('says no run is recorded, and exits 0: a status was shown', async () => {
		const text = await cli(['status', '-c', made.configPath]);
		expect(text.code).toBe(0);
		expect(text.stdout.split('\n')[0]).toBe(`addon-wizard: no run recorded against ${made.configPath}.`);
		expect(await status()).toEqual({apiVersion: 'addon-wizard/v1', kind: 'Status', config: made.configPath, state: 'none'});

		const anywhere = await cli(['status', '--json']);
		expect(statusSchema.parse(JSON.parse(anywhere.stdout))).toMatchObject({config: null, state: 'none'});
	});

	it('follows a run: running with its step, wizard and installer, then ended with its outcome and exit code', async () => {
		// The simulator, held after its import until the test opens the gate: the run is still going
		// when `status` is asked, however slow the machine.
		const gate = path.join(made.root, 'status-gate');
		const installer = await heldSimulator(path.join(made.root, 'held-installer'), gate);
		// No registry stands behind the fixture: nothing to read back after the step (--no-verify).
		const args = ['run', '--yes', '--no-verify', '--installer', installer, '-c', made.configPath, '-p', made.packages[0]!.path];
		const child = spawn(process.execPath, [cliPath, ...args], {
			cwd: made.workdir,
			env: {...made.env, CI: 'true'},
			stdio: 'ignore',
		});
		const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));

		const running = await pollStatus(now => now.state === 'running' && now.installerAlive === true);
		expect(running).toMatchObject({
			config: made.configPath,
			state: 'running',
			step: {index: 1, count: 1, title: expect.stringContaining('v0.13.9')},
			pid: child.pid,
			user: userInfo().username,
			wizardAlive: true,
			installerAlive: true,
		});
		// The run's id is its log's name, as in the RunResult.
		expect(running.runId).toBe(path.basename(running.logPath!, '.log'));
		expect(running.outcome).toBeUndefined();
		expect(running.exitCode).toBeUndefined();
		expect(existsSync(running.logPath!)).toBe(true);

		const text = await cli(['status', '-c', made.configPath]);
		expect(text.stdout.split('\n')[0]).toBe(`addon-wizard: a run is going against ${made.configPath}.`);
		expect(text.stdout).toContain(`  step:      1 of 1: ${running.step!.title}`);
		expect(text.stdout).toContain(`  log:       ${running.logPath}`);
		expect(text.stdout).toContain(`wizard running (pid ${child.pid}, ${userInfo().username})`);
		expect(text.stdout).toContain(`next: watch it with \`addon-wizard attach -c ${made.configPath}\``);

		await writeFile(gate, '');
		expect(await exited).toBe(0);
		const ended = await status();
		expect(ended).toMatchObject({
			state: 'ended',
			runId: running.runId,
			outcome: 'succeeded',
			exitCode: 0,
			logPath: running.logPath,
			startedAt: running.startedAt,
			wizardAlive: false,
			installerAlive: false,
		});
		expect(Date.parse(ended.endedAt!)).toBeGreaterThanOrEqual(Date.parse(ended.startedAt!));
		// --no-verify: nothing was read back, so the document does not claim either way.
		expect(ended.verified).toBeUndefined();
		const after = await cli(['status', '-c', made.configPath]);
		expect(after.code).toBe(0);
		expect(after.stdout.split('\n')[0]).toBe(`addon-wizard: the last run against ${made.configPath} succeeded (exit code 0).`);
		expect(after.stdout).toContain('  verified:  not checked');
	});

	it('gives a failed run the exit code the run ended with', async () => {
		// The installer's filesystem fills up half-way through the unpack.
		const run = await cli(['run', '--yes', '--no-verify', '-c', made.configPath, '-p', made.packages[0]!.path], {
			DCE5_SIM_DISK_BUDGET: '20000',
		});
		expect(run.code).toBe(4);
		expect(await status()).toMatchObject({state: 'ended', outcome: 'failed', exitCode: 4, step: {index: 1, count: 1}});
	});
});
