// The wizard's state machine, driven the way the hooks drive it: events in, state out, no Ink.
import {describe, expect, it} from 'vitest';
import type {DiscoveredPackage, PackageInspection} from '../../../source/domain/packages/inspection.js';
import type {DiskSample, FailureCause, RunEvent, RunOutcome} from '../../../source/domain/run/run-events.js';
import type {Plan, PlanStep} from '../../../source/domain/plan/plan.js';
import type {WizardError} from '../../../source/domain/shared/wizard-error.js';
import {
	currentPlan,
	initialWizardState,
	outputRingSize,
	resultExitCode,
	retryStepIndex,
	wizardReducer,
	type InitialOptions,
	type WizardEvent,
	type WizardState,
} from '../../../source/workflow/wizard/wizard-reducer.js';
import {settlePreflight} from '../../../source/domain/plan/preflight.js';
import type {PreflightFacts} from '../../../source/domain/plan/plan.js';
import {full, makeInspection} from '../../domain/packages/make-inspection.js';
import {passingFacts} from '../../helpers/preflight-facts.js';
import {discoveredFrom} from '../../helpers/fake-ports.js';

/** What the run-event stream says when a run starts and ends, as the run hook hands it to the reducer. */
function runStarted(logPath: string): WizardEvent {
	return {type: 'run-events', events: [{type: 'run-start', at: 0, logPath, steps: []}]};
}

function runDone(outcome: RunOutcome, at: number): WizardEvent {
	return {type: 'run-events', events: [{type: 'run-end', at, ok: outcome.ok, outcome}]};
}

const dir = '/srv/packages';
const amd = full('v0.11.0', 'amd64');
const arm = full('v0.11.0', 'arm64');
const old = full('v0.10.0', 'amd64');

const partial: DiscoveredPackage = {
	path: `${dir}/addon-offline-full-package-v0.12.0-amd64.tar.gz.part`,
	fileName: 'addon-offline-full-package-v0.12.0-amd64.tar.gz.part',
	size: 5000,
	mtimeMs: 0,
	status: 'incomplete',
	findings: [
		{code: 'incomplete-download', severity: 'error', message: 'Still downloading (.part).', hint: 'Wait for the download to finish.'},
	],
};

const damaged = (inspection: PackageInspection): PackageInspection => ({...inspection, complete: false, integrity: {state: 'damaged'}});

function step(index: number): PlanStep {
	return {
		id: `step-${index + 1}`,
		kind: 'import-addon',
		title: `Import step ${index + 1}`,
		packagePath: amd.path,
		arch: 'amd64',
		argv: ['/root/dce5-installer', 'import', `-addon${index}`],
		cwd: '/root/work',
		expectedBytes: 1000 * (index + 1),
		expectedCharts: 2 + index,
		expectedImages: 10 + index,
	};
}

function makePlan(steps = 3, extra: Partial<Plan> = {}): Plan {
	return {
		operation: 'single-arch-import',
		reason: 'One amd64 package.',
		packages: [amd],
		cluster: {path: '/root/offline/sample/clusterConfig.yaml', addonPackagePaths: [], addonPathShape: 'absent'},
		installer: {path: '/root/dce5-installer', found: true},
		manifestPath: '/root/offline/sample/manifest.yaml',
		steps: Array.from({length: steps}, (_, index) => step(index)),
		disk: [],
		diffs: {registrySpaces: {mustExist: [], alreadyUsed: []}, charts: [], multiArchImages: []},
		findings: [],
		blocked: false,
		...extra,
	};
}

const planError: WizardError = {kind: 'config-missing', message: 'clusterConfig.yaml not found.', hint: 'Pass --config PATH.', exitCode: 2};

function apply(state: WizardState, ...events: WizardEvent[]): WizardState {
	return events.reduce(wizardReducer, state);
}

function start(
	options: InitialOptions = {},
	packages: DiscoveredPackage[] = [discoveredFrom(amd), discoveredFrom(arm), discoveredFrom(old)],
): WizardState {
	return apply(initialWizardState(options), {type: 'discovered', packages});
}

const done = (inspection: PackageInspection): WizardEvent => ({type: 'inspection-done', inspection});

/** Packages chosen, every inspection finished, the plan answered: the Review screen with a plan. */
function onReview(plan: Plan = makePlan(), options: InitialOptions = {}): WizardState {
	const state = apply(start(options), done(amd), done(arm), done(old), {type: 'toggle-selected'}, {type: 'choose-packages'});
	return apply(state, {type: 'plan-built', request: state.planRequest, result: plan});
}

function onRun(plan: Plan = makePlan()): WizardState {
	return apply(onReview(plan), {type: 'accept-plan'}, {type: 'start-run'});
}

const events = (...list: RunEvent[]): WizardEvent => ({type: 'run-events', events: list});
const stepStart = (index: number): RunEvent => ({
	type: 'step-start',
	at: 10 + index,
	stepId: `step-${index + 1}`,
	argv: step(index).argv,
	cwd: '/root/work',
});
const stepEnd = (index: number, exitCode: number, failure?: FailureCause): RunEvent => ({
	type: 'step-end',
	at: 20 + index,
	stepId: `step-${index + 1}`,
	exitCode,
	failure,
});
const output = (line: string): RunEvent => ({type: 'output', at: 1, stepId: 'step-1', stream: 'stdout', line});
const disk = (level: DiskSample['level']): RunEvent => ({type: 'disk', at: 5, samples: [{path: '/root/work', freeBytes: 1000, level}]});
const noSpace: FailureCause = {
	kind: 'no-space',
	message: 'No space left on /root/work.',
	hint: 'Free 20 GB and retry.',
	path: '/root/work',
};

/** Step 1 done, step 2 failed with no space, run over: the Result screen after a failure. */
function failedAtStep2(): WizardState {
	return apply(
		onRun(),
		runStarted('/logs/run-1.log'),
		events(stepStart(0), stepEnd(0, 0), stepStart(1), stepEnd(1, 1, noSpace)),
		runDone({ok: false, failedStepIndex: 1}, 99),
	);
}

describe('discovery', () => {
	it('lists found packages plus --package paths the search missed, with the cursor on the first preselected one', () => {
		const extra = '/elsewhere/addon-offline-full-package-v0.12.0-arm64.tar.gz';
		const state = start({preselected: [extra, arm.path]}, [discoveredFrom(amd), discoveredFrom(arm), partial]);

		expect(state.discovery).toEqual({state: 'done'});
		expect(state.packages.map(item => item.path)).toEqual([amd.path, arm.path, partial.path, extra]);
		expect(state.packages[3]).toMatchObject({fileName: 'addon-offline-full-package-v0.12.0-arm64.tar.gz', status: 'candidate'});
		expect(state.selected).toEqual([extra, arm.path]);
		expect(state.cursor).toBe(1);
	});

	it('queues an inspection for every candidate but none for an incomplete download', () => {
		const state = start({}, [discoveredFrom(amd), partial]);

		expect(state.inspections).toEqual({[amd.path]: {state: 'pending'}});
		expect(state.cursor).toBe(0);
	});

	it('skips the picker when --package chose already (b brings it back)', () => {
		const state = start({preselected: [arm.path]});

		expect(state.screen).toBe('review');
		expect(state.plan).toEqual({state: 'waiting'});
		expect(apply(state, {type: 'back'}).screen).toBe('packages');
	});

	it('runs at once with --yes and --package when the plan is ready, but stays on Review when it is blocked', () => {
		const building = apply(start({preselected: [amd.path], yes: true}), done(amd));
		expect(building.plan).toEqual({state: 'building'});

		const running = apply(building, {type: 'plan-built', request: building.planRequest, result: makePlan()});
		expect(running.screen).toBe('run');
		expect(running.run?.attempt).toBe(1);

		const blocked = apply(building, {type: 'plan-built', request: building.planRequest, result: makePlan(1, {blocked: true})});
		expect(blocked.screen).toBe('review');
		expect(blocked.run).toBeUndefined();
	});

	it('ends the program after a run started by --yes --package succeeds, and waits on the Result after a failure', () => {
		const building = apply(start({preselected: [amd.path], yes: true}), done(amd));
		const running = apply(building, {type: 'plan-built', request: building.planRequest, result: makePlan(1)});

		const succeeded = apply(running, runDone({ok: true}, 100));
		expect(succeeded.screen).toBe('result');
		expect(succeeded.exitCode).toBe(0);

		const failed = apply(running, runDone({ok: false, failedStepIndex: 0}, 100));
		expect(failed.screen).toBe('result');
		expect(failed.exitCode).toBeUndefined();
	});

	it('still shows Review with --yes when the packages were picked by hand', () => {
		const state = apply(start({yes: true}), done(amd), {type: 'toggle-selected'}, {type: 'choose-packages'});
		const ready = apply(state, {type: 'plan-built', request: state.planRequest, result: makePlan()});

		expect(ready.screen).toBe('review');
		expect(apply(ready, {type: 'accept-plan'}).screen).toBe('run');
	});

	it('lists a --package given twice once', () => {
		const state = start({preselected: [arm.path, arm.path]});

		expect(state.selected).toEqual([arm.path]);
		expect(state.packages).toHaveLength(3);
	});

	it('keeps the first answer when discovery reports twice', () => {
		const state = apply(start(), {type: 'discovered', packages: [discoveredFrom(old)]});

		expect(state.packages.map(item => item.path)).toEqual([amd.path, arm.path, old.path]);
	});

	it('records a failed search', () => {
		const state = apply(initialWizardState(), {type: 'discovery-failed', message: 'EACCES /srv/packages'});

		expect(state.discovery).toEqual({state: 'error', message: 'EACCES /srv/packages'});
	});
});

describe('inspection', () => {
	it('shows progress, then the finished result', () => {
		const reading = apply(start(), {type: 'inspection-progress', path: amd.path, bytesRead: 40, totalBytes: 100});
		expect(reading.inspections[amd.path]).toEqual({state: 'progress', bytesRead: 40, totalBytes: 100});

		const finished = apply(reading, done(amd));
		expect(finished.inspections[amd.path]).toEqual({state: 'done', inspection: amd});
	});

	it('never lets a late progress report overwrite a finished or failed result', () => {
		const state = apply(
			start(),
			done(amd),
			{type: 'inspection-failed', path: arm.path, message: 'EIO'},
			{type: 'inspection-progress', path: amd.path, bytesRead: 10, totalBytes: 100},
			{type: 'inspection-progress', path: arm.path, bytesRead: 10, totalBytes: 100},
		);

		expect(state.inspections[amd.path]).toEqual({state: 'done', inspection: amd});
		expect(state.inspections[arm.path]).toEqual({state: 'failed', message: 'EIO'});
	});
});

describe('choosing packages', () => {
	it('selects and deselects the package under the cursor', () => {
		const selected = apply(start(), {type: 'cursor-move', delta: 1}, {type: 'toggle-selected'});
		expect(selected.selected).toEqual([arm.path]);

		expect(apply(selected, {type: 'toggle-selected'}).selected).toEqual([]);
	});

	it('keeps the cursor inside the list', () => {
		expect(apply(start(), {type: 'cursor-move', delta: 10}).cursor).toBe(2);
		expect(apply(start(), {type: 'cursor-move', delta: -10}).cursor).toBe(0);
	});

	it('refuses an incomplete download with a notice naming the file and the reason', () => {
		const state = apply(start({}, [partial, discoveredFrom(amd)]), {type: 'toggle-selected'});

		expect(state.selected).toEqual([]);
		expect(state.notice).toBe(`${partial.fileName} cannot be imported: Still downloading (.part).`);
	});

	it('refuses a corrupt package and an unreadable one', () => {
		const corrupt = apply(start(), done(damaged(amd)), {type: 'toggle-selected'});
		expect(corrupt.selected).toEqual([]);
		expect(corrupt.notice).toBe(`${amd.fileName} cannot be imported: The package is damaged (truncated or corrupt).`);

		const unreadable = apply(start(), {type: 'inspection-failed', path: amd.path, message: 'EIO'}, {type: 'toggle-selected'});
		expect(unreadable.selected).toEqual([]);
		expect(unreadable.notice).toBe(`${amd.fileName} cannot be imported: Could not be read: EIO`);
	});

	it('refuses a package with a blocking finding, and clears the notice on the next move', () => {
		const mismatch = makeInspection(amd.fileName, {
			findings: [{code: 'checksum-mismatch', severity: 'error', message: 'Checksum does not match the published one.'}],
		});
		const refused = apply(start(), done(mismatch), {type: 'toggle-selected'});
		expect(refused.selected).toEqual([]);
		expect(refused.notice).toBe(`${amd.fileName} cannot be imported: Checksum does not match the published one.`);

		expect(apply(refused, {type: 'cursor-move', delta: 1}).notice).toBeUndefined();
	});

	it('drops a chosen package once its inspection shows it is broken, and keeps the others', () => {
		const chosen = apply(start(), {type: 'toggle-selected'}, {type: 'cursor-move', delta: 1}, {type: 'toggle-selected'});
		expect(chosen.selected).toEqual([amd.path, arm.path]);

		expect(apply(chosen, done(damaged(amd))).selected).toEqual([arm.path]);
		expect(apply(chosen, {type: 'inspection-failed', path: arm.path, message: 'EIO'}).selected).toEqual([amd.path]);
	});

	it('selects the package under the cursor when enter is pressed with nothing chosen', () => {
		const state = apply(start(), {type: 'cursor-move', delta: 2}, {type: 'choose-packages'});

		expect(state.screen).toBe('review');
		expect(state.selected).toEqual([old.path]);
	});

	it('stays on Packages when enter finds only an unusable package under the cursor', () => {
		const state = apply(start({}, [partial]), {type: 'choose-packages'});

		expect(state.screen).toBe('packages');
		expect(state.selected).toEqual([]);
		expect(state.notice).toBe(`${partial.fileName} cannot be imported: Still downloading (.part).`);
	});

	it('asks for a choice when enter is pressed on an empty list', () => {
		const state = apply(start({}, []), {type: 'choose-packages'});

		expect(state.screen).toBe('packages');
		expect(state.notice).toBe('Choose at least one package (space), then press enter.');
	});

	it('ignores enter while the search is still running', () => {
		const state = apply(initialWizardState({preselected: [amd.path]}), {type: 'choose-packages'});

		expect(state.screen).toBe('packages');
		expect(state.planRequest).toBe(0);
	});
});

describe('review', () => {
	it('waits for the chosen packages to be read, then builds, then shows the plan', () => {
		const waiting = apply(start({preselected: [amd.path, arm.path]}), {type: 'choose-packages'});
		expect(waiting.screen).toBe('review');
		expect(waiting.plan).toEqual({state: 'waiting'});
		expect(waiting.planRequest).toBe(1);

		const stillWaiting = apply(waiting, done(amd), done(old));
		expect(stillWaiting.plan).toEqual({state: 'waiting'});

		const building = apply(stillWaiting, done(arm));
		expect(building.plan).toEqual({state: 'building'});

		const plan = makePlan();
		const ready = apply(building, {type: 'plan-built', request: 1, result: plan});
		expect(ready.plan).toEqual({state: 'ready', plan});
	});

	it('shows how far the plan has read the baseline, only for the plan being built, and forgets it once the plan is there', () => {
		const building = apply(start(), done(amd), {type: 'choose-packages'});
		const reading = apply(building, {
			type: 'baseline-progress',
			request: building.planRequest,
			path: '/srv/old.tar.gz',
			bytesRead: 10,
			totalBytes: 40,
		});
		expect(reading.baselineReading).toEqual({path: '/srv/old.tar.gz', bytesRead: 10, totalBytes: 40});
		expect(
			apply(building, {
				type: 'baseline-progress',
				request: building.planRequest - 1,
				path: '/srv/old.tar.gz',
				bytesRead: 10,
				totalBytes: 40,
			}).baselineReading,
		).toBeUndefined();
		expect(apply(reading, {type: 'plan-built', request: reading.planRequest, result: makePlan()}).baselineReading).toBeUndefined();
	});

	it('builds at once when every chosen package was already read', () => {
		const state = apply(start(), done(amd), {type: 'choose-packages'});

		expect(state.plan).toEqual({state: 'building'});
	});

	it('shows why a chosen package cannot be used when it turns out broken while Review waits', () => {
		const state = apply(start({preselected: [amd.path]}), {type: 'choose-packages'}, done(damaged(amd)));

		expect(state.plan).toEqual({
			state: 'error',
			error: {
				kind: 'package-unusable',
				message: `${amd.fileName}: The package is damaged (truncated or corrupt).`,
				hint: 'Press b to go back and choose another package.',
				exitCode: 2,
			},
		});
	});

	it('shows a plan that could not be built as an error', () => {
		const state = apply(start(), done(amd), {type: 'choose-packages'}, {type: 'plan-built', request: 1, result: planError});

		expect(state.plan).toEqual({state: 'error', error: planError});
	});

	it('ignores a plan for an abandoned selection (after back)', () => {
		const first = apply(start(), done(amd), done(arm), {type: 'choose-packages'});
		const firstRequest = first.planRequest;
		const back = apply(first, {type: 'back'});
		expect(back.screen).toBe('packages');
		expect(back.plan).toEqual({state: 'none'});

		const late = apply(back, {type: 'plan-built', request: firstRequest, result: makePlan(1)});
		expect(late.plan).toEqual({state: 'none'});

		const again = apply(late, {type: 'cursor-move', delta: 1}, {type: 'toggle-selected'}, {type: 'choose-packages'});
		expect(again.selected).toEqual([amd.path, arm.path]);
		const stale = apply(again, {type: 'plan-built', request: firstRequest, result: makePlan(1)});
		expect(stale.plan).toEqual({state: 'building'});

		const fresh = makePlan(2);
		expect(apply(stale, {type: 'plan-built', request: again.planRequest, result: fresh}).plan).toEqual({state: 'ready', plan: fresh});
	});

	it('does not accept a blocked plan', () => {
		const state = apply(onReview(makePlan(1, {blocked: true})), {type: 'accept-plan'});

		expect(state.screen).toBe('review');
		expect(state.run).toBeUndefined();
	});

	it('does not accept while the plan is still being built', () => {
		const state = apply(start(), done(amd), {type: 'choose-packages'}, {type: 'accept-plan'});

		expect(state.screen).toBe('review');
	});

	it('goes to Confirm, and with --yes straight to Run', () => {
		expect(apply(onReview(), {type: 'accept-plan'}).screen).toBe('confirm');

		const yes = apply(onReview(makePlan(), {yes: true}), {type: 'accept-plan'});
		expect(yes.screen).toBe('run');
		expect(yes.run).toMatchObject({attempt: 1, fromStep: 0, current: -1, status: ['pending', 'pending', 'pending']});
	});

	it('toggles chart details and keeps scrolling inside the text', () => {
		const review = onReview();
		expect(apply(review, {type: 'toggle-chart-details'}).showChartDetails).toBe(true);
		expect(apply(review, {type: 'scroll', delta: 5, max: 3}).reviewScroll).toBe(3);
		expect(apply(review, {type: 'scroll', delta: 2, max: 3}, {type: 'scroll', delta: -5, max: 3}).reviewScroll).toBe(0);
	});
});

describe('back and quit', () => {
	it('goes back from Confirm to Review with the plan kept, and from Review to Packages', () => {
		const review = apply(onReview(), {type: 'accept-plan'}, {type: 'back'});
		expect(review.screen).toBe('review');
		expect(review.plan.state).toBe('ready');

		const packages = apply(review, {type: 'back'});
		expect(packages.screen).toBe('packages');
		expect(packages.plan).toEqual({state: 'none'});
		expect(packages.selected).toEqual([amd.path]);
	});

	it('closes help before going back', () => {
		const state = apply(onReview(), {type: 'toggle-help'}, {type: 'back'});

		expect(state.help).toBe(false);
		expect(state.screen).toBe('review');
	});

	it('exits 1 when quitting before a run', () => {
		expect(apply(start(), {type: 'quit'}).exitCode).toBe(1);
		expect(apply(onReview(), {type: 'quit'}).exitCode).toBe(1);
		expect(apply(onReview(), {type: 'accept-plan'}, {type: 'quit'}).exitCode).toBe(1);
	});

	it('exits 3 when quitting from a blocked plan, as `addon-wizard plan` would', () => {
		expect(apply(onReview(makePlan(1, {blocked: true})), {type: 'quit'}).exitCode).toBe(3);
	});

	it('ignores quit on the Run screen', () => {
		const run = onRun();
		const state = apply(run, {type: 'quit'});

		expect(state).toBe(run);
		expect(state.exitCode).toBeUndefined();
	});

	it('exits with the result: 0 ok, 4 failed, 130 interrupted', () => {
		const ok = apply(onRun(), runDone({ok: true}, 1), {type: 'quit'});
		const failed = apply(onRun(), runDone({ok: false, failedStepIndex: 0}, 1), {type: 'quit'});
		const interrupted = apply(onRun(), runDone({ok: false, failedStepIndex: 0, interrupted: true}, 1), {type: 'quit'});

		expect([ok.exitCode, failed.exitCode, interrupted.exitCode]).toEqual([0, 4, 130]);
	});

	it('exits with the code of the error that stopped a run before the installer, like `run --yes`', () => {
		const changed: WizardError = {kind: 'package-changed', message: 'Package changed.', hint: 'Start again.', exitCode: 2};
		const state = apply(onRun(), runDone({ok: false, failedStepIndex: 0, error: changed}, 1));

		expect(resultExitCode(state)).toBe(2);
	});

	it('keeps the first exit code', () => {
		const state = apply(onRun(), runDone({ok: true}, 1), {type: 'quit'}, {type: 'quit'});

		expect(state.exitCode).toBe(0);
	});
});

describe('run events', () => {
	it('marks a started step running with its expected totals, and records the log', () => {
		const state = apply(onRun(), events({type: 'run-start', at: 7, logPath: '/logs/run-1.log', steps: []}, stepStart(1)));

		expect(state.run).toMatchObject({logPath: '/logs/run-1.log', startedAt: 7, current: 1, status: ['pending', 'running', 'pending']});
		expect(state.run?.progress[1]).toEqual({
			unpackedBytes: 0,
			expectedBytes: 2000,
			chartsSeen: 0,
			expectedCharts: 3,
			imagesSeen: 0,
			expectedImages: 11,
		});
	});

	it('takes the log path from the run-start event of the stream, before any step starts', () => {
		const state = apply(onRun(), runStarted('/logs/a.log'));
		expect(state.run?.logPath).toBe('/logs/a.log');
		expect(state.run?.current).toBe(-1);
	});

	it('keeps the last outputRingSize lines across batches and counts every line', () => {
		const first = Array.from({length: 150}, (_, index) => output(`line ${index}`));
		const second = Array.from({length: 100}, (_, index) => output(`line ${150 + index}`));
		const state = apply(onRun(), events(...first), events(...second));

		expect(state.run?.output).toHaveLength(outputRingSize);
		expect(state.run?.output[0]).toEqual({stream: 'stdout', line: 'line 50'});
		expect(state.run?.output.at(-1)).toEqual({stream: 'stdout', line: 'line 249'});
		expect(state.run?.outputSeen).toBe(250);
	});

	it('keeps the ring bounded after a 200,000-line batch', () => {
		const flood = Array.from({length: 200_000}, (_, index): RunEvent => ({
			type: 'output',
			at: 1,
			stepId: 'step-1',
			stream: index % 2 ? 'stderr' : 'stdout',
			line: `line ${index}`,
		}));
		const state = apply(onRun(), events(output('before')), {type: 'run-events', events: flood});

		expect(state.run?.output).toHaveLength(outputRingSize);
		expect(state.run?.output[0]).toEqual({stream: 'stdout', line: `line ${200_000 - outputRingSize}`});
		expect(state.run?.output.at(-1)).toEqual({stream: 'stderr', line: 'line 199999'});
		expect(state.run?.outputSeen).toBe(200_001);
	});

	it('records progress and disk samples, and ignores progress for an unknown step', () => {
		const progress = {unpackedBytes: 500, expectedBytes: 1000, chartsSeen: 1, expectedCharts: 2, imagesSeen: 3, expectedImages: 10};
		const state = apply(
			onRun(),
			events(
				stepStart(0),
				{type: 'progress', at: 2, stepId: 'step-1', progress},
				{type: 'progress', at: 2, stepId: 'nope', progress},
				disk('low'),
			),
		);

		expect(state.run?.progress).toEqual([progress, undefined, undefined]);
		expect(state.run?.disk).toEqual([{path: '/root/work', freeBytes: 1000, level: 'low'}]);
	});

	it('marks a step done on exit 0 and failed with its cause otherwise', () => {
		const state = apply(onRun(), events(stepStart(0), stepEnd(0, 0), stepStart(1), stepEnd(1, 1, noSpace)));

		expect(state.run).toMatchObject({status: ['done', 'failed', 'pending'], failedStepIndex: 1, failure: noSpace});
	});

	it('marks a step killed by a signal failed', () => {
		const state = apply(onRun(), events(stepStart(0), {type: 'step-end', at: 3, stepId: 'step-1', signal: 'SIGKILL'}));

		expect(state.run?.status).toEqual(['failed', 'pending', 'pending']);
		expect(state.run?.failedStepIndex).toBe(0);
	});

	it('records the config written and the clean-up done', () => {
		const state = apply(
			onRun(),
			events(
				{
					type: 'config-written',
					at: 1,
					path: '/root/offline/sample/clusterConfig.yaml',
					backupPath: '/root/offline/sample/clusterConfig.yaml.bak-1',
				},
				{type: 'cleanup', at: 2, path: '/root/work/addon-offline-target-package', freedBytes: 4096},
				{type: 'run-end', at: 50, ok: true, outcome: {ok: true}},
			),
		);

		expect(state.run).toMatchObject({
			config: {path: '/root/offline/sample/clusterConfig.yaml', backupPath: '/root/offline/sample/clusterConfig.yaml.bak-1'},
			cleaned: {path: '/root/work/addon-offline-target-package', freedBytes: 4096},
			endedAt: 50,
		});
	});

	it('ignores run events once the run is over', () => {
		const over = apply(onRun(), runDone({ok: true}, 1));

		expect(apply(over, events(stepStart(0), output('late')))).toBe(over);
	});
});

describe('stopping', () => {
	it('asks before stopping, then stops', () => {
		const asked = apply(onRun(), {type: 'ask-stop'});
		expect(asked.run).toMatchObject({confirmStop: true, stopping: false});

		const stopping = apply(asked, {type: 'confirm-stop'});
		expect(stopping.run).toMatchObject({confirmStop: false, stopping: true});
		expect(apply(stopping, {type: 'ask-stop'}).run?.confirmStop).toBe(false);
	});

	it('keeps running when the question is cancelled', () => {
		const state = apply(onRun(), {type: 'ask-stop'}, {type: 'cancel-stop'});

		expect(state.run).toMatchObject({confirmStop: false, stopping: false});
	});

	it('does not stop on y unless it was asked', () => {
		expect(apply(onRun(), {type: 'confirm-stop'}).run?.stopping).toBe(false);
	});

	it('stops at once only while a disk sample is critical', () => {
		expect(apply(onRun(), events(disk('low')), {type: 'stop-now'}).run?.stopping).toBe(false);
		expect(apply(onRun(), events(disk('critical')), {type: 'ask-stop'}, {type: 'stop-now'}).run).toMatchObject({
			stopping: true,
			confirmStop: false,
		});
	});
});

describe('run done', () => {
	it('shows the result with the failed step', () => {
		const state = failedAtStep2();

		expect(state.screen).toBe('result');
		expect(state.run).toMatchObject({
			outcome: {ok: false, failedStepIndex: 1},
			failedStepIndex: 1,
			status: ['done', 'failed', 'pending'],
			failure: noSpace,
			endedAt: 99,
		});
		expect(retryStepIndex(state)).toBe(1);
	});

	it('takes the failed step from step-end when the outcome does not name one', () => {
		const state = apply(onRun(), events(stepStart(0), stepEnd(0, 1)), runDone({ok: false}, 5));

		expect(state.run?.failedStepIndex).toBe(0);
		expect(retryStepIndex(state)).toBe(0);
	});

	it('explains a crash of the run and shows no step still running', () => {
		const state = apply(onRun(), events(stepStart(0)), {type: 'run-crashed', message: 'spawn EACCES', at: 8});

		expect(state.screen).toBe('result');
		expect(state.run?.failure).toEqual({
			kind: 'unknown',
			message: 'The run could not continue: spawn EACCES',
			hint: 'See the log, fix the cause and run the wizard again.',
			lastErrors: [],
		});
		expect(state.run?.status).toEqual(['failed', 'pending', 'pending']);
		expect(state.run?.endedAt).toBe(8);
	});

	it('offers no retry after a successful run', () => {
		const state = apply(onRun(), runDone({ok: true}, 1));

		expect(retryStepIndex(state)).toBeUndefined();
		expect(apply(state, {type: 'retry'}).retry).toEqual({state: 'idle'});
	});

	it('clears a pending stop question when the run ends', () => {
		const state = apply(onRun(), {type: 'ask-stop'}, runDone({ok: true}, 1));

		expect(state.run).toMatchObject({confirmStop: false, stopping: false});
	});
});

describe('retry', () => {
	/** The pre-flight checked again before the retry, finding nothing new that blocks. */
	const recheckedClear: WizardEvent = {type: 'retry-rechecked', plan: currentPlan(failedAtStep2())!};

	it('re-runs the whole pre-flight before the retry, and stops there when the disk is still full', () => {
		const state = failedAtStep2();
		const plan = currentPlan(state)!;
		const full = {
			...plan,
			preflight: [
				{id: 'disk' as const, status: 'block' as const, message: 'Not enough space on / (needs 9 GB, 2 GB free).', hint: 'Free 7 GB on /'},
			],
		};
		const blocked = apply(state, {type: 'retry'}, {type: 'retry-rechecked', plan: full});
		expect(blocked.retry).toEqual({state: 'blocked', checks: full.preflight});
		expect(blocked.screen).toBe('result');
		// Once it is fixed, r checks again.
		expect(apply(blocked, {type: 'retry'}).retry).toEqual({state: 'rechecking'});
		expect(apply(blocked, {type: 'retry'}, recheckedClear).retry).toEqual({state: 'measuring'});
	});

	it('measures, asks, cleans up, then starts a new attempt from the failed step', () => {
		const rechecking = apply(failedAtStep2(), {type: 'retry'});
		expect(rechecking.retry).toEqual({state: 'rechecking'});
		const measuring = apply(rechecking, recheckedClear);
		expect(measuring.retry).toEqual({state: 'measuring'});

		const leftover = {path: '/root/work/addon-offline-target-package', bytes: 7_000_000};
		const asking = apply(measuring, {type: 'leftover-measured', leftover});
		expect(asking.retry).toEqual({state: 'ask', leftover});
		expect(asking.screen).toBe('result');

		const cleaning = apply(asking, {type: 'cleanup-accepted'});
		expect(cleaning.retry).toEqual({state: 'cleaning', leftover});

		const cleaned = {path: leftover.path, freedBytes: 7_000_000};
		const rerun = apply(cleaning, {type: 'cleanup-done', result: cleaned});
		expect(rerun.screen).toBe('run');
		expect(rerun.retry).toEqual({state: 'idle'});
		expect(rerun.run).toMatchObject({
			attempt: 2,
			fromStep: 1,
			current: -1,
			status: ['done', 'pending', 'pending'],
			output: [],
			outputSeen: 0,
			cleaned,
			confirmStop: false,
			stopping: false,
		});
		expect(rerun.run?.outcome).toBeUndefined();
		expect(rerun.run?.failedStepIndex).toBeUndefined();
		expect(rerun.run?.logPath).toBeUndefined();
	});

	it('removes a leftover holding unexplained files only after delete is typed, and tells the clean-up their names', () => {
		const unexplained = {paths: ['my-notes/precious.txt'], count: 1};
		const leftover = {path: '/root/work/addon-offline-target-package', bytes: 10, unexplained};
		const asking = apply(failedAtStep2(), {type: 'retry'}, recheckedClear, {type: 'leftover-measured', leftover});

		// y (or enter) alone removes nothing and says so.
		const refused = apply(asking, {type: 'cleanup-accepted'});
		expect(refused.retry).toEqual({state: 'ask', leftover, notConfirmed: true});

		const typedWrong = apply(refused, ...[...'delet'].map(text => ({type: 'cleanup-type' as const, text})), {type: 'cleanup-accepted'});
		expect(typedWrong.retry).toMatchObject({state: 'ask', typed: 'delet', notConfirmed: true});

		const typed = apply(typedWrong, {type: 'cleanup-erase'}, {type: 'cleanup-type', text: 't'}, {type: 'cleanup-type', text: 'e'});
		expect(typed.retry).toMatchObject({state: 'ask', typed: 'delete', notConfirmed: false});
		expect(apply(typed, {type: 'cleanup-accepted'}).retry).toEqual({state: 'cleaning', leftover, consent: ['my-notes/precious.txt']});
		expect(apply(typed, {type: 'cleanup-declined'}).retry).toEqual({state: 'idle'});
	});

	it('re-runs directly when there is no leftover', () => {
		const state = apply(failedAtStep2(), {type: 'retry'}, recheckedClear, {type: 'leftover-measured', leftover: undefined});

		expect(state.screen).toBe('run');
		expect(state.run).toMatchObject({attempt: 2, fromStep: 1, status: ['done', 'pending', 'pending']});
		expect(state.run?.cleaned).toBeUndefined();
	});

	it('stays on the result when the clean-up is declined', () => {
		const state = apply(
			failedAtStep2(),
			{type: 'retry'},
			recheckedClear,
			{type: 'leftover-measured', leftover: {path: '/x', bytes: 1}},
			{type: 'cleanup-declined'},
		);

		expect(state.screen).toBe('result');
		expect(state.retry).toEqual({state: 'idle'});
	});

	it('shows a failed clean-up as an error the user can retry from', () => {
		const refused: WizardError = {
			kind: 'cleanup-refused',
			message: '/root/work/addon-offline-target-package is not a directory.',
			hint: 'Remove it by hand.',
			exitCode: 2,
		};
		const failed = apply(
			failedAtStep2(),
			{type: 'retry'},
			recheckedClear,
			{type: 'leftover-measured', leftover: {path: '/x', bytes: 1}},
			{type: 'cleanup-accepted'},
			{type: 'cleanup-done', result: refused},
		);
		expect(failed.screen).toBe('result');
		expect(failed.retry).toEqual({state: 'error', error: refused});

		expect(apply(failed, {type: 'retry'}).retry).toEqual({state: 'rechecking'});
	});

	it('shows a failed measurement as an error', () => {
		const error: WizardError = {kind: 'measure-failed', message: 'EACCES', hint: 'Check permissions.', exitCode: 2};

		expect(apply(failedAtStep2(), {type: 'retry'}, recheckedClear, {type: 'retry-failed', error}).retry).toEqual({state: 'error', error});
	});

	it('ignores answers nobody asked for', () => {
		const result = failedAtStep2();

		expect(apply(result, {type: 'leftover-measured', leftover: undefined})).toBe(result);
		expect(apply(result, {type: 'cleanup-accepted'})).toBe(result);
		expect(apply(result, {type: 'cleanup-done', result: {path: '/x', freedBytes: 1}})).toBe(result);
		expect(apply(result, {type: 'retry-rechecked', plan: currentPlan(result)!})).toBe(result);
		expect(apply(result, {type: 'retry'}, {type: 'retry'}).retry).toEqual({state: 'rechecking'});
	});

	it('retries a second failure from the step that failed that time', () => {
		const second = apply(
			failedAtStep2(),
			{type: 'retry'},
			recheckedClear,
			{type: 'leftover-measured', leftover: undefined},
			events(stepStart(1), stepEnd(1, 0), stepStart(2), stepEnd(2, 1)),
			runDone({ok: false, failedStepIndex: 2}, 200),
			{type: 'retry'},
			recheckedClear,
			{type: 'leftover-measured', leftover: undefined},
		);

		expect(second.run).toMatchObject({attempt: 3, fromStep: 2, status: ['done', 'done', 'pending']});
	});
});

describe('log pager', () => {
	it('opens the log on the result screen when there is one, and closes it', () => {
		const open = apply(failedAtStep2(), {type: 'open-log'});
		expect(open.pagerOpen).toBe(true);

		expect(apply(open, {type: 'log-closed'}).pagerOpen).toBe(false);
	});

	it('does not open without a log path, nor during the run', () => {
		expect(apply(onRun(), runDone({ok: false}, 1), {type: 'open-log'}).pagerOpen).toBe(false);
		expect(apply(onRun(), runStarted('/logs/a.log'), {type: 'open-log'}).pagerOpen).toBe(false);
	});
});

describe('attach', () => {
	it('opens on the Run screen with the plan of the run in progress', () => {
		const plan = makePlan(2);
		const state = initialWizardState({attachPlan: plan});

		expect(state.screen).toBe('run');
		expect(state.discovery).toEqual({state: 'done'});
		expect(state.plan).toEqual({state: 'ready', plan});
		expect(state.run).toMatchObject({attempt: 1, fromStep: 0, current: -1, status: ['pending', 'pending']});

		const following = apply(state, events(stepStart(0), stepEnd(0, 0), stepStart(1)));
		expect(following.run?.status).toEqual(['done', 'running']);
		expect(apply(following, {type: 'quit'}).exitCode).toBeUndefined();
	});
});

describe('help', () => {
	it('toggles the overlay on any screen', () => {
		expect(apply(start(), {type: 'toggle-help'}).help).toBe(true);
		expect(apply(onRun(), {type: 'toggle-help'}, {type: 'toggle-help'}).help).toBe(false);
	});
});

describe('confirm and the pre-flight (plan slice)', () => {
	const roomy = {
		device: '8:1',
		paths: [{path: '/root/work', role: 'workdir' as const}],
		neededBytes: 1000,
		freeBytes: 1_000_000,
		totalBytes: 2_000_000,
		shortBytes: 0,
		basis: '',
	};
	const checked = (
		extra: Partial<PreflightFacts> = {},
		plan = makePlan(2, {
			disk: [roomy],
			cluster: {path: '/root/c.yaml', kind: 'ClusterConfig', addonPackagePaths: [], addonPathShape: 'absent'},
		}),
	) => settlePreflight(plan, passingFacts(extra), false);
	const warned = makePlan(2, {
		findings: [{code: 'downgrade', severity: 'warning', message: 'Downgrade: v0.10.0 is older than v0.11.0.', hint: 'Make sure.'}],
	});
	const type = (text: string): WizardEvent => ({type: 'confirm-type', text});

	it('never runs on enter alone: enter on Confirm says so and stays', () => {
		const state = apply(onReview(), {type: 'accept-plan'}, {type: 'confirm-enter'});
		expect(state.screen).toBe('confirm');
		expect(state.confirm).toEqual({typed: '', refused: 'enter'});
		expect(state.run).toBeUndefined();
		expect(apply(state, {type: 'start-run'}).screen).toBe('run');
	});

	it('takes yes typed out for a plan with a warning: y alone does not run, what was typed is kept, backspace erases', () => {
		let state = apply(onReview(warned), {type: 'accept-plan'}, {type: 'start-run'});
		expect(state.screen).toBe('confirm');
		state = apply(state, type('y'), type('e'), type('x'), {type: 'confirm-erase'});
		expect(state.confirm.typed).toBe('ye');
		state = apply(state, type('s'), {type: 'confirm-enter'});
		expect(state.screen).toBe('run');
		expect(state.run?.fromStep).toBe(0);
	});

	it('runs nothing for anything but yes, and says so', () => {
		const state = apply(onReview(warned), {type: 'accept-plan'}, type('n'), type('o'), {type: 'confirm-enter'});
		expect(state.screen).toBe('confirm');
		expect(state.confirm).toEqual({typed: '', refused: 'not-yes'});
		expect(apply(state, {type: 'confirm-enter'}).confirm.refused).toBe('enter');
	});

	it('forgets what was typed when the user goes back', () => {
		const state = apply(onReview(warned), {type: 'accept-plan'}, type('y'), {type: 'back'}, {type: 'accept-plan'});
		expect(state.confirm).toEqual({typed: ''});
	});

	it('keeps --yes the scripted path past warnings that lose nothing', () => {
		expect(apply(onReview(warned, {yes: true}), {type: 'accept-plan'}).screen).toBe('run');
	});

	it('stops --yes at Confirm for a hazard: it still waits for yes typed out', () => {
		const hazard = makePlan(2, {
			findings: [
				{
					code: 'arch-conflict-below-0.12',
					severity: 'warning',
					message: 'v0.11.2 is below 0.12.0: arm64 is lost.',
					hint: 'Integrate arm64.',
				},
			],
		});
		const state = apply(onReview(hazard, {yes: true}), {type: 'accept-plan'});
		expect(state.screen).toBe('confirm');
		expect(apply(state, type('y'), type('e'), type('s'), {type: 'confirm-enter'}).screen).toBe('run');
	});

	it('starts at --from-step when it is in range', () => {
		const plan = checked({fromStep: 2});
		const state = apply(onReview(plan), {type: 'accept-plan'}, {type: 'start-run'});
		expect(state.run?.fromStep).toBe(1);
		expect(state.run?.status).toEqual(['done', 'pending']);
	});

	it('x on Review chooses to remove the leftover, unblocking the plan, and x again keeps it', () => {
		const leftover = {path: '/root/work/addon-offline-target-package', bytes: 5000, type: 'directory' as const};
		const review = onReview(checked({leftover}));
		expect(review.plan.state === 'ready' && review.plan.plan.blocked).toBe(true);
		expect(apply(review, {type: 'accept-plan'}).screen).toBe('review');

		const chosen = apply(review, {type: 'toggle-leftover-removal'});
		const plan = chosen.plan.state === 'ready' ? chosen.plan.plan : undefined;
		expect(plan?.blocked).toBe(false);
		expect(plan?.removeLeftover).toEqual({path: leftover.path, bytes: 5000});
		// Removing it is a warning: Confirm takes yes.
		const confirm = apply(chosen, {type: 'accept-plan'}, {type: 'start-run'});
		expect(confirm.screen).toBe('confirm');
		expect(apply(confirm, type('y'), type('e'), type('s'), {type: 'confirm-enter'}).run?.fromStep).toBe(0);

		const kept = apply(chosen, {type: 'toggle-leftover-removal'});
		expect(kept.plan.state === 'ready' && kept.plan.plan.removeLeftover).toBe(undefined);
	});

	it('replaces the plan with its rechecked self for the retry', () => {
		const failed = failedAtStep2();
		const rechecked = {...makePlan(), reason: 'rechecked'};
		const state = apply(failed, {type: 'plan-rechecked', plan: rechecked});
		expect(state.plan).toEqual({state: 'ready', plan: rechecked});
		expect(state.screen).toBe('result');
	});
});
