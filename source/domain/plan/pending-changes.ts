// Whether running a plan would change anything: the answer behind `plan --detailed-exitcode`, the
// plan's `changed`, and `run --yes` leaving the installer alone when there is nothing to do. Only
// what was read can say "nothing": a registry or chart repository that could not be read counts
// as changes pending, and the summary says why. The `already-in-registry` finding says the same
// thing in words (version-hazards.ts), from the same review.
import type {ChartChange} from '../registry/chart-diff.js';
import type {TagChange} from '../registry/push-diff.js';
import type {Plan, PlanStep} from './plan.js';
import type {RegistryReview} from './registry-review.js';
import {plural} from '../shared/plural.js';

export type PendingChanges = {
	changed: boolean;
	/** One line, for scripts and the Ansible role's output. */
	summary: string;
};

const tagWords: Record<Exclude<TagChange, 'unchanged'>, string> = {
	added: 'to add',
	merged: 'to merge an arch into',
	overwritten: 'to overwrite',
	unknown: 'unreadable (counted as pending, not absent)',
};

function tagChanges(review: RegistryReview): string[] {
	const counts = new Map<Exclude<TagChange, 'unchanged'>, number>();
	for (const tag of review.tags) {
		if (tag.change !== 'unchanged') {
			counts.set(tag.change, (counts.get(tag.change) ?? 0) + 1);
		}
	}

	return [...counts].map(([change, count]) => `${plural(count, 'tag')} ${tagWords[change]}`);
}

const chartPending = (change: ChartChange) => change.change !== 'unchanged' && change.change !== 'removed';

/** The steps whose config edit would really change clusterConfig.yaml (re-planning the same package edits nothing). */
export const configEdits = (plan: Pick<Plan, 'steps'>): PlanStep[] =>
	plan.steps.filter(step => step.configEdit && step.configEdit.newText !== step.configEdit.originalText);

/**
 * Tags a cluster-create step skips with their chart (the repository has its version) while the
 * registry lacks them: running the installer does not bring them back, which the summary says.
 */
const skippedMissing = (review: RegistryReview) => review.tags.filter(tag => tag.skipped && tag.now === 'absent').length;

function nothingToChange(review: RegistryReview & {charts: {checked: true}}): PendingChanges {
	const chartCount = review.charts.changes.filter(change => change.change === 'unchanged').length;
	const missing = skippedMissing(review);
	const held = review.tags.length - missing;
	const tags = missing === 0 ? `all ${plural(review.tags.length, 'tag')}` : `${held} of the ${plural(review.tags.length, 'tag')}`;
	const skipped =
		missing === 0
			? ''
			: `; ${plural(missing, 'tag')} the registry lacks ${missing === 1 ? 'is' : 'are'} skipped with ${missing === 1 ? 'its chart' : 'their charts'}, which the repository has, so running the installer would not push ${missing === 1 ? 'it' : 'them'} either`;
	return {
		changed: false,
		summary: `nothing to change: the registry holds ${tags} and the chart repository all ${plural(chartCount, 'chart')} as the plan would leave them${skipped}`,
	};
}

export function pendingChanges(plan: Pick<Plan, 'steps' | 'registry'>): PendingChanges {
	const review = plan.registry;
	if (!review?.checked) {
		const why = review?.problem?.message ?? 'no registry was given or found';
		return {changed: true, summary: `changes assumed pending: the registry was not read (${why})`};
	}

	if (!review.charts.checked) {
		const why = review.charts.problem?.message ?? 'no chart repository was given or found';
		return {changed: true, summary: `changes assumed pending: the chart repository was not read (${why})`};
	}

	const charts = review.charts.changes.filter(change => chartPending(change));
	const edits = configEdits(plan);
	const parts = [
		...tagChanges(review),
		...(charts.length > 0 ? [`${plural(charts.length, 'chart version')} to upload`] : []),
		...(edits.length > 0 ? ['clusterConfig.yaml to edit'] : []),
	];
	if (parts.length > 0) {
		return {changed: true, summary: `changes pending: ${parts.join(', ')}`};
	}

	return nothingToChange({...review, charts: review.charts});
}
