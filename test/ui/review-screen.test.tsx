// The Review screen: the plan the wizard made and everything that decides whether it can run,
// rendered from a fake buildPlan answer.
import {mkdir, mkdtemp, rm, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {cleanup} from 'ink-testing-library';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {planConfigEdit} from '../../source/adapters/config/cluster-config.js';
import type {ConfigEdit} from '../../source/domain/config/config-facts.js';
import type {DiskNeed, PreflightFacts} from '../../source/domain/plan/plan.js';
import type {WizardError} from '../../source/domain/shared/wizard-error.js';
import {settlePreflight} from '../../source/domain/plan/preflight.js';
import {full} from '../domain/packages/make-inspection.js';
import {
	amd64,
	createFakePorts,
	discoveredFrom,
	arm64,
	frameLines,
	keys,
	makePlan,
	makeStep,
	onReview,
	renderWizard,
	unwrap,
} from '../helpers/fake-ports.js';
import {passingFacts} from '../helpers/preflight-facts.js';

afterEach(() => {
	cleanup();
});

const tall = {rows: 60};

const edit: ConfigEdit = {
	path: '/root/offline/sample/clusterConfig.yaml',
	newPaths: [amd64.path],
	diff: [
		'--- /root/offline/sample/clusterConfig.yaml',
		'+++ /root/offline/sample/clusterConfig.yaml',
		'@@ -10,3 +10,3 @@',
		'   addonPackage:',
		'-    path: /srv/old/addon-offline-full-package-v0.10.0-amd64.tar.gz',
		`+    path: ${amd64.path}`,
		'',
	].join('\n'),
	originalText: '',
	newText: '',
};

const roomy: DiskNeed = {
	device: '8:1',
	paths: [{path: '/root/work', role: 'workdir'}],
	neededBytes: 45_000_000_000,
	freeBytes: 100_000_000_000,
	totalBytes: 200_000_000_000,
	shortBytes: 0,
	basis: 'unpacked size plus chart bundles',
};
const tight: DiskNeed = {
	device: '8:2',
	paths: [{path: '/var/lib/docker', role: 'watch'}],
	neededBytes: 30_000_000_000,
	freeBytes: 25_000_000_000,
	totalBytes: 50_000_000_000,
	shortBytes: 5_000_000_000,
	basis: 'images loaded by the installer',
};

const reason =
	'The cluster runs addon v0.10.0 (amd64) and one amd64 package of v0.11.0 was chosen: a single-architecture upgrade of the addon.';

const upgrade = makePlan({
	operation: 'single-arch-upgrade',
	reason,
	packages: [amd64],
	baselines: [full('v0.10.0', 'amd64')],
	disk: [roomy],
	diffs: {
		registrySpaces: {mustExist: ['kpanda-addon', 'insight-system'], alreadyUsed: ['release.daocloud.io']},
		charts: [
			{name: 'insight', from: '0.29.0', to: '0.30.0', change: 'upgraded'},
			{name: 'kpanda', to: '0.28.0', change: 'added'},
			{name: 'old-thing', from: '1.0.0', change: 'removed'},
			{name: 'kubernetes-dashboard', from: '0.9.0', to: '0.8.2', change: 'downgraded'},
			{name: 'spiderpool', from: '0.9.0', to: '0.9.0', change: 'unchanged'},
		],
		multiArchImages: [],
	},
	findings: [
		{
			code: 'downgrade',
			severity: 'warning',
			message: 'kubernetes-dashboard goes down from 0.9.0 to 0.8.2.',
			hint: 'Keep the old chart in the registry or accept the downgrade.',
		},
		{code: 'arch-unconfirmed', severity: 'info', message: 'busybox:1.36 carries no architecture in its config.'},
	],
	steps: [makeStep(0, {configEdit: edit}), makeStep(1)],
});

const short = makePlan({
	reason: 'One amd64 package and no addon in the cluster yet: a single-architecture import.',
	packages: [amd64],
	disk: [roomy, tight],
	findings: [
		{
			code: 'disk-short',
			severity: 'error',
			message: '/var/lib/docker needs 30.0 GB but has 25.0 GB free.',
			hint: 'Free 5.00 GB on /var/lib/docker, then run the wizard again.',
		},
	],
	diffs: {registrySpaces: {mustExist: [], alreadyUsed: []}, charts: [{name: 'kpanda', to: '0.28.0', change: 'added'}], multiArchImages: []},
	preflight: [
		{
			id: 'disk',
			status: 'block',
			message: '/var/lib/docker needs 30.0 GB but has 25.0 GB free.',
			hint: 'Free 5.00 GB on /var/lib/docker, then run the wizard again.',
			code: 'disk-short',
		},
	],
	blocked: true,
});

describe('Review: waiting for the plan', () => {
	it('shows how far the chosen package has been read, then that the plan is being built, then the plan', async () => {
		const ports = createFakePorts({packages: [discoveredFrom(amd64), discoveredFrom(arm64)]});
		const harness = renderWizard({ports});
		const reading = await ports.inspect.nth(0);
		await harness.waitForFrame('Offline packages');

		let frame = await harness.pressAndWait(keys.enter, 'Reading the chosen packages before the plan can be made');
		expect(frame).toContain('REVIEW');
		expect(frame).toContain(`░░░░░░░░░░░░░░░░░░░░   0%  ${amd64.fileName}`);

		ports.progress(reading, 50, 100);
		frame = await harness.waitForFrame('50%');
		expect(frame).toContain(`██████████░░░░░░░░░░  50%  ${amd64.fileName}`);
		expect(frame).not.toContain('enter continue');

		reading.resolve(amd64);
		await harness.waitForFrame('building the plan');
		const building = await ports.plans.nth(0);
		expect(building.args).toEqual([amd64]);

		// The package the cluster has now is read to compare: its progress shows while the plan waits.
		ports.planOptions[0]?.onProgress?.({
			path: '/srv/addon-offline-full-package-v0.10.0-amd64.tar.gz',
			bytesRead: 25,
			totalBytes: 100,
			entries: 3,
			elapsedMs: 1200,
		});
		frame = await harness.waitForFrame('reading the package in the cluster');
		expect(frame).toContain('█████░░░░░░░░░░░░░░░  25%  reading the package in the cluster:');
		expect(frame).toContain('/srv/addon-offline-full-package-v0.10.0-amd64.tar.gz');

		building.resolve(upgrade);
		frame = await harness.waitForFrame('Disk space');
		expect(frame).toContain('enter continue');
	});

	it('ignores a plan that arrives after the user went back, and builds a new one on return', async () => {
		const ports = createFakePorts({packages: [discoveredFrom(amd64)], inspections: [amd64]});
		const harness = renderWizard({ports});
		await harness.waitForFrame(frame => frame.includes('Offline packages') && !frame.includes('being read'));
		await harness.pressAndWait(keys.enter, 'building the plan');
		const abandoned = await ports.plans.nth(0);

		await harness.pressAndWait('b', 'PACKAGES');
		abandoned.resolve(upgrade);
		await harness.pressAndWait('j', 'PACKAGES');
		expect(harness.frame()).not.toContain('Disk space');

		await harness.pressAndWait(keys.enter, 'building the plan');
		(await ports.plans.nth(1)).resolve(upgrade);
		await harness.waitForFrame('Disk space');
	});
});

describe('Review: the plan', () => {
	it('says in one sentence what the wizard decided and why, and lists the packages and the baseline', async () => {
		const harness = await onReview(upgrade, 'Disk space', tall);
		const frame = harness.frame();

		expect(unwrap(frame)).toContain(reason);
		const lines = frameLines(frame);
		const named = lines.indexOf(`  ${amd64.fileName}`);
		expect(named).toBeGreaterThan(0);
		expect(lines[named + 1]).toBe('    10.0 KB  amd64 ✔ confirmed  checksum unknown');
		expect(frame).toContain('now in the cluster: addon-offline-full-package-v0.10.0-amd64.tar.gz');
	});

	it('draws a disk gauge per filesystem with the share of free space it needs', async () => {
		const harness = await onReview(upgrade, 'Disk space', tall);

		const lines = frameLines(harness.frame());
		expect(lines).toContain('  /root/work (workdir)');
		expect(lines).toContain('    █████████░░░░░░░░░░░ needs 45.0 GB of 100.0 GB free  45% of free space');
	});

	it('says SHORT by how many bytes when a filesystem cannot take it, and blocks the plan', async () => {
		const harness = await onReview(short, 'Disk space', tall);
		const frame = harness.frame();

		expect(frameLines(frame)).toContain('    ████████████████████ needs 30.0 GB of 25.0 GB free  SHORT by 5.00 GB');
		expect(frame).toContain('  /var/lib/docker (watch)');
		expect(frame).toContain('✘ /var/lib/docker needs 30.0 GB but has 25.0 GB free.');
		expect(frame).toContain('next: Free 5.00 GB on /var/lib/docker, then run the wizard again.');
		expect(frame).toContain('The plan is blocked');
	});

	it('shows what blocks the plan on the first screen of an 80x24 terminal, under the plan sentence', async () => {
		const harness = await onReview(short, 'Pre-flight', {rows: 24, columns: 80});
		const lines = frameLines(harness.frame());
		expect(lines.length).toBeLessThanOrEqual(24);
		const blocker = lines.findIndex(line => line.includes('✘ /var/lib/docker needs 30.0 GB but has 25.0 GB free.'));
		expect(blocker).toBeGreaterThan(0);
		expect(blocker).toBeLessThan(lines.findIndex(line => line.startsWith('  addon-offline-full-package')));
	});

	it('names the registry spaces that must exist before the import and how to create them', async () => {
		const harness = await onReview(upgrade, 'Disk space', tall);
		const text = unwrap(harness.frame());

		expect(text).toContain('Registry spaces Must exist before the import: kpanda-addon, insight-system');
		expect(text).toContain('Create each as a project in the registry (Harbor: Projects > New Project), then continue.');
	});

	it('says when no new registry space is needed', async () => {
		const harness = await onReview(
			makePlan({diffs: {registrySpaces: {mustExist: [], alreadyUsed: ['kpanda', 'insight']}, charts: [], multiArchImages: []}}),
			'Disk space',
			tall,
		);

		expect(harness.frame()).toContain('  No new spaces needed (2 already in use).');
		expect(harness.frame()).not.toContain('Must exist');
	});

	it('counts chart changes, and d shows and hides the list of charts', async () => {
		const harness = await onReview(upgrade, 'Disk space', tall);
		expect(harness.frame()).toMatch(/Charts: 1 added, 1 upgraded, 1 downgraded, 1 removed, 1 unchanged +\(d: /);
		expect(harness.frame()).not.toContain('kubernetes-dashboard 0.9.0 -> 0.8.2');

		const frame = await harness.pressAndWait('d', 'kpanda 0.28.0');
		const lines = frameLines(frame);
		const listed = [
			'    added      kpanda 0.28.0',
			'    upgraded   insight 0.29.0 -> 0.30.0',
			'    downgraded kubernetes-dashboard 0.9.0 -> 0.8.2',
			'    removed    old-thing 1.0.0',
			'    unchanged  spiderpool 0.9.0',
		];
		const first = lines.indexOf(listed[0]!);
		expect(first).toBeGreaterThan(0);
		expect(lines.slice(first, first + listed.length)).toEqual(listed);

		const hidden = await harness.pressAndWait('d', current => !current.includes('kpanda 0.28.0'));
		expect(hidden).toMatch(/Charts: 1 added/);
	});

	it('lists the findings with their marks and next steps', async () => {
		const harness = await onReview(upgrade, 'Disk space', tall);
		const lines = frameLines(harness.frame());

		expect(lines).toContain('Warnings');
		expect(lines).toContain('  ⚠ kubernetes-dashboard goes down from 0.9.0 to 0.8.2.');
		expect(lines).toContain('    next: Keep the old chart in the registry or accept the downgrade.');
		expect(lines).toContain('  ℹ busybox:1.36 carries no architecture in its config.');
	});

	it('shows the clusterConfig.yaml change as a diff', async () => {
		const harness = await onReview(upgrade, 'Disk space', tall);
		const lines = frameLines(harness.frame());

		expect(lines).toContain('Change to /root/offline/sample/clusterConfig.yaml (a backup is kept beside it)');
		const removed = lines.indexOf('  -    path: /srv/old/addon-offline-full-package-v0.10.0-amd64.tar.gz');
		expect(removed).toBeGreaterThan(0);
		expect(lines[removed - 1]).toBe('     addonPackage:');
		expect(lines[removed + 1]).toBe(`  +    path: ${amd64.path}`);
		expect(unwrap(harness.frame())).toContain(
			'⚠ Ready, with 1 warning: kubernetes-dashboard goes down from 0.9.0 to 0.8.2. Press enter to see the exact commands; Confirm asks you to type yes.',
		);
	});

	it('pins, under Ready, that the registry already holds the whole plan', async () => {
		const held =
			'The registry already holds all of this plan: 3 tags with the same image and 3 charts at their version in the chart repository. Running it changes nothing.';
		const again = {
			...upgrade,
			findings: [{code: 'already-in-registry' as const, severity: 'info' as const, message: held, hint: 'Nothing to do.'}],
		};
		const harness = await onReview(again, 'Ready.');
		expect(unwrap(harness.frame())).toContain(`✔ Ready. Press enter to see the exact commands. ${held}`);
		expect(frameLines(harness.frame()).every(line => line.length <= 80)).toBe(true);
	});

	it('scrolls a plan taller than the terminal and says how much is hidden, its verdict pinned above the footer', async () => {
		const harness = await onReview(upgrade, 'Disk space');
		expect(harness.frame()).toMatch(/↓ \d+ more rows \(up\/down to scroll\)/);
		expect(harness.frame()).not.toContain('+    path:');
		expect(harness.frame()).toContain('⚠ Ready, with 1 warning');

		for (let page = 0; page < 5 && !harness.frame().includes('(end;'); page++) {
			await harness.pressAndWait(keys.pageDown, frame => frame.includes('(end;') || frame.includes('more rows'));
		}

		const end = await harness.waitForFrame('(end;');
		expect(end).toMatch(/\(end; \d+ rows above, up to scroll back\)/);
		expect(end).toContain('+    path:');
		expect(end).toContain('⚠ Ready, with 1 warning');
		expect(end).not.toContain(reason.slice(0, 40));

		await harness.pressAndWait(keys.pageUp, frame => !frame.includes('(end;'));
	});
});

describe('Review: what the user can do', () => {
	it('offers only back and quit for a blocked plan, and enter does nothing', async () => {
		const harness = await onReview(short, 'Disk space', tall);
		const footer = frameLines(harness.frame()).at(-1)!;
		expect(footer).not.toContain('enter');
		expect(footer).toContain('b/esc back');
		expect(footer).toContain('q quit');
		expect(unwrap(harness.frame())).toContain(
			'✘ The plan is blocked: /var/lib/docker needs 30.0 GB but has 25.0 GB free. next: Free 5.00 GB on /var/lib/docker, then run the wizard again.',
		);

		harness.press(keys.enter);
		// Keys are handled in order: once d has shown the chart list, enter has been handled too.
		await harness.pressAndWait('d', 'added      kpanda 0.28.0');
		expect(harness.frame()).toContain('REVIEW');
		expect(harness.frames().some(frame => frame.includes('CONFIRM'))).toBe(false);

		await harness.pressAndWait('b', 'PACKAGES');
	});

	it('shows why the plan could not be made and offers no way on', async () => {
		const error: WizardError = {
			kind: 'config-missing',
			message: 'clusterConfig.yaml not found next to the installer.',
			hint: 'Pass --config PATH.',
			exitCode: 2,
		};
		const harness = await onReview(error, 'not found');

		const frame = harness.frame();
		expect(frame).toContain('✘ clusterConfig.yaml not found next to the installer.');
		expect(frame).toContain('  next: Pass --config PATH.');
		expect(frameLines(frame).at(-1)).not.toContain('enter');
	});

	it('goes back to Packages with b and with esc, keeping the chosen package', async () => {
		const harness = await onReview(upgrade, 'Disk space');

		let frame = await harness.pressAndWait('b', 'PACKAGES');
		expect(frameLines(frame).find(line => line.includes('amd64') && line.includes('['))).toContain('[✔]');

		await harness.pressAndWait(keys.enter, 'REVIEW');
		await harness.waitForFrame('Disk space');
		frame = await harness.pressAndWait(keys.escape, 'PACKAGES');
		expect(harness.ports.plans.count).toBe(2);
	});

	it('quits with exit code 1 on q', async () => {
		const harness = await onReview(upgrade, 'Disk space');
		harness.press('q');
		await expect.poll(() => harness.exitCodes).toEqual([1]);
	});

	it('quits with exit code 3 on q when the plan is blocked, as `plan` would', async () => {
		const harness = await onReview(short, 'Disk space');
		harness.press('q');
		await expect.poll(() => harness.exitCodes).toEqual([3]);
	});
});

// ---- The pre-flight checklist, the verdict that never scrolls away, and what Review must not show ----

const facts = (extra: Partial<PreflightFacts> = {}): PreflightFacts =>
	passingFacts({packages: [{path: amd64.path, fileName: amd64.fileName, sizeNow: amd64.size, mtimeNow: amd64.mtimeMs}], ...extra});
const clusterConfig = {
	path: '/root/offline/sample/clusterConfig.yaml',
	kind: 'ClusterConfig',
	apiVersion: 'provision.daocloud.io/v1alpha3',
	addonPackagePaths: [],
	addonPathShape: 'absent' as const,
};
const hazard =
	'Upgrading to v0.11.0 (below 0.12.0) rewrites the multi-arch images as amd64-only; arm64 nodes lose their images until the next integration.';
const leftover = {path: '/root/work/addon-offline-target-package', bytes: 41_700, type: 'directory' as const};
const checked = (extra: Partial<PreflightFacts> = {}) => settlePreflight({...upgrade, cluster: clusterConfig}, facts(extra), false);

describe('Review: the pre-flight checklist', () => {
	it('lists what blocks, then what warns, each with its next step, and sums up what passed', async () => {
		const harness = await onReview(checked({leftover}), 'Pre-flight', tall);
		const lines = frameLines(harness.frame());
		const start = lines.indexOf('Pre-flight');
		expect(start).toBeGreaterThan(0);
		expect(lines.slice(start + 1, start + 5)).toEqual([
			'  ✘ Leftover /root/work/addon-offline-target-package (41.7 KB) from an earlier',
			'    run: the installer stops on it, after clusterConfig.yaml was changed.',
			'    next: Look inside if unsure (an interrupted import leaves it), then press x',
			'    to remove it as part of the run.',
		]);
		const text = unwrap(harness.frame());
		expect(text).toContain(
			"⚠ Registry spaces the cluster's package never used, which must exist before the import: kpanda-addon, insight-system.",
		);
		expect(text).toContain(
			'⚠ kubernetes-dashboard goes down from 0.9.0 to 0.8.2. next: Keep the old chart in the registry or accept the downgrade.',
		);
		// What passed, in one line after them (plan prints each row in full).
		expect(text).toContain(
			'✔ Passed: kind ClusterConfig, working directory writable, installer can start, steps, disk space, packages complete',
		);
		// Notes are what is left: the info findings; every warning is a row of the checklist.
		expect(lines).toContain('Notes');
		expect(lines).not.toContain('Warnings');
		expect(lines).toContain('  ℹ busybox:1.36 carries no architecture in its config.');
	});

	it('removes the leftover as part of the run when x is pressed: the plan unblocks, Confirm repeats it and asks for yes', async () => {
		const harness = await onReview(checked({leftover}), 'Pre-flight', tall);
		expect(frameLines(harness.frame()).at(-1)).toBe('x leftover · up/down scroll · d charts · b/esc back · ? help · q quit');
		expect(unwrap(harness.frame())).toContain('✘ The plan is blocked: Leftover /root/work/addon-offline-target-package (41.7 KB)');

		const chosen = await harness.pressAndWait('x', 'Removes the leftover');
		expect(unwrap(chosen)).toContain('⚠ Removes the leftover /root/work/addon-offline-target-package (41.7 KB) just before step 1.');
		expect(frameLines(chosen).at(-1)).toMatch(/^enter continue · x leftover · /);

		const confirm = await harness.pressAndWait(keys.enter, 'CONFIRM');
		expect(unwrap(confirm)).toContain('⚠ Removes the leftover /root/work/addon-offline-target-package (41.7 KB) just before step 1.');
		expect(unwrap(confirm)).toContain(
			'1. Import addon v0.11.0 (amd64), step 1 first removes the leftover /root/work/addon-offline-target-package (41.7 KB)',
		);
		harness.press(`yes${keys.enter}`);
		const run = await harness.ports.run(0);
		expect(run.plan.removeLeftover).toEqual({path: leftover.path, bytes: 41_700});
		expect(run.plan.disk[0]).toMatchObject({reclaimableBytes: 41_700, shortBytes: 0});
	});

	it('keeps the leftover when x is pressed again, blocking once more', async () => {
		const harness = await onReview(checked({leftover}), 'Pre-flight', tall);
		await harness.pressAndWait('x', 'Removes the leftover');
		const kept = await harness.pressAndWait('x', 'The plan is blocked');
		expect(frameLines(kept).at(-1)).not.toContain('enter');
	});
});

describe('Review: the line that matters stays in view', () => {
	// A plan as recorded before the checklist existed: its warning used to sit under Warnings, below the fold.
	const hazardous = makePlan({
		...upgrade,
		findings: [{code: 'arch-conflict-below-0.12', severity: 'warning', message: hazard, hint: 'Choose the v0.11.0 arm64 package too.'}],
	});

	it.each([
		[80, 24],
		[60, 16],
	])('shows the hazard sentence whole at %i×%i, and keeps it in view while scrolling', async (columns, rows) => {
		const harness = await onReview(hazardous, 'REVIEW', {columns, rows});
		await harness.waitForFrame(frame => unwrap(frame).includes(hazard));
		const lines = frameLines(harness.frame());
		expect(lines.length).toBeLessThan(rows);
		expect(lines.every(line => [...line].length <= columns)).toBe(true);

		await harness.pressAndWait(keys.pageDown, frame => frame !== harness.frames().at(-2));
		await harness.pressAndWait(keys.pageDown, frame => frame.includes('(end;') || frame.includes('more rows'));
		expect(unwrap(harness.frame())).toContain(hazard);
	});

	it.each([
		[80, 24],
		[60, 16],
	])('shows what blocks the plan and what to do at %i×%i', async (columns, rows) => {
		const harness = await onReview(checked({leftover}), 'REVIEW', {columns, rows});
		const text = unwrap(await harness.waitForFrame('The plan is blocked'));
		expect(text).toContain('✘ The plan is blocked: Leftover /root/work/addon-offline-target-package (41.7 KB)');
		expect(text).toContain('then press x to remove it as part of the run.');
	});

	it('fits the footer in 60 columns, dropping what matters least, never cutting a key in half', async () => {
		const harness = await onReview(upgrade, 'REVIEW', {columns: 60, rows: 16});
		const footer = frameLines(await harness.waitForFrame('enter continue')).at(-1)!;
		expect(footer).toBe('enter continue · b/esc back · ? help · q quit');
	});
});

describe('Review: what it must not show, and what it must', () => {
	let dir = '';

	afterAll(async () => {
		if (dir) {
			await rm(dir, {recursive: true, force: true});
		}
	});

	it('shows the config change without the passwords clusterConfig.yaml holds, and names the real file behind a link', async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'addon-wizard-review-'));
		const real = path.join(dir, 'etc', 'real-cluster.yaml');
		await mkdir(path.dirname(real), {recursive: true});
		await writeFile(
			real,
			[
				'apiVersion: provision.daocloud.io/v1alpha3',
				'kind: ClusterConfig',
				'spec:',
				'  imagesAndCharts:',
				'    type: external',
				'    externalImageRepoPassword: Harbor12345',
				'  addonPackage:',
				'    path: "/srv/old/addon-offline-full-package-v0.10.0-amd64.tar.gz"',
				'  # externalChartRepoPassword: rootpass123',
				'',
			].join('\n'),
		);
		const link = path.join(dir, 'clusterConfig.yaml');
		await symlink(real, link);
		const edit = await planConfigEdit(link, [amd64.path]);
		if ('exitCode' in edit) {
			throw new Error(edit.message);
		}

		const harness = await onReview(makePlan({...upgrade, steps: [makeStep(0, {configEdit: edit})]}), 'Disk space', {rows: 80});
		const frame = harness.frame();
		expect(frame).toContain('externalImageRepoPassword: ********');
		expect(frame).not.toContain('Harbor12345');
		expect(frame).not.toContain('rootpass123');
		expect(unwrap(frame)).toContain(`Change to ${link}, a link: the real file ${real} is changed (a backup is kept beside it)`);
	});
});

describe('Review: what the cluster has now', () => {
	it('names every package spec.addonPackage.path lists, not only the first', async () => {
		const amd = full('v0.11.0', 'amd64');
		const arm = full('v0.11.0', 'arm64');
		const harness = await onReview(makePlan({packages: [full('v0.12.0', 'amd64')], baselines: [amd, arm]}), 'now in the cluster');
		const frame = unwrap(harness.frame());
		expect(frame).toContain(`now in the cluster: ${amd.fileName}`);
		expect(frame).toContain(`now in the cluster: ${arm.fileName}`);
	});
});
