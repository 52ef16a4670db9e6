// Tags and charts the plan could not read, said once per cause: a hostile or broken registry can
// fail a hundred tags alike, and a hundred lines would hide everything else at 80x24. They are
// never "absent": each counts as pending, and `--require-registry` blocks on them as it does on
// a registry that could not be read at all.
import type {Finding} from '../shared/findings.js';
import {plural} from '../shared/plural.js';
import {notCheckedLabel, type RegistryReview, type ReviewedTag, type UnreadableCause} from './registry-review.js';
import {unverifiedRegistryFinding} from './version-hazards.js';

/** Tags that failed for one reason, in the order the review lists them. */
export type UnreadableGroup = UnreadableCause & {tags: string[]};

/** Every unreadable tag grouped by its cause, the largest group first. */
export function unreadableGroups(tags: ReviewedTag[]): UnreadableGroup[] {
	const groups = new Map<string, UnreadableGroup>();
	for (const tag of tags) {
		if (!tag.unreadable) {
			continue;
		}

		const key = `${tag.unreadable.kind}\u0000${tag.unreadable.reason}`;
		const group = groups.get(key) ?? {...tag.unreadable, tags: []};
		group.tags.push(tag.key);
		groups.set(key, group);
	}

	return [...groups.values()].sort((a, b) => b.tags.length - a.tags.length);
}

/** "a:1, b:2 and 98 more": the first few names of a long list, and how many are left. */
export function firstFew(items: string[], shown = 3): string {
	const head = items.slice(0, shown).join(', ');
	return items.length > shown ? `${head} and ${items.length - shown} more` : head;
}

function unreadableTagsFinding(review: RegistryReview): Finding[] {
	const groups = unreadableGroups(review.tags);
	const count = groups.reduce((sum, group) => sum + group.tags.length, 0);
	if (count === 0) {
		return [];
	}

	const where = review.registry ? ` at ${review.registry.url}` : '';
	// Kept short: the verdict quotes it, and the Registry section names every cause and its first tags.
	const causes = [
		...groups.slice(0, 2).map(group => `${group.reason}: ${plural(group.tags.length, 'tag')}`),
		...(groups.length > 2 ? [plural(groups.length - 2, 'other cause')] : []),
	].join('; ');
	return [
		{
			code: 'registry-unchecked',
			severity: 'error',
			message: `${plural(count, 'tag')} of the plan could not be read from the registry${where} (${causes}; the Registry section names them), so the plan is ${notCheckedLabel} for ${count === 1 ? 'it' : 'them'}; --require-registry makes that block.`,
			hint: groups[0]!.hint,
		},
	];
}

function unreadChartsFinding(review: RegistryReview): Finding[] {
	const {charts} = review;
	if (charts.checked || !charts.problem) {
		return [];
	}

	const where = review.chartRepo ? ` at ${review.chartRepo.url}` : '';
	return [
		{
			code: 'registry-unchecked',
			severity: 'error',
			message: `The chart repository${where} could not be read, so its charts are unknown (${charts.problem.message}); --require-registry makes that block.`,
			hint: charts.problem.hint,
		},
	];
}

/** `--require-registry`: everything the plan could not read blocks it, the registry, a tag or the chart repository. */
export function requiredRegistryFindings(review: RegistryReview): Finding[] {
	if (!review.checked) {
		return [unverifiedRegistryFinding(review)];
	}

	return [...unreadableTagsFinding(review), ...unreadChartsFinding(review)];
}
