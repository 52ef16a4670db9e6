// An esbuild plugin for the bundle (scripts/build.mjs): yoga-layout (Ink's layout engine) carries
// its WebAssembly inline as a base64 data: URL, but its Emscripten loader hands that URL to fetch()
// whenever fetch exists, as it does in Node 18+. The first fetch() loads Node's own undici
// (50-150 ms on this machine) before the wizard can draw its first frame, only to decode bytes
// already in memory. Patched here, the loader decodes an inline data: URL in place, as later
// Emscripten releases do; a yoga-layout whose loader reads differently fails the build instead of
// silently losing the fix. The same loader then decodes those bytes with atob() and a charCodeAt()
// loop (~2.7 ms before the first frame); Buffer.from(..., 'base64') gives the same bytes in ~0.2 ms.
import {readFile} from 'node:fs/promises';

const fetchFirst = 'function ya(){return w||"function"!=typeof fetch?';
const inlineFirst = 'function ya(){return w||ua(H)||"function"!=typeof fetch?';
const atobLoop = 'var b=xa(a.slice(37)),c=new Uint8Array(b.length);for(a=0;a<b.length;++a)c[a]=b.charCodeAt(a);var d=c';
const bufferDecode = 'var d=new Uint8Array(Buffer.from(a.slice(37),"base64"))';

export const yogaInlineWasm = {
	name: 'yoga-inline-wasm',
	setup(pluginBuild) {
		pluginBuild.onLoad({filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/}, async ({path}) => {
			const code = await readFile(path, 'utf8');
			for (const expected of [fetchFirst, atobLoop]) {
				if (code.split(expected).length !== 2) {
					throw new Error(
						`${path}: the wasm loader no longer reads "${expected}"; check scripts/yoga-inline-wasm.mjs against this yoga-layout`,
					);
				}
			}

			return {contents: code.replace(fetchFirst, inlineFirst).replace(atobLoop, bufferDecode), loader: 'js'};
		});
	},
};
