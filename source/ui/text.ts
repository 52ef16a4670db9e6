// Plain-text shaping for fixed-width panes: every pane row must be exactly one terminal line,
// so long text is wrapped or cut here rather than left to the layout engine.
import {stripVTControlCharacters} from 'node:util';

/** Output from the installer may carry colours, tabs and carriage returns; show text only. */
export function cleanLine(line: string): string {
	return stripVTControlCharacters(line).replaceAll('\t', '    ').replaceAll('\r', '');
}

/** Word wrap keeping each paragraph's indentation (diffs, YAML); words longer than the width (paths) are broken hard. */
export function wrapText(text: string, width: number): string[] {
	const lines: string[] = [];
	for (const paragraph of text.split('\n')) {
		const indent = /^\s*/.exec(paragraph)?.[0] ?? '';
		const limit = Math.max(1, width - indent.length);
		const wrapped: string[] = [];
		let line = '';
		for (const word of paragraph.slice(indent.length).split(' ')) {
			let rest = word;
			while (rest.length > limit) {
				if (line) {
					wrapped.push(line);
					line = '';
				}

				wrapped.push(rest.slice(0, limit));
				rest = rest.slice(limit);
			}

			if (!line) {
				line = rest;
			} else if (line.length + 1 + rest.length <= limit) {
				line = `${line} ${rest}`;
			} else {
				wrapped.push(line);
				line = rest;
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
		if (line && line.length + 1 + word.length + 2 > width) {
			lines.push(`${line} \\`);
			line = '  ';
		}

		line = line.trim() ? `${line} ${word}` : `${line}${word}`;
	}

	lines.push(line);
	return lines.flatMap(item => wrapText(item, width));
}
