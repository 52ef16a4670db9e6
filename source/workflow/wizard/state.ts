// The wizard's state and the events that change it. One slice per concern (packages, plan, run,
// retry, view); each slice file holds the one reducer for its events (wizard-reducer.ts routes).
import type {UnexplainedFiles} from '../../domain/packages/leftover-explained.js';
import type {
	ChainSuggestion,
	DiskSample,
	FailureCause,
	RunEvent,
	RunOutcome,
	LingeringProcess,
	RunProgress,
	StepTally,
	StepVerification,
	StopReason,
} from '../../domain/run/run-events.js';
import type {DiscoveredPackage, PackageInspection} from '../../domain/packages/inspection.js';
import type {Plan, PreflightCheck} from '../../domain/plan/plan.js';
import type {WizardError} from '../../domain/shared/wizard-error.js';
import {emptyRate, type RateTracker} from '../../domain/run/rate-estimate.js';
import type {SpaceCreation} from '../ports/registry-port.js';
import type {UndoEvent, UndoState} from './undo-state.js';

/** Output lines kept for the live pane; the full output is in the log file. */
export const outputRingSize = 200;

export type Screen = 'packages' | 'review' | 'confirm' | 'run' | 'result';

export type InspectionStatus =
	| {state: 'pending'}
	/** Being read now; one package at a time (they share one disk). */
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

/**
 * `errors`: the installer exited 0 but printed errors (or its processes had to be stopped): never
 * plain done. `unverified`: it exited cleanly but the registry could not be read back after it.
 */
export type StepStatus = 'pending' | 'running' | 'done' | 'errors' | 'failed' | 'unverified';

/** Putting clusterConfig.yaml back from the run's backup (the Result's u, or --restore-config-on-failure). */
export type RestoreState =
	{state: 'idle'} | {state: 'restoring'} | {state: 'done'; replacedCopyPath: string} | {state: 'error'; error: WizardError};

export type OutputLine = {stream: 'stdout' | 'stderr'; line: string};

/** A leftover found by `r`, with what in it the packages do not explain (asked about by name). */
export type Leftover = {path: string; bytes: number; unexplained?: UnexplainedFiles};

export type RunState = {
	/** Bumped for every run the run hook must start (first run, each retry). */
	attempt: number;
	/** Where this attempt's events come from: a run started here, or one re-attached after an SSH drop. */
	source: 'start' | 'attach';
	fromStep: number;
	/** Index in plan.steps of the step running or last run; -1 before the first starts. */
	current: number;
	/** The running step's installer (for the message when the view is left). */
	installerPid?: number;
	status: StepStatus[];
	progress: Array<RunProgress | undefined>;
	output: OutputLine[];
	/** Output lines seen in this attempt, including those that fell out of the ring. */
	outputSeen: number;
	disk: DiskSample[];
	/** What each step's output said it did (from its step-end), for the Result's counts. */
	tallies: Array<StepTally | undefined>;
	/** Rates of the running step: bytes unpacked, and charts plus images named. */
	rates: {unpack: RateTracker; import: RateTracker};
	/** The installer has printed nothing since then (said after a few minutes); cleared by the next line. */
	silentSince?: number;
	/** The installer exited but these processes of its group still run; since when. */
	lingering?: {stepId: string; leaderPid: number; exitCode?: number; since: number; processes: LingeringProcess[]};
	logPath?: string;
	startedAt?: number;
	endedAt?: number;
	config?: {path: string; backupPath: string; stepId?: string};
	restore: RestoreState;
	/** The operator left the view (d): the installer keeps running, the screens exit. */
	detached?: boolean;
	failure?: FailureCause;
	failedStepIndex?: number;
	outcome?: RunOutcome;
	confirmStop: boolean;
	stopping: boolean;
	stopReason?: StopReason;
	/** What the last clean-up removed, shown on the re-run. */
	cleaned?: {path: string; freedBytes: number};
	/** The registry being read for a step right now (before it starts, or to verify it). */
	verifying?: {stepId: string; phase: 'before' | 'after'; registry: string; done: number; total: number};
	/** What the registry showed after each step (its step-verified), by step index. */
	verifications: Array<StepVerification | undefined>;
};

/**
 * The Result's `i`: the chained step the verification asks for (integrate the same version's
 * other-arch package), from finding its file on this host to the run that integrates it.
 */
export type ChainState =
	| {state: 'idle'}
	/** Searching this host again for the package (it may have been downloaded meanwhile). */
	| {state: 'looking'; suggestion: ChainSuggestion}
	| {state: 'reading'; suggestion: ChainSuggestion; paths: string[]; read: PackageInspection[]}
	| {state: 'planning'; suggestion: ChainSuggestion; inspections: PackageInspection[]}
	/** The package is not on this host: which files to download. */
	| {state: 'missing'; suggestion: ChainSuggestion; fileNames: string[]}
	| {state: 'error'; suggestion: ChainSuggestion; error: WizardError};

export type RetryState =
	| {state: 'idle'}
	/** `r` first re-runs the whole pre-flight: a retry must not walk into the same full disk. */
	| {state: 'rechecking'}
	/** The recheck found what would fail the retry again; r checks again once it is fixed. */
	| {state: 'blocked'; checks: PreflightCheck[]}
	| {state: 'measuring'}
	/** `typed`: what the operator typed when the leftover holds unexplained files (`delete` confirms them). */
	| {state: 'ask'; leftover: Leftover; typed?: string; notConfirmed?: boolean}
	/** `consent`: the unexplained paths the operator confirmed by typing `delete` under their names. */
	| {state: 'cleaning'; leftover: Leftover; consent?: readonly string[]}
	| {state: 'error'; error: WizardError};

/** `c` on Review: the Harbor projects the plan lacks, asked about (y/n), created, and what came of it. */
export type SpaceCreationState =
	| {state: 'idle'}
	| {state: 'asking'; names: string[]; where: string; login: string}
	| {state: 'creating'; names: string[]; where: string}
	| {state: 'done'; where: string; created: SpaceCreation[]; error?: WizardError};

export type ConfirmState = {
	typed: string;
	/** `enter`: enter alone never runs; `not-yes`: what was typed was not yes. */
	refused?: 'enter' | 'not-yes';
};

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
	/** While the plan reads the registry: how many of its tags. */
	registryReading?: {done: number; total: number; connectingTo?: string};
	/** `t` on Review: every tag of the Registry section, not just the first few. */
	showRegistryTags: boolean;
	spaces: SpaceCreationState;
	/** The leftover choice (`x`) to keep when the plan is read again after creating spaces. */
	keepLeftoverRemoval?: boolean;
	/** First body row shown on the scrollable screens (Review, Confirm, Result). */
	reviewScroll: number;
	/** What was typed on Confirm (`yes` runs a plan with warnings) and why the last enter did not run. */
	confirm: ConfirmState;
	run?: RunState;
	retry: RetryState;
	chain: ChainState;
	/** The Result's z: undo of the step that changed tags (undo-slice.ts). */
	undo: UndoState;
	/** Set once the wizard should end; the app exits with it. */
	exitCode?: number;
};

export type WizardEvent =
	| {type: 'discovered'; packages: DiscoveredPackage[]}
	| {type: 'discovery-failed'; message: string}
	| {type: 'inspection-started'; path: string}
	| {type: 'inspection-progress'; path: string; bytesRead: number; totalBytes: number}
	| {type: 'inspection-done'; inspection: PackageInspection}
	| {type: 'inspection-failed'; path: string; message: string}
	/** A package still being copied is due for another look. */
	| {type: 'copy-recheck'; path: string}
	| {type: 'cursor-move'; delta: number}
	| {type: 'toggle-selected'}
	/** Choose (or let go of) every kind found for the release and arch under the cursor. */
	| {type: 'toggle-release'}
	| {type: 'choose-packages'}
	| {type: 'plan-built'; request: number; result: Plan | WizardError}
	/** The plan is reading the package the cluster has now (the baseline), to compare. */
	| {type: 'baseline-progress'; request: number; path: string; bytesRead: number; totalBytes: number}
	| {type: 'toggle-chart-details'}
	/** The plan is reading the registry's tags. */
	| {type: 'registry-progress'; request: number; done: number; total: number; connectingTo?: string}
	| {type: 'toggle-registry-tags'}
	/** `c` on Review: ask whether to create the Harbor projects the plan lacks. */
	| {type: 'ask-create-spaces'}
	/** `y` (or `n`) to that question. */
	| {type: 'answer-create-spaces'; yes: boolean}
	| {type: 'spaces-created'; created: SpaceCreation[]; error?: WizardError}
	| {type: 'scroll'; delta: number; max: number}
	| {type: 'accept-plan'}
	| {type: 'start-run'}
	/** A character typed on Confirm while it asks for `yes`. */
	| {type: 'confirm-type'; text: string}
	| {type: 'confirm-erase'}
	/** Enter on Confirm: runs only after `yes` was typed, when the plan asks for it. */
	| {type: 'confirm-enter'}
	/** `x` on Review: the run removes the leftover addon-offline-target-package first, or not. */
	| {type: 'toggle-leftover-removal'}
	/** The plan with its pre-flight checked again (a retry asks `recheck` before re-running a step). */
	| {type: 'plan-rechecked'; plan: Plan}
	| {type: 'back'}
	| {type: 'toggle-help'}
	| {type: 'run-events'; events: RunEvent[]; /** Output lines cut from a flood before they got here. */ dropped?: number}
	| {type: 'run-crashed'; message: string; at: number}
	| {type: 'ask-stop'}
	| {type: 'cancel-stop'}
	| {type: 'confirm-stop'}
	| {type: 'stop-now'}
	/** Leave the Run view; the installer keeps running (`addon-wizard attach` comes back). */
	| {type: 'detach'}
	| {type: 'restore-config'}
	| {type: 'restore-done'; result: {replacedCopyPath: string} | WizardError}
	| {type: 'retry'}
	| {type: 'retry-rechecked'; plan: Plan}
	| {type: 'leftover-measured'; leftover?: Leftover}
	| {type: 'cleanup-accepted'}
	/** A character typed while the Result asks for `delete` (the leftover holds unexplained files). */
	| {type: 'cleanup-type'; text: string}
	| {type: 'cleanup-erase'}
	| {type: 'cleanup-declined'}
	| {type: 'cleanup-done'; result: {path: string; freedBytes: number} | WizardError}
	| {type: 'retry-failed'; error: WizardError}
	/** The Result's i: run the chained step the verification asks for. */
	| {type: 'chain'}
	| {type: 'chain-discovered'; packages: DiscoveredPackage[]}
	| {type: 'chain-inspected'; inspection: PackageInspection}
	| {type: 'chain-planned'; result: Plan | WizardError}
	| {type: 'chain-failed'; error: WizardError}
	| {type: 'open-log'}
	| {type: 'log-closed'}
	/** `interrupted`: Ctrl+C or SIGINT rather than q. */
	| {type: 'quit'; interrupted?: boolean}
	| UndoEvent;

export type InitialOptions = {
	preselected?: string[];
	yes?: boolean;
	/** Re-attaching to a run in progress: the wizard opens on the Run screen. */
	attachPlan?: Plan;
	/** Said once on the first screen (e.g. the SSH-outside-tmux advice). */
	notice?: string;
};

export function newRun(plan: Plan, fromStep: number, attempt: number, source: RunState['source'], cleaned?: RunState['cleaned']): RunState {
	return {
		attempt,
		source,
		fromStep,
		current: -1,
		status: plan.steps.map((_, index) => (index < fromStep ? 'done' : 'pending')),
		progress: plan.steps.map(() => undefined),
		output: [],
		outputSeen: 0,
		disk: [],
		tallies: plan.steps.map(() => undefined),
		rates: {unpack: emptyRate, import: emptyRate},
		restore: {state: 'idle'},
		confirmStop: false,
		stopping: false,
		cleaned,
		verifications: plan.steps.map(() => undefined),
	};
}

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
		showRegistryTags: false,
		spaces: {state: 'idle'},
		reviewScroll: 0,
		confirm: {typed: ''},
		retry: {state: 'idle'},
		chain: {state: 'idle'},
		undo: {state: 'idle'},
		notice: options.notice,
	};
	if (!options.attachPlan) {
		return base;
	}

	return {
		...base,
		discovery: {state: 'done'},
		screen: 'run',
		plan: {state: 'ready', plan: options.attachPlan},
		run: newRun(options.attachPlan, 0, 1, 'attach'),
	};
}
