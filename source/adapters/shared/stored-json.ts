// What the wizard wrote and reads back later (run record, history, journal, inspection cache) is
// checked before anything uses it: JSON that is cut off, corrupt, of another shape or written by
// a newer wizard is refused whole, with one line saying why. Nothing half-read is ever used.
import type {Shape, ShapeIssue} from './stored-shape.js';

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

/** Checks a parsed value: the value to use (a schema's output), or the first problem (none: not said). */
export type StoredCheck<T> = (json: unknown) => {value: T} | {issue: ShapeIssue | undefined};

/** A hand-written shape as a StoredCheck: the value is used as parsed. */
export const byShape =
	<T>(shape: Shape): StoredCheck<T> =>
	json => {
		const issue = shape(json, []);
		return issue ? {issue} : {value: json as T};
	};

function shapeCause(issue: ShapeIssue | undefined): string {
	if (!issue) {
		return 'not what the wizard writes';
	}

	const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
	return `not the shape the wizard writes (${where}${issue.message})`;
}

/**
 * The value of `text` when it is JSON that passes `check` and a `schemaVersion` this wizard reads
 * (absent counts as 1); else why not. `schemaVersion` is taken off the value.
 */
export function parseStored<T>(text: string, check: StoredCheck<T>, version: number): {value: T} | Refusal {
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

	const checked = check(json);
	if (!('value' in checked)) {
		return {cause: shapeCause(checked.issue)};
	}

	const {schemaVersion: _version, ...value} = checked.value as Record<string, unknown>;
	return {value: value as T};
}

export const isRefusal = (read: object): read is Refusal => 'cause' in read;
