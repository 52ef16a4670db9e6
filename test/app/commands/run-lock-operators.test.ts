// Two operators on one jump host, each with their own HOME and state folder, the same
// clusterConfig.yaml and working directory: the built CLI without a terminal, as each would type
// it. The second `run --yes` is refused (exit 3) naming the first operator's wizard, and the
// installer ran once; a stale lock is taken over and said so; `attach` from the second account
// finds the first run. As root, the second operator is also a real other user (nobody).
import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {chmod, chown, mkdir, readFile, readdir, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {cliPath, makeClusterFixture, simulatorPath, type ClusterFixture} from '../../helpers/cluster-fixture.js';
import {runProgram, type ProgramResult} from '../../helpers/run-program.js';

let made: ClusterFixture;
let trace: string;
let installer: string;
let gate: string;
const running: ChildProcess[] = [];

/** Another operator's environment: their own HOME, cache and state folder. */
const operator = (name: string) => ({
	...made.env,
	HOME: path.join(made.root, name),
	XDG_STATE_HOME: path.join(made.root, name, 'state'),
	XDG_CACHE_HOME: path.join(made.root, name, 'cache'),
	CI: 'true',
});

beforeAll(async () => {
	expect(existsSync(cliPath), 'run `npm run build` first (npm test does)').toBe(true);
	made = await makeClusterFixture({
		packages: [{version: 'v0.13.9', arch: 'amd64'}],
		simulatorEnv: {DCE5_SIM_DELAY_MS: '50'},
		imagesAndCharts: 'official-service',
	});
	// The installer both operators name: it leaves one line per start (pid, uid, folder, arguments)
	// in the trace, runs the simulator as its child (so it stays the process a scan of /proc finds),
	// and after an import holds on until the test opens the gate: the first run lasts as long as the
	// test needs it to, however slow the machine.
	trace = path.join(made.root, 'shared', 'installer-starts');
	gate = path.join(made.root, 'shared', 'gate');
	installer = path.join(made.root, 'shared', 'dce5-installer');
	await mkdir(path.dirname(trace), {recursive: true});
	await writeFile(trace, '');
	await writeFile(
		installer,
		[
			'#!/bin/sh',
			`echo "$$ $(id -u) $PWD $*" >> '${trace}'`,
			`'${process.execPath}' '${simulatorPath}' "$@"`,
			'code=$?',
			`case "$1" in cluster-create|import*) while [ ! -e '${gate}' ]; do sleep 0.05; done ;; esac`,
			'exit $code',
			'',
		].join('\n'),
	);
	await chmod(installer, 0o755);
});

/** Lets the held installers end (see the installer above). */
const openGate = async () => writeFile(gate, '');

afterEach(async () => {
	await openGate();
	for (const child of running.splice(0)) {
		child.kill('SIGKILL');
	}

	for (const line of await starts()) {
		try {
			process.kill(-line.pid, 'SIGKILL');
		} catch {
			// Gone already.
		}
	}

	await writeFile(trace, '');
	await rm(gate, {force: true});
	await rm(path.join(made.workdir, 'addon-offline-target-package'), {recursive: true, force: true});
});

afterAll(async () => {
	await rm(made.root, {recursive: true, force: true});
});

/** Every start of the installer to import (not the pre-flight's `--version`): pid, user, folder. */
async function starts(): Promise<Array<{pid: number; uid: number; cwd: string}>> {
	const text = await readFile(trace, 'utf8').catch(() => '');
	return text
		.split('\n')
		.filter(line => line.includes(' cluster-create '))
		.map(line => {
			const [pid, uid, cwd] = line.split(' ');
			return {pid: Number(pid), uid: Number(uid), cwd: cwd!};
		});
}

const runArgs = (...extra: string[]) => [
	'run',
	'--yes',
	'--no-verify',
	'-c',
	made.configPath,
	'-p',
	made.packages[0]!.path,
	'--installer',
	installer,
	...extra,
];

/** The first operator's wizard, slowed; resolves once its installer has started and is unpacking. */
async function firstOperator(): Promise<{wizard: ChildProcess; stdout: () => string; exit: Promise<number | null>}> {
	const wizard = spawn(process.execPath, [cliPath, ...runArgs()], {
		cwd: made.workdir,
		env: {...made.env, CI: 'true'},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	running.push(wizard);
	let out = '';
	const exit = new Promise<number | null>(resolve => {
		wizard.once('exit', resolve);
	});
	await new Promise<void>((resolve, reject) => {
		wizard.stdout.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			if (out.includes('[Info]: Step 2/13')) {
				resolve();
			}
		});
		void exit.then(code => reject(new Error(`the first wizard exited (${code}) before its installer started:\n${out}`)));
	});
	return {wizard, stdout: () => out, exit};
}

async function cli(args: string[], env: Record<string, string>, asUser?: number): Promise<ProgramResult> {
	const argv = [process.execPath, cliPath, ...args];
	const [file, ...rest] =
		asUser === undefined ? argv : ['setpriv', `--reuid=${asUser}`, `--regid=${asUser}`, '--clear-groups', '--', ...argv];
	return runProgram(file!, rest, {cwd: made.workdir, env, timeoutMs: 90_000});
}

/** A command that keeps running (attach): `following` once it has printed the run's first step. */
function follow(args: string[], env: Record<string, string>): {following: Promise<void>; result: Promise<ProgramResult>} {
	const child = spawn(process.execPath, [cliPath, ...args], {cwd: made.workdir, env, stdio: ['ignore', 'pipe', 'pipe']});
	running.push(child);
	let stdout = '';
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const result = new Promise<ProgramResult>(resolve => {
		child.once('exit', code => resolve({code, stdout, stderr}));
	});
	const following = new Promise<void>((resolve, reject) => {
		child.stdout.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
			if (stdout.includes('[Info]: Step 1/13')) {
				resolve();
			}
		});
		void result.then(ended => reject(new Error(`attach ended (${ended.code}) before showing the run:\n${ended.stderr}${ended.stdout}`)));
	});
	return {following, result};
}

/** What the second operator must be told: whose run it is, and what to do. */
function expectHolderNamed(result: ProgramResult, wizardPid: number): void {
	expect(result.code).toBe(3);
	const said = result.stdout + result.stderr;
	expect(said).toMatch(
		new RegExp(
			`Another addon-wizard is already running against ${made.configPath}: user root \\(uid 0\\), pid ${wizardPid} on \\S+, since [\\d-]+ [\\d:]+ UTC \\([\\d:]+ ago\\): \\S*node\\S* \\S+addon-wizard\\.mjs run --yes`,
		),
	);
	expect(said).toContain(`addon-wizard attach -c ${made.configPath}`);
	expect(said).toContain(`addon-wizard status -c ${made.configPath}`);
}

describe('two operators, one working directory and config', () => {
	it("refuses the second operator's run --yes with exit 3 naming the first; the installer ran once", async () => {
		const first = await firstOperator();
		const refused = await cli(runArgs(), operator('bob'));
		expectHolderNamed(refused, first.wizard.pid!);
		expect(refused.stdout).not.toContain('[Info]: Step');

		await openGate();
		expect(await first.exit).toBe(0);
		expect(first.stdout()).toContain('[Info]: Step 13/13');
		expect((await starts()).map(line => line.cwd)).toEqual([made.workdir]);
		// The run gave its locks back: nothing is left for the next operator to trip over.
		expect((await readdir(made.workdir)).filter(name => name.includes('.lock'))).toEqual([]);
	}, 120_000);

	it('lets the second operator take over a stale lock (the first wizard and its installer killed), saying so on stderr and in the log', async () => {
		const first = await firstOperator();
		first.wizard.kill('SIGKILL');
		await first.exit;
		const [killed] = await starts();
		process.kill(-killed!.pid, 'SIGKILL');
		await openGate();
		await rm(path.join(made.workdir, 'addon-offline-target-package'), {recursive: true, force: true});

		const taken = await cli(runArgs(), operator('carol'));
		const line = new RegExp(
			`took over the stale lock \\S+: its holder is no longer running \\(user root \\(uid 0\\), pid ${first.wizard.pid} on `,
		);
		expect(taken.stderr).toMatch(line);
		expect(taken.code).toBe(0);
		const logs = path.join(operator('carol').XDG_STATE_HOME, 'addon-wizard', 'logs');
		const [log] = await readdir(logs);
		expect(await readFile(path.join(logs, log!), 'utf8')).toMatch(line);
		expect(await starts()).toHaveLength(2);
	}, 120_000);

	it("attach from the second operator's HOME finds and follows the first run, with -c and from the working directory alone", async () => {
		const first = await firstOperator();
		const attaching = [follow(['attach', '-c', made.configPath], operator('dave')), follow(['attach'], operator('dave'))];
		// Both show the run while it still runs, then follow it to its end once the gate opens.
		await Promise.all(attaching.map(async item => item.following));
		await openGate();
		for (const attached of await Promise.all(attaching.map(async item => item.result))) {
			expect(attached.stderr).not.toContain('no run to attach to');
			expect(attached.stdout).toContain('[Info]: Step 13/13');
			expect(attached.code).toBe(0);
		}

		expect(await first.exit).toBe(0);
		// It found the run through the lock: the second operator's state folder holds no record of it.
		expect(existsSync(path.join(operator('dave').XDG_STATE_HOME, 'addon-wizard', 'runs'))).toBe(false);
		expect(await starts()).toHaveLength(1);
	}, 120_000);
});

const root = process.getuid?.() === 0;
const nobody = 65_534;

describe.skipIf(!root)('the second operator as another user (nobody), which needs root to set up', () => {
	beforeAll(async () => {
		// A jump host's shared folders: the fixture readable by every operator, the working directory
		// and the config's folder writable by them (the installer unpacks there; the config is edited there).
		await chmod(made.root, 0o755);
		await chmod(made.workdir, 0o777);
		await chmod(path.dirname(made.configPath), 0o777);
		await chmod(trace, 0o666);
		await mkdir(operator('nobody').HOME, {recursive: true});
		await chown(operator('nobody').HOME, nobody, nobody);
	});

	it('refuses it with exit 3 naming root as the holder, and attach says what it can and cannot show', async () => {
		const first = await firstOperator();
		const refused = await cli(runArgs(), operator('nobody'), nobody);
		expectHolderNamed(refused, first.wizard.pid!);

		const attached = await cli(['attach', '-c', made.configPath], operator('nobody'), nobody);
		expect(attached.code).toBe(3);
		expect(attached.stderr).toMatch(
			new RegExp(`a run against ${made.configPath} holds the lock \\S+: user root \\(uid 0\\), pid ${first.wizard.pid} on `),
		);
		expect(attached.stderr).toMatch(/cannot show: its steps and progress; its record \S+ is not readable by this user \(EACCES\)/);
		expect(attached.stderr).toMatch(/cannot show either: its log \S+, not readable by this user/);
		expect(attached.stderr).toContain('sudo -u root addon-wizard attach');

		await openGate();
		expect(await first.exit).toBe(0);
		expect((await starts()).map(line => line.uid)).toEqual([0]);
	}, 120_000);
});
