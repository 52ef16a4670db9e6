// The Undo document (`undo --json`): the run and step undone, each tag with what undo did or
// would do (now → before, each with its arches), and whether the registry read back verified it.
import {z} from 'zod';
import type {UndoPreview, UndoDone} from '../../workflow/run/undo/undo-step.js';
import type {WizardError} from '../../domain/shared/wizard-error.js';
import {undoActions, type UndoAction} from '../../domain/registry/undo-plan.js';
import {problemSchema} from './common.js';
import {documentSchema, envelope} from './envelope.js';

const tagSchema = z.object({
	ref: z.string(),
	/** What undo decided for the tag. */
	action: z.enum(undoActions as [UndoAction, ...UndoAction[]]),
	/** The digest the tag holds now (before undo), `absent`, or `unreadable`. */
	now: z.string(),
	/** The arches the tag carries now, when they could be read (absent: not known, never guessed). */
	nowArches: z.array(z.string()).optional(),
	/** The digest saved before the step, or `absent`: the step added the tag. */
	before: z.string(),
	beforeArches: z.array(z.string()),
	/** What was done (absent while only previewed). */
	result: z.enum(['restored', 'removed', 'failed', 'not-removed', 'left']).optional(),
	detail: z.string().optional(),
	/** Saved references the registry no longer stores (content-gone). */
	missing: z.array(z.string()).optional(),
});

export const undoDocumentSchema = documentSchema('Undo', {
	runId: z.string(),
	stepId: z.string(),
	stepIndex: z.number().int(),
	registry: z.string(),
	/** `previewed`: nothing done yet (declined); `refused`: nothing changed, see error; `done`: applied and read back. */
	state: z.enum(['previewed', 'refused', 'done']),
	verified: z.boolean(),
	tags: z.array(tagSchema),
	/** Chart versions the step uploaded (absent from the chart repository before it), and what undo did. */
	charts: z
		.array(
			z.object({
				name: z.string(),
				version: z.string(),
				result: z.enum(['removed', 'not-removed', 'failed', 'left']).optional(),
				detail: z.string().optional(),
			}),
		)
		.optional(),
	error: problemSchema.optional(),
});
export type UndoDocument = z.infer<typeof undoDocumentSchema>;

const nowText = (tag: UndoPreview['tags'][number]) =>
	tag.now.kind === 'present' ? tag.now.digest : tag.now.kind === 'absent' ? 'absent' : 'unreadable';

export function toPublicUndo(preview: UndoPreview, done: UndoDone | undefined, error?: WizardError): UndoDocument {
	const results = new Map(done?.tags.map(tag => [tag.key, tag]));
	return envelope('Undo', {
		runId: preview.snapshot.runId,
		stepId: preview.snapshot.stepId,
		stepIndex: preview.snapshot.stepIndex,
		registry: preview.snapshot.registry,
		state: error ? 'refused' : done ? 'done' : 'previewed',
		verified: done?.verified ?? false,
		tags: preview.tags.map(tag => {
			const result = results.get(tag.key);
			return {
				ref: tag.key,
				action: tag.action,
				now: nowText(tag),
				...(tag.now.kind === 'present' && tag.now.arches ? {nowArches: tag.now.arches} : {}),
				before: tag.before,
				beforeArches: tag.beforeArches,
				...(result ? {result: result.result} : {}),
				...(result?.detail ? {detail: result.detail} : {}),
				...(tag.missing ? {missing: tag.missing} : {}),
			};
		}),
		...(preview.charts.length > 0
			? {
					charts: preview.charts.map(chart => {
						const result = done?.charts.find(item => item.name === chart.name && item.version === chart.version);
						return {
							name: chart.name,
							version: chart.version,
							...(result ? {result: result.result} : {}),
							...(result?.detail ? {detail: result.detail} : {}),
						};
					}),
				}
			: {}),
		...(error ? {error: {id: error.kind, message: error.message, hint: error.hint}} : {}),
	});
}
