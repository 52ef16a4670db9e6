// The run's counts in words, for the Result, the plain reporter and attach alike: what the
// registry and the chart repository showed before and after each step, then (as supporting
// detail, labelled as the installer's) what the installer's own lines said.
import type {StepTally, StepVerification} from '../../domain/run/run-events.js';
import {measureRun, wordMeasured} from '../../domain/run/measured-counts.js';
import {installerWords, summarizeTallies} from '../../domain/run/run-tally.js';

/** `ended`: the read after each step that ended, in order (undefined: it ended without one). */
export function countLines(ended: ReadonlyArray<StepVerification | undefined>, tallies: ReadonlyArray<StepTally | undefined>): string[] {
	const told = tallies.filter((tally): tally is StepTally => tally !== undefined);
	const measured = measureRun(ended);
	// Nothing read and nothing claimed (the run stopped before any step ended): no counts to give.
	if (measured.measuredSteps === 0 && told.length === 0) {
		return [];
	}

	return wordMeasured(measured, told.length > 0 ? installerWords(summarizeTallies(told)) : undefined);
}
