// What a step changed, counted from two reads of the registry and the chart repository: the one
// before the step (the plan's read) and the one after it (the verification's). An image is
// "pushed" when its tag lacked it before and holds it after, "already there" when the tag held it
// before, "missing" when the tag does not hold it after; charts likewise by name and version. The
// installer's own lines never make these counts: they are only its account, shown beside them.
import {compareImage, type PlannedPush} from './push-diff.js';
import {platformKey, type ChartIndex, type TagState} from './tag-state.js';
import {chartLabel, chartListed, distinctCharts, type ChartRef} from './verify-charts.js';

export type ImageCounts = {
	pushed: number;
	alreadyThere: number;
	missing: number;
	/** At their tag after the step, but the registry was not read before it: pushed or already there cannot be told. */
	notToldApart: number;
	/** Tags that could not be read after the step. */
	unread: number;
};

export type StepCounts = {
	images: ImageCounts & {byArch: Array<ImageCounts & {arch: string}>};
	/** Chart versions as `name@version`; absent when the repository was not read after the step. */
	charts?: {uploaded: string[]; alreadyThere: string[]; missing: string[]; notToldApart: string[]};
};

type ImageBucket = keyof ImageCounts;

const zero = (): ImageCounts => ({pushed: 0, alreadyThere: 0, missing: 0, notToldApart: 0, unread: 0});

const presentIn = (state: TagState | undefined, push: PlannedPush) => {
	const comparison = compareImage(state, push.image);
	return comparison === 'same' || comparison === 'uncompared';
};

function imageBucket(push: PlannedPush, before: Map<string, TagState> | undefined, after: Map<string, TagState>): ImageBucket {
	const now = after.get(push.key);
	if (now?.kind === 'unreadable') {
		return 'unread';
	}

	if (!presentIn(now, push)) {
		// Absent, without this arch, or another image than the package's: the package's image is not there.
		return 'missing';
	}

	const then = before?.get(push.key);
	if (!before || then?.kind === 'unreadable') {
		return 'notToldApart';
	}

	return presentIn(then, push) ? 'alreadyThere' : 'pushed';
}

export function countImages(
	pushes: readonly PlannedPush[],
	before: Map<string, TagState> | undefined,
	after: Map<string, TagState>,
): StepCounts['images'] {
	const total = zero();
	const byArch = new Map<string, ImageCounts>();
	const seen = new Set<string>();
	for (const push of pushes) {
		const id = `${push.key}\u0000${platformKey(push.image)}`;
		if (seen.has(id)) {
			continue;
		}

		seen.add(id);
		const bucket = imageBucket(push, before, after);
		const arch = platformKey(push.image);
		const counts = byArch.get(arch) ?? zero();
		counts[bucket]++;
		total[bucket]++;
		byArch.set(arch, counts);
	}

	return {...total, byArch: [...byArch].sort(([a], [b]) => a.localeCompare(b)).map(([arch, counts]) => ({arch, ...counts}))};
}

export function countCharts(
	charts: readonly ChartRef[],
	before: ChartIndex | undefined,
	after: ChartIndex,
): NonNullable<StepCounts['charts']> {
	const counts = {uploaded: [] as string[], alreadyThere: [] as string[], missing: [] as string[], notToldApart: [] as string[]};
	for (const chart of distinctCharts(charts)) {
		const label = chartLabel(chart);
		if (!chartListed(after, chart)) {
			counts.missing.push(label);
		} else if (!before) {
			counts.notToldApart.push(label);
		} else if (chartListed(before, chart)) {
			counts.alreadyThere.push(label);
		} else {
			counts.uploaded.push(label);
		}
	}

	return counts;
}
