// What holds on every screen: `?` explains the keys and esc closes it, and every frame of a
// whole session fits an 80×24 terminal, in ASCII too when the terminal cannot draw Unicode.
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import type {DiscoveredPackage} from '../../source/domain/packages/inspection.js';
import type {FailureCause, RunEvent} from '../../source/domain/run/run-events.js';
import type {Plan} from '../../source/domain/plan/plan.js';
import {
	amd64,
	arm64,
	createFakePorts,
	discoveredFrom,
	frameLines,
	keys,
	makePlan,
	makeStep,
	onConfirm,
	onPackages,
	onReview,
	onRun,
	renderWizard,
	type WizardHarness,
} from '../helpers/fake-ports.js';
import {settleKeys} from '../helpers/settle-keys.js';

afterEach(() => {
	cleanup();
});

const plan = makePlan({packages: [amd64]});
const stepStart = (index: number): RunEvent => ({
	type: 'step-start',
	at: Date.now(),
	stepId: `step-${index + 1}`,
	argv: [],
	cwd: '/root/work',
});
const unknown: Extract<FailureCause, {kind: 'unknown'}> = {
	kind: 'unknown',
	message: 'Installer exited with status 2.',
	hint: 'Read the last error lines below and the full log (press l), fix the cause, then press r.',
	lastErrors: ['[Error]: sync chart insight failed'],
};

async function onResult(): Promise<WizardHarness> {
	const {harness, run} = await onRun(plan);
	run.emit(stepStart(0), {type: 'step-end', at: Date.now(), stepId: 'step-1', exitCode: 2, failure: unknown});
	run.finish({ok: false, failedStepIndex: 0});
	await harness.waitForFrame('RESULT');
	return harness;
}

type Screen = {name: string; reach: () => Promise<WizardHarness>; shows: string; keys: string[]; absent?: string[]};

const screens: Screen[] = [
	{
		name: 'Packages',
		reach: async () => onPackages(),
		shows: 'Offline packages',
		keys: ['  up/k         move up', '  space        select', '  enter        continue', '  q            quit'],
	},
	{
		name: 'Review',
		reach: async () => onReview(plan, 'Disk space'),
		shows: 'Disk space',
		keys: ['  enter        continue', '  pgup/pgdn    scroll a page', '  d            charts', '  b/esc        back'],
		// Nothing to create and no leftover here: keys that would do nothing are not listed.
		absent: ['create registry spaces', 'remove or keep the leftover'],
	},
	{
		name: 'Confirm',
		reach: async () => onConfirm(plan),
		shows: 'Run now?',
		keys: ['  y            run', '  enter        never runs alone: press y', '  b/esc        back', '  q            quit'],
	},
	{
		name: 'Run',
		reach: async () => (await onRun(plan)).harness,
		shows: 'Installer output',
		keys: ['  q/ctrl+c     stop the installer', '  d            detach (it keeps running)'],
		// Nothing asked and the disk is fine: y and s do nothing now, so help leaves them out.
		absent: ['yes, stop it', 'stop now (disk almost full)'],
	},
	{
		name: 'Result',
		reach: onResult,
		shows: 'Cause:',
		keys: ['  r            clean up and retry', '  l            open the log', '  q            quit'],
		absent: ['remove it', 'keep it', 'integrate the other arch'],
	},
];

describe('the ? overlay', () => {
	it.each(screens.map(screen => [screen.name, screen] as const))('lists the keys of %s, and esc closes it', async (name, screen) => {
		const harness = await screen.reach();
		expect(harness.frame()).toContain(name.toUpperCase());

		const help = await harness.pressAndWait('?', 'Keys on this screen');
		const lines = frameLines(help);
		for (const line of screen.keys) {
			expect(lines).toContain(line);
		}

		for (const action of screen.absent ?? []) {
			expect(help).not.toContain(action);
		}

		expect(lines).toContain('  ?            help');
		expect(help).toContain('Press ? or esc to close this help.');
		expect(help).not.toContain(screen.shows);
		expect(frameLines(help).at(-1)).toBe('?/esc close help');

		const closed = await harness.pressAndWait(keys.escape, current => !current.includes('Keys on this screen'));
		expect(closed).toContain(screen.shows);
		expect(closed).toContain(name.toUpperCase());
	});

	it('takes no other key while open: q closes it instead of quitting, and j does not move', async () => {
		const harness = await onPackages();
		await harness.pressAndWait('?', 'Keys on this screen');

		harness.press('j');
		const closed = await harness.pressAndWait('q', current => !current.includes('Keys on this screen'));
		await settleKeys(harness);
		expect(harness.exitCodes).toEqual([]);
		expect(frameLines(closed).find(line => line.startsWith('›'))).toContain('amd64');
	});
});

// ---- A whole session, every frame checked ----

const damaged = {...arm64, complete: false, integrity: {state: 'damaged' as const}};
const partial: DiscoveredPackage = {
	path: '/srv/packages/a-folder-with-a-rather-long-name/addon-offline-full-package-v0.12.0-amd64.tar.gz.part',
	fileName: 'addon-offline-full-package-v0.12.0-amd64.tar.gz.part',
	size: 5_000_000_000,
	mtimeMs: 0,
	status: 'incomplete',
	findings: [
		{
			code: 'incomplete-download',
			severity: 'warning',
			message: 'Still downloading or interrupted (.part), and this message is long enough to need wrapping.',
			hint: 'Wait.',
		},
	],
};

const longPlan: Plan = makePlan({
	packages: [amd64],
	reason:
		'The cluster runs addon v0.10.0 (amd64) and the chosen package is v0.11.0 for amd64: a single-architecture upgrade, keeping the charts that are already there.',
	disk: [
		{
			device: '8:1',
			paths: [
				{path: '/root/work/a/very/deep/working/directory/for/the/installer', role: 'workdir'},
				{path: '/srv/packages', role: 'package'},
			],
			neededBytes: 123_456_000_000,
			freeBytes: 999_000_000_000,
			totalBytes: 2_000_000_000_000,
			shortBytes: 0,
			basis: '',
		},
		{
			device: '8:2',
			paths: [{path: '/var/lib/docker', role: 'watch'}],
			neededBytes: 30_000_000_000,
			freeBytes: 25_000_000_000,
			totalBytes: 50_000_000_000,
			shortBytes: 5_000_000_000,
			basis: '',
		},
	],
	diffs: {
		registrySpaces: {
			mustExist: ['kpanda-addon', 'insight-system', 'mspider-system', 'skoala', 'ghippo', 'kangaroo', 'amamba-system'],
			alreadyUsed: [],
		},
		charts: Array.from({length: 12}, (_, index) => ({
			name: `chart-with-a-long-name-${index}`,
			from: '1.0.0',
			to: '1.1.0-rc.1+build.20260101',
			change: 'upgraded' as const,
		})),
		multiArchImages: [{ref: 'release.daocloud.io/kpanda/kpanda:v0.28.0', arches: ['amd64', 'arm64']}],
	},
	findings: [
		{
			code: 'downgrade',
			severity: 'warning',
			message: `A finding whose message names a path: ${'/very/long/path'.repeat(8)}`,
			hint: 'A hint that is also long enough to wrap at eighty columns, because hints often are.',
		},
	],
	steps: [
		makeStep(0, {
			configEdit: {
				path: '/root/offline/sample/clusterConfig.yaml',
				newPaths: [amd64.path],
				diff: `-    path: ${'/old'.repeat(30)}\n+    path: ${amd64.path}\n`,
				originalText: '',
				newText: '',
			},
		}),
		makeStep(1, {title: `A step title that is far too long for one row of the step list ${'x'.repeat(40)}`}),
	],
});

const helpClosed = (frame: string) => !frame.includes('Keys on this screen');

/** Pages down, one page per frame, until `text` is in view. */
async function pageDownUntil(harness: WizardHarness, text: string): Promise<void> {
	for (let page = 0; page < 10 && !harness.frame().includes(text); page++) {
		const before = harness.frame();
		await harness.pressAndWait(keys.pageDown, frame => frame !== before);
	}

	await harness.waitForFrame(text);
}

/** Every screen and most of their states, at the default 80×24. */
async function wholeSession(ascii: boolean): Promise<WizardHarness> {
	const ports = createFakePorts({
		packages: [discoveredFrom(amd64), discoveredFrom(arm64), partial],
		inspections: [damaged],
		plan: longPlan,
		leftover: {path: '/root/work/addon-offline-target-package', bytes: 1_000_000},
	});
	const harness = renderWizard({ports, ascii});
	const reading = await ports.inspect.nth(0);
	ports.progress(reading, 40, 100);
	await harness.waitForFrame('40%');
	await harness.pressAndWait('jj', 'Not offered');
	await harness.pressAndWait(' ', 'cannot be imported');
	await harness.pressAndWait('?', 'Keys on this screen');
	await harness.pressAndWait(keys.escape, helpClosed);
	reading.resolve(amd64);
	await harness.waitForFrame('damaged');
	await harness.pressAndWait('k', frame => frame.includes('Not offered: The package is damaged'));
	await harness.pressAndWait(' ', 'cannot be imported');
	await harness.pressAndWait('k', frame => frameLines(frame).some(line => /^[›>] /.test(line) && line.includes('amd64')));

	const review = await harness.pressAndWait(keys.enter, 'Disk space');
	await harness.pressAndWait('d', frame => frame !== review);
	await pageDownUntil(harness, 'chart-with-a-long-name-0');
	await pageDownUntil(harness, '(end;');
	await harness.pressAndWait('?', 'Keys on this screen');
	await harness.pressAndWait(keys.escape, helpClosed);
	await harness.pressAndWait(keys.enter, 'Run now?');

	// The plan warns (a downgrade): Confirm takes yes typed out, shown as it is typed.
	await harness.pressAndWait('ye', '> ye_');
	harness.press(`s${keys.enter}`);
	const run = await ports.run(0);
	run.emit(
		{type: 'run-start', at: Date.now(), logPath: `/var/log/addon-wizard/${'deep/'.repeat(20)}run.log`, steps: []},
		stepStart(0),
		{
			type: 'progress',
			at: Date.now(),
			stepId: 'step-1',
			progress: {unpackedBytes: 1, expectedBytes: 2, chartsSeen: 1, expectedCharts: 2, imagesSeen: 1, expectedImages: 2},
		},
		{
			type: 'disk',
			at: Date.now(),
			samples: [
				{path: '/root/work/a/very/deep/working/directory/for/the/installer', freeBytes: 1_000_000, level: 'critical'},
				{path: '/var/lib/docker', freeBytes: 2_000_000_000, level: 'low'},
			],
		},
	);
	for (let index = 0; index < 50_000; index++) {
		run.emit({
			type: 'output',
			at: Date.now(),
			stepId: 'step-1',
			stream: index % 2 ? 'stderr' : 'stdout',
			line: `\u001B[32m[info]\u001B[0m\tline ${index} ${'éü中'.repeat(index % 3)} ${'x'.repeat(index % 120)}`,
		});
	}

	await harness.waitForFrame('of 50000 lines');
	await harness.pressAndWait('q', 'Stop the installer?');
	await harness.pressAndWait('n', frame => !frame.includes('Stop the installer?'));
	run.emit({
		type: 'step-end',
		at: Date.now(),
		stepId: 'step-1',
		exitCode: 2,
		failure: {...unknown, lastErrors: [`[Error]: ${'a very long error line '.repeat(6)}`]},
	});
	run.finish({ok: false, failedStepIndex: 0});
	await harness.waitForFrame('RESULT');
	await harness.pressAndWait('r', frame => frameLines(frame).some(line => line.includes('keeps it')));
	await harness.pressAndWait('?', 'Keys on this screen');
	await harness.pressAndWait(keys.escape, helpClosed);
	await harness.pressAndWait('n', frame => !frame.includes('keeps it'));
	return harness;
}

function overflowing(frames: string[], columns: number, rows: number): string[] {
	return frames.flatMap(frame => {
		const lines = frameLines(frame);
		const wide = lines.filter(line => [...line].length > columns).map(line => `${[...line].length} columns: ${line}`);
		// One row short of the terminal: Ink clears the whole screen on a frame that fills it.
		return lines.length > rows - 1 ? [`${lines.length} rows:\n${frame}`, ...wide] : wide;
	});
}

describe('80×24', () => {
	it('fits every frame of a whole session in 80 columns and 23 rows', async () => {
		const harness = await wholeSession(false);
		const frames = harness.frames();

		expect(frames.length).toBeGreaterThan(20);
		expect(overflowing(frames, 80, 24)).toEqual([]);
	});

	it('draws only ASCII, still within 80×24, when the terminal cannot draw Unicode', async () => {
		const harness = await wholeSession(true);
		const frames = harness.frames();

		const nonAscii = frames.flatMap(frame => frameLines(frame).filter(line => /[^\u0020-\u007E]/.test(line)));
		expect([...new Set(nonAscii)]).toEqual([]);
		expect(overflowing(frames, 80, 24)).toEqual([]);
		expect(harness.frame()).toContain('RESULT');
	});

	it('follows a resize: after the terminal shrinks to 60×16, every frame fits it', async () => {
		const harness = await onReview(longPlan, 'Disk space');
		harness.resize(60, 16);

		const shrunk = await harness.waitForFrame(frame => frameLines(frame).length <= 15 && frame.includes('more rows'));
		const settled = harness.frames().length - 1;
		await harness.pressAndWait('d', frame => frame !== shrunk);
		await pageDownUntil(harness, 'chart-with-a-long-name');
		const after = harness.frames().slice(settled);
		expect(after.length).toBeGreaterThan(2);
		expect(overflowing(after, 60, 16)).toEqual([]);
	});
});
