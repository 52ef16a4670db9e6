// When an installer step counts as done: only when every check says so. The exit status is one
// check; the error lines it printed, the processes it left running and what the registry holds
// afterwards (workflow/verify-run.ts) are others. A step that exited 0 but printed errors
// "finished with errors"; one whose registry could not be read back "finished, not verified".
import {classifyFailure, withFirstError, type StepExit} from './installer-output.js';
import {exitCodes} from '../shared/wizard-error.js';
import type {FailureCause, LingeringProcess, StepVerdict} from './run-events.js';
import {nextActions} from '../shared/next-step.js';
import {plural} from '../shared/plural.js';

/**
 * One more thing that must hold for a step to be done (e.g. a registry verification after it).
 * `failure` says it does not hold; `unverified` that it could not be checked, and `failure` why.
 */
export type StepCheck = {name: string; failure?: FailureCause; unverified?: boolean};

export type StepFacts = {
	exit: StepExit;
	/** Processes of the installer's group still running when the step was ended: the operator stopped them. */
	stoppedLingering?: LingeringProcess[];
	/** Processes of the installer's group still running when the wait after it ran out: left running, named. */
	leftRunning?: LingeringProcess[];
	/** Every process of the group a stop signalled (the installer among them), so none goes unnamed. */
	stoppedWith?: LingeringProcess[];
	checks?: StepCheck[];
};

const named = (processes: LingeringProcess[]) => processes.map(item => `${item.command} (pid ${item.pid})`).join(', ');

/** The installer exited 0, but processes it started outlived the wait after it: the step is not clean. */
function leftBehind(processes: LingeringProcess[], exit: StepExit): FailureCause {
	const one = processes.length === 1;
	return {
		kind: 'finished-with-errors',
		message: `The installer exited with status 0 but left ${named(processes)} running, and ${one ? 'it still runs' : 'they still run'}: the wizard did not stop ${one ? 'it' : 'them'}, and what ${one ? 'it does' : 'they do'} is not part of this result.`,
		hint: `Stop ${one ? 'it' : 'them'} unless you know ${one ? 'it is' : 'they are'} needed (kill -TERM ${processes.map(item => item.pid).join(' ')}), then check what the step left: addon-wizard verify (with the same -c/-p flags)`,
		lastErrors: exit.errorLines.slice(-5),
	};
}

/** A stopped step names every process the stop reached, not only the installer. */
function withStopped(outcome: StepOutcome, stoppedWith: LingeringProcess[] | undefined): StepOutcome {
	if (!outcome.failure || !stoppedWith || stoppedWith.length === 0) {
		return outcome;
	}

	return {...outcome, failure: {...outcome.failure, message: `${outcome.failure.message} Stopped: ${named(stoppedWith)}.`}};
}

export type StepOutcome = {status: StepVerdict; failure?: FailureCause};

function withErrors(exit: StepExit): FailureCause {
	const likely = classifyFailure({...exit, exitCode: exitCodes.failure});
	const lastErrors = exit.errorLines.slice(-5);
	const known = likely.kind !== 'unknown' && likely.kind !== 'killed';
	const count = Math.max(exit.errorLineCount ?? 0, exit.errorLines.length);
	const cause: FailureCause = {
		kind: 'finished-with-errors',
		likely: known ? likely.kind : undefined,
		message: `The installer exited with status 0 but printed ${plural(count, 'error line')}${known ? `: ${likely.message}` : '.'} The import may be incomplete.`,
		hint: known ? likely.hint : 'Read the error lines below and the full log, check the cluster',
		then: known ? (likely.then ?? nextActions.retry) : nextActions.retry,
		lastErrors,
	};
	return withFirstError(cause, exit);
}

/** The verdict on a step whose installer has exited (and whose process group is empty or was stopped). */
export function stepVerdict(facts: StepFacts): StepOutcome {
	const {exit} = facts;
	const exitedClean = exit.exitCode === 0 && !exit.signal && !exit.spawnError;
	if (!exitedClean) {
		return withStopped({status: 'failed', failure: classifyFailure(exit)}, facts.stoppedWith);
	}

	if (facts.stoppedLingering && facts.stoppedLingering.length > 0) {
		const names = named(facts.stoppedLingering);
		return {
			status: 'failed',
			failure: {
				kind: 'killed',
				signal: 'SIGINT',
				message: `The installer exited with status 0 but left ${names} running; you stopped ${facts.stoppedLingering.length === 1 ? 'it' : 'them'}.`,
				hint: 'The import may be incomplete; read the log',
				then: nextActions.cleanupAndRetry,
			},
		};
	}

	if (facts.leftRunning && facts.leftRunning.length > 0) {
		return {status: 'errors', failure: leftBehind(facts.leftRunning, exit)};
	}

	if (exit.errorLines.length > 0) {
		return {status: 'errors', failure: withErrors(exit)};
	}

	// A check that failed outweighs one that could not be made: what is known wrong is said first.
	const failed = facts.checks?.find(check => check.failure && !check.unverified);
	if (failed) {
		return {status: 'failed', failure: failed.failure};
	}

	const unchecked = facts.checks?.find(check => check.unverified);
	return unchecked ? {status: 'unverified', failure: unchecked.failure} : {status: 'done'};
}

/** How long leftover processes run after the installer before the screens offer to stop them. */
export const lingerGraceMs = 60_000;

/** How long the wizard waits for them at most: then the step ends, naming what still runs. */
export const lingerBoundMs = 2 * lingerGraceMs;

/**
 * Whether a step whose installer exited is over: when its process group is empty, or when the
 * operator chose to stop what is left. Before `graceMs` the choice is not offered (helpers often
 * finish a moment after their parent); after it, the Run screen offers to stop them; after
 * `boundMs` the step ends without them ('left'): no wait on a process the installer abandoned is endless.
 */
export function lingerDecision(input: {
	remaining: number;
	sinceMs: number;
	graceMs: number;
	boundMs?: number;
	stopRequested: boolean;
}): 'over' | 'stop' | 'wait' | 'offer-stop' | 'left' {
	if (input.remaining === 0) {
		return 'over';
	}

	if (input.stopRequested) {
		return 'stop';
	}

	if (input.boundMs !== undefined && input.sinceMs >= input.boundMs) {
		return 'left';
	}

	return input.sinceMs >= input.graceMs ? 'offer-stop' : 'wait';
}
