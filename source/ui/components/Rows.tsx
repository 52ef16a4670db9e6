// Rows that are longer than one terminal line: wrapped, each wrapped line its own row, so
// screens can count their height.
import type {ReactNode} from 'react';
import type {Finding} from '../../domain/shared/findings.js';
import type {Glyphs} from '../glyphs.js';
import {wrapText} from '../text.js';
import {Row, type Tone} from './Styled.js';

const severityTone: Record<Finding['severity'], Tone> = {info: 'dim', warning: 'warn', error: 'error'};

export function wrapped(key: string, text: string, width: number, tone?: Tone, indent = ''): ReactNode[] {
	return wrapText(text, width - indent.length).map((line, index) => (
		<Row key={`${key}${index}`} tone={tone}>
			{indent + line}
		</Row>
	));
}

export function findingRows(findings: Finding[], glyphs: Glyphs, width: number): ReactNode[] {
	const mark: Record<Finding['severity'], string> = {info: glyphs.info, warning: glyphs.warning, error: glyphs.error};
	return findings.flatMap((finding, index) => [
		...wrapped(`f${index}`, `${mark[finding.severity]} ${finding.message}`, width, severityTone[finding.severity], '  '),
		...(finding.hint ? wrapped(`h${index}`, `next: ${finding.hint}`, width, undefined, '    ') : []),
	]);
}
