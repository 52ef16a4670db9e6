// The built CLI without a terminal, as cron jobs and `ssh host cmd` run it: never Ink, plain
// lines or JSON events, exit codes a script can branch on.
import {execFile, spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {chmod, mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {planDocumentSchema} from '../../../source/report/contract/plan.js';
import {runEventDocumentSchema, type RunEventDocument} from '../../../source/report/contract/run-event.js';
import {
	cliPath,
	clusterConfigText,
	makeClusterFixture,
	officialServiceBlock,
	simulatorPath,
	type ClusterFixture,
} from '../../helpers/cluster-fixture.js';
import {waitUntil} from '../../helpers/fake-ports.js';
import {runProgram, type ProgramResult} from '../../helpers/run-program.js';

let made: ClusterFixture;

async function cli(args: string[], env: Record<string, string> = {}): Promise<ProgramResult> {
	return runProgram(process.execPath, [cliPath, ...args], {cwd: made.workdir, env: {...made.env, CI: 'true', ...env}});
}

beforeAll(async () => {
	expect(existsSync(cliPath), 'run `npm run build` first (npm test does)').toBe(true);
	// No registry stands behind these runs, and the config says so: a builtin one would be read at this
	// host's own address, and what answers there (or how slowly, on a loaded box) would reach stderr.
	made = await makeClusterFixture({
		packages: [
			{version: 'v0.13.9', arch: 'amd64'},
			{version: 'v0.13.9', arch: 'arm64'},
		],
		simulatorEnv: {DCE5_SIM_DELAY_MS: '0'},
		imagesAndCharts: 'official-service',
	});
});

afterAll(async () => {
	await rm(made.root, {recursive: true, force: true});
});

/** An installer written for the case, named like the real one. */
async function scriptInstaller(name: string, body: string): Promise<string> {
	const dir = path.join(made.home, name);
	await mkdir(dir, {recursive: true});
	const file = path.join(dir, 'dce5-installer');
	await writeFile(file, `#!/bin/sh\n${body}\n`);
	await chmod(file, 0o755);
	return file;
}

async function groupMembers(pgid: number): Promise<string[]> {
	const out = await new Promise<string>(resolve => {
		execFile('ps', ['-o', 'pid=,stat=,args=', '-g', String(pgid)], (_error, stdout) => resolve(stdout));
	});
	return out
		.split('\n')
		.map(line => line.trim())
		.filter(line => line !== '' && !/^\d+ Z/.test(line));
}

describe('without a terminal', () => {
	it('does not start the screens and names the flags to pass (exit 2)', async () => {
		const result = await cli(['-c', made.configPath]);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toContain('needs a terminal');
		expect(result.stderr).toContain('--yes');
		expect(result.stderr).toContain('-p ');
		expect(result.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(3);
	});

	it('runs a multi-arch import with --yes, printing the plan and plain progress lines', async () => {
		// No registry stands behind this fixture: the plan reads none, and nothing is read back after the
		// step, so the installer alone judges (--no-verify).
		const result = await cli([
			'run',
			'--yes',
			'--no-verify',
			'-c',
			made.configPath,
			'-p',
			made.packages[0]!.path,
			'-p',
			made.packages[1]!.path,
		]);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('Multi-arch import');
		expect(result.stdout).toMatch(/step cluster-create: \[".*dce5-installer","cluster-create","-c"/);
		expect(result.stdout).toMatch(/step integrate-arm64-\d: \[".*dce5-installer","import","-addon"/);
		expect(result.stdout).toContain('[Info]: Step 13/13');
		expect(result.stdout).not.toMatch(/\u001B\[/);
		const log = /log: (\S+\.log)/.exec(result.stdout)?.[1];
		expect(log && existsSync(log)).toBe(true);
		expect(await readFile(made.configPath, 'utf8')).toContain(made.packages[0]!.path);
	});

	it('prints one JSON event per line with --json, ending in run-end, and exits 4 with the cause on failure', async () => {
		// The installer's filesystem fills up half-way through the unpack.
		const result = await cli(['run', '--yes', '--json', '-c', made.configPath, '-p', made.packages[1]!.path], {
			DCE5_SIM_DISK_BUDGET: '20000',
		});
		expect(result.code).toBe(4);
		const [plan, ...rest] = result.stdout.trim().split('\n');
		expect(planDocumentSchema.parse(JSON.parse(plan!)).kind).toBe('Plan');
		// The RunResult ends the output: how the run ended, for scripts.
		const events = rest.slice(0, -1);
		expect(JSON.parse(rest.at(-1)!)).toMatchObject({kind: 'RunResult', outcome: 'failed', exitCode: 4, changed: true});
		const lines = events.map(line => runEventDocumentSchema.parse(JSON.parse(line)));
		const end = lines.find(event => event.event === 'step-end') as Extract<RunEventDocument, {event: 'step-end'}>;
		expect(end.exitCode).toBe(1);
		expect(end.failure?.id).toBe('no-space');
		expect(lines.at(-1)).toMatchObject({event: 'run-end', outcome: {ok: false}});
	});

	it('refuses to start over a leftover addon-offline-target-package (exit 3), naming --cleanup, before anything changes', async () => {
		await rm(path.join(made.workdir, 'addon-offline-target-package'), {recursive: true, force: true});
		await mkdir(path.join(made.workdir, 'addon-offline-target-package', 'addon-offline-package'), {recursive: true});
		const before = await readFile(made.configPath, 'utf8');
		const result = await cli(['run', '--yes', '--json', '-c', made.configPath, '-p', made.packages[0]!.path]);
		expect(result.code).toBe(3);
		const lines = result.stdout.trim().split('\n');
		expect(lines).toHaveLength(2);
		expect(JSON.parse(lines[1]!)).toMatchObject({kind: 'RunResult', outcome: 'blocked', exitCode: 3, changed: false});
		const plan = planDocumentSchema.parse(JSON.parse(lines[0]!));
		expect(plan.preflight.find(check => check.id === 'leftover')).toMatchObject({
			status: 'block',
			hint: expect.stringContaining('--cleanup'),
		});
		expect(await readFile(made.configPath, 'utf8')).toBe(before);
	});

	it('cleans the leftover first with --cleanup and then succeeds', async () => {
		// Its own leftover, as a failed step leaves it: this case does not lean on the one before.
		const leftover = path.join(made.workdir, 'addon-offline-target-package');
		await rm(leftover, {recursive: true, force: true});
		await mkdir(path.join(leftover, 'addon-offline-package', 'addon'), {recursive: true});
		const result = await cli(['run', '--yes', '--cleanup', '--no-verify', '-c', made.configPath, '-p', made.packages[1]!.path]);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/removed .*addon-offline-target-package/i);
		expect(existsSync(leftover)).toBe(false);
	});

	it('exits 5 when the installer printed [Error] lines but exited 0, saying it finished with errors', async () => {
		const installer = await scriptInstaller(
			'errors',
			'echo "[Info]: Step 13/13: import addon offline package"\necho "[Error]:[Error] sync chart insight failed" >&2\nexit 0',
		);
		const result = await cli(['run', '--yes', '-c', made.configPath, '-p', made.packages[0]!.path, '--installer', installer]);
		expect(result.code).toBe(5);
		expect(result.stdout).toContain('finished with errors: The installer exited with status 0 but printed 1 error line.');
		expect(result.stdout).toContain('addon-wizard: import finished with errors after');
		expect(result.stdout).not.toMatch(/step cluster-create done/);

		// Asked afterwards, attach says the same, with the same code.
		const attached = await cli(['attach', '-c', made.configPath]);
		expect(attached.code).toBe(5);
		expect(attached.stdout).toContain('cause: The installer exited with status 0 but printed 1 error line.');
	});

	it('lists exit code 5 in --help', async () => {
		const help = await cli(['--help']);
		expect(help.stdout).toMatch(
			/^ {2}4 {4}installer step failed\n {2}5 {4}installer exited 0 but printed errors\n {2}6 {4}not verified: /m,
		);
		expect(help.stdout).toMatch(/^ {2}7 {4}finished, not verified: the registry could not be read\n.*\n {2}130 {2}interrupted$/m);
		expect((await cli(['help', 'run'])).stdout).toContain('--restore-config-on-failure');
	});

	it('puts clusterConfig.yaml back after a failed step with --restore-config-on-failure', async () => {
		const installer = await scriptInstaller(
			'fails',
			'echo "[Error]:[Error] invalid ClusterConfig: maybe the binaries.externalRepoURLs cannot be connected, return code: 404" >&2\nexit 1',
		);
		// A cluster without the addon yet, so the import edits spec.addonPackage.path (earlier cases set it).
		await writeFile(made.configPath, clusterConfigText(undefined, '', officialServiceBlock));
		const before = await readFile(made.configPath, 'utf8');
		const result = await cli([
			'run',
			'--yes',
			'--restore-config-on-failure',
			'-c',
			made.configPath,
			'-p',
			made.packages[0]!.path,
			'--installer',
			installer,
		]);
		expect(result.code).toBe(4);
		const wrote = /wrote (\S+) \(backup: (\S+)\)/.exec(result.stdout);
		expect(wrote?.[1]).toBe(made.configPath);
		expect(result.stdout).toMatch(
			new RegExp(
				`put ${made.configPath.replaceAll('.', '\\.')} back from ${wrote![2]!.replaceAll('.', '\\.')}; what the run had written is kept as \\S+`,
			),
		);
		expect(await readFile(made.configPath, 'utf8')).toBe(before);
	});

	it('stops on one SIGINT without a terminal, as CI cancel expects: exit 130, no installer left', async () => {
		await rm(path.join(made.workdir, 'addon-offline-target-package'), {recursive: true, force: true});
		const wizard = spawn(
			process.execPath,
			[cliPath, 'run', '--yes', '--stop-grace', '1', '-c', made.configPath, '-p', made.packages[0]!.path],
			{
				cwd: made.workdir,
				env: {...made.env, CI: 'true', DCE5_SIM_DELAY_MS: '1000', DCE5_SIM_HELPER: '1'},
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		let stdout = '';
		let stderr = '';
		wizard.stderr.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		const pid = await new Promise<number>(resolve => {
			wizard.stdout.on('data', (chunk: Buffer) => {
				stdout += chunk.toString();
				const found = /pid (\d+)\)\n[\s\S]*\[Info]: Step 2\/13/.exec(stdout);
				if (found) {
					resolve(Number(found[1]));
				}
			});
		});
		expect(await groupMembers(pid)).not.toEqual([]);
		const code = new Promise<number | null>(resolve => {
			wizard.once('exit', resolve);
		});
		wizard.kill('SIGINT');
		expect(await code).toBe(130);
		expect(stderr).toContain('stopping the installer');
		expect(stderr).not.toContain('press Ctrl+C again');
		expect(await groupMembers(pid)).toEqual([]);
	}, 60_000);

	it("follows the installer's own output with attach when the wizard that started it was killed", async () => {
		await rm(path.join(made.workdir, 'addon-offline-target-package'), {recursive: true, force: true});
		// The installer, held before its first line until attach follows it: the wizard dies mid-step and
		// attach starts while the installer still runs, however slow the machine.
		const gate = path.join(made.root, 'killed-wizard-gate');
		const installer = await scriptInstaller(
			'held-for-attach',
			`echo 'held until attach follows'\nwhile [ ! -e '${gate}' ]; do sleep 0.05; done\n'${process.execPath}' '${simulatorPath}' "$@"\nexit $?`,
		);
		const wizard = spawn(
			process.execPath,
			[cliPath, 'run', '--yes', '--installer', installer, '-c', made.configPath, '-p', made.packages[0]!.path],
			{cwd: made.workdir, env: {...made.env, CI: 'true'}, stdio: ['ignore', 'pipe', 'ignore']},
		);
		// The wizard shows the installer's first line once it follows the step, after it has recorded it.
		let wizardSaid = '';
		wizard.stdout.on('data', (chunk: Buffer) => {
			wizardSaid += chunk.toString();
		});
		try {
			await waitUntil(
				() => (wizardSaid.includes('installer | held until attach follows') ? true : undefined),
				'the installer to start',
				60_000,
			);
			wizard.kill('SIGKILL');
			await new Promise(resolve => wizard.once('exit', resolve));

			const attach = spawn(process.execPath, [cliPath, 'attach', '-c', made.configPath], {
				cwd: made.workdir,
				env: {...made.env, CI: 'true'},
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let stdout = '';
			const following = new Promise<void>(resolve => {
				attach.stdout.on('data', (chunk: Buffer) => {
					stdout += chunk.toString();
					if (stdout.includes("following the installer's own output")) {
						resolve();
					}
				});
			});
			const code = new Promise<number | null>(resolve => attach.once('exit', resolve));
			await Promise.race([following, code]);
			await writeFile(gate, '');
			expect(await code).toBe(4);
			expect(stdout).toContain(`the wizard that ran this step (pid ${wizard.pid}) has stopped; following the installer's own output.`);
			// Every installer line once: what the log already had is not shown again from the capture file.
			expect(stdout.split('\n').filter(line => line.startsWith('installer | [Info]: Step 1/13'))).toHaveLength(1);
			expect(stdout).toContain('[Info]: Step 13/13');
			expect(stdout).toMatch(
				/its exit status went with the wizard \(pid \d+\) that started it\. addon-offline-target-package is gone, which is what a successful step leaves\./,
			);
		} finally {
			await writeFile(gate, '');
		}
	}, 120_000);
});
