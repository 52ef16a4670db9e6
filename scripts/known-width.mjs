// Bundled in front of every string-width (scripts/string-width-fast.mjs): the width of a line made
// only of printable ASCII and of the few symbols the wizard draws, without string-width's grapheme
// segmenter and emoji regexes, whose first use costs tens of milliseconds before the first frame.

/** ESC and CSI, the two characters every ANSI escape sequence (as strip-ansi knows them) starts with. */
const escapes = /[\u001B\u009B]/;

/**
 * Columns of `text` when every character is printable ASCII (one column each, as string-width counts
 * them) or a key of `widths` (a BMP symbol that is a grapheme of its own, its width measured by the
 * same string-width at build time); `undefined` for anything else, which string-width then measures.
 */
export function knownWidth(text, widths, stripAnsi) {
	const plain = escapes.test(text) ? stripAnsi(text) : text;
	let columns = 0;
	for (let index = 0; index < plain.length; index++) {
		const code = plain.charCodeAt(index);
		if (code >= 0x20 && code <= 0x7e) {
			columns += 1;
			continue;
		}

		const width = widths.get(code);
		if (width === undefined) {
			return undefined;
		}

		columns += width;
	}

	return columns;
}
