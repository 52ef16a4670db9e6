// An esbuild plugin for the bundle (scripts/build.mjs): the program is built as ONE CommonJS script
// so that V8 can keep a code cache of it (Node 20 has none for ES modules), and CommonJS has no
// top-level await. Two dependencies of the screens wait at their top level:
// - yoga-layout (Ink's layout engine) awaits its Emscripten loader, which instantiates the inline
//   WebAssembly asynchronously. Patched here, the loader instantiates the inline bytes at once
//   (`new WebAssembly.Module`, Node has no size limit on that), so the runtime is ready when
//   loadYoga() returns and the module object it filled is wrapped without waiting. It no longer
//   hands its data: URL to fetch() either (the first fetch() in Node loads Node's own undici).
// - Ink's reconciler awaits react-devtools-core and its own package.json, only when DEV=true. The
//   bundle never had either (the devtools are an empty stand-in, the package.json is not beside the
//   bundle), so DEV=true now says the devtools are not installed, as Ink does when they are missing.
// A dependency whose code reads differently fails the build instead of silently losing the fix.
import {readFile} from 'node:fs/promises';

/** [file pattern, [text to find exactly once, its replacement]...] */
const patches = [
	[
		/yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/,
		[
			'if(h.instantiateWasm)try{return h.instantiateWasm(d,',
			'if(!w&&ua(H))return a(new WebAssembly.Instance(new WebAssembly.Module(wa()),d)),{};if(h.instantiateWasm)try{return h.instantiateWasm(d,',
		],
		// The same bytes as atob() and a charCodeAt() loop over 72 KB (~2.7 ms before the first frame), in ~0.2 ms.
		[
			'var b=xa(a.slice(37)),c=new Uint8Array(b.length);for(a=0;a<b.length;++a)c[a]=b.charCodeAt(a);var d=c',
			'var d=new Uint8Array(Buffer.from(a.slice(37),"base64"))',
		],
	],
	[
		/yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/,
		[
			'const Yoga = wrapAssembly(await loadYoga());',
			`const yogaModule = {};
loadYoga(yogaModule);
if (!yogaModule.calledRun) {
  throw new Error('yoga-layout did not start synchronously (scripts/no-top-level-await.mjs)');
}
const Yoga = wrapAssembly(yogaModule);`,
		],
	],
	[
		/ink[\\/]build[\\/]reconciler\.js$/,
		["await import('./devtools.js');", "throw Object.assign(new Error('react-devtools-core'), {code: 'ERR_MODULE_NOT_FOUND'});"],
		['? await loadPackageJson()', '? {name: undefined, version: undefined}'],
	],
];

export const noTopLevelAwait = {
	name: 'no-top-level-await',
	setup(pluginBuild) {
		for (const [filter, ...replacements] of patches) {
			pluginBuild.onLoad({filter}, async ({path}) => {
				let code = await readFile(path, 'utf8');
				for (const [find, replacement] of replacements) {
					if (code.split(find).length !== 2) {
						throw new Error(`${path}: no longer reads "${find}" once; check scripts/no-top-level-await.mjs against this version`);
					}

					code = code.replace(find, () => replacement);
				}

				return {contents: code, loader: 'js'};
			});
		}
	},
};
