// An esbuild plugin for the bundle (scripts/build.mjs): zod's `z` namespace re-exports every one of
// its ~45 locales (`z.locales.fr()` ...), so bundling `import {z} from 'zod'` keeps all of them:
// 235 KB of the 531 KB zod chunk, parsed and evaluated by every command that validates a file,
// the wizard before its first frame included (~40 ms CPU). The program reports in English only
// and never calls z.locales; English is registered by zod's own schemas (v4/classic/schemas.js
// imports locales/en.js directly), so the locale list is cut to `en` and every message stays the same.
import path from 'node:path';

export const zodEnglishOnly = {
	name: 'zod-english-only',
	setup(pluginBuild) {
		pluginBuild.onLoad({filter: /zod[\\/]v4[\\/]locales[\\/]index\.js$/}, ({path: file}) => ({
			contents: "export {default as en} from './en.js';",
			loader: 'js',
			resolveDir: path.dirname(file),
		}));
	},
};
