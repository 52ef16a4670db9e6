// The hand-written shapes stand in for zod on the files read at every start: a file passes or is
// refused as zod would have judged it, and the first problem is said in zod's words, at zod's path.
// Checked against zod itself on every way a field can be wrong.
import {describe, expect, it} from 'vitest';
import {z} from 'zod';
import {
	array,
	boolean,
	int,
	literal,
	number,
	object,
	oneOf,
	optional,
	string,
	unknown,
	type Shape,
} from '../../../source/adapters/shared/stored-shape.js';

// The same shape twice: hand-written and in zod, every combinator the stored files use.
const shape = object({
	kind: literal('RunLock'),
	schema: literal(3),
	pid: int({min: 1}),
	index: int({min: 0}),
	uid: int(),
	size: number,
	name: string,
	done: boolean,
	status: oneOf(['running', 'ok']),
	note: optional(string),
	steps: array(object({id: string, argv: array(string, {min: 1})}), {min: 1}),
	any: array(unknown),
	capture: optional(object({stdout: string}, {strip: true})),
});
const schema = z.looseObject({
	kind: z.literal('RunLock'),
	schema: z.literal(3),
	pid: z.number().int().positive(),
	index: z.number().int().nonnegative(),
	uid: z.number().int(),
	size: z.number(),
	name: z.string(),
	done: z.boolean(),
	status: z.enum(['running', 'ok']),
	note: z.string().optional(),
	steps: z.array(z.looseObject({id: z.string(), argv: z.array(z.string()).min(1)})).min(1),
	any: z.array(z.unknown()),
	capture: z.object({stdout: z.string()}).optional(),
});

const valid = () => ({
	kind: 'RunLock',
	schema: 3,
	pid: 7,
	index: 0,
	uid: -1,
	size: 1.5,
	name: 'n',
	done: false,
	status: 'ok',
	steps: [{id: 's', argv: ['a'], extra: 1}],
	any: [1, 'x', null],
	capture: {stdout: 'o', more: 'dropped'},
	other: 'kept',
});

const wrongValues: unknown[] = [undefined, null, 'text', '', 0, -1, 1.5, 2 ** 60, true, [], ['a'], {}, {id: 1}];

/** Every value a file could hold in place of each field, one field at a time, nested ones included. */
function variants(): Array<{what: string; value: unknown}> {
	const out: Array<{what: string; value: unknown}> = [{what: 'valid', value: valid()}];
	for (const key of Object.keys(valid())) {
		for (const wrong of wrongValues) {
			out.push({what: `${key} = ${JSON.stringify(wrong)}`, value: {...valid(), [key]: wrong}});
		}
	}

	for (const wrong of wrongValues) {
		out.push({what: `steps.0.id = ${JSON.stringify(wrong)}`, value: {...valid(), steps: [{id: wrong, argv: ['a']}]}});
		out.push({
			what: `steps.1.argv = ${JSON.stringify(wrong)}`,
			value: {
				...valid(),
				steps: [
					{id: 's', argv: ['a']},
					{id: 't', argv: wrong},
				],
			},
		});
		out.push({what: `steps.0.argv.0 = ${JSON.stringify(wrong)}`, value: {...valid(), steps: [{id: 's', argv: [wrong, 7]}]}});
		out.push({what: `whole = ${JSON.stringify(wrong)}`, value: wrong});
	}

	out.push({what: 'two wrong fields', value: {...valid(), name: 1, pid: 0}});
	return out;
}

function byZod(value: unknown) {
	const parsed = schema.safeParse(value);
	const issue = parsed.error?.issues[0];
	return {issue: issue && {path: issue.path, message: issue.message}, value: parsed.data};
}

function byShape(check: Shape, value: unknown) {
	const copy: unknown = value === undefined ? undefined : structuredClone(value);
	const issue = check(copy, []);
	return {issue, value: issue ? undefined : copy};
}

describe('stored shapes, checked by hand, judge as zod does', () => {
	it.each(variants())('$what: passes or fails alike, with the same first problem and value', ({value}) => {
		expect(byShape(shape, value)).toEqual(byZod(value));
	});
});
