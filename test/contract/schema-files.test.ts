// The JSON Schema files under schema/v1/ are what the contract's zod schemas generate: a change
// to a public shape without `npm run schema` fails here, so the committed files never go stale.
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {jsonSchemaFiles, schemaFolder} from '../../source/report/contract/json-schema.js';
import {documentKinds} from '../../source/report/contract/envelope.js';
import {documentSchemas} from '../../source/report/contract/schemas.js';
import {repoRoot} from '../helpers/cluster-fixture.js';

describe('schema/v1', () => {
	it.each(jsonSchemaFiles())('$file is what the $kind schema generates (run `npm run schema` after changing it)', async ({file, text}) => {
		expect(await readFile(path.join(repoRoot, file), 'utf8')).toBe(text);
	});

	it('holds a file for every kind in the table and nothing else', async () => {
		const committed = (await readdir(path.join(repoRoot, schemaFolder))).sort();
		expect(committed).toEqual(
			jsonSchemaFiles()
				.map(item => path.basename(item.file))
				.sort(),
		);
	});

	it('lists only kinds of the contract, each schema checking the envelope', () => {
		for (const [kind, schema] of Object.entries(documentSchemas)) {
			expect(documentKinds).toContain(kind);
			const generated = JSON.parse(jsonSchemaFiles().find(item => item.kind === kind)!.text) as {$schema: string};
			expect(generated.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
			expect(schema.safeParse({apiVersion: 'addon-wizard/v0', kind}).success).toBe(false);
		}
	});
});
