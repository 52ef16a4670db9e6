// Writes schema/v1/<kind>.schema.json from the contract's zod schemas (`npm run schema`). The
// files are committed; test/contract/schema-files.test.ts fails when they are not what this writes.
import {mkdirSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {jsonSchemaFiles, schemaFolder} from '../source/report/contract/json-schema.js';

const root = path.resolve(import.meta.dirname, '..');
const folder = path.join(root, schemaFolder);
mkdirSync(folder, {recursive: true});
const files = jsonSchemaFiles();
// A kind that left the table leaves no stale file behind.
for (const name of readdirSync(folder)) {
	if (!files.some(item => path.basename(item.file) === name)) {
		rmSync(path.join(folder, name));
	}
}

for (const item of files) {
	writeFileSync(path.join(root, item.file), item.text);
	console.log(`wrote ${item.file}`);
}
