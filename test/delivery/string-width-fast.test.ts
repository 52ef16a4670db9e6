// The bundle measures text through a front on string-width (scripts/string-width-fast.mjs) that
// answers the wizard's own lines from a table and loads the real string-width only for anything
// else. A user must see nothing of it: every width equals the real one, for both copies the bundle
// holds (Ink's string-width 8 and wrap-ansi's string-width 7, which disagree on ✔ ⚠ ▶ ℹ).
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {build} from 'esbuild';
import stringWidth8 from 'string-width';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
// @ts-expect-error -- a build script, plain JavaScript without types
import {fastGlyphs, stringWidthFast} from '../../scripts/string-width-fast.mjs';
import {asciiGlyphs, unicodeGlyphs} from '../../source/ui/glyphs.js';
import {repoRoot} from '../helpers/cluster-fixture.js';

type Width = (text: string, options?: {ambiguousIsNarrow?: boolean}) => number;

const wrapAnsiDir = path.join(repoRoot, 'node_modules', 'ink', 'node_modules', 'wrap-ansi');
const copies = [
	{name: 'string-width 8 (Ink, our screens)', resolveDir: repoRoot},
	{name: 'string-width 7 (wrap-ansi)', resolveDir: wrapAnsiDir},
];

let scratch: string;
const fronts = new Map<string, Width>();
const reals = new Map<string, Width>();
const segmenters = {made: 0};
const {Segmenter} = Intl;

/** The front as the bundle holds it: bundled by esbuild with the plugin, importing `string-width` from `resolveDir`. */
async function bundledFront(name: string, resolveDir: string): Promise<Width> {
	const outfile = path.join(scratch, `${fronts.size}.mjs`);
	await build({
		stdin: {contents: `export {default} from 'string-width';`, resolveDir, loader: 'js'},
		outfile,
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		plugins: [stringWidthFast],
		banner: {js: `import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);`},
		logLevel: 'silent',
	});
	return ((await import(pathToFileURL(outfile).href)) as {default: Width}).default;
}

/** The screens' symbols in the lines they are drawn in, with and without colour, and strings the table does not know. */
function corpus(): string[] {
	const glyphs = [...new Set([...Object.values(unicodeGlyphs), ...Object.values(asciiGlyphs), ...fastGlyphs])];
	const ascii = Array.from({length: 0x7f - 0x20}, (_, index) => String.fromCharCode(0x20 + index));
	const lines = [
		'Looking for offline packages…',
		' › [✔] addon-offline-full-package-v0.12.5-amd64.tar.gz   1.2 GB · 3 min ago',
		'✘ import failed · exit 1 — see the run log',
		'⚠ 3 images already in the registry ▶ ℹ ↓ 2 more',
		'█████░░░░░ 50%  ≤ 2 GB free × 3',
		'╭──────╮\n│ box │',
		'\u001B[32m✔\u001B[39m done \u001B[1m›\u001B[22m next',
		'\u001B[38;2;255;0;0m…\u001B[0m',
		'',
		'   ',
		// Outside the table: the real string-width answers.
		'中文 packages',
		'👍 ok',
		'✔\uFE0F done',
		'e\u0301 accent',
		'tab\there',
		'line\nbreak',
		'\u200B zero width',
		'\u001B]8;;https://example.com\u0007link\u001B]8;;\u0007',
		'한국어',
		'ｶﾞ half-width',
	];
	return [
		...glyphs,
		...glyphs.flatMap(glyph => ascii.map(character => `${character}${glyph}${character}`)),
		...glyphs.flatMap(glyph => glyphs.map(other => `${glyph}${other}`)),
		...lines,
	];
}

beforeAll(async () => {
	scratch = await mkdtemp(path.join(tmpdir(), 'string-width-fast-'));
	// Counts the grapheme segmenters made: the real string-width makes one when it starts.
	const counted = class extends Segmenter {
		constructor(...args: ConstructorParameters<typeof Intl.Segmenter>) {
			super(...args);
			segmenters.made++;
		}
	};
	Object.defineProperty(Intl, 'Segmenter', {value: counted, configurable: true, writable: true});
	for (const {name, resolveDir} of copies) {
		fronts.set(name, await bundledFront(name, resolveDir));
	}

	reals.set(copies[0]!.name, stringWidth8);
	const wrapAnsiWidth = path.join(wrapAnsiDir, 'node_modules', 'string-width', 'index.js');
	reals.set(copies[1]!.name, ((await import(pathToFileURL(wrapAnsiWidth).href)) as {default: Width}).default);
});

afterAll(async () => {
	Object.defineProperty(Intl, 'Segmenter', {value: Segmenter, configurable: true, writable: true});
	await rm(scratch, {recursive: true, force: true});
});

describe('string-width in the bundle', () => {
	it('leaves the real string-width unloaded while every line is ASCII and the screens symbols', () => {
		// Given both fronts bundled and loaded (the real modules imported above made their own segmenters)
		const before = segmenters.made;
		// When they measure the screens' lines
		for (const front of fronts.values()) {
			expect(front(' › [✔] addon-offline-full-package-v0.12.5-amd64.tar.gz · ⚠ ▶ ℹ …')).toBeGreaterThan(0);
			expect(front('\u001B[32m✔\u001B[39m done')).toBe(front('✔ done'));
		}

		// Then no string-width started; the first other text starts one, once
		expect(segmenters.made).toBe(before);
		for (const front of fronts.values()) {
			front('中文');
			front('中文');
		}

		expect(segmenters.made).toBe(before + copies.length);
	});

	for (const {name} of copies) {
		it(`gives exactly the widths of ${name}`, () => {
			const front = fronts.get(name)!;
			const real = reals.get(name)!;
			const texts = corpus();
			const differ = texts.filter(text => front(text) !== real(text));
			expect(differ).toEqual([]);
			// The options and a non-string go to the real one as they are.
			for (const text of ['…', '✔', '⚠ ▶ ℹ', '│ · │']) {
				expect(front(text, {ambiguousIsNarrow: false})).toBe(real(text, {ambiguousIsNarrow: false}));
			}

			const notText = undefined as unknown as string;
			expect(front(notText)).toBe(real(notText));
			expect(texts.length).toBeGreaterThan(5000);
		});
	}

	it('knows the two copies disagree on ✔, so each front keeps its own table', () => {
		const [eight, seven] = copies.map(({name}) => fronts.get(name)!);
		expect(eight!('✔')).toBe(1);
		expect(seven!('✔')).toBe(2);
	});
});
