// A line of the run history as it is read back: the fields `history`, `verify` and the plan's
// fallback use are checked; a line that does not pass is left out, and said. Checked by hand
// (shared/stored-shape.ts): `plan` reads the history on every start.
import {array, boolean, int, number, object, oneOf, optional, string} from '../shared/stored-shape.js';

/** Bump when an entry changes in a way an older wizard cannot read; a higher one is refused. */
export const historyEntryVersion = 1;

export const historyEntryShape = object({
	schemaVersion: optional(int()),
	cluster: object({configPath: string, clusterName: optional(string)}),
	at: number,
	stepId: string,
	stepKind: oneOf(['cluster-create', 'import-addon']),
	packages: array(
		object({
			fileName: string,
			version: optional(string),
			kind: optional(string),
			arch: optional(string),
			sha512: optional(string),
			path: optional(string),
		}),
	),
	installer: object({path: string, version: optional(string)}),
	outcome: oneOf(['ok', 'failed', 'finished-with-errors', 'interrupted', 'unknown']),
	verification: optional(
		object({
			verified: boolean,
			message: string,
			hint: string,
			checkedImages: number,
			lostArch: number,
			missing: number,
			state: optional(oneOf(['verified', 'failed', 'deferred'])),
			tagArches: optional(array(string)),
			cause: optional(string),
		}),
	),
	notVerified: optional(object({kind: string, message: string})),
	verdict: optional(oneOf(['done', 'errors', 'failed', 'unverified'])),
	logPath: string,
	snapshotPath: optional(string),
	undo: optional(
		object({
			runId: string,
			restored: number,
			alreadyRestored: number,
			leftAlone: array(string),
			removed: number,
			added: number,
			verified: boolean,
			message: string,
		}),
	),
});
