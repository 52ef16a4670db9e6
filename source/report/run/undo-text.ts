// `undo` in words: what it will do to each tag (now → before, each with its arches), what it
// leaves alone and why, and how the read back ended. One line per tag that is not unchanged.
import type {UndoAction, UndoTag} from '../../domain/registry/undo-plan.js';
import {plural} from '../../domain/shared/plural.js';
import type {UndoDone, UndoPreview, UndoTagResult} from '../../workflow/run/undo/undo-step.js';
import type {UndoChartResult} from '../../workflow/run/undo/undo-charts.js';

const short = (digest: string) => (digest.startsWith('sha256:') ? digest.slice(7, 19) : digest);

/** Now's arches only where they were read: an unknown arch is left unsaid, never guessed. */
const nowOf = (tag: UndoTag) =>
	tag.now.kind === 'present' ? `${short(tag.now.digest)}${tag.now.arches ? ` (${tag.now.arches.join('+')})` : ''}` : tag.now.kind;

const arches = (tag: UndoTag) => (tag.beforeArches.length > 0 ? ` (${tag.beforeArches.join('+')})` : '');

const actionWords: Record<UndoAction, (tag: UndoTag) => string> = {
	restore: tag => `put back      ${tag.key}  ${nowOf(tag)} → ${short(tag.before)}${arches(tag)}`,
	'already-restored': tag => `already back  ${tag.key}  ${short(tag.before)}${arches(tag)}`,
	unchanged: tag => `unchanged     ${tag.key}`,
	'changed-by-someone-else': tag =>
		`left alone    ${tag.key}  ${nowOf(tag)}: pushed since the step by someone else (--force puts ${short(tag.before)}${arches(tag)} back anyway)`,
	'added-by-step': tag => `added by step ${tag.key}  ${nowOf(tag)}: kept (--remove-added deletes it)`,
	'remove-added': tag => `delete        ${tag.key}  ${nowOf(tag)}: the step added it`,
	'content-gone': tag =>
		`CANNOT       ${tag.key}  ${short(tag.before)}${arches(tag)}: ${plural(tag.missing?.length ?? 0, 'reference')} gone (${tag.missing?.[0] ?? '?'})`,
	unreadable: tag => `unreadable    ${tag.key}: ${tag.now.kind === 'unreadable' ? tag.now.message : ''}`,
};

/** What undo will do, before it does anything. */
export function undoPreviewText(preview: UndoPreview): string {
	const {snapshot, tags} = preview;
	const shown = tags.filter(tag => tag.action !== 'unchanged');
	const head = `Undo of step ${snapshot.stepIndex + 1} (${snapshot.stepId}) of run ${snapshot.runId} in ${snapshot.registry}, from the snapshot of ${new Date(
		snapshot.takenAt,
	)
		.toISOString()
		.replace('T', ' ')
		.replace(/\.\d+Z$/, ' UTC')}:`;
	const lines = [
		...shown.map(tag => `  ${actionWords[tag.action](tag)}`),
		...preview.charts.map(
			chart =>
				`  ${preview.options.removeAdded ? 'delete chart ' : 'chart added  '} ${chart.name}-${chart.version}: the step uploaded it${preview.options.removeAdded ? '' : ' (--remove-added deletes it)'}`,
		),
	];
	const unchanged = tags.length - shown.length;
	const noted = tags.some(tag => tag.afterUnknown && tag.action !== 'already-restored')
		? ['  (the tags were not read after the step: what they hold now is taken for what the step left)']
		: [];
	return [head, ...lines, ...(unchanged > 0 ? [`  ${plural(unchanged, 'other tag')} the step left as it was`] : []), ...noted, ''].join(
		'\n',
	);
}

const resultWords: Record<UndoTagResult['result'], string> = {
	restored: 'put back, read back',
	removed: 'deleted, read back absent',
	failed: 'FAILED',
	'not-removed': 'not deleted',
	left: '',
};

const chartWords: Record<UndoChartResult['result'], string> = {
	removed: 'deleted',
	'not-removed': 'not deleted',
	failed: 'FAILED to delete',
	left: '',
};

/** How the undo ended, tag by tag for what it touched, then one verdict line. */
export function undoDoneText(done: UndoDone): string {
	const touched = done.tags.filter(tag => tag.result !== 'left');
	const lines = [
		...touched.map(tag => `  ${resultWords[tag.result]}: ${tag.key}${tag.detail ? ` (${tag.detail})` : ''}`),
		...done.charts
			.filter(chart => chart.result !== 'left')
			.map(chart => `  ${chartWords[chart.result]}: chart ${chart.name}-${chart.version}${chart.detail ? ` (${chart.detail})` : ''}`),
	];
	const restored = done.tags.filter(tag => tag.result === 'restored').length;
	const removed = done.tags.filter(tag => tag.result === 'removed').length;
	const notRemoved = done.tags.filter(tag => tag.result === 'not-removed').length;
	const chartsRemoved = done.charts.filter(chart => chart.result === 'removed').length;
	const chartsKept = done.charts.filter(chart => chart.result === 'not-removed' || chart.result === 'failed').length;
	const leftAlone = done.tags.filter(tag => tag.action === 'changed-by-someone-else').length;
	// Only what happened is claimed: a --remove-added run that had nothing to put back says what it deleted.
	const verified = [
		...(restored > 0
			? [`${plural(restored, 'tag')} ${restored === 1 ? 'holds its saved manifest' : 'hold their saved manifests'} again`]
			: []),
		...(removed > 0 ? [`${plural(removed, 'added tag')} deleted`] : []),
		...(chartsRemoved > 0 ? [`${plural(chartsRemoved, 'chart version')} the step uploaded deleted`] : []),
	];
	const verdict = done.verified
		? `✔ Verified: ${verified.length > 0 ? verified.join(', ') : 'nothing needed changing'}.`
		: `✘ Not verified: ${plural(done.failed, 'tag')} did not read back as saved.`;
	const after = [
		...(leftAlone > 0
			? [`  ${plural(leftAlone, 'tag')} pushed by someone else since the step left alone: addon-wizard undo --force puts them back too.`]
			: []),
		...(notRemoved > 0
			? [`  ${plural(notRemoved, 'added tag')} not deleted: delete them in the registry by hand, or leave them (nothing pulls them).`]
			: []),
		...(chartsKept > 0
			? [
					`  ${plural(chartsKept, 'chart version')} the step uploaded not deleted: delete them in the chart repository by hand (or leave them; a chart version nobody installs does no harm).`,
				]
			: []),
	];
	return [...lines, verdict, ...after, ''].join('\n');
}
