// An error the user caused or can fix, the exit codes it ends the program with, and one test for
// whether a result is such an error instead of a value.
import type {NextAction} from './next-step.js';

/** An error the user caused or can fix: a value with a cause and a next step, never a bare string. */
export type WizardError = {
	kind: string;
	message: string;
	hint: string;
	/** What to do once the hint is followed, as a key on the screens and a flag without them. */
	then?: NextAction;
	/** Process exit code when this ends the program: 2 bad input, 3 blocked, 4 run failed, 5 finished with errors, 6 not verified, 7 registry unreadable, 8 changes pending (plan --detailed-exitcode). */
	exitCode: number;
};

export const exitCodes = {
	ok: 0,
	failure: 1,
	badInput: 2,
	blocked: 3,
	runFailed: 4,
	/** Every installer exited 0, but one printed error lines: check before trusting the import. */
	finishedWithErrors: 5,
	/** The registry was read and does not hold what the step (or `verify`) expects: images missing, tags without an arch. */
	verificationFailed: 6,
	/** The registry could not be read (refused, TLS, 401, not located), so nothing was verified: finished, not verified. */
	notVerified: 7,
	/** `plan --detailed-exitcode`: the plan is good and would change the registry or the chart repository. */
	changesPending: 8,
	interrupted: 130,
} as const;

/** Results that may be an error value instead: one test for all of them. */
export function isWizardError(value: unknown): value is WizardError {
	return typeof value === 'object' && value !== null && 'kind' in value && 'hint' in value && 'exitCode' in value;
}
