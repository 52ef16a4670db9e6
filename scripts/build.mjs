// Bundles cli.tsx into dist/addon-wizard.mjs: one file that runs with plain `node` and no
// node_modules, and that loads only what a command needs.
//
// esbuild splits the program into an entry and chunks (the screens, undici, yaml, zod ... each
// loaded by a dynamic import() when a command first reaches it). A file copied alone to a jump
// host must still be the whole program, so the chunks travel inside it, brotli-packed in a trailing
// comment (V8 skips a comment at memory speed; the packed text is a fifth of the code). The small
// loader at the top unpacks them once per build into the cache folder and imports the entry from
// there: later runs compile only the chunks their command imports.
import {build} from 'esbuild';
import {createHash} from 'node:crypto';
import {chmod, mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {brotliCompressSync, constants} from 'node:zlib';
import {lazyBuiltins} from './lazy-builtins.mjs';
import {sourceHash} from './source-hash.mjs';
import {stringWidthFast} from './string-width-fast.mjs';
import {yogaInlineWasm} from './yoga-inline-wasm.mjs';
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
			entryPoints: [path.join(root, 'source', 'app', 'early-answer.ts')],
			outfile: module,
			bundle: true,
			platform: 'node',
			format: 'esm',
			target: 'node20',
			define,
			logLevel: 'warning',
		});
		return (await import(pathToFileURL(module).href)).precomputedAnswers();
	} finally {
		await rm(scratch, {recursive: true, force: true});
	}
}

/** JSON with every non-ASCII character escaped: one `→` in the help would make Node decode the whole 900 KB file the slow way. */
const asciiJson = value =>
	JSON.stringify(value).replace(/[\u0080-\uffff]/g, char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);

const result = await build({
	entryPoints: {cli: path.join(root, 'cli.tsx')},
	outdir: path.join(root, 'dist', 'code'),
	write: false,
	bundle: true,
	splitting: true,
	chunkNames: 'chunks/[name]-[hash]',
	outExtension: {'.js': '.mjs'},
	platform: 'node',
	format: 'esm',
	target: 'node20',
	jsx: 'automatic',
	// Whitespace only: names stay, so a stack under ADDON_WIZARD_DEBUG still reads.
	minifyWhitespace: true,
	// ASCII (non-ASCII escaped): Node decodes each module's source with TextDecoder, ten times faster
	// for pure ASCII, and V8 keeps it as one-byte text.
	charset: 'ascii',
	sourcemap: false,
	legalComments: 'none',
	define,
	plugins: [stubDevtools, yogaInlineWasm, zodEnglishOnly, stringWidthFast, lazyBuiltins],
	banner: {
		// Bundled CommonJS dependencies still call require(); give every chunk one.
		js: `import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);`,
	},
	logLevel: 'warning',
});

const base = path.join(root, 'dist', 'code');
const files = result.outputFiles.map(file => [path.relative(base, file.path), Buffer.from(file.contents).toString('utf8')]).sort();
const json = JSON.stringify(files);
const digest = createHash('sha256').update(json).digest('hex').slice(0, 16);
const packed = brotliCompressSync(Buffer.from(json), {params: {[constants.BROTLI_PARAM_QUALITY]: 9}}).toString('base64');
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
		loader,
		`/*PACKED:${packed}:PACKED*/`,
		'',
	].join('\n'),
);
await chmod(outfile, 0o755);
