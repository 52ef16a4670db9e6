// What an operator must still do after an import the wizard cannot do for them, said on the
// Result, after `run --yes` and in its RunResult: one table, each note with a stable id.
import type {RunOutcome} from './run-events.js';

export type RunNote = {
	/** Stable, kebab-case: scripts match on it. */
	id: string;
	message: string;
};

/**
 * Container Management reads the `addon` Helm repository's index when it syncs it, not when a
 * chart arrives (reference §10.1): until then the imported charts are not listed there.
 */
export const syncRepositoryNote: RunNote = {
	id: 'sync-chart-repository',
	message:
		'Container Management shows the imported charts (Helm templates) only once its addon Helm repository is synced: choose "sync repository" on that repository\'s row.',
};

/** The notes for a run that ended so; only a successful import has any. */
export function notesAfterRun(outcome: Pick<RunOutcome, 'ok'> | undefined): RunNote[] {
	return outcome?.ok ? [syncRepositoryNote] : [];
}
