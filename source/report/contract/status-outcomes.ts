// How an ended run ended, as the Status document says it: shared by its schema (status.ts) and
// its mapping (status-document.ts).

/**
 * How an ended run ended, in the words of RunResult's `outcome`; `unknown`: the record still says
 * running, but neither the wizard nor its installer lives (killed before it could say).
 */
export const statusOutcomes = [
	'succeeded',
	'failed',
	'finished-with-errors',
	'verification-failed',
	'not-verified',
	'stopped',
	'unknown',
] as const;
export type StatusOutcome = (typeof statusOutcomes)[number];
