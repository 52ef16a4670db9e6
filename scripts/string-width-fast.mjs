// An esbuild plugin for the bundle (scripts/build.mjs): every `import stringWidth from 'string-width'`
// (Ink's output and text measuring, widest-line, cli-truncate, wrap-ansi's older copy, our screens)
// gets a front that answers lines of printable ASCII and the wizard's own symbols (✔ › · … box
// drawing) from a table, and loads the real string-width only for anything else. Its module start
// (an Intl.Segmenter, a `\p{RGI_Emoji}` RegExp) and its first non-ASCII call (compiling the emoji
// regexes) cost 20-40 ms before the first frame, for lines that hold none of what they are for.
//
// The table is measured at build time by the very string-width each front stands for (two versions
// are bundled, and they disagree: string-width 7 counts ✔ ⚠ ▶ ℹ as 2 columns, 8 as 1), and the build
// fails unless each symbol measures, next to ASCII and to every other symbol, as the sum of its
// parts: one grapheme of its own, so the sum over the characters is exactly string-width's answer.
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

/** The symbols the screens draw (source/ui/glyphs.ts and their texts) and Ink's box borders (cli-boxes). */
export const fastGlyphs = '…§·→←↑↓✘✔›—–⚠▶░█≤≥×ℹ•─│┌┐└┘├┤┬┴┼╭╮╯╰═║╔╗╚╝━┃┏┓┗┛╒╕╘╛╓╖╙╜';

const knownWidthFile = fileURLToPath(new URL('known-width.mjs', import.meta.url));

/** Each symbol's width by `stringWidth`, after checking it never joins a neighbour into one grapheme. */
export function measureGlyphs(stringWidth) {
	const glyphs = [...fastGlyphs];
	const ascii = Array.from({length: 0x7f - 0x20}, (_, index) => String.fromCharCode(0x20 + index));
	if (ascii.some(character => stringWidth(character) !== 1)) {
		throw new Error('string-width-fast: a printable ASCII character is not one column');
	}

	const widths = new Map(glyphs.map(glyph => [glyph, stringWidth(glyph)]));
	for (const glyph of glyphs) {
		if (glyph.length !== 1) {
			throw new Error(`string-width-fast: ${glyph} is not one UTF-16 unit`);
		}

		for (const neighbour of ['a', ' ', '~', ...glyphs]) {
			const alone = widths.get(glyph) + (widths.get(neighbour) ?? 1);
			if (stringWidth(glyph + neighbour) !== alone || stringWidth(neighbour + glyph) !== alone) {
				throw new Error(`string-width-fast: "${glyph}" next to "${neighbour}" is not measured as the sum of its parts`);
			}
		}
	}

	return [...widths].map(([glyph, width]) => [glyph.charCodeAt(0), width]);
}

export const stringWidthFast = {
	name: 'string-width-fast',
	setup(pluginBuild) {
		pluginBuild.onResolve({filter: /^string-width$/}, async ({path: request, resolveDir, kind, importer, pluginData}) => {
			if (pluginData?.real) {
				return undefined;
			}

			const real = await pluginBuild.resolve(request, {resolveDir, kind, importer, pluginData: {real: true}});
			if (real.errors.length > 0) {
				return {errors: real.errors};
			}

			return {path: real.path, namespace: 'string-width-fast'};
		});
		pluginBuild.onLoad({filter: /.*/, namespace: 'string-width-fast'}, async ({path: real}) => {
			const {default: stringWidth} = await import(pathToFileURL(real).href);
			const widths = measureGlyphs(stringWidth);
			// The real module's own strip-ansi, so escapes are removed exactly as it removes them.
			const manifest = JSON.parse(await readFile(path.join(path.dirname(real), 'package.json'), 'utf8'));
			if (!manifest.dependencies?.['strip-ansi']) {
				throw new Error(`string-width-fast: ${real} no longer depends on strip-ansi; check scripts/string-width-fast.mjs`);
			}

			return {
				contents: [
					`import stripAnsi from 'strip-ansi';`,
					`import {knownWidth} from ${JSON.stringify(knownWidthFile)};`,
					`const widths = new Map(${JSON.stringify(widths)});`,
					`let real;`,
					`export default function stringWidth(text, options) {`,
					`	const known = typeof text === 'string' && options === undefined ? knownWidth(text, widths, stripAnsi) : undefined;`,
					// require(): esbuild then starts the real module on this first call, not when the chunk loads.
					`	return known ?? (real ??= require(${JSON.stringify(real)}).default)(text, options);`,
					`}`,
				].join('\n'),
				resolveDir: path.dirname(real),
				loader: 'js',
			};
		});
	},
};
