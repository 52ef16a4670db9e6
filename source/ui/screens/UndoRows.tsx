// The Result's lines for `z`: whether undo is available for the step that changed tags (and why
// not), what it will do before it does it (the same lines as `addon-wizard undo`), the question,
// and how the read back ended.
import type {ReactNode} from 'react';
import {plural} from '../../domain/shared/plural.js';
import {undoDoneText, undoPreviewText} from '../../report/run/undo-text.js';
import {undoKey, undoRestoreCount} from '../../workflow/wizard/undo-slice.js';
import type {WizardState} from '../../workflow/wizard/wizard-reducer.js';
import {Row} from '../components/Styled.js';
import {wrapped} from '../components/Rows.js';

const textRows = (key: string, text: string, width: number, tone?: Parameters<typeof wrapped>[3]) =>
	text
		.trimEnd()
		.split('\n')
		.flatMap((line, index) => wrapped(`${key}${index}-`, line, width, tone));

export function undoRows(state: WizardState, width: number): ReactNode[] {
	const {undo} = state;
	// An answer for an earlier attempt (before i or r ran again) says nothing about this one.
	if (undo.state !== 'idle' && undo.key !== undoKey(state)) {
		return [];
	}

	const step = 'stepIndex' in undo ? undo.stepIndex + 1 : 0;
	const count = undoRestoreCount(undo);
	const tags = plural(count, 'tag');
	switch (undo.state) {
		case 'idle': {
			return [];
		}

		case 'checking': {
			return wrapped('undo', `Reading the snapshot saved before step ${step} to see whether undo can put its tags back…`, width, 'dim');
		}

		case 'available': {
			return count > 0
				? wrapped('undo', `z undo: put ${tags} back as they were before step ${step}`, width, 'accent')
				: wrapped('undo', `Undo of step ${step}: the registry already holds what was saved before it; nothing to put back.`, width, 'dim');
		}

		case 'unavailable': {
			return [
				...wrapped('undo', `Undo not available for step ${step}: ${undo.error.message}`, width, 'warn'),
				...wrapped('undoh', `next: ${undo.error.hint}`, width, undefined, '  '),
			];
		}

		case 'confirming': {
			// The question first: the list below it may run past the screen's foot.
			return [
				...wrapped(
					'undoq',
					`Put ${tags} back? y or enter puts them back and reads them back · esc keeps them as they are`,
					width,
					'accent',
				),
				...textRows('undop', undoPreviewText(undo.preview), width),
			];
		}

		case 'applying': {
			return wrapped('undo', `Putting ${tags} back and reading every one back…`, width);
		}

		case 'done': {
			const next = undo.done.verified
				? `next: tags and chart versions step ${step} added stay; addon-wizard undo --remove-added --run ${undo.preview.snapshot.runId} --step ${step} removes them where the registry allows.`
				: `next: run addon-wizard undo --run ${undo.preview.snapshot.runId} --step ${step} to see each tag as it is now.`;
			return [
				...textRows('undod', undoDoneText(undo.done), width, undo.done.verified ? 'ok' : 'error'),
				...wrapped('undon', next, width, 'dim', '  '),
			];
		}

		case 'failed': {
			return [
				...wrapped('undo', `✘ Undo of step ${step} failed: ${undo.error.message}`, width, 'error'),
				...wrapped('undoh', `next: ${undo.error.hint}`, width, undefined, '  '),
			];
		}
	}
}

export const undoGap = (rows: ReactNode[]): ReactNode[] => (rows.length > 0 ? [<Row key="gz" />, ...rows] : []);
