// The History document (`history --json`): every step the wizard ran against this cluster,
// newest first, with what the registry showed after it; and any entry that could not be read.
import {z} from 'zod';
import type {HistoryEntry} from '../../workflow/ports/history-port.js';
import {problemSchema} from './common.js';
import {documentSchema, envelope} from './envelope.js';

const historyEntrySchema = z.object({
	/** When the step ended (ms since the epoch). */
	at: z.number(),
	stepId: z.string(),
	stepKind: z.enum(['cluster-create', 'import-addon']),
	packages: z.array(
		z.object({
			file: z.string(),
			path: z.string().optional(),
			version: z.string().optional(),
			kind: z.string().optional(),
			arch: z.string().optional(),
			sha512: z.string().optional(),
		}),
	),
	installer: z.object({path: z.string(), version: z.string().optional()}),
	/** How the installer ended; `unknown` when its exit status went with a wizard that died (or left the view) meanwhile. */
	outcome: z.enum(['ok', 'failed', 'finished-with-errors', 'interrupted', 'unknown']),
	/** The wizard's verdict on the step: done only when verified. */
	verdict: z.enum(['done', 'errors', 'failed', 'unverified']).optional(),
	verification: z
		.object({
			state: z.enum(['verified', 'failed', 'deferred']).optional(),
			verified: z.boolean(),
			message: z.string(),
			hint: z.string().optional(),
			checkedImages: z.number().int(),
			missing: z.number().int(),
			lostArch: z.number().int(),
			tagArches: z.array(z.string()).optional(),
			cause: z.string().optional(),
		})
		.optional(),
	/** Why there is no verification. */
	notVerified: z.object({id: z.string(), message: z.string()}).optional(),
	logPath: z.string(),
	/** A snapshot was saved before the step: `undo` can put its tags back while the registry still stores them. */
	undoAvailable: z.boolean().optional(),
	/** This entry records an undo of the step. */
	undo: z
		.object({
			runId: z.string(),
			restored: z.number().int(),
			leftAlone: z.array(z.string()),
			removed: z.number().int(),
			verified: z.boolean(),
		})
		.optional(),
});

export const historyDocumentSchema = documentSchema('History', {
	config: z.object({path: z.string(), clusterName: z.string().optional()}),
	entries: z.array(historyEntrySchema),
	/** Lines of the history file that could not be read (cut off, corrupt, from a newer wizard): left out, said here. */
	problems: z.array(problemSchema),
});
export type HistoryDocument = z.infer<typeof historyDocumentSchema>;

function publicEntry(entry: HistoryEntry): z.infer<typeof historyEntrySchema> {
	const {verification} = entry;
	return {
		at: entry.at,
		stepId: entry.stepId,
		stepKind: entry.stepKind,
		packages: entry.packages.map(item => ({
			file: item.fileName,
			path: item.path,
			version: item.version,
			kind: item.kind,
			arch: item.arch,
			sha512: item.sha512,
		})),
		installer: {path: entry.installer.path, version: entry.installer.version},
		outcome: entry.outcome,
		verdict: entry.verdict,
		verification: verification && {
			state: verification.state,
			verified: verification.verified,
			message: verification.message,
			hint: verification.hint || undefined,
			checkedImages: verification.checkedImages,
			missing: verification.missing,
			lostArch: verification.lostArch,
			tagArches: verification.tagArches,
			cause: verification.cause,
		},
		notVerified: entry.notVerified && {id: entry.notVerified.kind, message: entry.notVerified.message},
		logPath: entry.logPath,
		...(entry.undo ? {} : {undoAvailable: entry.snapshotPath !== undefined}),
		...(entry.undo
			? {
					undo: {
						runId: entry.undo.runId,
						restored: entry.undo.restored,
						leftAlone: entry.undo.leftAlone,
						removed: entry.undo.removed,
						verified: entry.undo.verified,
					},
				}
			: {}),
	};
}

export function toPublicHistory(
	config: {configPath: string; clusterName?: string},
	entries: HistoryEntry[],
	problems: Array<{kind: string; message: string; hint: string}> = [],
): HistoryDocument {
	return envelope('History', {
		config: {path: config.configPath, clusterName: config.clusterName},
		entries: entries.map(entry => publicEntry(entry)),
		problems: problems.map(problem => ({id: problem.kind, message: problem.message, hint: problem.hint})),
	});
}
