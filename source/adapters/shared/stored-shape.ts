// The shapes of the small files the wizard reads back on every start (run record, lock holder,
// history, inspection cache), checked by hand instead of with zod: loading zod and building its
// schemas cost `plan` and the wizard's first frame about a tenth of their start-up, for files that
// are mostly absent or a few KB. The subset is what those files use; the first problem is worded as
// zod words it (`Invalid input: expected array, received object`), so a refusal reads the same
// (test/adapters/shared/stored-shape.test.ts checks the words against zod's own).

/** The first problem found: where (keys and indexes) and what. */
export type ShapeIssue = {path: Array<string | number>; message: string};

/** Checks `value` at `path`; undefined when it passes. */
export type Shape = (value: unknown, path: Array<string | number>) => ShapeIssue | undefined;

function received(value: unknown): string {
	if (value === null) {
		return 'null';
	}

	if (Array.isArray(value)) {
		return 'array';
	}

	return typeof value === 'number' && Number.isNaN(value) ? 'NaN' : typeof value;
}

const wrongType = (expected: string, value: unknown, path: Array<string | number>): ShapeIssue => ({
	path,
	message: `Invalid input: expected ${expected}, received ${received(value)}`,
});

const typed =
	(expected: string): Shape =>
	(value, path) =>
		typeof value === expected && !(expected === 'number' && !Number.isFinite(value)) ? undefined : wrongType(expected, value, path);

export const string = typed('string');
export const number = typed('number');
export const boolean = typed('boolean');
export const unknown: Shape = () => undefined;

/** A whole number; `min` 0 is zod's `nonnegative()`, `min` 1 its `positive()`. */
export function int(options: {min?: 0 | 1} = {}): Shape {
	return (value, path) => {
		if (typeof value !== 'number' || !Number.isFinite(value)) {
			return wrongType('number', value, path);
		}

		if (!Number.isInteger(value)) {
			return wrongType('int', value, path);
		}

		if (Math.abs(value) > Number.MAX_SAFE_INTEGER) {
			return {
				path,
				message:
					value > 0
						? `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}`
						: `Too small: expected int to be >=${Number.MIN_SAFE_INTEGER}`,
			};
		}

		return options.min === undefined || value >= options.min
			? undefined
			: {path, message: `Too small: expected number to be ${options.min === 0 ? '>=0' : '>0'}`};
	};
}

const quoted = (value: string | number) => (typeof value === 'string' ? `"${value}"` : String(value));

export function literal(expected: string | number): Shape {
	return (value, path) => (value === expected ? undefined : {path, message: `Invalid input: expected ${quoted(expected)}`});
}

export function oneOf(values: readonly string[]): Shape {
	return (value, path) =>
		values.includes(value as string) ? undefined : {path, message: `Invalid option: expected one of ${values.map(quoted).join('|')}`};
}

export const optional =
	(shape: Shape): Shape =>
	(value, path) =>
		value === undefined ? undefined : shape(value, path);

export function array(item: Shape, options: {min?: number} = {}): Shape {
	return (value, path) => {
		if (!Array.isArray(value)) {
			return wrongType('array', value, path);
		}

		for (const [index, element] of value.entries()) {
			const issue = item(element, [...path, index]);
			if (issue) {
				return issue;
			}
		}

		return options.min !== undefined && value.length < options.min
			? {path, message: `Too small: expected array to have >=${options.min} items`}
			: undefined;
	};
}

/**
 * An object with these fields checked in order; other fields are carried as written (zod's
 * `looseObject`), or dropped with `strip` (zod's `object`).
 */
export function object(fields: Record<string, Shape>, options: {strip?: boolean} = {}): Shape {
	const names = Object.keys(fields);
	return (value, path) => {
		if (typeof value !== 'object' || value === null || Array.isArray(value)) {
			return wrongType('object', value, path);
		}

		const record = value as Record<string, unknown>;
		for (const name of names) {
			const issue = fields[name]!(record[name], [...path, name]);
			if (issue) {
				return issue;
			}
		}

		if (options.strip) {
			for (const name of Object.keys(record)) {
				if (!(name in fields)) {
					delete record[name];
				}
			}
		}

		return undefined;
	};
}
