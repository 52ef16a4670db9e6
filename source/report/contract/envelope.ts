// What every JSON document and JSON line the wizard prints starts with: the contract's version and
// the kind of document, so a script can check both before it reads anything else.
import {z} from 'zod';
import {apiVersion, type DocumentKind} from './envelope-fields.js';

export {apiVersion, documentKinds, envelope, type DocumentKind} from './envelope-fields.js';

/** A document's schema: the envelope's two fields, then the kind's own. */
export function documentSchema<K extends DocumentKind, S extends z.ZodRawShape>(kind: K, shape: S) {
	return z.object({apiVersion: z.literal(apiVersion), kind: z.literal(kind), ...shape});
}
