// The JSON Schema text of each kind, as committed under schema/v1/: one function for the
// generator (scripts/gen-schema.ts) and the test that fails when the committed files are stale.
import {z} from 'zod';
import {apiVersion, type DocumentKind} from './envelope.js';
import {documentSchemas, schemaFileName} from './schemas.js';

export const schemaFolder = `schema/${apiVersion.split('/')[1]}`;

/** Every kind in the table: its file under schema/v1/ and the text that file holds. */
export function jsonSchemaFiles(): Array<{kind: DocumentKind; file: string; text: string}> {
	return Object.entries(documentSchemas).map(([kind, schema]) => {
		const file = `${schemaFolder}/${schemaFileName(kind as DocumentKind)}`;
		// As input: no `additionalProperties: false`, so a script holding the v1 schema still
		// accepts the fields a later v1 adds (the contract's promise: additive changes only).
		const {$schema, ...generated} = z.toJSONSchema(schema, {io: 'input'});
		const document = {$schema, $id: `addon-wizard/${file}`, title: `${apiVersion} ${kind}`, ...generated};
		return {kind: kind as DocumentKind, file, text: `${JSON.stringify(document, null, '\t')}\n`};
	});
}
