// Bundles cli.tsx into dist/addon-wizard.mjs: one file that runs with plain `node` and no
// node_modules, and that starts each command as fast as Node 20 allows.
//
// esbuild bundles the program as ONE CommonJS script (each module still initialised lazily, when a
// command first reaches it), because Node 20 can keep V8's code cache of a classic script but not of
// ES modules. A file copied alone to a jump host must still be the whole program, so the script
// travels inside it, brotli-packed in a trailing comment (V8 skips a comment at memory speed; the
// packed text is a fifth of the code). The small loader at the top (bundle-loader.mjs) unpacks it
// once per build into the cache folder and runs it from there with a code cache per command.
import {build} from 'esbuild';
import {createHash} from 'node:crypto';
import {chmod, mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {brotliCompressSync, constants} from 'node:zlib';
import {lazyBuiltins} from './lazy-builtins.mjs';
import {sourceHash} from './source-hash.mjs';
import {noTopLevelAwait} from './no-top-level-await.mjs';
import {stringWidthFast} from './string-width-fast.mjs';
import {zodEnglishOnly} from './zod-english-only.mjs';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
const outfile = path.join(root, 'dist', 'addon-wizard.mjs');

// Ink loads react-devtools-core only when DEV=true, but the bundle still links its import:
// an empty stand-in keeps the program runnable without node_modules.
const stubDevtools = {
	name: 'stub-react-devtools-core',
	setup(pluginBuild) {
		pluginBuild.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'stub'}));
		pluginBuild.onLoad({filter: /.*/, namespace: 'stub'}, () => ({contents: 'export default {connectToDevTools() {}};', loader: 'js'}));
	},
};

const define = {
	'process.env.NODE_ENV': '"production"',
	ADDON_WIZARD_VERSION: JSON.stringify(pkg.version),
};

/**
 * `--version` and every help page, computed now by the program's own code (early-answer.ts, built
 * with the same defines), for the loader to print before it loads anything.
 */
async function earlyAnswers() {
	const scratch = await mkdtemp(path.join(tmpdir(), 'addon-wizard-build-'));
	try {
		const module = path.join(scratch, 'early-answer.mjs');
		await build({
			stdin: {
				contents: "export {precomputedAnswers} from './source/app/early-answer.ts'; export {subcommands} from './source/app/flags.ts';",
				resolveDir: root,
				loader: 'ts',
			},
			outfile: module,
			bundle: true,
			platform: 'node',
			format: 'esm',
			target: 'node20',
			define,
			logLevel: 'warning',
		});
		const {precomputedAnswers, subcommands} = await import(pathToFileURL(module).href);
		return {...precomputedAnswers(), subcommands};
	} finally {
		await rm(scratch, {recursive: true, force: true});
	}
}

/** JSON with every non-ASCII character escaped: one `→` in the help would make Node decode the whole 900 KB file the slow way. */
const asciiJson = value =>
	JSON.stringify(value).replace(/[\u0080-\uffff]/g, char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);

// -- the program as one CommonJS script (issue 22: V8 code cache) --------------------------------
// Node 20 compiles ES modules afresh on every run; a classic script can be compiled through
// vm.Script with a code cache (scripts/bundle-loader.mjs). esbuild still loads each module lazily
// inside the one script (a dynamic import() becomes a call to that module's wrapper).
const result = await build({
	stdin: {
		contents: "import {runMain} from './source/app/main.js'; runMain(process.argv.slice(2)).then(code => { process.exitCode = code; });",
		resolveDir: root,
		sourcefile: 'cli.tsx',
		loader: 'ts',
	},
	outfile: path.join(root, 'dist', 'code', 'program.cjs'),
	write: false,
	bundle: true,
	platform: 'node',
	format: 'cjs',
	target: 'node20',
	jsx: 'automatic',
	// Whitespace only: names stay, so a stack under ADDON_WIZARD_DEBUG still reads.
	minifyWhitespace: true,
	// ASCII (non-ASCII escaped): Node decodes the source with TextDecoder, ten times faster for pure
	// ASCII, and V8 keeps it as one-byte text.
	charset: 'ascii',
	sourcemap: false,
	legalComments: 'none',
	define,
	plugins: [stubDevtools, noTopLevelAwait, zodEnglishOnly, stringWidthFast, lazyBuiltins],
	// version.ts reads import.meta.url only when ADDON_WIZARD_VERSION is not defined; it is, above.
	logOverride: {'empty-import-meta': 'silent'},
	logLevel: 'warning',
});
const program = Buffer.from(result.outputFiles[0].contents).toString('utf8');
const digest = createHash('sha256').update(program).digest('hex').slice(0, 16);
const packed = brotliCompressSync(Buffer.from(program), {params: {[constants.BROTLI_PARAM_QUALITY]: 9}}).toString('base64');
// -- end of the CommonJS program --------------------------------------------------------------------
const loader = await readFile(path.join(root, 'scripts', 'bundle-loader.mjs'), 'utf8');
const early = await earlyAnswers();

await mkdir(path.dirname(outfile), {recursive: true});
await writeFile(
	outfile,
	[
		'#!/usr/bin/env node',
		// The source hash lets the tests refuse to drive a bundle older than the code (test/global-setup.ts).
		`// addon-wizard source-hash: ${await sourceHash()}`,
		`const codeDigest = '${digest}';`,
		`const earlyTexts = ${asciiJson(early.texts)};`,
		`const earlyAnswers = ${JSON.stringify(early.answers)};`,
		// The loader keeps one code cache per command (the wizard has none): these are their names.
		`const commandNames = ${JSON.stringify(early.subcommands)};`,
		loader,
		`/*PACKED:${packed}:PACKED*/`,
		'',
	].join('\n'),
);
await chmod(outfile, 0o755);
