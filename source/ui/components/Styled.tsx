// Text with a meaning rather than a colour: under NO_COLOR the meaning must survive in words and
// glyphs, so tones only ever add colour, never information.
import {Box, Text, Transform} from 'ink';
import type {ReactNode} from 'react';
import {useTheme} from '../hooks/use-theme.js';

export type Tone = 'plain' | 'ok' | 'warn' | 'error' | 'dim' | 'accent' | 'title';

const colors: Record<Tone, {color?: string; bold?: boolean; dimColor?: boolean}> = {
	plain: {},
	ok: {color: 'green'},
	warn: {color: 'yellow'},
	error: {color: 'red', bold: true},
	dim: {dimColor: true},
	accent: {color: 'cyan'},
	title: {bold: true},
};

/**
 * A row is one terminal line: a line break or other control character inside a file name or path
 * (possible, if unwise) is shown escaped instead of breaking the layout.
 */
export function printable(children: ReactNode): ReactNode {
	if (typeof children === 'string') {
		return children.replaceAll(/[\u0000-\u001F\u007F]/g, char =>
			char === '\n' ? String.raw`\n` : char === '\t' ? ' ' : `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`,
		);
	}

	return Array.isArray(children) ? children.map(child => printable(child as ReactNode)) : children;
}

export function Styled({tone = 'plain', children}: {tone?: Tone; children: ReactNode}) {
	const {color} = useTheme();
	return <Text {...(color ? colors[tone] : {})}>{printable(children)}</Text>;
}

/**
 * Terminals without Unicode get one ASCII character per character drawn, so widths hold:
 * Ink's truncation ellipsis and our separators included, and installer output in any language.
 */
export function toAscii(line: string): string {
	return line
		.replaceAll('…', '.')
		.replaceAll('·', '|')
		.replaceAll(/[^\u0000-\u007F]/gu, '?');
}

/** One terminal row: never wraps, so a screen's height is the number of rows it renders. */
export function Row({tone, children}: {tone?: Tone; children?: ReactNode}) {
	const {color, ascii} = useTheme();
	const row = (
		<Text wrap="truncate-end" {...(color && tone ? colors[tone] : {})}>
			{printable(children ?? ' ')}
		</Text>
	);
	if (!ascii) {
		return row;
	}

	// Inside a Transform the Text's own truncation is ignored and a long row wraps onto the rows
	// below; the box keeps it to one row, cut at the edge (Ink's cut would add a Unicode ellipsis).
	return (
		<Box height={1} overflow="hidden">
			<Transform transform={toAscii}>{row}</Transform>
		</Box>
	);
}
