// Whether running a plan would change anything: the answer behind `plan --detailed-exitcode`, the
// plan's `changed`, and `run --yes` leaving the installer alone when there is nothing to do. Only
// what was read can say "nothing": a registry or chart repository that could not be read counts
// as changes pending, and the summary says why.
import type {ChartChange} from '../registry/chart-diff.js';
import type {TagChange} from '../registry/push-diff.js';
import type {Plan} from './plan.js';

export type PendingChanges = {
	changed: boolean;
	/** One line, for scripts and the Ansible role's output. */
	summary: string;
};

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

const tagWords: Record<Exclude<TagChange, 'unchanged'>, string> = {
	added: 'to add',
	merged: 'to merge an arch into',
	overwritten: 'to overwrite',
	unknown: 'unreadable (counted as changing)',
};

function tagChanges(plan: Plan): string[] {
	const counts = new Map<Exclude<TagChange, 'unchanged'>, number>();
	for (const tag of plan.registry?.tags ?? []) {
		if (tag.change !== 'unchanged') {
			counts.set(tag.change, (counts.get(tag.change) ?? 0) + 1);
		}
	}

	return [...counts].map(([change, count]) => `${plural(count, 'tag')} ${tagWords[change]}`);
}

const chartPending = (change: ChartChange) => change.change !== 'unchanged' && change.change !== 'removed';

/** The config edits that would really change clusterConfig.yaml. */
const configEdits = (plan: Plan) => plan.steps.filter(step => step.configEdit && step.configEdit.newText !== step.configEdit.originalText);

export function pendingChanges(plan: Plan): PendingChanges {
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
		...tagChanges(plan),
		...(charts.length > 0 ? [`${plural(charts.length, 'chart version')} to upload`] : []),
		...(edits.length > 0 ? ['clusterConfig.yaml to edit'] : []),
	];
	if (parts.length > 0) {
		return {changed: true, summary: `changes pending: ${parts.join(', ')}`};
	}

	const chartCount = review.charts.changes.filter(change => change.change === 'unchanged').length;
	return {
		changed: false,
		summary: `nothing to change: the registry holds all ${plural(review.tags.length, 'tag')} and the chart repository all ${plural(chartCount, 'chart')} as the plan would leave them`,
	};
}
