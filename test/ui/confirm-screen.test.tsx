// The Confirm screen: the exact commands before anything runs, and the keys that run them,
// go back, or skip the question with --yes.
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {displayCommand} from '../../source/domain/run/build-installer-command.js';
import type {Plan} from '../../source/domain/plan/plan.js';
import {settlePreflight} from '../../source/domain/plan/preflight.js';
import {amd64, frameLines, keys, makePlan, makeStep, onConfirm, onReview, unwrap, type JourneyOptions} from '../helpers/fake-ports.js';
import {passingFacts} from '../helpers/preflight-facts.js';

afterEach(() => {
	cleanup();
});

const edit = {
	path: '/root/offline/sample/clusterConfig.yaml',
	newPaths: [amd64.path],
	diff: `-    path: /srv/old.tar.gz\n+    path: ${amd64.path}\n`,
	originalText: '',
	newText: '',
};

const integration = makePlan({
	operation: 'multi-arch-integration',
	steps: [
		makeStep(0, {
			title: 'Import addon v0.11.0 (amd64)',
			argv: [
				'/root/dce5-installer',
				'cluster-create',
				'-c',
				'/root/offline/sample/clusterConfig.yaml',
				'-m',
				'/root/offline/sample/manifest.yaml',
				'-d',
				'-j13',
			],
			cwd: '/root/offline',
			configEdit: edit,
		}),
		makeStep(1, {
			title: 'Add arm64 to addon v0.11.0',
			argv: [
				'/root/dce5-installer',
				'import',
				'-addon',
				'-c',
				'/root/my configs/clusterConfig.yaml',
				'--addon-path=/srv/packages/addon-offline-full-package-v0.11.0-arm64.tar.gz',
			],
			cwd: '/root/work',
		}),
	],
});

describe('Confirm: the commands', () => {
	it('lists every step with its exact argv, quoted for a shell, and where it runs', async () => {
		const harness = await onConfirm(integration, {rows: 40});
		// As pasted into a shell: the ` \` continuations join the lines back into one command.
		const text = unwrap(harness.frame()).replaceAll(' \\ ', ' ');

		expect(text).toContain('These 2 commands run, in this order:');
		expect(text).toContain(
			`1. Import addon v0.11.0 (amd64) first sets spec.addonPackage.path in /root/offline/sample/clusterConfig.yaml to ${amd64.path} (backup kept)`,
		);
		expect(text).toContain(
			'$ /root/dce5-installer cluster-create -c /root/offline/sample/clusterConfig.yaml -m /root/offline/sample/manifest.yaml -d -j13 in /root/offline',
		);
		expect(text).toContain(`2. Add arm64 to addon v0.11.0 $ ${displayCommand(integration.steps[1]!.argv)} in /root/work`);
		expect(text).toContain(
			"-c '/root/my configs/clusterConfig.yaml' --addon-path=/srv/packages/addon-offline-full-package-v0.11.0-arm64.tar.gz",
		);
		expect(text).toContain('Run now? y runs, b goes back, q quits without changing anything.');
		expect(harness.ports.runs).toHaveLength(0);
	});

	it('says "this command" for a plan of one step', async () => {
		const harness = await onConfirm(makePlan({steps: [makeStep(0)]}));

		expect(harness.frame()).toContain('This command runs:');
	});
});

describe('Confirm: the keys', () => {
	it('goes back to Review with b, and with esc', async () => {
		const harness = await onConfirm();

		await harness.pressAndWait('b', frame => frame.includes('REVIEW') && frame.includes('Disk space'));
		await harness.pressAndWait(keys.enter, 'CONFIRM');
		await harness.pressAndWait(keys.escape, 'REVIEW');
		expect(harness.ports.runs).toHaveLength(0);
	});

	it('starts the run from the first step with y', async () => {
		const plan = makePlan();
		const harness = await onConfirm(plan);
		harness.press('y');

		const run = await harness.ports.run(0);
		expect(run.fromStep).toBe(0);
		expect(run.plan).toBe(plan);
		await harness.waitForFrame('RUN');
		expect(harness.ports.runs).toHaveLength(1);
	});

	it('lands a burst that crosses screens: enter then y, typed at once on Review, runs the plan', async () => {
		const plan = makePlan();
		const harness = await onReview(plan, 'Disk space');
		harness.press(`${keys.enter}y`);

		const run = await harness.ports.run(0);
		expect(run.plan).toBe(plan);
		await harness.waitForFrame('RUN');
		expect(harness.ports.runs).toHaveLength(1);
	});

	it('never starts the run on enter alone: it says to press y, and y then runs', async () => {
		const harness = await onConfirm();
		await harness.pressAndWait(keys.enter, 'Enter alone does not start the installer: press y to run it.');
		expect(harness.frame()).toContain('CONFIRM');
		expect(harness.ports.runs).toHaveLength(0);

		harness.press('y');
		expect((await harness.ports.run(0)).fromStep).toBe(0);
	});

	it('quits with exit code 1 on q, running nothing', async () => {
		const harness = await onConfirm();
		harness.press('q');

		await expect.poll(() => harness.exitCodes).toEqual([1]);
		expect(harness.ports.runs).toHaveLength(0);
	});

	it('is skipped with --yes: enter on Review starts the run from the first step', async () => {
		const harness = await onReview(makePlan(), 'Disk space', {initial: {yes: true}});
		harness.press(keys.enter);

		const run = await harness.ports.run(0);
		expect(run.fromStep).toBe(0);
		await harness.waitForFrame('RUN');
		expect(harness.frames().some(frame => frame.includes('CONFIRM'))).toBe(false);
	});
});

// ---- The decision point: enter alone never runs; a plan with warnings takes yes typed out ----

const roomy = {
	device: '8:1',
	paths: [{path: '/root/work', role: 'workdir' as const}],
	neededBytes: 1_000_000,
	freeBytes: 50_000_000_000,
	totalBytes: 100_000_000_000,
	shortBytes: 0,
	basis: '',
};
const hazard =
	'Upgrading to v0.11.0 (below 0.12.0) rewrites the multi-arch images as amd64-only; arm64 nodes lose their images until the next integration.';
const warned = settlePreflight(
	makePlan({
		cluster: {path: '/root/offline/sample/clusterConfig.yaml', kind: 'ClusterConfig', addonPackagePaths: [], addonPathShape: 'absent'},
		disk: [roomy],
		diffs: {registrySpaces: {mustExist: ['localhost'], alreadyUsed: []}, charts: [], multiArchImages: []},
		findings: [
			{
				code: 'arch-conflict-below-0.12',
				severity: 'warning',
				message: hazard,
				hint: 'Choose the v0.11.0 arm64 package too, so the plan integrates it right after the upgrade.',
			},
		],
	}),
	passingFacts(),
	false,
);

/** Review of a checked plan opens on its Pre-flight section; enter goes on to Confirm. */
async function confirmWarned(plan: Plan, options: JourneyOptions = {}) {
	const harness = await onReview(plan, 'Pre-flight', options);
	await harness.pressAndWait(keys.enter, 'CONFIRM');
	return harness;
}

describe('Confirm: enter alone never starts the installer', () => {
	it('stops a double enter typed on Review at Confirm, saying to press y', async () => {
		const harness = await onReview(makePlan(), 'Disk space');
		harness.press(`${keys.enter}${keys.enter}`);

		await harness.waitForFrame('Enter alone does not start the installer: press y to run it.');
		// Keys are handled in order: once b has gone back, both enters were handled too.
		await harness.pressAndWait('b', 'REVIEW');
		expect(harness.ports.runs).toHaveLength(0);
	});
});

describe('Confirm: a plan with warnings asks for yes typed out', () => {
	it('repeats each warning before the commands, and the question says what to type', async () => {
		const harness = await confirmWarned(warned, {rows: 40});
		const text = unwrap(harness.frame());

		expect(text).toContain(
			`Before it runs, 2 warnings: ⚠ Registry spaces the cluster's package never used, which must exist before the import: localhost.`,
		);
		expect(text).toContain(`⚠ ${hazard} next: Choose the v0.11.0 arm64 package too`);
		expect(text.indexOf(hazard)).toBeLessThan(text.indexOf('These 2 commands run'));
		expect(text).toContain('Run now? Despite the 2 warnings above: type yes and press enter (esc goes back, ctrl+c quits). > _');
		expect(frameLines(harness.frame()).at(-1)).toBe('yes+enter run · backspace erase · esc back · ? help · ctrl+c quit');
	});

	it('shows what is typed, backspace erases, and y, b or q alone neither run nor leave', async () => {
		const harness = await confirmWarned(warned);
		await harness.pressAndWait('y', '> y_');
		await harness.pressAndWait('b', '> yb_');
		await harness.pressAndWait('q', '> ybq_');
		await harness.pressAndWait('\u007F', '> yb_');
		harness.press('\u007F\u007F');
		await harness.waitForFrame('> _');
		expect(harness.frame()).toContain('CONFIRM');
		expect(harness.exitCodes).toEqual([]);
		expect(harness.ports.runs).toHaveLength(0);

		harness.press(`yes${keys.enter}`);
		const run = await harness.ports.run(0);
		expect(run.plan).toBe(warned);
		expect(run.fromStep).toBe(0);
	});

	it('runs on "yes" and enter typed in one burst', async () => {
		const harness = await confirmWarned(warned);
		harness.press(`yes${keys.enter}`);

		expect((await harness.ports.run(0)).fromStep).toBe(0);
		await harness.waitForFrame('RUN');
	});

	it('runs nothing for anything else, or for enter, and says so', async () => {
		const harness = await confirmWarned(warned);
		await harness.pressAndWait(`no${keys.enter}`, 'That was not yes, so nothing runs. Type yes and press enter.');
		await harness.pressAndWait(keys.enter, 'Enter alone does not start the installer: type yes first.');
		await harness.pressAndWait(`y${keys.enter}`, 'That was not yes');
		expect(harness.ports.runs).toHaveLength(0);
	});

	it('never runs from a burst of enter enter, or enter y, typed on Review', async () => {
		const harness = await onReview(warned, 'Pre-flight');
		harness.press(`${keys.enter}${keys.enter}`);
		await harness.waitForFrame('Enter alone does not start the installer: type yes first.');
		harness.press(keys.escape);
		await harness.waitForFrame('REVIEW');
		harness.press(`${keys.enter}y`);
		await harness.waitForFrame('> y_');
		expect(harness.ports.runs).toHaveLength(0);
	});

	it('goes back with esc, forgetting what was typed', async () => {
		const harness = await confirmWarned(warned);
		await harness.pressAndWait('ye', '> ye_');
		await harness.pressAndWait(keys.escape, 'REVIEW');
		await harness.pressAndWait(keys.enter, 'CONFIRM');
		expect(harness.frame()).toContain('> _');
	});

	it('is not skipped by --yes when a warning is a hazard: yes is still typed out', async () => {
		const harness = await onReview(warned, 'Pre-flight', {initial: {yes: true}});
		await harness.pressAndWait(keys.enter, 'CONFIRM');
		expect(harness.ports.runs).toHaveLength(0);
		harness.press(`yes${keys.enter}`);

		expect((await harness.ports.run(0)).plan).toBe(warned);
	});

	it('is skipped by --yes, the scripted path, for warnings that lose nothing', async () => {
		const harmless = {...warned, findings: warned.findings.filter(finding => finding.code !== 'arch-conflict-below-0.12')};
		const harness = await onReview(harmless, 'Pre-flight', {initial: {yes: true}});
		harness.press(keys.enter);

		expect((await harness.ports.run(0)).plan).toBe(harmless);
	});

	it.each([
		[80, 24],
		[60, 16],
	])('keeps the question and what is typed in view at %i×%i, however long the plan', async (columns, rows) => {
		const long = {
			...warned,
			steps: Array.from({length: 6}, (_, index) => makeStep(index, {title: `Integrate step ${index + 1} of a long plan`})),
		};
		const harness = await confirmWarned(long, {columns, rows});
		await harness.pressAndWait('ye', '> ye_');
		const lines = frameLines(harness.frame());

		expect(lines.length).toBeLessThan(rows);
		expect(lines.every(line => [...line].length <= columns)).toBe(true);
		expect(unwrap(harness.frame())).toContain('Run now? Despite the 2 warnings above: type yes and press enter');
		expect(harness.frame()).toMatch(/more rows/);
		expect(lines.at(-1)).not.toMatch(/…$/);
	});
});
