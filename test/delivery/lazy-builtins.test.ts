// The bundle patches signal-exit 3 and terminal-size (scripts/lazy-builtins.mjs) so that the
// wizard's first frame loads neither node:assert nor node:child_process. What they do must not
// change: the same answers, the same error for a bad exit handler.
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {build} from 'esbuild';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
// @ts-expect-error -- a build script, plain JavaScript without types
import {lazyBuiltins} from '../../scripts/lazy-builtins.mjs';
import {repoRoot} from '../helpers/cluster-fixture.js';

type OnExit = (handler: unknown, options?: {alwaysLast?: boolean}) => () => void;
type TerminalSize = () => {columns: number; rows: number};

let scratch: string;

/** `module` as the bundle holds it (with the plugin, or without it for the original), imported from `resolveDir`. */
async function bundled<T>(module: string, resolveDir: string, patched: boolean): Promise<{exported: T; code: string}> {
	const outfile = path.join(scratch, `${module}-${patched ? 'patched' : 'original'}.mjs`);
	await build({
		stdin: {contents: `export {default} from '${module}';`, resolveDir, loader: 'js'},
		outfile,
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		plugins: patched ? [lazyBuiltins] : [],
		banner: {js: `import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);`},
		logLevel: 'silent',
	});
	return {exported: ((await import(pathToFileURL(outfile).href)) as {default: T}).default, code: await readFile(outfile, 'utf8')};
}

const thrown = (act: () => unknown) => {
	try {
		act();
	} catch (error) {
		const {name, message, code} = error as {name: string; message: string; code?: string};
		return {name, message, code};
	}

	return undefined;
};

beforeAll(async () => {
	scratch = await mkdtemp(path.join(tmpdir(), 'lazy-builtins-'));
});

afterAll(async () => {
	await rm(scratch, {recursive: true, force: true});
});

describe('built-in modules Ink loads at start', () => {
	for (const copy of ['ink', 'restore-cursor']) {
		it(`signal-exit 3 (${copy}'s) checks its handler without loading node:assert, with the same error`, async () => {
			const resolveDir = path.join(repoRoot, 'node_modules', copy);
			const patched = await bundled<OnExit>('signal-exit', resolveDir, true);
			const original = await bundled<OnExit>('signal-exit', resolveDir, false);
			// node:assert is required only where the check fails, not when the module starts
			expect(original.code).toMatch(/assert\d* = __require\("assert"\)/);
			expect(patched.code).not.toMatch(/assert\d* = __require\("assert"\)/);
			// A bad handler: node:assert's own AssertionError, word for word
			const bad = thrown(() => patched.exported('not a function'));
			expect(bad).toEqual(thrown(() => original.exported('not a function')));
			expect(bad).toMatchObject({name: 'AssertionError', code: 'ERR_ASSERTION', message: 'a callback must be provided for exit handler'});
			// A good one: registered, and removed by what it returns
			const remove = patched.exported(() => undefined, {alwaysLast: true});
			expect(typeof remove).toBe('function');
			remove();
		});
	}

	it('terminal-size loads node:child_process only when it must ask a command, and answers the same', async () => {
		const resolveDir = path.join(repoRoot, 'node_modules', 'ink');
		const patched = await bundled<TerminalSize>('terminal-size', resolveDir, true);
		const original = await bundled<TerminalSize>('terminal-size', resolveDir, false);
		expect(original.code).toMatch(/from "node:child_process"/);
		expect(patched.code).not.toMatch(/from "node:child_process"/);
		// Under vitest stdout is not a terminal: both fall back to the same commands and defaults
		expect(patched.exported()).toEqual(original.exported());
	});
});
