// The Registry section of a plan: what its steps will do to the cluster's registry and chart
// repository, computed from what they hold now (or, when they cannot be read, said to be
// unchecked with the reason). Each step is projected on what the steps before it leave
// (`diffRegistry` over a chained state), so a <0.12.0 upgrade that drops arm64 and the
// integration that brings it back are both seen. Facts in, a serialisable review out.
import {diffCharts} from '../registry/chart-diff.js';
import {explainRegistryProblem} from './builtin-registry-down.js';
import {
	clusterArchesNow,
	summarizeHistory,
	type ClusterArches,
	type ClusterArchInputs,
	type HistorySummary,
	type RecordedStep,
} from '../registry/cluster-arches.js';
import type {ChartChange} from '../registry/chart-diff.js';
import {type WizardError, isWizardError} from '../shared/wizard-error.js';
import {compareImage, type ImageCounts, type PlannedPush, type TagChange} from '../registry/push-diff.js';
import {spaceOfTarget, targetOf, type RegistryEndpoint, type RegistryLocation} from '../registry/location.js';
import {archesOf, type ChartIndex, type Neighbour, type RegistrySpaces, type TagState} from '../registry/tag-state.js';

/** What the registry port read (the workflow's `RegistryRead` is this type). */
export type RegistrySnapshot = {
	/** Keyed by `tagKey(target)`; every target is there. */
	tags: Map<string, TagState>;
	spaces: RegistrySpaces;
	/**
	 * For each repository where every target tag is absent: another of its tags and what it holds
	 * (platforms only), so a new version's tags still show the arches the cluster runs.
	 */
	neighbours: Map<string, Neighbour>;
	/** How the registry asked to be logged in to. */
	auth: 'none' | 'basic' | 'bearer';
	/** The Bearer realm's origin when it is not the registry's own: the login goes there too. */
	tokenOrigin?: string;
	harbor: boolean;
	/** How certificates were checked, in words (Review shows it). */
	tls: string;
	elapsedMs: number;
	requests: number;
};

/** Everything gathered for the section, once per plan; errors are values with cause and next step. */
export type RegistryFacts = {
	location: RegistryLocation | WizardError;
	/** Undefined when there was no registry to ask. */
	registry?: RegistrySnapshot | WizardError;
	charts?: {charts: ChartIndex; url: string; bytes: number} | WizardError;
	history: RecordedStep[];
	/** Why the history could not be read, when it could not. */
	historyProblem?: string;
};

export type Problem = {kind: string; message: string; hint: string};

/** A tag's read failure: `reason` is its cause without the URL, so tags that failed alike group. */
export type UnreadableCause = Problem & {reason: string};

export type ReviewedTag = {
	/** `<repository>:<tag>` in the target registry. */
	key: string;
	now: TagState['kind'];
	nowArches: string[];
	afterArches: string[];
	/** Over the whole plan. */
	change: TagChange;
	/** Arches some step takes away, even if a later step brings them back. */
	lostDuringPlan: string[];
	/** Arches the tag has now and not after the plan. */
	lostAtEnd: string[];
	/** Arches the cluster runs that the tag lacks after the plan (for tags that exist then). */
	lacking: string[];
	/** Every push to it is skipped: its chart version is in the repository already (cluster-create). */
	skipped?: boolean;
	/** Why the tag could not be read (`now` is `unreadable`): counted as pending, never as absent. */
	unreadable?: UnreadableCause;
	/**
	 * Arches whose image the plan replaces with another one (both config digests known, and they
	 * differ): the image the tag holds now is no longer tagged afterwards.
	 */
	replaced?: string[];
};

export type ReviewedSpaces =
	| {kind: 'harbor'; required: string[]; existing: string[]; missing: string[]}
	| {kind: 'none'; reason: string}
	| {kind: 'unknown'; reason: string};

export type RegistryReview = {
	/** True when the registry's tags were read: every count below is from the registry. */
	checked: boolean;
	/** Where the registry is and why, how certificates are checked, how it is logged in to (never a password). */
	registry?: {url: string; host: string; reason: string; tls: string; login: string};
	chartRepo?: {url: string; type: string; reason: string};
	/** Why nothing was checked, when nothing was. */
	problem?: Problem;
	read?: {
		auth: RegistrySnapshot['auth'];
		tokenOrigin?: string;
		harbor: boolean;
		tls: string;
		elapsedMs: number;
		requests: number;
		tags: number;
	};
	images?: ImageCounts;
	tagChanges?: Record<TagChange, number>;
	/** Every tag the plan pushes to, the ones that need the operator first. */
	tags: ReviewedTag[];
	multiArchNow: number;
	multiArchAfter: number;
	losing: {tags: number; arches: string[]; restored: number};
	lacking: {tags: number; arches: string[]};
	clusterArches: ClusterArches;
	spaces: ReviewedSpaces;
	charts: {checked: true; url: string; changes: ChartChange[]} | {checked: false; problem?: Problem};
	steps: ReviewedStep[];
	history: HistorySummary & {problem?: string};
};

export type ReviewInputs = {
	facts: RegistryFacts;
	steps: StepImages[];
	/** `--cluster-arches`. */
	flagArches: string[];
	/** Arches clusterConfig.yaml's addonPackage.path names. */
	configArches: string[];
};

import {loginWords, tlsWords} from './endpoint-words.js';
import {overallChange, project, replacedArches, type Projection, type ReviewedStep, type StepImages} from './step-projection.js';

export type {ReviewedStep, StepImages} from './step-projection.js';

export const notCheckedLabel = 'not checked against the registry';

const problemOf = (error: WizardError): Problem => ({kind: error.kind, message: error.message, hint: error.hint});
const causeOf = (error: WizardError & {reason?: string}): UnreadableCause => ({...problemOf(error), reason: error.reason ?? error.message});
const sorted = (items: Iterable<string>) => [...new Set(items)].sort();

/** Arches across every tag read that exists, and the neighbours read for repositories whose tags are all new. */
function registryArches(snapshot: RegistrySnapshot): NonNullable<ClusterArchInputs['registry']> {
	const states = [...snapshot.tags.values(), ...[...snapshot.neighbours.values()].map(item => item.state)].filter(
		state => state.kind === 'image' || state.kind === 'list',
	);
	const counts = new Map<string, number>();
	for (const state of states) {
		for (const arch of archesOf(state)) {
			counts.set(arch, (counts.get(arch) ?? 0) + 1);
		}
	}

	return {
		arches: [...counts].map(([arch, tags]) => ({arch, tags})).sort((a, b) => b.tags - a.tags || a.arch.localeCompare(b.arch)),
		tagsRead: states.length,
		unreadable: [...snapshot.tags.values()].filter(state => state.kind === 'unreadable').length,
		targets: snapshot.tags.size,
	};
}

const urgency = (tag: ReviewedTag) =>
	tag.lostAtEnd.length > 0
		? 0
		: tag.lostDuringPlan.length > 0
			? 1
			: tag.lacking.length > 0
				? 2
				: ({overwritten: 3, unknown: 3, merged: 4, added: 5, unchanged: 6} as const)[tag.change];

function reviewTags(projection: Projection, snapshot: RegistrySnapshot, clusterArches: string[]): ReviewedTag[] {
	const keys = sorted(projection.all.map(push => push.key));
	const tags = keys.map((key): ReviewedTag => {
		const now = snapshot.tags.get(key) ?? {kind: 'absent'};
		const after = projection.after.get(key) ?? now;
		const nowArches = archesOf(now);
		const afterArches = after.kind === 'unreadable' ? [] : archesOf(after);
		const exists = after.kind === 'image' || after.kind === 'list';
		const replaced = projection.touched.has(key) ? replacedArches(now, after) : [];
		return {
			key,
			now: now.kind,
			nowArches,
			afterArches,
			change: overallChange(now, after, projection.touched.has(key)),
			lostDuringPlan: sorted(projection.lost.get(key) ?? []),
			lostAtEnd: after.kind === 'unreadable' ? [] : nowArches.filter(arch => !afterArches.includes(arch)),
			lacking: exists ? clusterArches.filter(arch => !afterArches.includes(arch)) : [],
			...(now.kind === 'unreadable' ? {unreadable: causeOf(now.error)} : {}),
			...(projection.skipped.has(key) ? {skipped: true} : {}),
			...(replaced.length > 0 ? {replaced} : {}),
		};
	});
	return tags.sort((a, b) => urgency(a) - urgency(b) || a.key.localeCompare(b.key));
}

function countImages(pushes: PlannedPush[], now: Map<string, TagState>): ImageCounts {
	const counts: ImageCounts = {absent: 0, same: 0, different: 0, 'arch-missing': 0, uncompared: 0, unreadable: 0, total: 0};
	for (const push of pushes) {
		counts[compareImage(now.get(push.key), push.image)]++;
		counts.total++;
	}

	return counts;
}

function reviewSpaces(
	facts: RegistryFacts,
	steps: StepImages[],
	endpoint: Pick<RegistryEndpoint, 'pathPrefix'> | undefined,
): ReviewedSpaces {
	const snapshot = facts.registry;
	if (!snapshot || isWizardError(snapshot) || !endpoint) {
		return {kind: 'unknown', reason: 'the registry could not be read'};
	}

	if (snapshot.spaces.kind === 'none') {
		return {kind: 'none', reason: snapshot.spaces.reason};
	}

	const required = sorted(steps.flatMap(step => step.images.map(image => spaceOfTarget(targetOf(image, endpoint)))));
	const missing = snapshot.spaces.missing.filter(space => required.includes(space));
	return {kind: 'harbor', required, existing: required.filter(space => !missing.includes(space)), missing};
}

function reviewCharts(facts: RegistryFacts, steps: StepImages[]): RegistryReview['charts'] {
	const {charts} = facts;
	if (!charts) {
		return {checked: false};
	}

	if (isWizardError(charts)) {
		return {checked: false, problem: problemOf(charts)};
	}

	const wanted = new Map(steps.flatMap(step => step.charts.map(chart => [`${chart.name}@${chart.version}`, chart] as const)));
	return {checked: true, url: charts.url, changes: diffCharts([...wanted.values()], charts.charts)};
}

const emptyChanges = (): Record<TagChange, number> => ({added: 0, merged: 0, overwritten: 0, unchanged: 0, unknown: 0});

export function reviewRegistry(inputs: ReviewInputs): RegistryReview {
	const {facts, steps} = inputs;
	const location = isWizardError(facts.location) ? undefined : facts.location;
	const history = {...summarizeHistory(facts.history), ...(facts.historyProblem ? {problem: facts.historyProblem} : {})};
	const snapshot = facts.registry && !isWizardError(facts.registry) ? facts.registry : undefined;
	const clusterArches = clusterArchesNow({
		flag: inputs.flagArches,
		registry: snapshot ? registryArches(snapshot) : undefined,
		history,
		config: inputs.configArches,
	});
	const base = {
		registry: location && {
			url: location.registry.url,
			host: location.registry.host,
			reason: location.registry.reason,
			tls: tlsWords[location.registry.tls.mode](location.registry.tls),
			login: loginWords(location.registry.credential),
		},
		chartRepo:
			location && !isWizardError(location.chartRepo)
				? {url: location.chartRepo.url, type: location.chartRepo.type, reason: location.chartRepo.reason}
				: undefined,
		clusterArches,
		spaces: reviewSpaces(facts, steps, location?.registry),
		charts: reviewCharts(facts, steps),
		history,
	};
	const unread = isWizardError(facts.location)
		? facts.location
		: facts.registry && isWizardError(facts.registry)
			? facts.registry
			: undefined;
	if (!snapshot || !location) {
		return {
			checked: false,
			...base,
			problem: unread ? explainRegistryProblem(unread, location) : undefined,
			tags: [],
			multiArchNow: 0,
			multiArchAfter: 0,
			losing: {tags: 0, arches: [], restored: 0},
			lacking: {tags: 0, arches: []},
			steps: [],
		};
	}

	const index = facts.charts && !isWizardError(facts.charts) ? facts.charts.charts : undefined;
	const projection = project(steps, location.registry, snapshot, index);
	const tags = reviewTags(projection, snapshot, clusterArches.arches);
	const tagChanges = emptyChanges();
	for (const tag of tags) {
		tagChanges[tag.change]++;
	}

	const losing = tags.filter(tag => tag.lostDuringPlan.length > 0);
	const lacking = tags.filter(tag => tag.lacking.length > 0 && tag.lostAtEnd.length === 0);
	return {
		checked: true,
		...base,
		read: {
			auth: snapshot.auth,
			...(snapshot.tokenOrigin ? {tokenOrigin: snapshot.tokenOrigin} : {}),
			harbor: snapshot.harbor,
			tls: snapshot.tls,
			elapsedMs: snapshot.elapsedMs,
			requests: snapshot.requests,
			tags: snapshot.tags.size,
		},
		images: countImages(projection.all, snapshot.tags),
		tagChanges,
		tags,
		multiArchNow: tags.filter(tag => tag.nowArches.length > 1).length,
		multiArchAfter: tags.filter(tag => tag.afterArches.length > 1).length,
		losing: {
			tags: losing.length,
			arches: sorted(losing.flatMap(tag => tag.lostDuringPlan)),
			restored: losing.filter(tag => tag.lostAtEnd.length === 0).length,
		},
		lacking: {tags: lacking.length, arches: sorted(lacking.flatMap(tag => tag.lacking))},
		steps: projection.steps,
	};
}

/** The tags every arch of the plan will carry, for "images that will carry several architectures". */
export function multiArchAfterPlan(review: RegistryReview): Array<{ref: string; arches: string[]}> {
	return review.tags.filter(tag => tag.afterArches.length > 1).map(tag => ({ref: tag.key, arches: tag.afterArches}));
}
