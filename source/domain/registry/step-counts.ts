// What a step changed, counted from two reads of the registry and the chart repository: the one
// before the step (the plan's read) and the one after it (the verification's). An image is
// "pushed" when its tag lacked it before and holds it after, "already there" when the tag held it
// before, "missing" when the tag does not hold it after; charts likewise by name and version. The
// installer's own lines never make these counts: they are only its account, shown beside them.
import {compareImage, projectStep, type PlannedPush} from './push-diff.js';
import type {PushPolicy} from './push-policy.js';
import {imagesOf, platformKey, type ArchImage, type ChartIndex, type TagState} from './tag-state.js';
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

const presentIn = (state: TagState | undefined, image: ArchImage) => {
	const comparison = compareImage(state, image);
	return comparison === 'same' || comparison === 'uncompared';
};

/**
 * The image the step should leave at the push's tag and arch: the package's, unless the installer's
 * push policy keeps what the tag held (it skips a tag that exists), as the verification expects too.
 */
function targetImage(push: PlannedPush, expected: Map<string, TagState> | undefined): ArchImage {
	const kept = imagesOf(expected?.get(push.key)).find(image => platformKey(image) === platformKey(push.image));
	return kept ?? push.image;
}

function imageBucket(
	push: PlannedPush,
	before: Map<string, TagState> | undefined,
	after: Map<string, TagState>,
	expected: Map<string, TagState> | undefined,
): ImageBucket {
	const now = after.get(push.key);
	if (now?.kind === 'unreadable') {
		return 'unread';
	}

	const target = targetImage(push, expected);
	if (!presentIn(now, target)) {
		// Absent, without this arch, or another image than the step should leave: it is not there.
		return 'missing';
	}

	const then = before?.get(push.key);
	if (!before || then?.kind === 'unreadable') {
		return 'notToldApart';
	}

	return presentIn(then, target) ? 'alreadyThere' : 'pushed';
}

/** `policy`: the installer's push policy for the step; with it, a tag it keeps counts as already there. */
export function countImages(
	pushes: readonly PlannedPush[],
	before: Map<string, TagState> | undefined,
	after: Map<string, TagState>,
	policy?: PushPolicy,
): StepCounts['images'] {
	const expected = before && policy ? projectStep(before, [...pushes], policy) : undefined;
	const total = zero();
	const byArch = new Map<string, ImageCounts>();
	const seen = new Set<string>();
	for (const push of pushes) {
		const id = `${push.key}\u0000${platformKey(push.image)}`;
		if (seen.has(id)) {
			continue;
		}

		seen.add(id);
		const bucket = imageBucket(push, before, after, expected);
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
