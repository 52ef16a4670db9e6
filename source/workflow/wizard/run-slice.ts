// The Run screen's state: folding the run-event stream (the same events `attach` replays, the
// registry verification of each step among them), the stop prompt, leaving the view (d), the move
// to Result when the stream ends, putting clusterConfig.yaml back from its backup after a failure
// (the Result's u), and the run of a chained step (the Result's i) after the steps before it.
import {exitCodes, type WizardError} from '../../domain/shared/wizard-error.js';
import type {ConfigEdit} from '../../domain/config/config-facts.js';
import type {FailureCause, RunEvent, RunOutcome, StepTally, StepVerification} from '../../domain/run/run-events.js';
import type {Plan} from '../../domain/plan/plan.js';
import {emptyRate, trackRate} from '../../domain/run/rate-estimate.js';
import {initialProgress} from '../../domain/run/run-progress.js';
import {isWizardError} from '../../domain/shared/wizard-error.js';
import {currentPlan} from './selectors.js';
import {newRun, outputRingSize, type OutputLine, type RunState, type StepStatus, type WizardEvent, type WizardState} from './state.js';

export function beginRun(state: WizardState, fromStep: number, cleaned?: RunState['cleaned']): WizardState {
	const plan = currentPlan(state);
	if (!plan) {
		return state;
	}

	const attempt = (state.run?.attempt ?? 0) + 1;
	// A retry always starts a run here, even when the first attempt was re-attached.
	return {
		...state,
		screen: 'run',
		help: false,
		retry: {state: 'idle'},
		chain: {state: 'idle'},
		run: newRun(plan, fromStep, attempt, 'start', cleaned),
	};
}

/**
 * Runs the steps a chain appended (`plan` holds the steps already run, then the new ones from
 * `fromStep`): the steps before keep what they ended as and what the registry showed after them.
 */
export function beginChainRun(state: WizardState, plan: Plan, fromStep: number): WizardState {
	const previous = state.run;
	const run = newRun(plan, fromStep, (previous?.attempt ?? 0) + 1, 'start');
	const kept = <T>(values: T[] | undefined, fallback: T) =>
		plan.steps.map((_, index) => (index < fromStep ? (values?.[index] ?? fallback) : fallback));
	return {
		...state,
		screen: 'run',
		help: false,
		reviewScroll: 0,
		plan: {state: 'ready', plan},
		retry: {state: 'idle'},
		chain: {state: 'idle'},
		run: {
			...run,
			status: plan.steps.map((_, index): StepStatus => (index < fromStep ? (previous?.status[index] ?? 'done') : 'pending')),
			verifications: kept<StepVerification | undefined>(previous?.verifications, undefined),
			tallies: kept<StepTally | undefined>(previous?.tallies, undefined),
		},
	};
}

function appendOutput(output: OutputLine[], lines: OutputLine[]): OutputLine[] {
	if (lines.length === 0) {
		return output;
	}

	const joined = lines.length >= outputRingSize ? lines.slice(-outputRingSize) : [...output, ...lines];
	return joined.length > outputRingSize ? joined.slice(-outputRingSize) : joined;
}

/** A journal written before verdicts existed has no status: exit 0 without a failure was done. */
function stepStatusOf(event: Extract<RunEvent, {type: 'step-end'}>): StepStatus {
	return event.status ?? (event.exitCode === 0 && !event.signal && !event.failure ? 'done' : 'failed');
}

/**
 * One batch of run events folded into a draft of the run: the draft, the batch's output lines and
 * the outcome once the stream ends are this batch's own, so the handlers below change them in
 * place (a flood of output lines is folded without a copy per line).
 */
type Batch = {run: RunState; plan: Plan; lines: OutputLine[]; outcome?: RunOutcome};

type Fold<T extends RunEvent['type']> = (batch: Batch, event: Extract<RunEvent, {type: T}>) => void;

const stepIndex = (plan: Plan, stepId: string) => plan.steps.findIndex(step => step.id === stepId);

const stepStart: Fold<'step-start'> = ({run, plan}, event) => {
	const index = stepIndex(plan, event.stepId);
	const step = plan.steps[index];
	if (!step) {
		return;
	}

	run.current = index;
	run.installerPid = event.pid;
	run.status[index] = 'running';
	run.progress[index] ??= initialProgress(step);
	run.rates = {unpack: emptyRate, import: emptyRate};
	run.silentSince = undefined;
	run.lingering = undefined;
	run.verifying = undefined;
};

const output: Fold<'output'> = ({run, lines}, event) => {
	lines.push({stream: event.stream, line: event.line});
	// A flood of lines is trimmed as it arrives so one batch cannot grow without bound.
	if (lines.length > outputRingSize * 2) {
		lines.splice(0, lines.length - outputRingSize);
	}

	run.outputSeen++;
	run.silentSince = undefined;
};

const progress: Fold<'progress'> = ({run, plan}, event) => {
	const index = stepIndex(plan, event.stepId);
	if (index < 0) {
		return;
	}

	run.progress[index] = event.progress;
	if (index === run.current) {
		const {progress: seen} = event;
		run.rates = {
			unpack: trackRate(run.rates.unpack, event.at, seen.unpackedBytes),
			import: trackRate(run.rates.import, event.at, seen.chartsSeen + seen.imagesSeen),
		};
	}
};

const stepEnd: Fold<'step-end'> = ({run, plan}, event) => {
	const index = stepIndex(plan, event.stepId);
	if (index < 0) {
		return;
	}

	const status = stepStatusOf(event);
	run.status[index] = status;
	run.tallies[index] = event.tally ?? run.tallies[index];
	run.lingering = undefined;
	run.silentSince = undefined;
	run.verifying = undefined;
	if (status !== 'done') {
		run.failedStepIndex = index;
		run.failure = event.failure;
	}
};

const folds: {[T in RunEvent['type']]: Fold<T>} = {
	'run-start': ({run}, event) => {
		run.logPath = event.logPath;
		run.startedAt = event.at;
		run.endedAt = undefined;
	},
	'config-written': ({run}, event) => {
		run.config = {path: event.path, backupPath: event.backupPath, stepId: event.stepId};
	},
	'step-start': stepStart,
	'verify-start': ({run}, event) => {
		run.verifying = {stepId: event.stepId, phase: event.phase, registry: event.registry, done: 0, total: event.tags};
	},
	'verify-progress': ({run}, event) => {
		if (run.verifying?.stepId === event.stepId && run.verifying.phase === event.phase) {
			run.verifying = {...run.verifying, done: event.done, total: event.total};
		}
	},
	'step-verified': ({run, plan}, event) => {
		const index = stepIndex(plan, event.stepId);
		if (index >= 0) {
			run.verifications[index] = event.verification;
		}

		run.verifying = undefined;
	},
	output,
	'output-skipped': ({run}, event) => {
		run.outputSeen += event.count;
	},
	progress,
	disk: ({run}, event) => {
		run.disk = event.samples;
	},
	silent: ({run}, event) => {
		run.silentSince = event.since;
	},
	lingering: ({run}, event) => {
		run.lingering =
			event.processes.length === 0
				? undefined
				: {
						stepId: event.stepId,
						leaderPid: event.leaderPid,
						exitCode: event.exitCode,
						processes: event.processes,
						since: run.lingering?.since ?? event.at,
					};
	},
	'step-end': stepEnd,
	cleanup: ({run}, event) => {
		run.cleaned = {path: event.path, freedBytes: event.freedBytes};
	},
	'config-restored': ({run}, event) => {
		run.restore = {state: 'done', replacedCopyPath: event.replacedCopyPath};
	},
	'config-restore-refused': ({run}, event) => {
		run.restore = {state: 'error', error: event.error};
	},
	'run-end': (batch, event) => {
		batch.run.endedAt = event.at;
		batch.outcome = event.outcome;
	},
	// Its error comes again in the run-end's outcome, which the Result words.
	'run-error': () => undefined,
};

function foldEvent<T extends RunEvent['type']>(batch: Batch, type: T, event: Extract<RunEvent, {type: T}>): void {
	folds[type](batch, event);
}

function foldRunEvents(state: WizardState, plan: Plan, events: RunEvent[], dropped: number): WizardState {
	const previous = state.run!;
	const run: RunState = {
		...previous,
		outputSeen: previous.outputSeen + dropped,
		status: [...previous.status],
		progress: [...previous.progress],
		tallies: [...previous.tallies],
		verifications: [...(previous.verifications ?? [])],
	};
	const batch: Batch = {run, plan, lines: []};
	for (const event of events) {
		foldEvent(batch, event.type, event);
	}

	run.output = appendOutput(previous.output, batch.lines);
	const folded = {...state, run};
	return batch.outcome ? runDone(folded, batch.outcome, run.endedAt ?? 0) : folded;
}

export function runDone(state: WizardState, outcome: RunOutcome, at: number, failure?: FailureCause): WizardState {
	const run = state.run;
	if (!run || state.screen !== 'run') {
		return state;
	}

	const failedStepIndex = outcome.ok ? undefined : (outcome.failedStepIndex ?? run.failedStepIndex);
	// A step still marked running when a failed run is over never finished (the run crashed under it).
	const status = run.status.map((value, index): StepStatus =>
		(index === failedStepIndex && value !== 'done' && value !== 'errors' && value !== 'unverified') || (!outcome.ok && value === 'running')
			? 'failed'
			: value,
	);
	return {
		...state,
		screen: 'result',
		help: false,
		reviewScroll: 0,
		run: {
			...run,
			outcome,
			status,
			failedStepIndex,
			failure: run.failure ?? failure,
			endedAt: run.endedAt ?? at,
			confirmStop: false,
			stopping: false,
			lingering: undefined,
			verifying: undefined,
		},
		// Run entirely by flags: a success ends the program (its Result stays on the terminal);
		// a failure waits, so r is one key away.
		exitCode: state.autoRun && outcome.ok ? exitCodes.ok : state.exitCode,
	};
}

function updateRun(state: WizardState, change: (run: RunState) => RunState | undefined): WizardState {
	if (state.screen !== 'run' || !state.run || state.run.outcome) {
		return state;
	}

	const run = change(state.run);
	return run ? {...state, run} : state;
}

/** The edit behind the backup the run took: the step that wrote it, else the one whose edit names that file. */
export function writtenEdit(state: WizardState): {edit: ConfigEdit; backupPath: string} | undefined {
	const config = state.run?.config;
	const steps = currentPlan(state)?.steps ?? [];
	const edit =
		steps.find(step => step.id === config?.stepId)?.configEdit ?? steps.find(step => step.configEdit?.path === config?.path)?.configEdit;
	return config && edit ? {edit, backupPath: config.backupPath} : undefined;
}

/** The Result's u: offered after a failed run that wrote clusterConfig.yaml, once. */
export function restoreOffered(state: WizardState): boolean {
	const run = state.run;
	return (
		state.screen === 'result' &&
		Boolean(run?.outcome && !run.outcome.ok && run.config) &&
		(run?.restore.state === 'idle' || run?.restore.state === 'error')
	);
}

function restoreDone(state: WizardState, result: {replacedCopyPath: string} | WizardError): WizardState {
	const run = state.run;
	if (!run || run.restore.state !== 'restoring') {
		return state;
	}

	return {
		...state,
		run: {
			...run,
			restore: isWizardError(result) ? {state: 'error', error: result} : {state: 'done', replacedCopyPath: result.replacedCopyPath},
		},
	};
}

export type RunSliceEvent = Extract<
	WizardEvent,
	{
		type:
			| 'run-events'
			| 'run-crashed'
			| 'ask-stop'
			| 'cancel-stop'
			| 'confirm-stop'
			| 'stop-now'
			| 'detach'
			| 'restore-config'
			| 'restore-done';
	}
>;

export function runReducer(state: WizardState, event: RunSliceEvent): WizardState {
	switch (event.type) {
		case 'run-events': {
			const plan = currentPlan(state);
			return plan && state.screen === 'run' && state.run && !state.run.outcome && !state.run.detached
				? foldRunEvents(state, plan, event.events, event.dropped ?? 0)
				: state;
		}

		case 'run-crashed': {
			const failure: FailureCause = {
				kind: 'unknown',
				message: `The run could not continue: ${event.message}`,
				hint: 'See the log, fix the cause and run the wizard again.',
				lastErrors: [],
			};
			return runDone(state, {ok: false}, event.at, failure);
		}

		case 'ask-stop': {
			return updateRun(state, run => (run.stopping || run.detached ? undefined : {...run, confirmStop: true}));
		}

		case 'cancel-stop': {
			return updateRun(state, run => (run.confirmStop ? {...run, confirmStop: false} : undefined));
		}

		case 'confirm-stop': {
			return updateRun(state, run => (run.confirmStop ? {...run, confirmStop: false, stopping: true, stopReason: 'user'} : undefined));
		}

		case 'stop-now': {
			// Only offered while the disk is about to fill, when asking first could cost the run.
			return updateRun(state, run =>
				run.disk.some(sample => sample.level === 'critical') && !run.stopping
					? {...run, confirmStop: false, stopping: true, stopReason: 'disk-floor'}
					: undefined,
			);
		}

		case 'detach': {
			// Leaving while a stop is under way would leave a half-stopped installer nobody watches.
			const left = updateRun(state, run => (run.stopping || run.detached || run.confirmStop ? undefined : {...run, detached: true}));
			return left === state ? state : {...left, exitCode: exitCodes.ok};
		}

		case 'restore-config': {
			return restoreOffered(state) ? {...state, run: {...state.run!, restore: {state: 'restoring'}}} : state;
		}

		case 'restore-done': {
			return restoreDone(state, event.result);
		}
	}
}
