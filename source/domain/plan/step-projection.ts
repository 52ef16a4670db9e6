// Each step of a plan projected on what the steps before it leave in the registry: the tags it
// touches, the arches it drops, and how each tag ends up changed. Pure; the Registry review
// (registry-review.ts) turns the projection into what the plan shows.
import type {PushPolicy, StepPush} from '../registry/push-policy.js';
import {diffRegistry, plannedPushes, type PlannedPush, type PushImage, type TagChange} from '../registry/push-diff.js';
import type {RegistryEndpoint} from '../registry/location.js';
import {imagesOf, platformKey, type ChartIndex, type Neighbour, type RegistrySpaces, type TagState} from '../registry/tag-state.js';

/** One step of the plan as the registry sees it: the images it pushes and the charts it syncs. */
export type StepImages = {
	stepId: string;
	push: StepPush;
	/** The package's arch, for an image whose config names none. */
	arch: string;
	version: string;
	/** `chart` is the bundle the image came from (`<chart>-<version>`, as ImageInfo names it). */
	images: Array<PushImage & {chart?: string}>;
	charts: Array<{name: string; version: string}>;
};

export type ReviewedStep = {
	stepId: string;
	policy: PushPolicy;
	policyReason: string;
	images: number;
	/** Images left alone because the repository has their chart version (charts-syncer skips both). */
	skippedWithCharts: number;
	losingArch: number;
};

/** Images of a cluster-create step whose chart the repository lists are skipped with it (§4.2). */
function skippedCharts(step: StepImages, index: ChartIndex | undefined): Set<string> {
	if (step.push.kind !== 'cluster-create' || !index) {
		return new Set();
	}

	return new Set(
		step.charts.filter(chart => index.get(chart.name)?.includes(chart.version)).map(chart => `${chart.name}-${chart.version}`),
	);
}

const digestsByArch = (state: TagState | undefined) => new Map(imagesOf(state).map(image => [platformKey(image), image.configDigest]));

/** Arches held now and after whose known config digests differ: another image went over the tag. */
export function replacedArches(now: TagState, after: TagState): string[] {
	const later = digestsByArch(after);
	return [...digestsByArch(now)]
		.filter(([arch, digest]) => digest !== undefined && later.get(arch) !== undefined && later.get(arch) !== digest)
		.map(([arch]) => arch)
		.sort();
}

export function overallChange(now: TagState, after: TagState, touched: boolean): TagChange {
	// Even a tag no step pushes to (skipped with its chart) is not known to be as the plan leaves it.
	if (now.kind === 'unreadable' || after.kind === 'unreadable') {
		return 'unknown';
	}

	if (!touched) {
		return 'unchanged';
	}

	if (now.kind === 'absent') {
		return after.kind === 'absent' ? 'unchanged' : 'added';
	}

	const before = digestsByArch(now);
	const later = digestsByArch(after);
	const kept = [...before].every(([arch, digest]) => later.has(arch) && later.get(arch) === digest);
	return kept ? (later.size > before.size ? 'merged' : 'unchanged') : 'overwritten';
}

export type Projection = {
	steps: ReviewedStep[];
	after: Map<string, TagState>;
	lost: Map<string, Set<string>>;
	touched: Set<string>;
	all: PlannedPush[];
	skipped: Set<string>;
};

/** Each step on what the ones before it leave; pushes of skipped charts are left out but still listed. */
export function project(
	steps: StepImages[],
	endpoint: Pick<RegistryEndpoint, 'pathPrefix'>,
	snapshot: {tags: Map<string, TagState>; spaces: RegistrySpaces; neighbours: Map<string, Neighbour>},
	index: ChartIndex | undefined,
): Projection {
	const state = new Map(snapshot.tags);
	const lost = new Map<string, Set<string>>();
	const touched = new Set<string>();
	const all: PlannedPush[] = [];
	const reviewed: ReviewedStep[] = [];
	for (const step of steps) {
		const skipped = skippedCharts(step, index);
		const kept = step.images.filter(image => !image.chart || !skipped.has(image.chart));
		all.push(...plannedPushes(step.images, endpoint, step.arch));
		const pushes = plannedPushes(kept, endpoint, step.arch);
		const diff = diffRegistry({pushes, step: step.push, now: state, spaces: snapshot.spaces, neighbours: snapshot.neighbours});
		for (const {key, lost: arches} of diff.losingArch) {
			lost.set(key, new Set([...(lost.get(key) ?? []), ...arches]));
		}

		for (const push of pushes) {
			touched.add(push.key);
		}

		for (const [key, tag] of diff.afterTags) {
			state.set(key, tag);
		}

		reviewed.push({
			stepId: step.stepId,
			policy: diff.policy,
			policyReason: diff.policyReason,
			images: kept.length,
			skippedWithCharts: step.images.length - kept.length,
			losingArch: diff.losingArch.length,
		});
	}

	const pushedKeys = new Set(all.map(push => push.key));
	return {steps: reviewed, after: state, lost, touched, all, skipped: new Set([...pushedKeys].filter(key => !touched.has(key)))};
}
