// One exit code per way a run ends, the same with or without the screens.
import {exitCodes} from '../domain/model.js';
import type {RunOutcome} from './ports.js';

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

	// An error that stopped the run before the installer (lock, changed package) carries its own.
	return outcome.error?.exitCode ?? exitCodes.runFailed;
}
