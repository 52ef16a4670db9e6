// The measuring children of the registry benchmarks run their own script bundled by esbuild, as
// `dist/` ships the wizard: under tsx the lazily loaded parts of undici would be transpiled inside
// the measured time.
import path from 'node:path';
import {build} from 'esbuild';

/** Bundles `entry` (a bench script's own file) to `.bench/<name>.mjs` and returns that path. */
export async function bundleBench(entry: string, name: string): Promise<string> {
	const outfile = path.join(import.meta.dirname, '..', '.bench', `${name}.mjs`);
	await build({
		entryPoints: [entry],
		outfile,
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		logLevel: 'warning',
		banner: {js: "import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);"},
	});
	return outfile;
}
