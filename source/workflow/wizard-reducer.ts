// The wizard as one pure state machine: screens dispatch intents, hooks dispatch what the
// outside world answered, and every decision is made here. Keys that arrive in one burst are
// applied in order against the latest state, which is why nothing is decided in a key handler.
import type {
	DiscoveredPackage,
	DiskSample,
	FailureCause,
	PackageInspection,
	Plan,
	RunEvent,
	RunProgress,
	WizardError,
} from '../domain/model.js';
import {initialProgress} from '../domain/run-progress.js';
import {isWizardError} from '../domain/wizard-error.js';
import {outcomeExitCode} from './outcome-exit-code.js';
import type {RunOutcome} from './ports.js';

/** Output lines kept for the live pane; the full output is in the log file. */
export const outputRingSize = 200;

export type Screen = 'packages' | 'review' | 'confirm' | 'run' | 'result';

export type InspectionStatus =
	| {state: 'pending'}
	| {state: 'progress'; bytesRead: number; totalBytes: number}
	| {state: 'done'; inspection: PackageInspection}
	| {state: 'failed'; message: string};

export type PlanState =
	| {state: 'none'}
	/** Waiting for the chosen packages' inspections to finish. */
	| {state: 'waiting'}
	| {state: 'building'}
	| {state: 'ready'; plan: Plan}
	| {state: 'error'; error: WizardError};

export type StepStatus = 'pending' | 'running' | 'done' | 'failed';

export type OutputLine = {stream: 'stdout' | 'stderr'; line: string};

export type Leftover = {path: string; bytes: number};

export type RunState = {
	/** Bumped for every run the run hook must start (first run, each retry). */
	attempt: number;
	fromStep: number;
	/** Index in plan.steps of the step running or last run; -1 before the first starts. */
	current: number;
	status: StepStatus[];
	progress: Array<RunProgress | undefined>;
	output: OutputLine[];
	/** Output lines seen in this attempt, including those that fell out of the ring. */
	outputSeen: number;
	disk: DiskSample[];
	logPath?: string;
	startedAt?: number;
	endedAt?: number;
	config?: {path: string; backupPath: string};
	failure?: FailureCause;
	failedStepIndex?: number;
	outcome?: RunOutcome;
	confirmStop: boolean;
	stopping: boolean;
	/** Why the installer is being stopped: the operator asked, or the disk was about to fill. */
	stopReason?: 'user' | 'disk-floor';
	/** What the last clean-up removed, shown on the re-run. */
	cleaned?: {path: string; freedBytes: number};
};

export type RetryState =
	| {state: 'idle'}
	| {state: 'measuring'}
	| {state: 'ask'; leftover: Leftover}
	| {state: 'cleaning'; leftover: Leftover}
	| {state: 'error'; error: WizardError};

export type WizardState = {
	screen: Screen;
	help: boolean;
	/** The log pager owns the terminal: no key handler may listen. */
	pagerOpen: boolean;
	/** --yes: Review goes straight to Run. */
	yes: boolean;
	/** --yes with --package: everything was chosen by flags, so a plan that is not blocked runs as soon as it is ready. */
	autoRun: boolean;
	discovery: {state: 'loading'} | {state: 'done'} | {state: 'error'; message: string};
	packages: DiscoveredPackage[];
	inspections: Record<string, InspectionStatus>;
	selected: string[];
	cursor: number;
	/** One line of feedback for the last key on the Packages screen. */
	notice?: string;
	plan: PlanState;
	/** Tags plan requests so an answer for an abandoned selection is ignored. */
	planRequest: number;
	showChartDetails: boolean;
	/** While the plan reads the baseline: which file and how far. */
	baselineReading?: {path: string; bytesRead: number; totalBytes: number};
	/** First body row shown on the scrollable screens (Review, Confirm, Result). */
	reviewScroll: number;
	run?: RunState;
	retry: RetryState;
	/** Set once the wizard should end; the app exits with it. */
	exitCode?: number;
};

export type WizardEvent =
	| {type: 'discovered'; packages: DiscoveredPackage[]}
	| {type: 'discovery-failed'; message: string}
	| {type: 'inspection-progress'; path: string; bytesRead: number; totalBytes: number}
	| {type: 'inspection-done'; inspection: PackageInspection}
	| {type: 'inspection-failed'; path: string; message: string}
	| {type: 'cursor-move'; delta: number}
	| {type: 'toggle-selected'}
	| {type: 'choose-packages'}
	| {type: 'plan-built'; request: number; result: Plan | WizardError}
	/** The plan is reading the package the cluster has now (the baseline), to compare. */
	| {type: 'baseline-progress'; request: number; path: string; bytesRead: number; totalBytes: number}
	| {type: 'toggle-chart-details'}
	| {type: 'scroll'; delta: number; max: number}
	| {type: 'accept-plan'}
	| {type: 'start-run'}
	| {type: 'back'}
	| {type: 'toggle-help'}
	| {type: 'run-started'; logPath: string}
	| {type: 'run-events'; events: RunEvent[]; /** Output lines cut from a flood before they got here. */ dropped?: number}
	| {type: 'run-done'; outcome: RunOutcome; at: number}
	| {type: 'run-crashed'; message: string; at: number}
	| {type: 'ask-stop'}
	| {type: 'cancel-stop'}
	| {type: 'confirm-stop'}
	| {type: 'stop-now'}
	| {type: 'retry'}
	| {type: 'leftover-measured'; leftover?: Leftover}
	| {type: 'cleanup-accepted'}
	| {type: 'cleanup-declined'}
	| {type: 'cleanup-done'; result: {path: string; freedBytes: number} | WizardError}
	| {type: 'retry-failed'; error: WizardError}
	| {type: 'open-log'}
	| {type: 'log-closed'}
	| {type: 'quit'};

export type InitialOptions = {
	preselected?: string[];
	yes?: boolean;
	/** Re-attaching to a run in progress: the wizard opens on the Run screen. */
	attachPlan?: Plan;
	/** Said once on the first screen (e.g. the SSH-outside-tmux advice). */
	notice?: string;
};

export function initialWizardState(options: InitialOptions = {}): WizardState {
	const base: WizardState = {
		screen: 'packages',
		help: false,
		pagerOpen: false,
		yes: options.yes ?? false,
		autoRun: (options.yes ?? false) && (options.preselected?.length ?? 0) > 0,
		discovery: {state: 'loading'},
		packages: [],
		inspections: {},
		selected: [...new Set(options.preselected ?? [])],
		cursor: 0,
		plan: {state: 'none'},
		planRequest: 0,
		showChartDetails: false,
		reviewScroll: 0,
		retry: {state: 'idle'},
		notice: options.notice,
	};
	if (!options.attachPlan) {
		return base;
	}

	return {...base, discovery: {state: 'done'}, screen: 'run', plan: {state: 'ready', plan: options.attachPlan}, run: newRun(options.attachPlan, 0, 1)};
}

// ---- Selectors: pure questions the screens and hooks ask of the state ----

/** Why a package cannot be chosen, or undefined when it can. */
export function unavailableReason(state: WizardState, item: DiscoveredPackage): string | undefined {
	if (item.status === 'incomplete') {
		return item.findings[0]?.message ?? 'Incomplete download.';
	}

	const status = state.inspections[item.path];
	if (status?.state === 'failed') {
		return `Could not be read: ${status.message}`;
	}

	if (status?.state === 'done') {
		const blocking = status.inspection.findings.find(finding => finding.severity === 'error');
		if (blocking) {
			return blocking.message;
		}

		if (!status.inspection.complete) {
			return 'The package is damaged (truncated or corrupt).';
		}
	}

	return undefined;
}

export function isOfferable(state: WizardState, item: DiscoveredPackage): boolean {
	return unavailableReason(state, item) === undefined;
}

/** The chosen packages in list order, which is the order the plan sees them in. */
export function chosenPackages(state: WizardState): DiscoveredPackage[] {
	return state.packages.filter(item => state.selected.includes(item.path));
}

export function chosenInspections(state: WizardState): PackageInspection[] {
	return chosenPackages(state).flatMap(item => {
		const status = state.inspections[item.path];
		return status?.state === 'done' ? [status.inspection] : [];
	});
}

export function currentPlan(state: WizardState): Plan | undefined {
	return state.plan.state === 'ready' ? state.plan.plan : undefined;
}

/** The step a retry starts from, when the last run failed at one. */
export function retryStepIndex(state: WizardState): number | undefined {
	const run = state.run;
	if (!run?.outcome || run.outcome.ok) {
		return undefined;
	}

	return run.outcome.failedStepIndex ?? run.failedStepIndex;
}

export function resultExitCode(state: WizardState): number {
	const outcome = state.run?.outcome;
	return outcome ? outcomeExitCode(outcome) : 1;
}

// ---- Transitions ----

function newRun(plan: Plan, fromStep: number, attempt: number, cleaned?: RunState['cleaned']): RunState {
	return {
		attempt,
		fromStep,
		current: -1,
		status: plan.steps.map((_, index) => (index < fromStep ? 'done' : 'pending')),
		progress: plan.steps.map(() => undefined),
		output: [],
		outputSeen: 0,
		disk: [],
		confirmStop: false,
		stopping: false,
		cleaned,
	};
}

function beginRun(state: WizardState, fromStep: number, cleaned?: RunState['cleaned']): WizardState {
	const plan = currentPlan(state);
	if (!plan) {
		return state;
	}

	const attempt = (state.run?.attempt ?? 0) + 1;
	return {...state, screen: 'run', help: false, retry: {state: 'idle'}, run: newRun(plan, fromStep, attempt, cleaned)};
}

function unusable(item: DiscoveredPackage, reason: string): WizardError {
	return {kind: 'package-unusable', message: `${item.fileName}: ${reason}`, hint: 'Press b to go back and choose another package.', exitCode: 2};
}

/** While Review waits, each inspection answer may unblock (or spoil) the plan. */
function settlePlanWait(state: WizardState): WizardState {
	if (state.plan.state !== 'waiting') {
		return state;
	}

	const chosen = chosenPackages(state);
	for (const item of chosen) {
		const reason = unavailableReason(state, item);
		if (reason) {
			return {...state, plan: {state: 'error', error: unusable(item, reason)}};
		}
	}

	const allDone = chosen.every(item => state.inspections[item.path]?.state === 'done');
	return allDone ? {...state, plan: {state: 'building'}} : state;
}

/** A package found broken after it was chosen is dropped from the selection. */
function dropUnofferable(state: WizardState): WizardState {
	if (state.screen !== 'packages') {
		return state;
	}

	const selected = state.selected.filter(path => {
		const item = state.packages.find(candidate => candidate.path === path);
		return !item || isOfferable(state, item);
	});
	return selected.length === state.selected.length ? state : {...state, selected};
}

function withInspection(state: WizardState, path: string, status: InspectionStatus): WizardState {
	// A late progress report must not overwrite a finished result.
	const previous = state.inspections[path];
	if (status.state === 'progress' && (previous?.state === 'done' || previous?.state === 'failed')) {
		return state;
	}

	const next = {...state, inspections: {...state.inspections, [path]: status}};
	return settlePlanWait(dropUnofferable(next));
}

function fileNameOf(path: string): string {
	return path.split('/').pop() ?? path;
}

/** --package paths the search did not find are still listed, so they can be inspected. */
function withPreselected(found: DiscoveredPackage[], preselected: string[]): DiscoveredPackage[] {
	const missing = preselected.filter(path => !found.some(item => item.path === path));
	const extra = missing.map((path): DiscoveredPackage => ({path, fileName: fileNameOf(path), size: Number.NaN, mtimeMs: 0, status: 'candidate', findings: []}));
	return [...found, ...extra];
}

function discovered(state: WizardState, found: DiscoveredPackage[]): WizardState {
	const packages = withPreselected(found, state.selected);
	const inspections = Object.fromEntries(packages.filter(item => item.status === 'candidate').map(item => [item.path, {state: 'pending'} as InspectionStatus]));
	const first = packages.findIndex(item => state.selected.includes(item.path));
	const next: WizardState = {...state, discovery: {state: 'done'}, packages, inspections, cursor: Math.max(0, first)};
	// --package already chose: the picker is skipped (b on Review brings it back).
	return next.selected.length > 0 ? choosePackages(next) : next;
}

function moveCursor(state: WizardState, delta: number): WizardState {
	const last = state.packages.length - 1;
	return {...state, notice: undefined, cursor: Math.max(0, Math.min(last, state.cursor + delta))};
}

function toggleSelected(state: WizardState): WizardState {
	const item = state.packages[state.cursor];
	if (!item) {
		return state;
	}

	if (state.selected.includes(item.path)) {
		return {...state, notice: undefined, selected: state.selected.filter(path => path !== item.path)};
	}

	const reason = unavailableReason(state, item);
	return reason
		? {...state, notice: `${item.fileName} cannot be imported: ${reason}`}
		: {...state, notice: undefined, selected: [...state.selected, item.path]};
}

function choosePackages(state: WizardState): WizardState {
	let next = state;
	if (next.selected.length === 0) {
		next = toggleSelected(next);
		if (next.selected.length === 0) {
			return next.notice ? next : {...next, notice: 'Choose at least one package (space), then press enter.'};
		}
	}

	return settlePlanWait({...next, notice: undefined, screen: 'review', plan: {state: 'waiting'}, planRequest: next.planRequest + 1, reviewScroll: 0, showChartDetails: false});
}

function planBuilt(state: WizardState, request: number, result: Plan | WizardError): WizardState {
	if (request !== state.planRequest || state.plan.state !== 'building') {
		return state;
	}

	const next: WizardState = {...state, plan: isWizardError(result) ? {state: 'error', error: result} : {state: 'ready', plan: result}};
	// A blocked plan stays on Review, to say why.
	return next.autoRun && !isWizardError(result) && !result.blocked ? beginRun(next, 0) : next;
}

function acceptPlan(state: WizardState): WizardState {
	const plan = currentPlan(state);
	if (state.screen !== 'review' || !plan || plan.blocked) {
		return state;
	}

	return state.yes ? beginRun(state, 0) : {...state, screen: 'confirm', reviewScroll: 0};
}

function back(state: WizardState): WizardState {
	if (state.help) {
		return {...state, help: false};
	}

	switch (state.screen) {
		case 'review': {
			// Bumping the request orphans a plan still being built for this selection.
			return dropUnofferable({...state, screen: 'packages', plan: {state: 'none'}, planRequest: state.planRequest + 1});
		}

		case 'confirm': {
			return {...state, screen: 'review', reviewScroll: 0};
		}

		default: {
			return state;
		}
	}
}

function quit(state: WizardState): WizardState {
	if (state.screen === 'run' || state.exitCode !== undefined) {
		return state;
	}

	if (state.screen === 'result') {
		return {...state, exitCode: resultExitCode(state)};
	}

	// Leaving a blocked plan says the same as `addon-wizard plan` would: blocked, exit 3.
	return {...state, exitCode: state.screen === 'review' && currentPlan(state)?.blocked ? 3 : 1};
}

// ---- Folding run events ----

function appendOutput(output: OutputLine[], lines: OutputLine[]): OutputLine[] {
	if (lines.length === 0) {
		return output;
	}

	const joined = lines.length >= outputRingSize ? lines.slice(-outputRingSize) : [...output, ...lines];
	return joined.length > outputRingSize ? joined.slice(-outputRingSize) : joined;
}

function foldRunEvents(run: RunState, plan: Plan, events: RunEvent[]): RunState {
	const next: RunState = {...run, status: [...run.status], progress: [...run.progress]};
	const lines: OutputLine[] = [];
	const indexOf = (stepId: string) => plan.steps.findIndex(step => step.id === stepId);
	for (const event of events) {
		switch (event.type) {
			case 'run-start': {
				next.logPath = event.logPath;
				next.startedAt = event.at;
				next.endedAt = undefined;
				break;
			}

			case 'config-written': {
				next.config = {path: event.path, backupPath: event.backupPath};
				break;
			}

			case 'step-start': {
				const index = indexOf(event.stepId);
				const step = plan.steps[index];
				if (step) {
					next.current = index;
					next.status[index] = 'running';
					next.progress[index] ??= initialProgress(step);
				}

				break;
			}

			case 'output': {
				lines.push({stream: event.stream, line: event.line});
				// A flood of lines is trimmed as it arrives so one batch cannot grow without bound.
				if (lines.length > outputRingSize * 2) {
					lines.splice(0, lines.length - outputRingSize);
				}

				next.outputSeen++;
				break;
			}

			case 'progress': {
				const index = indexOf(event.stepId);
				if (index >= 0) {
					next.progress[index] = event.progress;
				}

				break;
			}

			case 'disk': {
				next.disk = event.samples;
				break;
			}

			case 'step-end': {
				const index = indexOf(event.stepId);
				if (index < 0) {
					break;
				}

				const ok = event.exitCode === 0 && !event.signal && !event.failure;
				next.status[index] = ok ? 'done' : 'failed';
				if (!ok) {
					next.failedStepIndex = index;
					next.failure = event.failure;
				}

				break;
			}

			case 'cleanup': {
				next.cleaned = {path: event.path, freedBytes: event.freedBytes};
				break;
			}

			case 'run-end': {
				next.endedAt = event.at;
				break;
			}
		}
	}

	next.output = appendOutput(run.output, lines);
	return next;
}

function runDone(state: WizardState, outcome: RunOutcome, at: number, failure?: FailureCause): WizardState {
	const run = state.run;
	if (!run || state.screen !== 'run') {
		return state;
	}

	const failedStepIndex = outcome.ok ? undefined : outcome.failedStepIndex ?? run.failedStepIndex;
	// A step still marked running when a failed run is over never finished (the run crashed under it).
	const status = run.status.map((value, index) => ((index === failedStepIndex && value !== 'done') || (!outcome.ok && value === 'running') ? 'failed' : value));
	return {
		...state,
		screen: 'result',
		help: false,
		reviewScroll: 0,
		run: {...run, outcome, status, failedStepIndex, failure: run.failure ?? failure, endedAt: run.endedAt ?? at, confirmStop: false, stopping: false},
		// Run entirely by flags: a success ends the program (its Result stays on the terminal);
		// a failure waits, so r is one key away.
		exitCode: state.autoRun && outcome.ok ? 0 : state.exitCode,
	};
}

function updateRun(state: WizardState, change: (run: RunState) => RunState | undefined): WizardState {
	if (state.screen !== 'run' || !state.run || state.run.outcome) {
		return state;
	}

	const run = change(state.run);
	return run ? {...state, run} : state;
}

// ---- Retry after a failure ----

function retry(state: WizardState): WizardState {
	if (state.screen !== 'result' || retryStepIndex(state) === undefined) {
		return state;
	}

	return state.retry.state === 'idle' || state.retry.state === 'error' ? {...state, retry: {state: 'measuring'}} : state;
}

function leftoverMeasured(state: WizardState, leftover: Leftover | undefined): WizardState {
	if (state.retry.state !== 'measuring') {
		return state;
	}

	return leftover ? {...state, retry: {state: 'ask', leftover}} : beginRun(state, retryStepIndex(state) ?? 0);
}

function cleanupDone(state: WizardState, result: {path: string; freedBytes: number} | WizardError): WizardState {
	if (state.retry.state !== 'cleaning') {
		return state;
	}

	return isWizardError(result) ? {...state, retry: {state: 'error', error: result}} : beginRun(state, retryStepIndex(state) ?? 0, result);
}

export function wizardReducer(state: WizardState, event: WizardEvent): WizardState {
	switch (event.type) {
		case 'discovered': {
			return state.discovery.state === 'loading' ? discovered(state, event.packages) : state;
		}

		case 'discovery-failed': {
			return {...state, discovery: {state: 'error', message: event.message}};
		}

		case 'inspection-progress': {
			return withInspection(state, event.path, {state: 'progress', bytesRead: event.bytesRead, totalBytes: event.totalBytes});
		}

		case 'inspection-done': {
			return withInspection(state, event.inspection.path, {state: 'done', inspection: event.inspection});
		}

		case 'inspection-failed': {
			return withInspection(state, event.path, {state: 'failed', message: event.message});
		}

		case 'cursor-move': {
			return state.screen === 'packages' ? moveCursor(state, event.delta) : state;
		}

		case 'toggle-selected': {
			return state.screen === 'packages' ? toggleSelected(state) : state;
		}

		case 'choose-packages': {
			return state.screen === 'packages' && state.discovery.state === 'done' ? choosePackages(state) : state;
		}

		case 'plan-built': {
			return planBuilt({...state, baselineReading: event.request === state.planRequest ? undefined : state.baselineReading}, event.request, event.result);
		}

		case 'baseline-progress': {
			return event.request === state.planRequest && state.plan.state === 'building' ? {...state, baselineReading: {path: event.path, bytesRead: event.bytesRead, totalBytes: event.totalBytes}} : state;
		}

		case 'toggle-chart-details': {
			return state.screen === 'review' ? {...state, showChartDetails: !state.showChartDetails} : state;
		}

		case 'scroll': {
			return ['review', 'confirm', 'result'].includes(state.screen) ? {...state, reviewScroll: Math.max(0, Math.min(event.max, state.reviewScroll + event.delta))} : state;
		}

		case 'accept-plan': {
			return acceptPlan(state);
		}

		case 'start-run': {
			return state.screen === 'confirm' ? beginRun(state, 0) : state;
		}

		case 'back': {
			return back(state);
		}

		case 'toggle-help': {
			return {...state, help: !state.help};
		}

		case 'run-started': {
			return updateRun(state, run => ({...run, logPath: run.logPath ?? event.logPath}));
		}

		case 'run-events': {
			const plan = currentPlan(state);
			return plan ? updateRun(state, run => foldRunEvents({...run, outputSeen: run.outputSeen + (event.dropped ?? 0)}, plan, event.events)) : state;
		}

		case 'run-done': {
			return runDone(state, event.outcome, event.at);
		}

		case 'run-crashed': {
			const failure: FailureCause = {kind: 'unknown', message: `The run could not continue: ${event.message}`, hint: 'See the log, fix the cause and run the wizard again.', lastErrors: []};
			return runDone(state, {ok: false}, event.at, failure);
		}

		case 'ask-stop': {
			return updateRun(state, run => (run.stopping ? undefined : {...run, confirmStop: true}));
		}

		case 'cancel-stop': {
			return updateRun(state, run => (run.confirmStop ? {...run, confirmStop: false} : undefined));
		}

		case 'confirm-stop': {
			return updateRun(state, run => (run.confirmStop ? {...run, confirmStop: false, stopping: true, stopReason: 'user'} : undefined));
		}

		case 'stop-now': {
			// Only offered while the disk is about to fill, when asking first could cost the run.
			return updateRun(state, run => (run.disk.some(sample => sample.level === 'critical') && !run.stopping ? {...run, confirmStop: false, stopping: true, stopReason: 'disk-floor'} : undefined));
		}

		case 'retry': {
			return retry(state);
		}

		case 'leftover-measured': {
			return leftoverMeasured(state, event.leftover);
		}

		case 'cleanup-accepted': {
			return state.retry.state === 'ask' ? {...state, retry: {state: 'cleaning', leftover: state.retry.leftover}} : state;
		}

		case 'cleanup-declined': {
			return state.retry.state === 'ask' ? {...state, retry: {state: 'idle'}} : state;
		}

		case 'cleanup-done': {
			return cleanupDone(state, event.result);
		}

		case 'retry-failed': {
			return state.retry.state === 'measuring' || state.retry.state === 'cleaning' ? {...state, retry: {state: 'error', error: event.error}} : state;
		}

		case 'open-log': {
			return state.screen === 'result' && state.run?.logPath && !state.pagerOpen ? {...state, pagerOpen: true} : state;
		}

		case 'log-closed': {
			return {...state, pagerOpen: false};
		}

		case 'quit': {
			return quit(state);
		}
	}
}
