// What every JSON document and JSON line the wizard prints starts with: the contract's version and
// the kind of document, so a script can check both before it reads anything else.
import {z} from 'zod';

export const apiVersion = 'addon-wizard/v1';

/** The kinds of document the v1 contract has; each has its schema in this folder. */
export const documentKinds = [
	'Plan',
	'RunEvent',
	'RunResult',
	'Verification',
	'History',
	'Status',
	'PackageList',
	'Inspection',
	'Error',
	'Undo',
] as const;
export type DocumentKind = (typeof documentKinds)[number];

/** A document's schema: the envelope's two fields, then the kind's own. */
export function documentSchema<K extends DocumentKind, S extends z.ZodRawShape>(kind: K, shape: S) {
	return z.object({apiVersion: z.literal(apiVersion), kind: z.literal(kind), ...shape});
}

/** A document, envelope first, as `JSON.stringify` will print it. */
export function envelope<K extends DocumentKind, B extends object>(kind: K, body: B): {apiVersion: typeof apiVersion; kind: K} & B {
	return {apiVersion, kind, ...body};
}
