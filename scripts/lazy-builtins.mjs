// An esbuild plugin for the bundle (scripts/build.mjs): two of Ink's dependencies load a Node
// built-in module at start for a call the wizard's first frame never makes, and each costs 3-5 ms
// of CPU before that frame:
// - signal-exit 3 (Ink's and restore-cursor's copies) loads node:assert for one check, that the
//   exit handler is a function; here the check loads node:assert only when it fails, and then
//   throws node:assert's own error, as before;
// - terminal-size loads node:child_process to ask `tput`/`stty` when the terminal does not say its
//   size; here node:child_process loads on that first call.
// Each patch is an exact text; a dependency that reads differently fails the build instead of
// silently losing the patch.
import {readFile} from 'node:fs/promises';

const patches = [
	{
		file: /[\\/]signal-exit[\\/]index\.js$/,
		mentions: /require\(["']assert["']\)/,
		from: "var assert = require('assert')",
		to: "var assert = {equal: function (actual, expected, message) { if (actual != expected) require('assert').equal(actual, expected, message) }}",
	},
	{
		file: /[\\/]terminal-size[\\/]index\.js$/,
		mentions: /node:child_process/,
		from: "import {execFileSync} from 'node:child_process';",
		to: "import {createRequire} from 'node:module';\nconst execFileSync = (...arguments_) => createRequire(import.meta.url)('node:child_process').execFileSync(...arguments_);",
	},
];

/** The code with each patch for this file applied, or an error when a file that needs one reads differently. */
export function patchedSource(file, code) {
	let patched = code;
	for (const patch of patches) {
		if (!patch.file.test(file) || !patch.mentions.test(code)) {
			continue;
		}

		if (code.split(patch.from).length !== 2) {
			throw new Error(`${file}: no longer reads "${patch.from}"; check scripts/lazy-builtins.mjs against this version`);
		}

		patched = patched.replace(patch.from, patch.to);
	}

	return patched;
}

export const lazyBuiltins = {
	name: 'lazy-builtins',
	setup(pluginBuild) {
		pluginBuild.onLoad({filter: /[\\/](signal-exit|terminal-size)[\\/]index\.js$/}, async ({path}) => ({
			contents: patchedSource(path, await readFile(path, 'utf8')),
			loader: 'js',
		}));
	},
};
