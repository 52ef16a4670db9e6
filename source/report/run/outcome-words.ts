// How a run (or one of its steps) ended, worded once for every surface that says it: the plain
// reporter's step-end and run-end lines, the Result screen's headline, and `attach` on a run that
// is over. A surface picks its column; none words an ending itself.
import type {FailureCause, RunOutcome, StepVerdict} from '../../domain/run/run-events.js';
import {plural} from '../../domain/shared/plural.js';

/** The ways a run ends, in the order its exit code tells them apart (workflow/run/outcome-exit-code.ts). */
export type RunEnding = 'done' | 'with-errors' | 'verification-failed' | 'unverified' | 'run-lost' | 'stopped' | 'failed';

/** The ways one step ends: a run's endings but the two that only a whole run has. */
export type StepEnding = Exclude<RunEnding, 'run-lost' | 'stopped'>;

type EndingTone = 'ok' | 'warn' | 'error';

/** What the Result screen's headline is made of. `at`: the step the run ended at, when known. */
type HeadlineFacts = {took: string; at?: {step: number; of: number}; steps: number; packages: number};

type RunWords = {
	/** The plain reporter's last line, before ` after 2:05`. */
	reported: string;
	/** `attach` on a run that is over, before ` after 2:05`. */
	recorded: string;
	tone: EndingTone;
	/** The Result screen's headline, after its mark. */
	headline(facts: HeadlineFacts): string;
};

const atStep = ({at}: HeadlineFacts) => (at ? ` at step ${at.step} of ${at.of}` : '');

export const runEndingWords: Record<RunEnding, RunWords> = {
	done: {
		reported: 'import finished',
		recorded: 'ok',
		tone: 'ok',
		headline: facts => `Done in ${facts.took}: ${plural(facts.steps, 'step')} from ${plural(facts.packages, 'package')}.`,
	},
	'with-errors': {
		reported: 'import finished with errors',
		// What attach has always said of it; its exit code (5) is the one that tells it apart.
		recorded: 'failed',
		tone: 'warn',
		headline: facts =>
			`Finished with errors after ${facts.took}${atStep(facts)}: the installer exited 0 but printed errors. Do not count on this import until they are understood.`,
	},
	'verification-failed': {
		reported: 'import finished, but the registry does not hold what it should',
		recorded: 'not verified (the registry does not hold what the step should have left)',
		tone: 'error',
		headline: facts =>
			`Not verified after ${facts.took}${atStep(facts)}: the installer exited cleanly, but the registry does not hold what the step should have left.`,
	},
	unverified: {
		reported: 'import finished, not verified',
		recorded: 'finished, not verified',
		tone: 'warn',
		headline: facts =>
			`Finished, not verified after ${facts.took}${atStep(facts)}: the registry could not be read after the step, so what it left is not known.`,
	},
	'run-lost': {
		// Its exit status went with the wizard: "failed" would claim what nobody saw.
		reported: 'import ended, outcome unknown',
		recorded: 'outcome unknown',
		tone: 'warn',
		headline: facts => `The run ended after ${facts.took}, but how the installer ended was not recorded (see below).`,
	},
	stopped: {
		reported: 'import stopped',
		recorded: 'interrupted',
		tone: 'warn',
		headline: facts => `Stopped after ${facts.took}. The installer was stopped before it finished.`,
	},
	failed: {
		reported: 'import failed',
		recorded: 'failed',
		tone: 'error',
		headline: facts => `Failed after ${facts.took}${atStep(facts)}.`,
	},
};

/** What the plain reporter says of a step that ended: `step cluster-create finished with errors: …`. */
export const stepEndingWords: Record<StepEnding, string> = {
	done: 'done',
	'with-errors': 'finished with errors',
	unverified: 'finished, not verified',
	'verification-failed': 'is not verified',
	failed: 'failed',
};

export function runEndingOf(outcome: RunOutcome): RunEnding {
	if (outcome.ok) {
		return 'done';
	}

	if (outcome.withErrors) {
		return 'with-errors';
	}

	if (outcome.verificationFailed) {
		return 'verification-failed';
	}

	if (outcome.unverified) {
		return 'unverified';
	}

	if (outcome.error?.kind === 'run-lost') {
		return 'run-lost';
	}

	return outcome.interrupted ? 'stopped' : 'failed';
}

const stepEndingOfVerdict: Partial<Record<StepVerdict, StepEnding>> = {errors: 'with-errors', unverified: 'unverified'};

/** A step that ended without a failure is done, whatever its (older journals') status. */
export function stepEndingOf(end: {status?: StepVerdict; failure?: Pick<FailureCause, 'kind'>}): StepEnding {
	if (!end.failure) {
		return 'done';
	}

	const byVerdict = end.status ? stepEndingOfVerdict[end.status] : undefined;
	return byVerdict ?? (end.failure.kind === 'verification-failed' ? 'verification-failed' : 'failed');
}

/** What a run record kept of its end (`attach` on a run that is over): a verification's failure says more than the status. */
export function recordedEndingOf(status: 'ok' | 'failed' | 'interrupted', failureKind?: FailureCause['kind']): RunEnding {
	const byKind: Partial<Record<FailureCause['kind'], RunEnding>> = {
		'not-verified': 'unverified',
		'verification-failed': 'verification-failed',
	};
	const byStatus: Record<typeof status, RunEnding> = {ok: 'done', failed: 'failed', interrupted: 'stopped'};
	const ending = (failureKind ? byKind[failureKind] : undefined) ?? byStatus[status];
	return ending === 'failed' && failureKind === 'finished-with-errors' ? 'with-errors' : ending;
}
