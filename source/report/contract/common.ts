// Pieces several public documents share: a finding as scripts see it (its stable id, never the
// internal code), an error's cause and next step, and the JSON-friendly shape of a short list.
import {z} from 'zod';
import {findingNames} from '../../domain/shared/finding-ids.js';
import type {Finding} from '../../domain/shared/findings.js';

export const findingSchema = z.object({
	/** Stable, kebab-case; `--accept` takes it when `hazard` is true. */
	id: z.string(),
	severity: z.enum(['info', 'warning', 'error']),
	message: z.string(),
	hint: z.string().optional(),
	/** Loses something when the run goes ahead: `run --yes` refuses until `--accept <id>`. */
	hazard: z.boolean(),
});
export type PublicFinding = z.infer<typeof findingSchema>;

export function toPublicFinding(finding: Finding): PublicFinding {
	const name = findingNames[finding.code];
	return {
		id: name.id,
		severity: finding.severity,
		message: finding.message,
		...(finding.hint ? {hint: finding.hint} : {}),
		hazard: name.hazard,
	};
}

/** A cause and what to do about it: `id` is the error's kind, stable for scripts. */
export const problemSchema = z.object({id: z.string(), message: z.string(), hint: z.string()});
export type PublicProblem = z.infer<typeof problemSchema>;

export const toPublicProblem = (problem: {kind: string; message: string; hint: string}): PublicProblem => ({
	id: problem.kind,
	message: problem.message,
	hint: problem.hint,
});

/** A list cut to its first few items, with how many there are in all. */
export const listedSchema = <T extends z.ZodType>(item: T) => z.object({count: z.number().int(), first: z.array(item)});

/** A package still being copied: how far it has got, and who writes it (when this user can see). */
export const copyingSchema = z.object({
	/** Bytes on disk at the last look. */
	bytesSoFar: z.number(),
	/** Growth seen between two looks; absent when it did not grow while looked at. */
	bytesPerSecond: z.number().optional(),
	writers: z.array(z.object({pid: z.number().int(), command: z.string()})),
});
export type PublicCopying = z.infer<typeof copyingSchema>;

export const toPublicCopying = (copying: {
	size: number;
	bytesPerSecond?: number;
	writers: Array<{pid: number; command: string}>;
}): PublicCopying => ({
	bytesSoFar: copying.size,
	...(copying.bytesPerSecond === undefined ? {} : {bytesPerSecond: copying.bytesPerSecond}),
	writers: copying.writers.map(writer => ({pid: writer.pid, command: writer.command})),
});
