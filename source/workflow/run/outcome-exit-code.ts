// One exit code per way a run ends, the same with or without the screens.
import {exitCodes} from '../../domain/shared/wizard-error.js';
import type {RunOutcome} from '../ports/ports.js';

export function outcomeExitCode(outcome: RunOutcome): number {
	if (outcome.ok) {
		return exitCodes.ok;
	}

	if (outcome.interrupted) {
		return exitCodes.interrupted;
	}

	// Every installer exited 0, but one printed errors: not a failure a retry fixes blindly, not a success.
	if (outcome.withErrors) {
		return exitCodes.finishedWithErrors;
	}

	// The installer exited cleanly; the registry says what it left is wrong, or could not be read.
	if (outcome.verificationFailed) {
		return exitCodes.verificationFailed;
	}

	if (outcome.unverified) {
		return exitCodes.notVerified;
	}

	// An error that stopped the run before the installer (lock, changed package) carries its own.
	return outcome.error?.exitCode ?? exitCodes.runFailed;
}

/** The same code from what a run record kept of its end (attach on a run that is over). */
export function recordedExitCode(status: 'ok' | 'failed' | 'interrupted' | 'running', failureKind?: string): number {
	if (status === 'ok') {
		return exitCodes.ok;
	}

	if (status === 'interrupted') {
		return exitCodes.interrupted;
	}

	const byKind: Record<string, number> = {
		'finished-with-errors': exitCodes.finishedWithErrors,
		'verification-failed': exitCodes.verificationFailed,
		'not-verified': exitCodes.notVerified,
	};
	return (failureKind ? byKind[failureKind] : undefined) ?? exitCodes.runFailed;
}
