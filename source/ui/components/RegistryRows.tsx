// The Registry section of Review as rows: where the registry is and why, what its tags hold now
// and after the plan, the cluster's arches and their source, the Harbor projects, what `c` did;
// or, when it could not be read, why, and what the plan fell back on. The words come from
// report/registry-text.ts, the same sentences `plan` prints.
import type {ReactNode} from 'react';
import type {RegistryReview} from '../../domain/plan/registry-review.js';
import {readStatsLine, registryLines, registryWhere, tagLine, tagTone, type Tone as LineTone} from '../../report/registry/registry-text.js';
import type {SpaceCreationState} from '../../workflow/wizard/wizard-reducer.js';
import type {Glyphs} from '../glyphs.js';
import {wrapText} from '../text.js';
import {wrapped} from './Rows.js';
import {Row, type Tone} from './Styled.js';

/** Tags listed until `t` lists them all: enough to see what kind of change it is. */
export const firstTags = 3;

const tones: Record<LineTone, Tone> = {ok: 'ok', warn: 'warn', error: 'error', dim: 'dim'};

function markOf(tone: LineTone | undefined, glyphs: Glyphs): string {
	return tone === 'error' ? glyphs.error : tone === 'warn' ? glyphs.warning : tone === 'ok' ? glyphs.done : '';
}

/** Text after its mark, wrapped lines hanging under the text. */
function markedRows(key: string, mark: string, text: string, width: number, tone: Tone | undefined, indent: string): ReactNode[] {
	const lead = mark ? `${mark} ` : '';
	const hang = `${indent}${' '.repeat(lead.length)}`;
	return wrapText(text, width - hang.length).map((line, index) => (
		<Row key={`${key}${index}`} tone={tone}>{`${index === 0 ? `${indent}${lead}` : hang}${line}`}</Row>
	));
}

/** What `c` did, in the section (the question itself is pinned above the verdict). */
function creationRows(spaces: SpaceCreationState, glyphs: Glyphs, width: number): ReactNode[] {
	if (spaces.state !== 'done') {
		return [];
	}

	const done = spaces.created.map(item => `${item.name} (${item.outcome === 'created' ? 'created' : 'was there'})`).join(', ');
	return [
		...(done
			? markedRows('sc', glyphs.done, `Harbor projects in ${spaces.where}: ${done}; the plan was read again.`, width, 'ok', '  ')
			: []),
		...(spaces.error
			? [
					...markedRows('se', glyphs.error, spaces.error.message, width, 'error', '  '),
					...wrapped('sen', `next: ${spaces.error.hint}`, width, undefined, '    '),
				]
			: []),
	];
}

export function registryRows(
	review: RegistryReview,
	view: {showTags: boolean; spaces: SpaceCreationState; baselineFiles: string[]},
	glyphs: Glyphs,
	width: number,
): ReactNode[] {
	const rows: ReactNode[] = [
		<Row key="rg-title" tone="title">
			{review.checked ? 'Registry' : 'Registry (not checked against the registry)'}
		</Row>,
		...wrapped('rg-where', registryWhere(review), width, 'dim', '  '),
		...creationRows(view.spaces, glyphs, width),
	];
	for (const [index, line] of registryLines(review, view.baselineFiles).entries()) {
		rows.push(...markedRows(`rg${index}-`, markOf(line.tone, glyphs), line.text, width, line.tone ? tones[line.tone] : undefined, '  '));
		if (line.next) {
			rows.push(...wrapped(`rgn${index}-`, `next: ${line.next}`, width, undefined, '    '));
		}
	}

	if (review.tags.length > 0) {
		const shown = view.showTags ? review.tags : review.tags.slice(0, firstTags);
		const more =
			review.tags.length > shown.length
				? `the first ${shown.length} of ${review.tags.length}; t: all`
				: review.tags.length > firstTags
					? 't: fewer'
					: '';
		rows.push(<Row key="rg-tags">{`  Tags, now -> after the plan${more ? ` (${more})` : ''}:`}</Row>);
		for (const tag of shown) {
			const tone = tagTone(tag);
			rows.push(...wrapped(`rt-${tag.key}`, tagLine(tag), width, tone ? tones[tone] : undefined, '    '));
		}
	}

	const stats = readStatsLine(review);
	return stats ? [...rows, ...wrapped('rg-stats', stats, width, 'dim', '  ')] : rows;
}

/** Pinned above the verdict while `c` asks or creates, or when creating failed: never scrolled away. */
export function spacesQuestionRows(spaces: SpaceCreationState, glyphs: Glyphs, width: number): ReactNode[] {
	switch (spaces.state) {
		case 'asking': {
			const count = spaces.names.length === 1 ? '1 public Harbor project' : `${spaces.names.length} public Harbor projects`;
			return markedRows(
				'sq',
				glyphs.warning,
				`Create ${count} in ${spaces.where} (${spaces.login}): ${spaces.names.join(', ')}? y creates ${spaces.names.length === 1 ? 'it' : 'them'}, n keeps the plan as it is.`,
				width,
				'warn',
				'',
			);
		}

		case 'creating': {
			return markedRows(
				'sq',
				glyphs.running,
				`Creating Harbor projects in ${spaces.where}: ${spaces.names.join(', ')}${glyphs.ellipsis}`,
				width,
				undefined,
				'',
			);
		}

		case 'done': {
			return spaces.error ? markedRows('sq', glyphs.error, spaces.error.message, width, 'error', '') : [];
		}

		case 'idle': {
			return [];
		}
	}
}
