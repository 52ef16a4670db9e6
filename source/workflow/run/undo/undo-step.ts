// `undo` of one step from its snapshot: read what each tag holds now (and its arches), check that what a saved
// manifest points to is still stored (HEAD by digest), decide per tag (domain/registry/undo-plan.ts),
// then PUT the saved bytes back, delete what --remove-added names, and read every tag back: the
// undo is verified only when each restored tag's digest is the saved one.
import {knownArches} from '../../../domain/registry/known-arches.js';
import type {SavedChart, SavedTag, StepSnapshot} from '../../../domain/registry/tag-snapshot.js';
import {needsContentCheck, planTag, undoRefusal, type TagNow, type UndoOptions, type UndoTag} from '../../../domain/registry/undo-plan.js';
import {isWizardError, type WizardError} from '../../../domain/shared/wizard-error.js';
import type {RestorePort} from '../../ports/snapshot-port.js';
import {chartsAddedByStep, removeAddedCharts, type UndoChartResult} from './undo-charts.js';

/** What undo will do, before it does it. `refusal`: nothing may change, and why. */
/** `charts`: the chart versions the step uploaded (absent from the repository before it). */
export type UndoPreview = {snapshot: StepSnapshot; tags: UndoTag[]; charts: SavedChart[]; refusal?: WizardError; options: UndoOptions};

/** How one tag ended; `detail` says why when it did not go as planned. */
export type UndoTagResult = UndoTag & {result: 'restored' | 'removed' | 'failed' | 'not-removed' | 'left'; detail?: string};

export type UndoDone = {tags: UndoTagResult[]; charts: UndoChartResult[]; verified: boolean; failed: number};

/** Runs `work` over `items`, at most `size` at once; results in the items' order. */
async function inPool<T, R>(items: readonly T[], size: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
	const results = new Array<R>(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await work(items[index]!, index);
		}
	};

	await Promise.all(Array.from({length: Math.min(size, items.length)}, worker));
	return results;
}

/**
 * What each restore candidate's saved manifest points to that is gone. The references are checked
 * once per repository (HEAD by digest), not once per tag: tags of one repository share base layers
 * and configs, and at 1,000 tags the per-tag checks were most of undo's requests.
 */
async function missingByTag(
	snapshot: StepSnapshot,
	now: TagNow[],
	port: RestorePort,
	options: UndoOptions,
	signal?: AbortSignal,
): Promise<string[][] | WizardError> {
	const candidates = snapshot.tags.map((saved, index) =>
		saved.before !== 'absent' && needsContentCheck(saved, now[index]!, options) ? saved.before : undefined,
	);
	const byRepository = new Map<string, {manifests: Set<string>; blobs: Set<string>}>();
	snapshot.tags.forEach((saved, index) => {
		const references = candidates[index]?.references;
		if (references) {
			const union = byRepository.get(saved.repository) ?? {manifests: new Set(), blobs: new Set()};
			references.manifests.forEach(digest => union.manifests.add(digest));
			references.blobs.forEach(digest => union.blobs.add(digest));
			byRepository.set(saved.repository, union);
		}
	});
	const repositories = [...byRepository];
	// Two repositories at once, each checked four at a time by the port: eight requests in flight.
	const answers = await inPool(repositories, 2, async ([repository, union]) =>
		port.missing(repository, {manifests: [...union.manifests], blobs: [...union.blobs]}, signal),
	);
	const failed = answers.find((item): item is WizardError => isWizardError(item));
	if (failed) {
		return failed;
	}

	const gone = new Map(repositories.map(([repository], at) => [repository, new Set(answers[at] as string[])]));
	return snapshot.tags.map((saved, index) => {
		const references = candidates[index]?.references;
		const lost = gone.get(saved.repository);
		return references && lost ? [...references.manifests, ...references.blobs].filter(digest => lost.has(digest)) : [];
	});
}

export async function previewUndo(
	snapshot: StepSnapshot,
	port: RestorePort,
	options: UndoOptions,
	signal?: AbortSignal,
): Promise<UndoPreview | WizardError> {
	// Read with the arches each tag carries now, so the preview can say `amd64 → amd64+arm64`.
	const now = await port.readNow(snapshot.tags, knownArches(snapshot.tags), signal);
	if (isWizardError(now)) {
		return now;
	}

	const missing = await missingByTag(snapshot, now, port, options, signal);
	if (isWizardError(missing)) {
		return missing;
	}

	const tags = snapshot.tags.map((saved, index) => planTag(saved, now[index]!, options, missing[index]));
	return {snapshot, tags, charts: chartsAddedByStep(snapshot), refusal: undoRefusal(tags), options};
}

/** `saved` is the snapshot's entry the plan's `tag` was made from (same index). */
async function applyTag(tag: UndoTag, saved: SavedTag, port: RestorePort, signal?: AbortSignal): Promise<UndoTagResult> {
	if (tag.action === 'restore' && saved.before !== 'absent') {
		const put = await port.put(saved, saved.before, signal);
		return isWizardError(put) ? {...tag, result: 'failed', detail: put.message} : {...tag, result: 'restored'};
	}

	if (tag.action === 'remove-added' && tag.now.kind === 'present') {
		const removed = await port.remove(saved, tag.now.digest, signal);
		if (isWizardError(removed)) {
			return {...tag, result: 'failed', detail: removed.message};
		}

		return removed.deleted ? {...tag, result: 'removed'} : {...tag, result: 'not-removed', detail: removed.reason};
	}

	return {...tag, result: 'left'};
}

/** Does what the preview says (never when it is refused), then reads every changed tag back. */
export async function applyUndo(preview: UndoPreview, port: RestorePort, signal?: AbortSignal): Promise<UndoDone | WizardError> {
	if (preview.refusal) {
		return preview.refusal;
	}

	const applied = await inPool(preview.tags, 8, async (tag, index) => applyTag(tag, preview.snapshot.tags[index]!, port, signal));
	const changed = applied.filter(tag => tag.result === 'restored' || tag.result === 'removed');
	const readBack = await port.digests(changed, signal);
	if (isWizardError(readBack)) {
		return readBack;
	}

	const changedAt = new Map(changed.map((tag, at) => [tag, at]));
	const tags = applied.map(tag => {
		const at = changedAt.get(tag);
		if (at === undefined) {
			return tag;
		}

		const now = readBack[at]!;
		const expected = tag.result === 'restored' ? tag.before : 'absent';
		const got = now.kind === 'present' ? now.digest : now.kind;
		return got === expected
			? {...tag, now}
			: {...tag, now, result: 'failed' as const, detail: `read back ${got}, not ${expected === 'absent' ? 'absent' : expected}`};
	});
	const failed = tags.filter(tag => tag.result === 'failed').length;
	const charts = await removeAddedCharts(preview.charts, port, preview.options.removeAdded, signal);
	return {tags, charts, verified: failed === 0, failed};
}
