// What a run produced, folded from its events as they pass: the steps that started and how each
// ended, what the registry read after each showed, the log, the chained step the verification asks
// for, and how the run ended. The RunResult document is built from this (run-result.ts), so what
// a script reads is what the events said, never a second account of the run.
import type {
	ChainSuggestion,
	FailureCause,
	RunEvent,
	RunOutcome,
	StepTally,
	StepVerdict,
	StepVerification,
} from '../../domain/run/run-events.js';

export type StepFacts = {
	stepId: string;
	started: boolean;
	/** Set once the step ended. */
	end?: {status?: StepVerdict; failure?: FailureCause};
	/** What the read after the step found: true verified, false failed or unreadable; absent when not read or deferred. */
	verified?: boolean;
	/** The read after the step, as it came (for the counts); and what the installer's lines said it did. */
	verification?: StepVerification;
	tally?: StepTally;
};

export type RunFacts = {
	logPath?: string;
	steps: StepFacts[];
	/** The other arch's integration the verification asks for, when it does. */
	chain?: ChainSuggestion;
	/** The run-end event's outcome; absent when the stream ended without one. */
	outcome?: RunOutcome;
};

export const noRunFacts: RunFacts = {steps: []};

const verifiedOf: Record<'verified' | 'failed' | 'deferred' | 'unreadable' | 'skipped', boolean | undefined> = {
	verified: true,
	failed: false,
	unreadable: false,
	deferred: undefined,
	skipped: undefined,
};

function updateStep(facts: RunFacts, stepId: string, change: (step: StepFacts) => StepFacts): RunFacts {
	const known = facts.steps.some(step => step.stepId === stepId);
	const steps = known ? facts.steps : [...facts.steps, {stepId, started: false}];
	return {...facts, steps: steps.map(step => (step.stepId === stepId ? change(step) : step))};
}

/** One event folded in; events that say nothing the result needs leave the facts as they are. */
export function foldRunFacts(facts: RunFacts, event: RunEvent): RunFacts {
	switch (event.type) {
		case 'run-start': {
			return {...facts, logPath: event.logPath, steps: event.steps.map(step => ({stepId: step.id, started: false}))};
		}

		case 'step-start': {
			return updateStep(facts, event.stepId, step => ({...step, started: true}));
		}

		case 'step-end': {
			return updateStep(facts, event.stepId, step => ({
				...step,
				end: {status: event.status, failure: event.failure},
				...(event.tally ? {tally: event.tally} : {}),
			}));
		}

		case 'step-verified': {
			const {verification} = event;
			const verified = verifiedOf[verification.state];
			const next = updateStep(facts, event.stepId, step => ({...step, verification, ...(verified === undefined ? {} : {verified})}));
			// The latest step read decides: an integration that verified clean asks for nothing more.
			return verification.state === 'verified' || verification.state === 'failed' ? {...next, chain: verification.chain[0]} : next;
		}

		case 'run-end': {
			return {...facts, outcome: event.outcome};
		}

		case 'config-written':
		case 'output':
		case 'output-skipped':
		case 'progress':
		case 'disk':
		case 'silent':
		case 'lingering':
		case 'verify-start':
		case 'verify-progress':
		case 'cleanup':
		case 'config-restored':
		case 'config-restore-refused':
		case 'run-error': {
			return facts;
		}
	}
}
