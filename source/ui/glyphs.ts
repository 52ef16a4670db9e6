// Every symbol the wizard draws, twice: the Linux console (TERM=linux) and non-UTF-8 locales
// render box-drawing and check marks as garbage, so those terminals get plain ASCII.
export type Glyphs = {
	barFull: string;
	barEmpty: string;
	pointer: string;
	selected: string;
	unselected: string;
	done: string;
	failed: string;
	running: string;
	pending: string;
	warning: string;
	error: string;
	info: string;
	ellipsis: string;
	separator: string;
	more: string;
	dash: string;
};

export const unicodeGlyphs: Glyphs = {
	barFull: '█',
	barEmpty: '░',
	pointer: '›',
	selected: '[✔]',
	unselected: '[ ]',
	done: '✔',
	failed: '✘',
	running: '▶',
	pending: '·',
	warning: '⚠',
	error: '✘',
	info: 'ℹ',
	ellipsis: '…',
	separator: '›',
	more: '↓',
	dash: '—',
};

export const asciiGlyphs: Glyphs = {
	barFull: '#',
	barEmpty: '-',
	pointer: '>',
	selected: '[x]',
	unselected: '[ ]',
	done: '+',
	failed: 'x',
	running: '>',
	pending: '.',
	warning: '!',
	error: 'x',
	info: 'i',
	ellipsis: '...',
	separator: '>',
	more: 'v',
	dash: '-',
};

export function glyphsFor(ascii: boolean): Glyphs {
	return ascii ? asciiGlyphs : unicodeGlyphs;
}
