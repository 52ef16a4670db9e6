// What the wizard wrote and reads back later (run record, history, journal, inspection cache) is
// checked before anything uses it: JSON that is cut off, corrupt, of another shape or written by
// a newer wizard is refused whole, with one line saying why. Nothing half-read is ever used.
import type {z} from 'zod';

/** Why a stored text was refused, in a few words: `truncated JSON at byte 812`, `plan.steps: expected array`. */
export type Refusal = {cause: string; newer?: boolean};

function jsonCause(error: unknown, text: string): string {
	const message = error instanceof Error ? error.message : String(error);
	if (/end of (JSON )?input|Unterminated/i.test(message)) {
		return `truncated JSON at byte ${Buffer.byteLength(text)}`;
	}

	const position = /position (\d+)/.exec(message)?.[1] ?? tokenPosition(message, text);
	return position === undefined ? `not JSON (${message})` : `not JSON at byte ${position}`;
}

/** V8 names an unexpected token with the text around it instead of its position: found back in the text. */
function tokenPosition(message: string, text: string): number | undefined {
	const match = /^Unexpected token '(.+?)', (?:\.\.\.)?"(.*?)"(?:\.\.\.)? is not valid JSON$/s.exec(message);
	const around = match ? text.indexOf(match[2]!) : -1;
	return around < 0 ? undefined : Buffer.byteLength(text.slice(0, around + match![2]!.indexOf(match![1]!)));
}

function shapeCause(error: z.ZodError): string {
	const issue = error.issues[0];
	if (!issue) {
		return 'not what the wizard writes';
	}

	const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
	return `not the shape the wizard writes (${where}${issue.message})`;
}

/**
 * The value of `text` when it is JSON of `schema`'s shape and a `schemaVersion` this wizard reads
 * (absent counts as 1); else why not. `schemaVersion` is taken off the value.
 */
export function parseStored<S extends z.ZodType>(text: string, schema: S, version: number): {value: z.infer<S>} | Refusal {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (error) {
		return {cause: jsonCause(error, text)};
	}

	const stored = typeof json === 'object' && json !== null ? (json as {schemaVersion?: unknown}).schemaVersion : undefined;
	if (typeof stored === 'number' && stored > version) {
		return {cause: `written by a newer addon-wizard (format ${stored}; this one reads up to ${version})`, newer: true};
	}

	const parsed = schema.safeParse(json);
	if (!parsed.success) {
		return {cause: shapeCause(parsed.error)};
	}

	const {schemaVersion: _version, ...value} = parsed.data as Record<string, unknown>;
	return {value: value as z.infer<S>};
}

export const isRefusal = (read: object): read is Refusal => 'cause' in read;
