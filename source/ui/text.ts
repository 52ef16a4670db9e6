// Plain-text shaping for fixed-width panes: every pane row must be exactly one terminal line,
// so long text is wrapped or cut here rather than left to the layout engine.
import {stripVTControlCharacters} from 'node:util';
import stringWidth from 'string-width';

/** Output from the installer may carry colours, tabs and carriage returns; show text only. */
export function cleanLine(line: string): string {
	return stripVTControlCharacters(line).replaceAll('\t', '    ').replaceAll('\r', '');
}

const graphemes = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

/** Cuts a word wider than `limit` columns into pieces that fit, never splitting a character. */
function breakWord(word: string, limit: number): string[] {
	const pieces: string[] = [];
	let piece = '';
	let width = 0;
	for (const {segment} of graphemes.segment(word)) {
		const columns = stringWidth(segment);
		if (width + columns > limit && piece) {
			pieces.push(piece);
			piece = '';
			width = 0;
		}

		piece += segment;
		width += columns;
	}

	return piece ? [...pieces, piece] : pieces;
}

/** The start of `text` that fits in `columns` terminal columns, never splitting a character. */
export function headOf(text: string, columns: number): string {
	return columns > 0 ? (breakWord(text, columns)[0] ?? '') : '';
}

/**
 * Word wrap by terminal columns (a Chinese character takes two), keeping each paragraph's
 * indentation (diffs, YAML); words wider than the line (paths) are broken hard.
 */
export function wrapText(text: string, width: number): string[] {
	const lines: string[] = [];
	for (const paragraph of text.split('\n')) {
		const indent = /^\s*/.exec(paragraph)?.[0] ?? '';
		const limit = Math.max(1, width - stringWidth(indent));
		const wrapped: string[] = [];
		let line = '';
		let lineWidth = 0;
		for (const word of paragraph.slice(indent.length).split(' ')) {
			const pieces = stringWidth(word) > limit ? breakWord(word, limit) : [word];
			for (const [index, piece] of pieces.entries()) {
				const pieceWidth = stringWidth(piece);
				const last = index === pieces.length - 1;
				if (line === '' && lineWidth === 0) {
					line = piece;
					lineWidth = pieceWidth;
				} else if (lineWidth + 1 + pieceWidth <= limit && pieces.length === 1) {
					line = `${line} ${piece}`;
					lineWidth += 1 + pieceWidth;
				} else {
					wrapped.push(line);
					line = piece;
					lineWidth = pieceWidth;
				}

				if (!last) {
					wrapped.push(line);
					line = '';
					lineWidth = 0;
				}
			}
		}

		wrapped.push(line);
		lines.push(...wrapped.map(item => indent + item));
	}

	return lines;
}

export function percent(fraction: number): string {
	return `${Math.floor(Math.max(0, Math.min(1, fraction)) * 100)}%`;
}

/** A fixed-width bar; the fraction is clamped so a size estimate that runs over still draws. */
export function bar(fraction: number, width: number, full: string, empty: string): string {
	const clamped = Number.isFinite(fraction) ? Math.max(0, Math.min(1, fraction)) : 0;
	const filled = Math.round(clamped * width);
	return full.repeat(filled) + empty.repeat(Math.max(0, width - filled));
}

/**
 * A command laid out as a shell would accept it when pasted: whole arguments per line, joined
 * with ` \` continuations; only an argument longer than a line is broken.
 */
export function shellLines(words: string[], width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of words) {
		if (line && stringWidth(line) + 1 + stringWidth(word) + 2 > width) {
			lines.push(`${line} \\`);
			line = '  ';
		}

		line = line.trim() ? `${line} ${word}` : `${line}${word}`;
	}

	lines.push(line);
	return lines.flatMap(item => wrapText(item, width));
}
