// A line of the run history as it is read back: the fields `history`, `verify` and the plan's
// fallback use are checked; a line that does not pass is left out, and said.
import {z} from 'zod';

/** Bump when an entry changes in a way an older wizard cannot read; a higher one is refused. */
export const historyEntryVersion = 1;

export const historyEntrySchema = z.looseObject({
	schemaVersion: z.number().int().optional(),
	cluster: z.looseObject({configPath: z.string(), clusterName: z.string().optional()}),
	at: z.number(),
	stepId: z.string(),
	stepKind: z.enum(['cluster-create', 'import-addon']),
	packages: z.array(
		z.looseObject({
			fileName: z.string(),
			version: z.string().optional(),
			kind: z.string().optional(),
			arch: z.string().optional(),
			sha512: z.string().optional(),
			path: z.string().optional(),
		}),
	),
	installer: z.looseObject({path: z.string(), version: z.string().optional()}),
	outcome: z.enum(['ok', 'failed', 'finished-with-errors', 'interrupted', 'unknown']),
	verification: z
		.looseObject({
			verified: z.boolean(),
			message: z.string(),
			hint: z.string(),
			checkedImages: z.number(),
			lostArch: z.number(),
			missing: z.number(),
			state: z.enum(['verified', 'failed', 'deferred']).optional(),
			tagArches: z.array(z.string()).optional(),
			cause: z.string().optional(),
		})
		.optional(),
	notVerified: z.looseObject({kind: z.string(), message: z.string()}).optional(),
	verdict: z.enum(['done', 'errors', 'failed', 'unverified']).optional(),
	logPath: z.string(),
	snapshotPath: z.string().optional(),
	undo: z
		.looseObject({
			runId: z.string(),
			restored: z.number(),
			alreadyRestored: z.number(),
			leftAlone: z.array(z.string()),
			removed: z.number(),
			added: z.number(),
			verified: z.boolean(),
			message: z.string(),
		})
		.optional(),
});
