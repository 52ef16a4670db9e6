// The Result's lines for `z`: whether undo is available for the step that changed tags (and why
// not), what it will do before it does it (the same lines as `addon-wizard undo`), the question,
// and how the read back ended.
import type {ReactNode} from 'react';
import {plural} from '../../domain/shared/plural.js';
import {undoDoneText, undoPreviewText} from '../../report/run/undo-text.js';
import {undoRestoreCount} from '../../workflow/wizard/undo-slice.js';
import {undoKey, undoSettled, type UndoSettled} from '../../workflow/wizard/undo-target.js';
import {restoreOffered} from '../../workflow/wizard/run-slice.js';
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
			return [
				...textRows('undod', undoDoneText(undo.done), width, undo.done.verified ? 'ok' : 'error'),
				...wrapped('undon', `next: ${undoNextStep(state, undoSettled(state)!)}`, width, 'dim', '  '),
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

/** The undo command for this step, with what to add. */
const undoCommand = (settled: UndoSettled, flags = '') =>
	`addon-wizard undo${flags} --run ${settled.runId} --step ${settled.stepIndex + 1}`;

/** What the step added that undo keeps, and the command that removes it. */
function keptText(settled: UndoSettled): string {
	const kept = [
		settled.addedKept > 0 ? plural(settled.addedKept, 'tag') : '',
		settled.chartsKept > 0 ? plural(settled.chartsKept, 'chart version') : '',
	].filter(Boolean);
	return kept.length > 0
		? ` The ${kept.join(' and ')} step ${settled.stepIndex + 1} added stay (${undoCommand(settled, ' --remove-added')} removes them where the registry allows).`
		: '';
}

/** After the undo: what still helps, in the order it helps. */
function undoNextStep(state: WizardState, settled: UndoSettled): string {
	if (!settled.verified) {
		return `run ${undoCommand(settled)} to see each tag as it is now and put back the rest.`;
	}

	if (settled.leftAlone > 0) {
		return `${undoCommand(settled, ' --force')} puts the ${plural(settled.leftAlone, 'tag')} left alone back too, over what was pushed since.${keptText(settled)}`;
	}

	const config = restoreOffered(state) ? 'u puts clusterConfig.yaml back as it was before this run too, to match. ' : '';
	const verification = state.run?.verifications[settled.stepIndex];
	const other = verification && 'chain' in verification ? verification.chain[0] : undefined;
	// The way that keeps the other arch is to integrate it in the same plan as the upgrade.
	const again = other
		? `To upgrade and keep ${other.arch}, run the wizard again with ${other.fileNames.join(' and ')} chosen too: the plan integrates ${other.arch} right after the upgrade.`
		: 'addon-wizard verify reads every tag again, in every arch the cluster runs.';
	return `${config}${again}${keptText(settled)}`;
}

/** What the step did to its tags, from its verification: `3 tags lost arm64`. */
function stepDid(state: WizardState, stepIndex: number): string {
	const verification = state.run?.verifications[stepIndex];
	if (!verification || !('result' in verification)) {
		return '';
	}

	const {lostArch, different} = verification.result;
	return [
		lostArch.count > 0 ? `${plural(lostArch.count, 'tag')} lost ${[...new Set(lostArch.first.flatMap(item => item.lost))].join(', ')}` : '',
		different.count > 0 ? `${plural(different.count, 'image')} at their tag were another image` : '',
	]
		.filter(Boolean)
		.join('; ');
}

/**
 * The Result's headline once z put the tags of the step the run ended at back: the registry as it
 * is now first, then the step's own outcome, still told (it did overwrite them). Undefined before.
 * `ended`: how the step ended, e.g. `was not verified after 0:03`.
 */
export function undoHeadlineRows(
	state: WizardState,
	stepIndex: number,
	ended: string,
	marks: {ok: string; warn: string; error: string},
	width: number,
): ReactNode[] | undefined {
	const settled = undoSettled(state);
	if (!settled || settled.stepIndex !== stepIndex || settled.restored + settled.failed === 0) {
		return undefined;
	}

	const step = settled.stepIndex + 1;
	const back = `${plural(settled.restored, 'tag')} put back and read back`;
	const [tone, text] = !settled.verified
		? ([
				'error',
				`${marks.error} Undo of step ${step} not verified: ${settled.failed} of ${plural(settled.toRestore, 'tag')} did not read back as saved; ${back}.`,
			] as const)
		: settled.leftAlone > 0
			? ([
					'warn',
					`${marks.warn} Tags partly back as before step ${step}: ${back}, verified; ${plural(settled.leftAlone, 'tag')} pushed by someone else since the step left alone.`,
				] as const)
			: (['ok', `${marks.ok} Tags back as before step ${step}: ${back}, verified.`] as const);
	const did = stepDid(state, stepIndex);
	const own = `Step ${step} itself ${ended}${did ? ` (${did})` : ''}; undo put ${settled.restored === settled.toRestore ? 'them' : settled.restored === 0 ? 'none of them' : `${settled.restored} of them`} back.`;
	return [...wrapped('uhead', text, width, tone), ...wrapped('ustep', own, width, 'dim')];
}

export const undoGap = (rows: ReactNode[]): ReactNode[] => (rows.length > 0 ? [<Row key="gz" />, ...rows] : []);
