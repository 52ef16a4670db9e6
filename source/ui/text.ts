// Plain-text shaping for fixed-width panes: every pane row must be exactly one terminal line,
// so long text is wrapped or cut here rather than left to the layout engine.
import {stripVTControlCharacters} from 'node:util';

/** Output from the installer may carry colours, tabs and carriage returns; show text only. */
export function cleanLine(line: string): string {
	return stripVTControlCharacters(line).replaceAll('\t', '    ').replaceAll('\r', '');
}

export function truncate(text: string, width: number, ellipsis = '…'): string {
	if (width <= 0) {
		return '';
	}

	return text.length <= width ? text : `${text.slice(0, Math.max(0, width - ellipsis.length))}${ellipsis}`.slice(0, width);
}

/** Word wrap; words longer than the width (paths) are broken hard. */
export function wrapText(text: string, width: number): string[] {
	const limit = Math.max(1, width);
	const lines: string[] = [];
	for (const paragraph of text.split('\n')) {
		let line = '';
		for (const word of paragraph.split(' ')) {
			let rest = word;
			while (rest.length > limit) {
				if (line) {
					lines.push(line);
					line = '';
				}

				lines.push(rest.slice(0, limit));
				rest = rest.slice(limit);
			}

			if (!line) {
				line = rest;
			} else if (line.length + 1 + rest.length <= limit) {
				line = `${line} ${rest}`;
			} else {
				lines.push(line);
				line = rest;
			}
		}

		lines.push(line);
	}

	return lines;
}

export function percent(fraction: number): string {
	return `${Math.floor(Math.max(0, Math.min(1, fraction)) * 100)}%`;
}
