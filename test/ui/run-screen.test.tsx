// The Run screen fed by a fake run: the events an installer run reports are emitted by hand,
// and what stop() receives is recorded.
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import type {DiskSample, RunEvent, RunProgress} from '../../source/domain/run/run-events.js';
import {frameLines, keys, makePlan, onRun, unwrap, waitUntil, type FakeRun} from '../helpers/fake-ports.js';

afterEach(() => {
	cleanup();
});

const plan = makePlan();
const stepStart = (index: number): RunEvent => ({
	type: 'step-start',
	at: Date.now(),
	stepId: `step-${index + 1}`,
	argv: plan.steps[index]!.argv,
	cwd: '/root/work',
});
const stepEnd = (index: number, exitCode: number): RunEvent => ({type: 'step-end', at: Date.now(), stepId: `step-${index + 1}`, exitCode});
const output = (line: string, stream: 'stdout' | 'stderr' = 'stdout'): RunEvent => ({
	type: 'output',
	at: Date.now(),
	stepId: 'step-1',
	stream,
	line,
});
const disk = (level: DiskSample['level'], freeBytes: number): RunEvent => ({
	type: 'disk',
	at: Date.now(),
	samples: [{path: '/root/work', freeBytes, level}],
});
const progress = (value: RunProgress): RunEvent => ({type: 'progress', at: Date.now(), stepId: 'step-1', progress: value});

function started(run: FakeRun, secondsAgo = 0): RunEvent {
	return {
		type: 'run-start',
		at: Date.now() - secondsAgo * 1000,
		logPath: run.logPath,
		steps: plan.steps.map(({id, title, argv}) => ({id, title, argv})),
	};
}

const footer = (frame: string) => frameLines(frame).filter(Boolean).at(-1) ?? '';

describe('Run: how far the installer has got', () => {
	it('shows the steps, a progress bar with counts, the newest output lines, elapsed time and the log path', async () => {
		const {harness, run} = await onRun(plan);
		expect(harness.frame()).toContain('Starting the installer');
		expect(harness.frame()).toContain('/var/log/addon-wizard/run-1.log');

		run.emit(
			started(run, 125),
			stepStart(0),
			progress({
				unpackedBytes: 5_000_000_000,
				expectedBytes: 10_000_000_000,
				chartsSeen: 1,
				expectedCharts: 3,
				imagesSeen: 2,
				expectedImages: 10,
			}),
			output('unpacking addon-offline-full-package-v0.11.0-amd64.tar.gz'),
			output('push release.daocloud.io/kpanda/kpanda:v0.28.0'),
			output('\u001B[31mwarning: slow registry\u001B[0m', 'stderr'),
		);
		const frame = await harness.waitForFrame('images 2/10');
		const lines = frameLines(frame);

		expect(lines).toContain(`▶ 1. ${plan.steps[0]!.title}`);
		expect(lines).toContain(`· 2. ${plan.steps[1]!.title}`);
		// Two bars, each honest about its own phase: half the bytes are on disk; 3 of 13 charts and images are named.
		expect(lines).toContain(`unpack ${'█'.repeat(25)}${'░'.repeat(25)} 50%`);
		expect(lines).toContain(`import ${'█'.repeat(12)}${'░'.repeat(38)} 23%`);
		expect(frame).toMatch(/5\.00 GB of 10\.0 GB unpacked . charts 1\/3 . images 2\/10/);
		expect(frame).toMatch(/elapsed 2:0[4-7]/);
		expect(unwrap(frame)).toContain('/var/log/addon-wizard/run-1.log');
		const heading = lines.indexOf('Installer output (last 3 of 3 lines):');
		expect(heading).toBeGreaterThan(0);
		expect(lines.slice(heading + 1, heading + 4)).toEqual([
			'unpacking addon-offline-full-package-v0.11.0-amd64.tar.gz',
			'push release.daocloud.io/kpanda/kpanda:v0.28.0',
			'warning: slow registry',
		]);

		run.emit(stepEnd(0, 0), stepStart(1));
		const next = await harness.waitForFrame(`▶ 2. ${plan.steps[1]!.title}`);
		expect(frameLines(next)).toContain(`✔ 1. ${plan.steps[0]!.title}`);
	});

	it('keeps the frame within the terminal when 50,000 output lines arrive at once, showing the newest', async () => {
		const {harness, run} = await onRun(plan);
		run.emit(started(run), stepStart(0));
		for (let index = 1; index <= 50_000; index++) {
			run.emit(output(`output line ${index}`));
		}

		const frame = await harness.waitForFrame('of 50000 lines');
		const lines = frameLines(frame);
		expect(lines.length).toBeLessThan(24);
		expect(lines.at(-3)).toBe('output line 50000');
		expect(frame).not.toContain('output line 49000');
		expect(Math.max(...lines.map(line => line.length))).toBeLessThanOrEqual(80);
	});

	it('goes to Result when the run is over', async () => {
		const {harness, run} = await onRun(plan);
		run.emit(started(run), stepStart(0), stepEnd(0, 0), stepStart(1), stepEnd(1, 0));
		run.finish({ok: true});

		await harness.waitForFrame('RESULT');
	});
});

describe('Run: the disk', () => {
	it('warns when a disk runs low, without offering to stop', async () => {
		const {harness, run} = await onRun(plan);
		run.emit(started(run), stepStart(0), disk('low', 1_200_000_000));

		const frame = await harness.waitForFrame('running low');
		expect(unwrap(frame)).toContain('disk /root/work: 1.20 GB free ⚠ running low');
		expect(footer(frame)).not.toContain('s stop');
	});

	it('offers s to stop when a disk is almost full, and s stops the installer at once', async () => {
		const {harness, run} = await onRun(plan, {graceSeconds: 7});
		run.emit(started(run), stepStart(0), disk('critical', 150_000_000));

		let frame = await harness.waitForFrame('almost full');
		expect(unwrap(frame)).toContain('disk /root/work: 150.0 MB free ✘ almost full: press s to stop the installer before it fails');
		expect(footer(frame)).toContain('s stop now (disk almost full)');
		expect(run.stops).toEqual([]);

		frame = await harness.pressAndWait('s', 'Stopping the installer');
		expect(unwrap(frame)).toContain('Stopping the installer (SIGINT, then SIGTERM, then SIGKILL after 7s)');
		await expect.poll(() => run.stops).toEqual(['disk-floor']);
		expect(footer(frame)).not.toContain('s stop');
	});
});

describe('Run: stopping', () => {
	it('asks before stopping on q, and n keeps the installer running', async () => {
		const {harness, run} = await onRun(plan);
		run.emit(started(run), stepStart(0));

		let frame = await harness.pressAndWait('q', 'Stop the installer?');
		expect(unwrap(frame)).toContain('Stop the installer? Its partial unpack stays for cleanup. y stops it, n keeps it running.');
		expect(footer(frame)).toContain('y yes, stop it');
		expect(footer(frame)).toContain('n/esc keep running');

		frame = await harness.pressAndWait('n', current => !current.includes('Stop the installer?'));
		expect(footer(frame)).toContain('q/ctrl+c stop the installer');

		await harness.pressAndWait(keys.ctrlC, 'Stop the installer?');
		await harness.pressAndWait(keys.escape, current => !current.includes('Stop the installer?'));
		expect(run.stops).toEqual([]);
		expect(harness.exitCodes).toEqual([]);
	});

	it('stops the installer on q then y, saying how it stops it', async () => {
		const {harness, run} = await onRun(plan);
		run.emit(started(run), stepStart(0));
		await harness.pressAndWait('q', 'Stop the installer?');

		const frame = await harness.pressAndWait('y', 'Stopping the installer');
		expect(unwrap(frame)).toContain('Stopping the installer (SIGINT, then SIGTERM, then SIGKILL after 10s)');
		await expect.poll(() => run.stops).toEqual(['user']);
		expect(harness.exitCodes).toEqual([]);
		expect(harness.frame()).toContain('RUN');
	});
});

describe('Run: the counts never run ahead, and the pace once it is known', () => {
	it('shows import 15% (not 57%) at charts 3/20 after a full unpack, and "more than expected" instead of 8/5', async () => {
		const {harness, run} = await onRun(plan);
		run.emit(
			started(run),
			stepStart(0),
			progress({
				unpackedBytes: 10_000_000_000,
				expectedBytes: 10_000_000_000,
				chartsSeen: 3,
				expectedCharts: 20,
				imagesSeen: 3,
				expectedImages: 20,
			}),
		);
		let frame = await harness.waitForFrame('charts 3/20');
		expect(frame).toMatch(/^unpack █+ 100%$/m);
		expect(frame).toMatch(/^import .* 15%$/m);

		run.emit(
			progress({unpackedBytes: 716_800, expectedBytes: 624_600, chartsSeen: 8, expectedCharts: 5, imagesSeen: 5, expectedImages: 5}),
		);
		frame = await harness.waitForFrame('charts 8 (5 expected)');
		expect(unwrap(frame)).toContain('716.8 KB unpacked (more than the 624.6 KB expected) · charts 8 (5 expected) · images 5/5');
		expect(frame).not.toContain('8/5');
		expect(frame).toMatch(/^import █+ 100%$/m);
	});

	it('adds a rate and the time left once progress has moved for a while', async () => {
		const {harness, run} = await onRun(plan);
		const now = Date.now();
		run.emit(started(run, 60), stepStart(0));
		for (let second = 0; second <= 30; second++) {
			run.emit({
				type: 'progress',
				at: now - 30_000 + second * 1000,
				stepId: 'step-1',
				progress: {
					unpackedBytes: second * 100_000_000,
					expectedBytes: 10_000_000_000,
					chartsSeen: 0,
					expectedCharts: 3,
					imagesSeen: 0,
					expectedImages: 10,
				},
			});
		}

		const frame = await harness.waitForFrame('MB/s').catch(async () => {
			throw new Error(harness.frame());
		});
		expect(unwrap(frame)).toMatch(/unpacking (99\.\d|10\d\.\d) MB\/s · unpack done in about 1:[01]\d/);
	});
});

describe('Run: a silent installer and one that leaves processes behind', () => {
	it('says how long the installer has been silent, and forgets it at the next line', async () => {
		const {harness, run} = await onRun(plan);
		run.emit(started(run, 600), stepStart(0), {type: 'silent', at: Date.now(), stepId: 'step-1', since: Date.now() - 432_000});
		const frame = await harness.waitForFrame('No output from the installer');
		expect(unwrap(frame)).toMatch(/No output from the installer for 7:1\d\. It may still be working/);

		run.emit(output('[Info]: still here'));
		await harness.waitForFrame(current => current.includes('still here') && !current.includes('No output from the installer'));
	});

	it('names the processes left running after the installer exited, offers to stop them after a grace, and keeps the step running', async () => {
		const {harness, run} = await onRun(plan);
		const processes = [
			{pid: 4242, command: 'sleep'},
			{pid: 4243, command: 'skopeo'},
		];
		run.emit(started(run), stepStart(0), {type: 'lingering', at: Date.now(), stepId: 'step-1', leaderPid: 4200, exitCode: 0, processes});
		let frame = await harness.waitForFrame('still run');
		expect(unwrap(frame)).toContain(
			'The installer (pid 4200) exited with status 0, but 2 processes it started still run: sleep (pid 4242), skopeo (pid 4243). Their output is followed; the step ends when they do.',
		);
		expect(unwrap(frame)).not.toContain('q stops them');
		expect(frameLines(frame)).toContain(`▶ 1. ${plan.steps[0]!.title}`);

		// A minute later the choice is offered.
		run.emit({type: 'lingering', at: Date.now() - 61_000, stepId: 'step-1', leaderPid: 4200, exitCode: 0, processes: [processes[0]!]});
		run.emit({type: 'lingering', at: Date.now(), stepId: 'step-1', leaderPid: 4200, exitCode: 0, processes: []});
		frame = await harness.waitForFrame(current => !current.includes('still run'));
		run.emit({type: 'lingering', at: Date.now() - 61_000, stepId: 'step-1', leaderPid: 4200, exitCode: 0, processes});
		frame = await harness.waitForFrame('q stops them');
		expect(unwrap(frame)).toMatch(/They have run 1:0\d since; q stops them and ends the step\./);
	});
});

describe('Run: d leaves the view and keeps the installer running', () => {
	it('ends the screens with how to come back, lets go of the stream and never stops the installer', async () => {
		const {harness, run} = await onRun(plan);
		run.emit(started(run), {
			type: 'step-start',
			at: Date.now(),
			stepId: 'step-1',
			argv: plan.steps[0]!.argv,
			cwd: '/root/work',
			pid: 31337,
		});
		await harness.waitForFrame(frame => footer(frame).includes('d detach (it keeps running)') && frame.includes('unpack'));

		// The farewell frame is the last one the wizard draws before it lets go: look at every frame
		// drawn since d, not only the newest, which a busy machine may already have moved past.
		const from = harness.frames().length;
		harness.press('d');
		const frame = await waitUntil(
			() =>
				harness
					.frames()
					.slice(from)
					.find(drawn => drawn.includes('Left the view')),
			'the frame after d',
			10_000,
		);
		expect(unwrap(frame)).toContain(
			'Left the view. The installer (pid 31337) keeps running in its own process group; it does not need this terminal.',
		);
		expect(unwrap(frame)).toContain(`Come back to it with: addon-wizard attach -c ${plan.cluster.path}`);
		await expect.poll(() => harness.exitCodes).toEqual([0]);
		await expect.poll(() => run.detached()).toBe(true);
		// Unmounted, nothing of the wizard is left to run: any stop it was going to ask for has been asked.
		harness.unmount();
		expect(run.stops).toEqual([]);
	});

	it('is not offered while asking to stop or while stopping', async () => {
		const {harness, run} = await onRun(plan);
		run.emit(started(run), stepStart(0));
		const asking = await harness.pressAndWait('q', 'Stop the installer?');
		expect(footer(asking)).not.toContain('d detach');
		harness.press('d');
		// n is handled after d, and only while the wizard still runs: its frame (the question gone,
		// d offered again) shows d left the wizard where it was.
		const kept = await harness.pressAndWait('n', frame => !frame.includes('Stop the installer?'));
		expect(footer(kept)).toContain('d detach (it keeps running)');
		expect(harness.exitCodes).toEqual([]);
		expect(run.detached()).toBe(false);
	});
});
