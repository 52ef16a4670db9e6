// An esbuild plugin for the bundle (scripts/build.mjs): yoga-layout (Ink's layout engine) carries
// its WebAssembly inline as a base64 data: URL, but its Emscripten loader hands that URL to fetch()
// whenever fetch exists, as it does in Node 18+. The first fetch() loads Node's own undici
// (50-150 ms on this machine) before the wizard can draw its first frame, only to decode bytes
// already in memory. Patched here, the loader decodes an inline data: URL in place, as later
// Emscripten releases do; a yoga-layout whose loader reads differently fails the build instead of
// silently losing the fix.
import {readFile} from 'node:fs/promises';

const fetchFirst = 'function ya(){return w||"function"!=typeof fetch?';
const inlineFirst = 'function ya(){return w||ua(H)||"function"!=typeof fetch?';

export const yogaInlineWasm = {
	name: 'yoga-inline-wasm',
	setup(pluginBuild) {
		pluginBuild.onLoad({filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/}, async ({path}) => {
			const code = await readFile(path, 'utf8');
			if (code.split(fetchFirst).length !== 2) {
				throw new Error(
					`${path}: the wasm loader no longer reads "${fetchFirst}"; check scripts/yoga-inline-wasm.mjs against this yoga-layout`,
				);
			}

			return {contents: code.replace(fetchFirst, inlineFirst), loader: 'js'};
		});
	},
};
