// Bundles cli.tsx into one ESM file that runs with plain `node` and no node_modules.
import {build} from 'esbuild';
import {readFile, chmod} from 'node:fs/promises';
import {sourceHash} from './source-hash.mjs';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const outfile = new URL('../dist/addon-wizard.mjs', import.meta.url).pathname;

// Ink loads react-devtools-core only when DEV=true, but the bundle still links its import:
// an empty stand-in keeps the one file runnable without node_modules.
const stubDevtools = {
	name: 'stub-react-devtools-core',
	setup(pluginBuild) {
		pluginBuild.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'stub'}));
		pluginBuild.onLoad({filter: /.*/, namespace: 'stub'}, () => ({contents: 'export default {connectToDevTools() {}};', loader: 'js'}));
	},
};

await build({
	entryPoints: [new URL('../cli.tsx', import.meta.url).pathname],
	outfile,
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	jsx: 'automatic',
	minify: false,
	sourcemap: false,
	legalComments: 'none',
	define: {
		'process.env.NODE_ENV': '"production"',
		ADDON_WIZARD_VERSION: JSON.stringify(pkg.version),
	},
	plugins: [stubDevtools],
	banner: {
		// Bundled CommonJS dependencies still call require(); give them one.
		// The source hash lets the tests refuse to drive a bundle older than the code (test/global-setup.ts).
		js: `#!/usr/bin/env node\n// addon-wizard source-hash: ${await sourceHash()}\nimport {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);`,
	},
	logLevel: 'warning',
});
await chmod(outfile, 0o755);
