// `npm run test:unit`, the inner loop: no tmux, no registry or stand-in, no build. Left to `npm test`
// are test/e2e and test/delivery, and every file that drives the built CLI or imports a helper that
// starts a registry, stand-in or terminal. Files are sorted by what they import, not by a list, so a
// new test lands on the right side of the line without anyone remembering to put it there.
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {configDefaults, defineConfig} from 'vitest/config';
import full from './vitest.config.js';

const root = import.meta.dirname;

/** Helpers whose import means the file starts real parts (or reads what they hold). */
const heavyHelpers = [
	'registry',
	'registry-fixtures',
	'test-bed',
	'harbor',
	'harbor-api-standin',
	'chart-repo',
	'standin-process',
	'tmux',
	'e2e-scratch',
	'run-program',
	'ansible-playbook',
	'sshd',
];
const heavyImport = new RegExp(String.raw`from '(?:\.{1,2}/)+(?:helpers/)?(?:${heavyHelpers.join('|')})\.js'`);
/** The built CLI (dist/addon-wizard.mjs), as cluster-fixture names it. */
const drivesDist = /\bcliPath\b/;
const heavyFolders = ['test/e2e/', 'test/delivery/'];

function testFiles(): string[] {
	return readdirSync(path.join(root, 'test'), {recursive: true, encoding: 'utf8'})
		.filter(file => /\.test\.tsx?$/.test(file))
		.map(file => path.posix.join('test', file.split(path.sep).join('/')));
}

function needsRealParts(file: string): boolean {
	if (heavyFolders.some(folder => file.startsWith(folder))) {
		return true;
	}

	const text = readFileSync(path.join(root, file), 'utf8');
	return heavyImport.test(text) || drivesDist.test(text);
}

export const integrationFiles = testFiles().filter(file => needsRealParts(file));

export default defineConfig({
	test: {
		...full.test,
		exclude: [...(full.test?.exclude ?? configDefaults.exclude), ...integrationFiles],
		// Not test/global-setup.ts: nothing here drives dist/, so nothing needs it rebuilt. The
		// test-bed guard stays, so a file that starts a registry anyway fails here too.
		globalSetup: ['test/helpers/test-bed-guard.ts'],
	},
});
