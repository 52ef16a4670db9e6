// The built CLI never deletes the directory a live installer unpacks into: not after its wizard was
// killed (kill -9) while the installer ran on, not when the operator started dce5-installer by
// hand, not when a second wizard with another clusterConfig.yaml shares the working directory.
// Real processes: the built CLI, the installer simulator slowed down with DCE5_SIM_DELAY_MS.
import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {copyFile, mkdir, rm} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {cliPath, makeClusterFixture, type ClusterFixture} from '../helpers/cluster-fixture.js';
import {runProgram} from '../helpers/run-program.js';
import {parsed} from '../helpers/services.js';
import {compose} from '../../source/app/compose.js';
import {environmentFor} from '../../source/app/environment.js';
import {userInfo} from 'node:os';

const version = 'v0.13.9';
const fixtures: ClusterFixture[] = [];
/** Process groups this file started (installers, wizards): each is stopped after its test. */
const groups: number[] = [];

beforeAll(() => {
	expect(existsSync(cliPath), 'run `npm run build` first (npm test does)').toBe(true);
});

afterEach(async () => {
	for (const pgid of groups.splice(0)) {
		try {
			process.kill(-pgid, 'SIGKILL');
		} catch {
			// Gone already.
		}
	}

	for (const f of fixtures.splice(0)) {
		await f.stop();
		await rm(f.root, {recursive: true, force: true});
	}
});

/** The cluster has amd64; the arm64 package is integrated with `import -addon`, which unpacks at once. */
async function fixture(delayMs: number): Promise<ClusterFixture> {
	const f = await makeClusterFixture({
		packages: [
			{version, arch: 'amd64'},
			{version, arch: 'arm64'},
		],
		current: 0,
		simulatorEnv: {DCE5_SIM_DELAY_MS: String(delayMs)},
	});
	fixtures.push(f);
	return f;
}

const target = (f: ClusterFixture, workdir = f.workdir) => path.join(workdir, 'addon-offline-target-package');

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** Starts a program in its own process group and resolves once its output shows `until`. */
async function started(
	argv: string[],
	f: ClusterFixture,
	until: RegExp,
	cwd = f.workdir,
): Promise<{child: ChildProcess; output: () => string; match: RegExpExecArray}> {
	const child = spawn(argv[0]!, argv.slice(1), {cwd, env: {...f.env, CI: 'true'}, stdio: ['ignore', 'pipe', 'pipe'], detached: true});
	groups.push(child.pid!);
	let seen = '';
	const match = await new Promise<RegExpExecArray>((resolve, reject) => {
		const look = (chunk: Buffer) => {
			seen += chunk.toString();
			const found = until.exec(seen);
			if (found) {
				resolve(found);
			}
		};

		child.stdout!.on('data', look);
		child.stderr!.on('data', look);
		child.on('exit', code => reject(new Error(`${argv.join(' ')} exited (${code}) before ${String(until)}:\n${seen}`)));
	});
	return {child, output: () => seen, match};
}

async function cli(f: ClusterFixture, args: string[], cwd = f.workdir) {
	return runProgram(process.execPath, [cliPath, ...args], {cwd, env: {...f.env, CI: 'true'}, timeoutMs: 60_000});
}

// No registry stands behind these fixtures: nothing to read back after a step (--no-verify).
const integrate = (f: ClusterFixture, config = f.configPath) => ['run', '--yes', '--no-verify', '-c', config, '-p', f.packages[1]!.path];

describe("never delete a live installer's directory", () => {
	it('a wizard killed with kill -9 while its installer runs on: run --yes --cleanup refuses, naming the installer, and deletes nothing', async () => {
		const f = await fixture(2000);
		const wizard = await started([process.execPath, cliPath, ...integrate(f)], f, /pid (\d+)\)\n[\s\S]*\[Info]: unpacking/);
		const installerPid = Number(wizard.match[1]);
		groups.push(installerPid);
		expect(existsSync(target(f))).toBe(true);
		process.kill(wizard.child.pid!, 'SIGKILL');
		await new Promise(resolve => {
			wizard.child.once('exit', resolve);
		});
		expect(alive(installerPid)).toBe(true);

		const second = await cli(f, [...integrate(f), '--cleanup']);
		expect(second.code).toBe(3);
		expect(second.stdout + second.stderr).toContain(
			`The installer (pid ${installerPid}) started by an earlier addon-wizard (pid ${wizard.child.pid} of user ${userInfo().username}, no longer running)`,
		);
		expect(second.stdout).not.toMatch(/removed .*addon-offline-target-package/);
		expect(existsSync(target(f))).toBe(true);
		expect(alive(installerPid)).toBe(true);
	}, 90_000);

	it("an installer started by hand: --cleanup and the Result's r both refuse, naming its pid, and leave its directory", async () => {
		const f = await fixture(2000);
		const installer = await started(
			[path.join(f.home, 'dce5-installer'), 'import', '-addon', '-c', f.configPath, `--addon-path=${f.packages[1]!.path}`],
			f,
			/\[Info]: unpacking/,
		);
		const pid = installer.child.pid!;
		expect(existsSync(target(f))).toBe(true);

		const run = await cli(f, [...integrate(f), '--cleanup']);
		expect(run.code).toBe(3);
		// Found among the host's processes when the run takes its locks, before anything is removed.
		expect(run.stdout + run.stderr).toContain(
			`An installer is already running where this run would: pid ${pid} of user ${userInfo().username} (works in ${f.workdir})`,
		);
		expect(run.stdout + run.stderr).toContain(`kill -INT -${pid}`);
		expect(run.stdout).not.toMatch(/step integrate-arm64/);

		// The Result's r goes through the same port.
		const options = parsed([...integrate(f)]);
		const context = await compose(options, environmentFor({cwd: f.workdir, env: f.env}), {
			stdout: () => undefined,
			stderr: () => undefined,
		}).cluster();
		if ('exitCode' in context) {
			throw new Error(context.message);
		}

		const step = {
			id: 'integrate-arm64-1',
			kind: 'import-addon' as const,
			title: 'x',
			packagePath: f.packages[1]!.path,
			argv: [path.join(f.home, 'dce5-installer')],
			cwd: f.workdir,
			expectedBytes: 0,
			expectedCharts: 0,
			expectedImages: 0,
		};
		const refused = await context.ports.cleanupLeftover(step, {packages: [step.packagePath]});
		expect(refused).toMatchObject({kind: 'installer-running', exitCode: 3});
		// Named by its pid, found by where it runs or by the files it holds open there, whichever is seen first.
		expect('message' in refused && refused.message).toMatch(
			new RegExp(`\\(pid ${pid}, (runs in ${f.workdir.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')}|has files open in it)\\)`),
		);
		expect(existsSync(target(f))).toBe(true);
		expect(alive(pid)).toBe(true);
	}, 90_000);

	it("two wizards with different configs in one working directory: the second is refused, naming the first, and its installer's directory stays", async () => {
		const f = await fixture(1500);
		const otherConfig = path.join(f.root, 'other', 'clusterConfig.yaml');
		await mkdir(path.dirname(otherConfig), {recursive: true});
		await copyFile(f.configPath, otherConfig);
		await copyFile(path.join(path.dirname(f.configPath), 'manifest.yaml'), path.join(path.dirname(otherConfig), 'manifest.yaml'));

		const first = await started([process.execPath, cliPath, ...integrate(f)], f, /\[Info]: unpacking/);
		expect(existsSync(target(f))).toBe(true);
		const second = await cli(f, [...integrate(f, otherConfig), '--cleanup', '--workdir', f.workdir], f.root);
		expect(second.code).toBe(3);
		expect(second.stderr).toContain(
			`Another addon-wizard is already running in the working directory ${f.workdir} (against ${f.configPath})`,
		);
		expect(second.stderr).toContain(`pid ${first.child.pid}`);
		expect(existsSync(target(f))).toBe(true);

		// The first run is untouched by the second and ends as it would have.
		const code = await new Promise<number | null>(resolve => {
			first.child.once('exit', resolve);
		});
		expect(code).toBe(0);
		expect(first.output()).toContain('import finished');
	}, 120_000);
});
