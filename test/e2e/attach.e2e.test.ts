// Coming back to a run: after the terminal dropped mid-run (the tmux session killed under the
// wizard), `attach` shows what a never-dropped view would: progress that never goes backwards,
// the disk line kept, and an end screen that agrees with the log. `d` leaves the view on purpose
// and the installer runs on; `u` on the Result puts clusterConfig.yaml back. The built CLI in real
// terminals, against the installer simulator.
import {execFile} from 'node:child_process';
import {chmod, mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {setTimeout as delay} from 'node:timers/promises';
import {promisify} from 'node:util';
import {describe, expect, it} from 'vitest';
import {cliPath, type ClusterFixture} from '../helpers/cluster-fixture.js';
import {e2eScratch, flat} from '../helpers/e2e-scratch.js';
import type {TmuxSession} from '../helpers/tmux.js';

const run = promisify(execFile);
const version = 'v0.13.9';
// The installers these tests leave running (a detached run, a dropped terminal) die with the fixture.
const {fixture, tmux} = e2eScratch({beforeStop: killSimulators});

async function simulatorPids(f: ClusterFixture): Promise<number[]> {
	const {stdout} = await run('ps', ['-ww', '-eo', 'pid=,args=']);
	return stdout
		.split('\n')
		.filter(line => line.includes(path.join(f.root, 'home')))
		.map(line => Number(line.trim().split(' ')[0]));
}

async function killSimulators(f: ClusterFixture): Promise<void> {
	for (const pid of await simulatorPids(f)) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			// Gone already.
		}
	}
}

async function terminal(f: ClusterFixture, args: string[], env: Record<string, string> = {}): Promise<TmuxSession> {
	// No registry stands behind these fixtures: nothing to read back after a step (--no-verify).
	return tmux({argv: [process.execPath, cliPath, ...args, '--no-verify'], cwd: f.workdir, env: {...f.env, ...env}, columns: 100, rows: 32});
}

/** The percentages of the Run screen's bars, top to bottom (unpack, import). */
function bars(screen: string): number[] {
	return screen
		.split('\n')
		.filter(line => /[█░]{10,} \d+%$/.test(line))
		.map(line => Number(/(\d+)%$/.exec(line)![1]));
}

const diskLine = /^disk \S+: [\d.]+ [KMGT]?B free/m;

/** Reads the screen until `done` holds, keeping every distinct frame seen on the way. */
async function watch(session: TmuxSession, done: (screen: string) => boolean, timeoutMs = 60_000): Promise<string[]> {
	const frames: string[] = [];
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const screen = await session.capture();
		if (screen !== frames.at(-1)) {
			frames.push(screen);
		}

		if (done(screen)) {
			return frames;
		}

		if (Date.now() > deadline) {
			throw new Error(`Timed out. Last screen:\n${screen}`);
		}

		await delay(120);
	}
}

/** Every bar, frame after frame, never lower than it was. */
function expectNeverBackwards(frames: string[]): void {
	let last: number[] = [];
	for (const frame of frames) {
		const now = bars(frame);
		if (now.length === 0) {
			continue;
		}

		for (const [index, value] of now.entries()) {
			expect(value, `bar ${index} went from ${last[index]}% to ${value}% in:\n${frame}`).toBeGreaterThanOrEqual(last[index] ?? 0);
		}

		last = now;
	}
}

const logEnd = async (f: ClusterFixture) => {
	const logs = path.join(f.root, 'state', 'addon-wizard', 'logs');
	const {stdout} = await run('sh', ['-c', `cat "${logs}"/*.log`]);
	return /run ended: (\w+)/.exec(stdout)?.[1];
};

describe('attach after the terminal dropped mid-run', () => {
	it('shows the run live with progress that never goes backwards and the disk line kept, then the same end as the log', async () => {
		const f = await fixture({packages: [{version, arch: 'amd64'}], simulatorEnv: {DCE5_SIM_DELAY_MS: '500'}});
		const first = await terminal(f, ['-c', f.configPath, '-p', f.packages[0]!.path, '--yes']);
		const before = await watch(first, screen => bars(screen).length === 2 && diskLine.test(screen) && screen.includes('[Info]: Step 4/13'));
		// The SSH session drops: the terminal closes under the wizard.
		await first.kill();
		expect(await simulatorPids(f)).not.toEqual([]);

		const second = await terminal(f, ['attach', '-c', f.configPath]);
		const after = await watch(second, screen => screen.includes('RESULT'));
		const live = after.filter(frame => frame.includes('RUN') && bars(frame).length > 0);
		expect(live.length, 'attach shows the run while it is still going').toBeGreaterThan(0);
		expectNeverBackwards([...before, ...after]);
		for (const frame of live) {
			expect(frame, 'the disk line stays on the re-attached view').toMatch(diskLine);
		}

		const end = after.at(-1)!;
		expect(await logEnd(f)).toBe('ok');
		expect(end).toContain('Done in');
		expect(end).not.toContain('✘');
		expect(flat(end)).toContain('(installer reported: 3 charts synced, 3 images pushed)');
		await second.sendKeys('q');
		expect(await second.waitForExit()).toBe(0);
	}, 120_000);

	it('after a failure, the re-attached end screen says failed, as the log does, never Done', async () => {
		const f = await fixture({
			packages: [{version, arch: 'amd64'}],
			simulatorEnv: {DCE5_SIM_DELAY_MS: '500', DCE5_SIM_DISK_BUDGET: '20000'},
		});
		const first = await terminal(f, ['-c', f.configPath, '-p', f.packages[0]!.path, '--yes']);
		await watch(first, screen => screen.includes('[Info]: Step 3/13'));
		await first.kill();

		const second = await terminal(f, ['attach', '-c', f.configPath]);
		const frames = await watch(second, screen => screen.includes('RESULT'));
		expectNeverBackwards(frames);
		const end = frames.at(-1)!;
		expect(await logEnd(f)).toBe('failed');
		expect(end).toMatch(/✘ Failed after/);
		expect(end).not.toContain('Done in');
		expect(end).toMatch(/^✘ 1\. /m);
		expect(flat(end)).toContain('The installer ran out of space while writing');
		await second.sendKeys('q');
		expect(await second.waitForExit()).toBe(4);
	}, 120_000);
});

describe('d leaves the view and keeps the installer running', () => {
	it('ends the screens with how to come back; the installer goes on; attach shows it live and then its end', async () => {
		const f = await fixture({packages: [{version, arch: 'amd64'}], simulatorEnv: {DCE5_SIM_DELAY_MS: '600'}});
		const first = await terminal(f, ['-c', f.configPath, '-p', f.packages[0]!.path, '--yes']);
		await watch(first, screen => screen.includes('[Info]: Step 2/13') && screen.includes('d detach (it keeps running)'));
		await first.sendKeys('d');
		const left = await first.waitFor('[exit:0]', 20_000);
		expect(flat(left)).toMatch(
			/Left the view\. The installer \(pid \d+\) keeps running in its own process group; it does not need this terminal\./,
		);
		expect(flat(left)).toContain(`Come back to it with: addon-wizard attach -c ${f.configPath}`);
		expect(await simulatorPids(f)).not.toEqual([]);

		const second = await terminal(f, ['attach', '-c', f.configPath]);
		const frames = await watch(second, screen => screen.includes('RESULT'));
		expect(frames.some(frame => frame.includes('RUN') && frame.includes('[Info]: Step'))).toBe(true);
		expectNeverBackwards(frames);
		const end = flat(frames.at(-1)!);
		expect(end).toContain('how the installer ended was not recorded');
		expect(end).toContain('the view was left (d) while it ran');
		expect(end).toContain('addon-offline-target-package is gone, which is what a successful step leaves');
		expect(end).not.toContain('Done in');
		expect(await readFile(f.configPath, 'utf8')).toContain(f.packages[0]!.path);
	}, 120_000);
});

describe('u puts clusterConfig.yaml back after a failed step', () => {
	it('offers u on the Result, restores the file the run changed, and says where the replaced text is kept', async () => {
		const f = await fixture({packages: [{version, arch: 'amd64'}]});
		const dir = path.join(f.home, 'failing');
		await mkdir(dir, {recursive: true});
		const installer = path.join(dir, 'dce5-installer');
		await writeFile(
			installer,
			'#!/bin/sh\necho "[Error]:[Error] invalid ClusterConfig: maybe the binaries.externalRepoURLs cannot be connected, return code: 404" >&2\nexit 1\n',
		);
		await chmod(installer, 0o755);
		const before = await readFile(f.configPath, 'utf8');

		const session = await terminal(f, ['-c', f.configPath, '-p', f.packages[0]!.path, '--yes', '--installer', installer]);
		const failed = await session.waitFor('Failed after', 30_000);
		expect(flat(failed)).toContain('u puts clusterConfig.yaml back as it was before this run');
		expect(await readFile(f.configPath, 'utf8')).not.toBe(before);

		await session.sendKeys('u');
		const restored = flat(await session.waitFor('is back', 20_000));
		expect(restored).toMatch(
			/clusterConfig\.yaml is back as it was before this run; what the run had written is kept as \S+clusterConfig\.yaml\.bak-\d{8}-\d{6}(-\d+)?\./,
		);
		expect(await readFile(f.configPath, 'utf8')).toBe(before);
		await session.sendKeys('q');
		expect(await session.waitForExit()).toBe(4);
	}, 60_000);
});
