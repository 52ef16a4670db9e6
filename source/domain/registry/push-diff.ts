// What a step will do to the registry, computed from what the registry shows now: per image
// whether it is there already (by config digest, never by manifest digest, §9.1), per tag the
// arches before and after, the tags that would lose an arch, the arches the registry says the
// cluster runs, and the registry spaces still missing. Charts are diffed in `chart-diff.ts`.
import {applyPush, pushPolicyOf, type PushPolicy, type StepPush} from './push-policy.js';
import {spaceOfTarget, targetOf, type RegistryEndpoint} from './location.js';
import type {ArchImage, KnownTagState, Neighbour, ReadTarget, RegistrySpaces, TagState, TargetTag} from './tag-state.js';
import {archesOf, imagesOf, platformKey, tagKey} from './tag-state.js';

/** An image a step pushes: `ImageInfo` fits (`configDigest` is filled in by newer inspections). */
export type PushImage = {registry: string; repository: string; tag: string; architecture?: string; os?: string; configDigest?: string};

/** One image at its place in the target registry. */
export type PlannedPush = {target: TargetTag; key: string; image: ArchImage};

export type ImageComparison =
	| 'absent'
	/** The tag holds this arch with the same config digest. */
	| 'same'
	/** The tag holds this arch with another image. */
	| 'different'
	/** The tag exists without this arch. */
	| 'arch-missing'
	/** This arch is there, but a config digest is unknown on one side, so "same" cannot be told. */
	| 'uncompared'
	| 'unreadable';

export type TagChange = 'added' | 'merged' | 'overwritten' | 'unchanged' | 'unknown';

export type TagPlan = {
	key: string;
	target: TargetTag;
	now: TagState['kind'];
	nowArches: string[];
	after: KnownTagState['kind'] | 'unknown';
	afterArches: string[];
	change: TagChange;
	/** Arches the tag has now and will not have after the step. */
	lostArches: string[];
	pushed: Array<{arch: string; comparison: ImageComparison}>;
};

export type ImageCounts = Record<ImageComparison, number> & {total: number};

export type RegistryDiff = {
	policy: PushPolicy;
	/** One sentence: why the step treats existing tags as it does. */
	policyReason: string;
	counts: ImageCounts;
	tags: TagPlan[];
	/** Tags that will lose an arch (the <0.12.0 hazard when the policy is force-push), from the registry. */
	losingArch: Array<{key: string; lost: string[]}>;
	/** Tags that will carry two or more arches after the step. */
	multiArchAfter: number;
	/**
	 * The arches the registry holds across the tags read (the pushed tags that exist, and for
	 * repositories where none does, a neighbouring tag), with how many tags carry each, most first.
	 */
	clusterArches: Array<{arch: string; tags: number}>;
	/** How many tags `clusterArches` was counted from: pushed tags that exist, and neighbours. */
	archSources: {tags: number; neighbours: number};
	/** Tags read that carry two or more arches now. */
	multiArchNow: number;
	/** Registry spaces (Harbor projects) the images need that do not exist. */
	missingSpaces: string[];
	spacesNote?: string;
	/** The registry after the step, for the diff of the next step in the same plan. */
	afterTags: Map<string, TagState>;
};

/**
 * Places a step's images in the target registry, one per tag and arch. `fallbackArch` (the
 * package's) stands in for an image whose config gave none.
 */
export function plannedPushes(images: PushImage[], endpoint: Pick<RegistryEndpoint, 'pathPrefix'>, fallbackArch: string): PlannedPush[] {
	const seen = new Map<string, PlannedPush>();
	for (const image of images) {
		const target = targetOf(image, endpoint);
		const archImage: ArchImage = {arch: image.architecture ?? fallbackArch, os: image.os, configDigest: image.configDigest};
		const key = tagKey(target);
		seen.set(`${key}\u0000${platformKey(archImage)}`, {target, key, image: archImage});
	}

	return [...seen.values()];
}

/** The tags to read for these pushes, each with the images pushed to it. */
export function readTargetsOf(pushes: PlannedPush[]): ReadTarget[] {
	const targets = new Map<string, ReadTarget & {images: ArchImage[]}>();
	for (const push of pushes) {
		const target = targets.get(push.key) ?? {...push.target, images: []};
		target.images.push(push.image);
		targets.set(push.key, target);
	}

	return [...targets.values()];
}

export function compareImage(now: TagState | undefined, image: ArchImage): ImageComparison {
	if (!now || now.kind === 'absent') {
		return 'absent';
	}

	if (now.kind === 'unreadable') {
		return 'unreadable';
	}

	const there = imagesOf(now).find(item => platformKey(item) === platformKey(image));
	if (!there) {
		return 'arch-missing';
	}

	if (!there.configDigest || !image.configDigest) {
		return 'uncompared';
	}

	return there.configDigest === image.configDigest ? 'same' : 'different';
}

const digestsByArch = (state: TagState) => new Map(imagesOf(state).map(image => [platformKey(image), image.configDigest]));

function changeOf(now: TagState, after: TagState): TagChange {
	if (now.kind === 'unreadable') {
		return 'unknown';
	}

	if (now.kind === 'absent') {
		return 'added';
	}

	const before = digestsByArch(now);
	const later = digestsByArch(after);
	const kept = [...before].every(([arch, digest]) => later.has(arch) && later.get(arch) === digest);
	if (kept) {
		return later.size > before.size ? 'merged' : 'unchanged';
	}

	return 'overwritten';
}

/** The registry after a step, tag by tag; tags the step does not touch are left out. */
export function projectStep(now: Map<string, TagState>, pushes: PlannedPush[], policy: PushPolicy): Map<string, TagState> {
	const after = new Map<string, TagState>();
	for (const push of pushes) {
		const current = after.get(push.key) ?? now.get(push.key) ?? {kind: 'absent'};
		if (current.kind === 'unreadable') {
			after.set(push.key, current);
			continue;
		}

		after.set(push.key, applyPush(current, push.image, policy) ?? current);
	}

	return after;
}

function countArches(tags: Array<TagState | undefined>): {clusterArches: RegistryDiff['clusterArches']; multiArchNow: number} {
	const counts = new Map<string, number>();
	let multiArchNow = 0;
	for (const state of tags) {
		const arches = archesOf(state);
		multiArchNow += arches.length > 1 ? 1 : 0;
		for (const arch of arches) {
			counts.set(arch, (counts.get(arch) ?? 0) + 1);
		}
	}

	const clusterArches = [...counts].map(([arch, tags]) => ({arch, tags})).sort((a, b) => b.tags - a.tags || a.arch.localeCompare(b.arch));
	return {clusterArches, multiArchNow};
}

function missingSpaces(pushes: PlannedPush[], spaces: RegistrySpaces): string[] {
	if (spaces.kind === 'none') {
		return [];
	}

	const existing = new Set(spaces.existing);
	return [...new Set(pushes.map(push => spaceOfTarget(push.target)))].filter(space => !existing.has(space)).sort();
}

export type DiffInputs = {
	pushes: PlannedPush[];
	step: StepPush;
	/** What the registry shows for the pushed tags (a tag not in the map counts as absent). */
	now: Map<string, TagState>;
	spaces: RegistrySpaces;
	/** Per repository, another tag's state (the port's `neighbours`). */
	neighbours?: Map<string, Neighbour>;
};

export function diffRegistry(inputs: DiffInputs): RegistryDiff {
	const {policy, reason} = pushPolicyOf(inputs.step);
	const afterTags = projectStep(inputs.now, inputs.pushes, policy);
	const counts: ImageCounts = {absent: 0, same: 0, different: 0, 'arch-missing': 0, uncompared: 0, unreadable: 0, total: 0};
	const byTag = new Map<string, TagPlan>();
	for (const push of inputs.pushes) {
		const now = inputs.now.get(push.key) ?? {kind: 'absent'};
		const comparison = compareImage(now, push.image);
		counts[comparison]++;
		counts.total++;
		const existing = byTag.get(push.key);
		if (existing) {
			existing.pushed.push({arch: platformKey(push.image), comparison});
			continue;
		}

		const after = afterTags.get(push.key)!;
		const nowArches = archesOf(now);
		const afterArches = after.kind === 'unreadable' ? [] : archesOf(after);
		byTag.set(push.key, {
			key: push.key,
			target: push.target,
			now: now.kind,
			nowArches,
			after: after.kind === 'unreadable' ? 'unknown' : after.kind,
			afterArches,
			change: changeOf(now, after),
			lostArches: after.kind === 'unreadable' ? [] : nowArches.filter(arch => !afterArches.includes(arch)),
			pushed: [{arch: platformKey(push.image), comparison}],
		});
	}

	const tags = [...byTag.values()];
	return {
		policy,
		policyReason: reason,
		counts,
		tags,
		losingArch: tags.filter(tag => tag.lostArches.length > 0).map(tag => ({key: tag.key, lost: tag.lostArches})),
		multiArchAfter: tags.filter(tag => tag.afterArches.length > 1).length,
		...countArches([
			...tags.map(tag => inputs.now.get(tag.key)),
			...[...(inputs.neighbours?.values() ?? [])].map(neighbour => neighbour.state),
		]),
		archSources: {tags: tags.filter(tag => tag.now === 'image' || tag.now === 'list').length, neighbours: inputs.neighbours?.size ?? 0},
		missingSpaces: missingSpaces(inputs.pushes, inputs.spaces),
		spacesNote: inputs.spaces.kind === 'none' ? inputs.spaces.reason : undefined,
		afterTags,
	};
}

/** The registry as a whole plan leaves it: each step's projection feeds the next. */
export function chainSteps(now: Map<string, TagState>, steps: Array<{pushes: PlannedPush[]; step: StepPush}>): Map<string, TagState> {
	const state = new Map(now);
	for (const {pushes, step} of steps) {
		for (const [key, tag] of projectStep(state, pushes, pushPolicyOf(step).policy)) {
			state.set(key, tag);
		}
	}

	return state;
}
