// A step's snapshot (domain/registry/tag-snapshot.ts) as it is read back by `undo`: every field
// undo uses is checked, the manifest bytes as base64; a file that does not pass is refused whole.
// Only `undo` reads one: run-snapshots.ts loads this module (and zod) when it reads a file.
import {z} from 'zod';
import type {StepSnapshot} from '../../domain/registry/tag-snapshot.js';
import type {StoredCheck} from '../shared/stored-json.js';

const digest = z.string().regex(/^[a-z0-9]+:[a-f0-9]+$/);

const savedManifestSchema = z.object({
	digest,
	mediaType: z.string(),
	bytes: z.base64(),
	arches: z.array(z.string()),
	references: z.object({manifests: z.array(digest), blobs: z.array(digest)}),
});

export const stepSnapshotSchema = z.object({
	schemaVersion: z.number().int().optional(),
	runId: z.string(),
	stepIndex: z.number().int().nonnegative(),
	stepId: z.string(),
	configPath: z.string(),
	registry: z.string(),
	takenAt: z.number(),
	tags: z.array(
		z.object({
			repository: z.string(),
			tag: z.string(),
			before: z.union([z.literal('absent'), savedManifestSchema]),
			after: z.union([z.literal('absent'), digest]).optional(),
			images: z.array(z.object({arch: z.string(), os: z.string().optional(), configDigest: digest})).optional(),
		}),
	),
	charts: z.array(z.object({name: z.string(), version: z.string(), existedBefore: z.boolean()})).optional(),
	afterReadAt: z.number().optional(),
	error: z.object({kind: z.string(), message: z.string(), hint: z.string()}).optional(),
});

export const checkSnapshot: StoredCheck<StepSnapshot> = json => {
	const parsed = stepSnapshotSchema.safeParse(json);
	const issue = parsed.error?.issues[0];
	return parsed.success
		? {value: parsed.data}
		: {issue: issue && {path: issue.path.map(key => (typeof key === 'number' ? key : String(key))), message: issue.message}};
};
