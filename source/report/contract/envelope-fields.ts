// The envelope's values, apart from its schema: what every document starts with, for the renderers
// that print JSON without loading zod (which only the schemas, the tests and stored files need).
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

/** A document, envelope first, as `JSON.stringify` will print it. */
export function envelope<K extends DocumentKind, B extends object>(kind: K, body: B): {apiVersion: typeof apiVersion; kind: K} & B {
	return {apiVersion, kind, ...body};
}
