// The built CLI in a real terminal (tmux), against generated packages and the installer
// simulator, driven the way an operator drives it: key bursts, 80×24, failures and retries.
import {execFile} from 'node:child_process';
import {existsSync, statSync} from 'node:fs';
import {mkdir, mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {promisify} from 'node:util';
import {describe, expect, it} from 'vitest';
import {defaultCharts} from '../helpers/build-package.js';
import {cliPath, type ClusterFixture} from '../helpers/cluster-fixture.js';
import {e2eScratch, expectFits, flat, settleKeys} from '../helpers/e2e-scratch.js';
import type {TmuxSession} from '../helpers/tmux.js';

const run = promisify(execFile);
const {fixture, tmux} = e2eScratch();

// Versions outside the published checksum table, so generated packages read as "no checksum".
const version = 'v0.13.9';

async function wizard(
	made: ClusterFixture,
	args: string[] = [],
	size = {columns: 80, rows: 24},
	env: Record<string, string> = {},
): Promise<TmuxSession> {
	return tmux({
		// No registry stands behind these fixtures: nothing to read back after a step (--no-verify).
		argv: [process.execPath, cliPath, '-c', made.configPath, '--search', made.packagesDir, '--no-verify', ...args],
		cwd: made.workdir,
		env: {...made.env, ...env},
		...size,
	});
}

/** Waits until every package has been read, so the list no longer changes under the keys. */
async function packagesRead(session: TmuxSession, count: number): Promise<string> {
	return session.waitFor(screen => (screen.match(/read ok, no checksum/g) ?? []).length === count);
}

/** The one package chosen, its import reviewed and confirmed: the installer is starting. */
async function startImport(session: TmuxSession): Promise<void> {
	await packagesRead(session, 1);
	await session.sendKeys('Space', 'Enter');
	await session.waitFor('Import:');
	await session.sendKeys('Enter');
	await session.waitFor('Run now?');
	await session.sendKeys('y');
}

async function simulatorProcesses(root: string): Promise<string[]> {
	const {stdout} = await run('ps', ['-ww', '-eo', 'pid=,args=']);
	// The fixture links the simulator in as $HOME/dce5-installer, as the real one would lie there.
	return stdout.split('\n').filter(line => line.includes(path.join(root, 'home', 'dce5-installer')));
}

describe('the wizard in a real terminal', () => {
	it('imports one package into a cluster that has none, in 80×24, with a key burst', async () => {
		const made = await fixture({packages: [{version, arch: 'amd64'}], simulatorEnv: {DCE5_SIM_DELAY_MS: '5'}});
		const session = await wizard(made);
		expectFits(await packagesRead(session, 1), 80, 24);

		await session.sendKeys('Space', 'Enter');
		const review = await session.waitFor('Import: clusterConfig.yaml names no addon package yet');
		expect(review).toContain('Disk space');
		expectFits(review, 80, 24);

		await session.sendKeys('Enter');
		const confirm = await session.waitFor('Run now?');
		expect(confirm).toContain('cluster-create -c');
		expect(confirm).toContain('-d -j13');

		await session.sendKeys('y');
		const result = await session.waitFor('Done in', 30_000);
		expect(result).toContain('Done in');
		// No registry was read back (--no-verify): nothing is counted as done, and the installer's own
		// account is labelled as its own, never taken for what the registry holds.
		expect(flat(result)).toContain(
			'1 step from 1 package. Images and charts: not counted, the registry was not read back: you chose not to check (--no-verify). (installer reported: 3 charts synced, 3 images pushed)',
		);
		expectFits(result, 80, 24);

		await session.sendKeys('q');
		expect(await session.waitForExit()).toBe(0);
		const config = await readFile(made.configPath, 'utf8');
		expect(config).toMatch(new RegExp(`^    path: "?${made.packages[0]!.path}"?$`, 'm'));
		expect(config).toContain('# Offline resources');
		const backups = (await readdir(path.dirname(made.configPath))).filter(
			name => name.startsWith('clusterConfig.yaml.') && name !== 'clusterConfig.yaml',
		);
		expect(backups).toHaveLength(1);
		const logs = await readdir(path.join(made.root, 'state', 'addon-wizard', 'logs'));
		expect(logs).toHaveLength(1);
		expect(statSync(path.join(made.root, 'state', 'addon-wizard', 'logs', logs[0]!)).mode & 0o777).toBe(0o600);
		expect(existsSync(path.join(made.workdir, 'addon-offline-target-package'))).toBe(false);
	});

	it('runs straight through with --package and --yes, leaving the Result on the terminal', async () => {
		const made = await fixture({packages: [{version, arch: 'amd64'}], simulatorEnv: {DCE5_SIM_DELAY_MS: '5'}});
		const session = await wizard(made, ['-p', made.packages[0]!.path, '--yes']);
		expect(await session.waitForExit(30_000)).toBe(0);
		const screen = await session.capture();
		expect(screen).toContain('Done in');
		expect(screen).not.toContain('Run now?');
	});

	it('integrates a second architecture with import -addon (Down Space Enter in one burst)', async () => {
		const made = await fixture({
			packages: [
				{version, arch: 'amd64'},
				{version, arch: 'arm64'},
			],
			current: 0,
			simulatorEnv: {DCE5_SIM_DELAY_MS: '5'},
		});
		const configBefore = await readFile(made.configPath, 'utf8');
		const session = await wizard(made, [], {columns: 120, rows: 40});
		await packagesRead(session, 2);

		await session.sendKeys('Down', 'Space', 'Enter');
		const review = await session.waitFor('Multi-arch integration');
		expect(review).toContain('you chose v0.13.9 (arm64)');
		// Below the Registry section, which says the builtin registry could not be read here.
		await session.sendKeys('PageDown');
		expect(await session.waitFor('Images that will carry several architectures: 3')).toContain('not checked against the registry');
		await session.sendKeys('PageUp');

		await session.sendKeys('Enter');
		const confirm = await session.waitFor('Run now?');
		// As pasted into a shell: the ` \` continuations join the command back into one line.
		expect(flat(confirm).replaceAll(' \\ ', ' ')).toContain(`import -addon -c ${made.configPath} --addon-path=${made.packages[1]!.path}`);
		expect(confirm).not.toContain('cluster-create');

		await session.sendKeys('y');
		await session.waitFor('Done in', 30_000);
		await session.sendKeys('q');
		expect(await session.waitForExit()).toBe(0);
		// Integration leaves clusterConfig.yaml alone.
		expect(await readFile(made.configPath, 'utf8')).toBe(configBefore);
	});

	it('names a leftover addon-offline-target-package, removes it with r after showing its size, and the retry succeeds', async () => {
		// A real leftover: the import fails half-way (a registry space Harbor lacks) and leaves its unpack.
		// The plan cannot ask Harbor here (--registry names a closed port), or it would block on the space first.
		const made = await fixture({
			packages: [{version, arch: 'amd64'}],
			testBed: {harbor: {projects: ['docker.m.daocloud.io']}},
			simulatorEnv: {DCE5_SIM_DELAY_MS: '5'},
		});
		const session = await wizard(made, ['--registry', 'http://127.0.0.1:1']);
		await startImport(session);
		const failed = await session.waitFor('Failed after', 30_000);
		expect(failed).toContain('r clean up and retry');
		const leftover = path.join(made.workdir, 'addon-offline-target-package');
		expect(existsSync(leftover)).toBe(true);

		// The operator creates the project, as the failure said, then retries.
		expect(await made.testBed!.harbor!.createProject('release.daocloud.io')).toBe(201);
		await session.sendKeys('r');
		const ask = await session.waitFor(/Remove .*addon-offline-target-package \([\d.]+ KB\)/s);
		expect(ask).toContain('y removes it, n keeps it');
		await session.sendKeys('y');
		const done = await session.waitFor('Done in', 30_000);
		expect(flat(done)).toMatch(/removed \S*addon-offline-target-package \([\d.]+ KB freed\)/);
		await session.sendKeys('q');
		expect(await session.waitForExit()).toBe(0);
		expect(existsSync(leftover)).toBe(false);
	});

	it('fails on a registry space the registry lacks, names it and says how to create it', async () => {
		const made = await fixture({
			packages: [{version, arch: 'amd64'}],
			// Harbor's stand-in has only this project, so it refuses the push into release.daocloud.io.
			testBed: {harbor: {projects: ['docker.m.daocloud.io']}},
			simulatorEnv: {DCE5_SIM_DELAY_MS: '5'},
		});
		// The run's own diagnosis of the refused push: the plan cannot ask Harbor first (a closed port).
		const session = await wizard(made, ['--registry', 'http://127.0.0.1:1'], {columns: 120, rows: 40});
		await packagesRead(session, 1);
		await session.sendKeys('Space', 'Enter');
		await session.waitFor('Import:');
		// Review -> Confirm -> Run in one burst: each key is applied to the screen the one before it opened.
		await session.sendKeys('Enter', 'y');
		const failed = await session.waitFor('Failed after', 30_000);
		expect(flat(failed)).toContain('Cause: Registry space "release.daocloud.io" does not exist');
		expect(flat(failed)).toMatch(/Next: Create the project "release\.daocloud\.io"/);
		await session.sendKeys('q');
		expect(await session.waitForExit()).toBe(4);
	});

	it('asks before stopping the installer on Ctrl+C, then stops it and leaves no process behind', async () => {
		const made = await fixture({packages: [{version, arch: 'amd64'}], simulatorEnv: {DCE5_SIM_DELAY_MS: '2000', DCE5_SIM_HELPER: '1'}});
		const session = await wizard(made, ['--stop-grace', '1']);
		await startImport(session);
		await session.waitFor('[Info]: ');
		expect(await simulatorProcesses(made.root)).not.toEqual([]);

		await session.sendKeys('C-c');
		await session.waitFor('Stop the installer?');
		await session.sendKeys('n');
		await session.waitFor(screen => !screen.includes('Stop the installer?'));
		await session.sendKeys('C-c');
		await session.waitFor('Stop the installer?');
		await session.sendKeys('y');
		const stopped = await session.waitFor('Stopped after', 30_000);
		expect(stopped).toContain('r clean up and retry');
		await session.sendKeys('q');
		expect(await session.waitForExit()).toBe(130);
		expect(await simulatorProcesses(made.root)).toEqual([]);
	});

	it('warns while the disk is under the floor and stops the installer with s before it fills', async () => {
		const made = await fixture({packages: [{version, arch: 'amd64'}], simulatorEnv: {DCE5_SIM_DELAY_MS: '1500'}});
		// A floor above any real free space puts the watched filesystem at "critical" at once.
		const session = await wizard(made, ['--disk-floor', '1000T', '--stop-grace', '1']);
		await startImport(session);
		const warned = await session.waitFor('almost full: press s');
		expect(warned).toContain(`disk ${made.workdir}`);
		expect(warned).toContain('s stop now');

		await session.sendKeys('s');
		const result = await session.waitFor('Failed after', 30_000);
		expect(flat(result)).toContain('the disk was about to fill');
		await session.sendKeys('q');
		expect(await session.waitForExit()).toBe(4);
		expect(await simulatorProcesses(made.root)).toEqual([]);
	});

	it('says once, on the first screen, that SSH without tmux/screen is risky and how to come back', async () => {
		const made = await fixture({packages: [{version, arch: 'amd64'}]});
		// Inside this test's tmux pane TMUX is set; emptying it makes the pane look like a bare SSH login.
		const session = await wizard(made, [], {columns: 80, rows: 24}, {SSH_CONNECTION: '10.0.0.2 50000 10.0.0.9 22', TMUX: ''});
		const first = flat(await packagesRead(session, 1));
		expect(first).toContain('You are on SSH outside tmux/screen');
		expect(first).toContain('addon-wizard attach');
		await session.sendKeys('Down');
		await session.waitFor(screen => !screen.includes('outside tmux/screen'));
	});

	it('draws with ASCII only on the Linux console and in the C locale, and without colour under NO_COLOR', async () => {
		const made = await fixture({packages: [{version, arch: 'amd64'}]});
		// CI=false (which Ink needs to draw live frames) turns chalk off unless FORCE_COLOR is set;
		// an empty FORCE_COLOR switches chalk on without asking for colour, so NO_COLOR is what decides.
		const plain = await wizard(made, [], {columns: 80, rows: 24}, {TERM: 'linux', LANG: 'C', NO_COLOR: '1', FORCE_COLOR: ''});
		await packagesRead(plain, 1);
		await plain.sendKeys('Space');
		const screen = await plain.waitFor('[x]');
		expect(screen).toMatch(/^> \[x] v0\.13\.9/m);
		expect(screen).toMatch(/^[\x20-\x7E\n]*$/);
		expect(await plain.capture({escapes: true})).not.toMatch(/\u001B\[[\d;]*3\dm/);

		const colored = await wizard(made, [], {columns: 80, rows: 24}, {FORCE_COLOR: ''});
		await packagesRead(colored, 1);
		expect(await colored.capture({escapes: true})).toMatch(/\u001B\[[\d;]*3\dm/);
	});

	it('keeps the import running when the terminal goes away, and `attach` shows how it ended', async () => {
		const made = await fixture({packages: [{version, arch: 'amd64'}], simulatorEnv: {DCE5_SIM_DELAY_MS: '400'}});
		const first = await wizard(made);
		await startImport(first);
		await first.waitFor('[Info]: ');
		// The SSH session drops: the terminal closes under the wizard.
		await first.kill();
		expect(await simulatorProcesses(made.root)).not.toEqual([]);

		const second = await tmux({
			argv: [process.execPath, cliPath, 'attach', '-c', made.configPath],
			cwd: made.workdir,
			env: made.env,
			columns: 80,
			rows: 24,
		});
		const attached = await second.waitFor(/RUN|RESULT/);
		expect(attached).toMatch(/Import addon v0\.13\.9 \(amd64\)/);
		await second.waitFor('Done in', 60_000);
		await second.sendKeys('q');
		expect(await second.waitForExit()).toBe(0);
		expect(await readFile(made.configPath, 'utf8')).toContain(made.packages[0]!.path);
	});
});

// A filesystem too small for the unpack: a 64 KB tmpfs. Mounting needs root and CAP_SYS_ADMIN
// (CI and this project's containers have both); elsewhere the test is skipped, saying why.
async function tmpfsMountable(): Promise<boolean> {
	if (process.getuid?.() !== 0) {
		return false;
	}

	const probe = await mkdtemp(path.join(tmpdir(), 'addon-wizard-tmpfs-probe-'));
	const mounted = await run('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).then(
		() => true,
		() => false,
	);
	if (mounted) {
		await run('umount', [probe]);
	}

	await rm(probe, {recursive: true, force: true});
	return mounted;
}

const canMount = await tmpfsMountable();

describe('a disk too small for the package', () => {
	it.skipIf(!canMount)(
		'blocks at Review with the exact shortfall and never runs the installer (skipped where mount -t tmpfs is not permitted)',
		async () => {
			const made = await fixture({
				packages: [
					{
						version,
						arch: 'amd64',
						charts: defaultCharts('amd64').map(chart => ({...chart, images: chart.images.map(image => ({...image, layerBytes: 40_000}))})),
					},
				],
			});
			const small = path.join(made.root, 'small');
			await mkdir(small);
			await run('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', small]);
			try {
				const session = await wizard(made, ['--workdir', small], {columns: 100, rows: 30});
				await packagesRead(session, 1);
				await session.sendKeys('Space', 'Enter');
				const review = await session.waitFor('Disk space');
				expect(review).toMatch(/SHORT by [\d.]+ KB/);
				await session.sendKeys('PageDown', 'PageDown');
				const bottom = await session.waitFor('The plan is blocked');
				expect(bottom).not.toContain('enter continue');
				await session.sendKeys('Enter');
				const after = await settleKeys(session);
				expect(after).toContain('REVIEW');
				expect(after).not.toContain('Run now?');
				await session.sendKeys('q');
				expect(await session.waitForExit()).toBe(3);
				expect(await readdir(small)).toEqual([]);
			} finally {
				await run('umount', [small]).catch(() => undefined);
				await rm(small, {recursive: true, force: true});
			}
		},
	);
});
