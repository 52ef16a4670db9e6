// The Registry section in words: one set of sentences for `plan`, `run --yes` and the Review
// screen (which lays them out for its width). What was checked says so with its numbers; what
// could not be checked says why, what the plan fell back on, and "not checked against the registry".
import {notCheckedLabel, type RegistryReview, type ReviewedTag} from '../../domain/plan/registry-review.js';
import {firstFew, unreadableGroups} from '../../domain/plan/unreadable-tags.js';
import type {TagChange} from '../../domain/registry/push-diff.js';
import {plural} from '../../domain/shared/plural.js';

export type Tone = 'ok' | 'warn' | 'error' | 'dim';

/** One sentence of the section: what it says, how loud, and a next step when it has one. */
export type RegistryLine = {text: string; tone?: Tone; next?: string};

const archList = (arches: string[]) => (arches.length > 0 ? arches.join('+') : 'none');

/** Where the registry is, why, how it is logged in to and how its certificate is checked. */

/** Where the cluster's arches came from; when nothing named any, that they are unknown and why. */
function archesWords(arches: {arches: string[]; detail: string}): string {
	return arches.arches.length > 0
		? `the cluster's arches ${arches.arches.join(', ')} come from ${arches.detail}`
		: `the cluster's arches are unknown (${arches.detail})`;
}

export function registryWhere(review: RegistryReview): string {
	if (!review.registry) {
		return `none found (${notCheckedLabel})`;
	}

	const {url, reason, login, tls} = review.registry;
	return `${url}: ${reason}; ${login}; ${tls}`;
}

export function registryHeadline(review: RegistryReview): string {
	return review.registry ? `Registry ${registryWhere(review)}` : `Registry: ${registryWhere(review)}`;
}

const changeWords: Record<TagChange, string> = {
	added: 'added',
	merged: 'merged',
	overwritten: 'overwritten',
	unchanged: 'unchanged',
	unknown: 'unreadable',
};

export function tagLine(tag: ReviewedTag): string {
	if (tag.unreadable) {
		return `${tag.key}  unreadable (counted as pending): ${tag.unreadable.reason}`;
	}

	const notes = [
		tag.lostAtEnd.length > 0 ? `loses ${tag.lostAtEnd.join(', ')}` : '',
		tag.lostDuringPlan.length > 0 && tag.lostAtEnd.length === 0
			? `loses ${tag.lostDuringPlan.join(', ')} until it is integrated again`
			: '',
		tag.lacking.length > 0 && tag.lostAtEnd.length === 0 ? `no ${tag.lacking.join(', ')} image` : '',
		tag.skipped ? 'its chart is in the repository already, so it is not pushed' : '',
	].filter(Boolean);
	return `${tag.key}  ${archList(tag.nowArches)} -> ${archList(tag.afterArches)}  ${changeWords[tag.change]}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}

export const tagTone = (tag: ReviewedTag): Tone | undefined =>
	tag.unreadable
		? 'error'
		: tag.lostAtEnd.length > 0 || tag.lacking.length > 0
			? 'warn'
			: tag.lostDuringPlan.length > 0
				? 'warn'
				: undefined;

function uncheckedLines(review: RegistryReview): RegistryLine[] {
	const lines: RegistryLine[] = [];
	if (review.problem) {
		lines.push({text: review.problem.message, tone: 'error', next: review.problem.hint});
	}

	const history =
		review.history.entries > 0
			? `the wizard's history has ${plural(review.history.entries, 'step')} of this cluster${review.history.current ? `, the last import ${review.history.current.versions.join(', ')} (${review.history.current.arches.join(', ')})` : ''}`
			: // A history that could not be read says so, never "no run": the runs may well be there.
				(review.history.problem ?? "the wizard's history has no run of this cluster");
	lines.push({
		text: `${notCheckedLabel[0]!.toUpperCase()}${notCheckedLabel.slice(1)}: ${archesWords(review.clusterArches)}; ${history}. Hazards and the multi-arch count are from the packages and flags only.`,
		tone: 'warn',
	});
	return lines;
}

function spacesLine(review: RegistryReview): RegistryLine {
	const {spaces} = review;
	if (spaces.kind === 'none') {
		return {text: `Registry spaces: none needed: ${spaces.reason}`};
	}

	if (spaces.kind === 'unknown') {
		return {text: `Registry spaces: ${spaces.reason}`, tone: 'dim'};
	}

	return spaces.missing.length > 0
		? {
				text: `Harbor projects: ${spaces.required.length} needed, missing: ${spaces.missing.join(', ')} (pushing into them fails)`,
				tone: 'error',
			}
		: {text: `Harbor projects: ${spaces.required.length} needed, all there (${spaces.required.join(', ')})`, tone: 'ok'};
}

function chartsLine(review: RegistryReview, baselineFiles: string[]): RegistryLine {
	const {charts} = review;
	if (charts.checked) {
		return {text: `Charts compared with the chart repository's ${charts.url}`};
	}

	const against =
		baselineFiles.length > 0
			? `the package clusterConfig.yaml names (${baselineFiles.join(', ')})`
			: 'nothing (no package file of the cluster was found)';
	return {
		text: `Charts compared with ${against}: the chart repository could not be read${charts.problem ? ` (${charts.problem.message})` : ''}`,
		tone: 'warn',
		next: charts.problem?.hint,
	};
}

/** Causes shown before "and N other causes": the rest are in --json with every tag. */
const shownCauses = 3;

/** Tags that could not be read: how many, then one line per cause with its first tags and next step. */
function unreadableLines(review: RegistryReview): RegistryLine[] {
	const groups = unreadableGroups(review.tags);
	const count = groups.reduce((sum, group) => sum + group.tags.length, 0);
	if (count === 0) {
		return [];
	}

	const lines: RegistryLine[] = [
		{
			text: `${plural(count, 'tag')} could not be read, so ${count === 1 ? 'it is' : 'they are'} counted as pending, never as absent (plan --json lists every one with its cause):`,
			tone: 'error',
		},
		...groups.slice(0, shownCauses).map((group): RegistryLine => ({
			text: `${group.reason}: ${plural(group.tags.length, 'tag')} (${firstFew(group.tags)})`,
			tone: 'error',
			next: group.hint,
		})),
	];
	const others = groups.slice(shownCauses);
	if (others.length > 0) {
		const tags = others.reduce((sum, group) => sum + group.tags.length, 0);
		lines.push({text: `${plural(others.length, 'other cause')}: ${plural(tags, 'tag')}`, tone: 'error'});
	}

	return lines;
}

/** A Bearer realm on another origin gets the registry's login: said, so the operator knows where it went. */
function tokenServiceLines(review: RegistryReview): RegistryLine[] {
	const origin = review.read?.tokenOrigin;
	if (!origin) {
		return [];
	}

	const clear = origin.startsWith('http:') ? ', over plain HTTP (--registry-insecure)' : '';
	return [{text: `Login: credentials go to token service ${origin} (not the registry's own origin)${clear}`, tone: 'warn'}];
}

function checkedLines(review: RegistryReview): RegistryLine[] {
	const images = review.images!;
	const changes = review.tagChanges!;
	const other = [
		images['arch-missing'] > 0 ? `${images['arch-missing']} in a tag without their arch` : '',
		images.uncompared > 0 ? `${images.uncompared} there but not comparable (no config digest)` : '',
		images.unreadable > 0 ? `${images.unreadable} unreadable` : '',
	].filter(Boolean);
	const lines: RegistryLine[] = [
		{
			text: `Images: ${images.total} in the plan: ${images.absent} absent, ${images.same} the same image, ${images.different} a different image (by config digest)${other.length > 0 ? `, ${other.join(', ')}` : ''}`,
		},
		{
			text: `Tags: ${review.tags.length} (${changes.added} added, ${changes.merged} merged, ${changes.overwritten} overwritten, ${changes.unchanged} unchanged${changes.unknown > 0 ? `, ${changes.unknown} unreadable` : ''})`,
		},
		...unreadableLines(review),
		...tokenServiceLines(review),
		{
			text: `Cluster arches: ${review.clusterArches.arches.join(', ') || (changes.unknown > 0 ? 'unknown' : 'none yet')} (${review.clusterArches.detail})`,
		},
	];
	if (review.losing.tags > 0) {
		const back =
			review.losing.restored === review.losing.tags
				? 'the plan integrates them again'
				: review.losing.restored > 0
					? `the plan puts ${review.losing.restored} back`
					: 'the plan does not put them back';
		lines.push({text: `${plural(review.losing.tags, 'tag')} lose ${review.losing.arches.join(', ')} (${back})`, tone: 'warn'});
	}

	if (review.lacking.tags > 0) {
		lines.push({
			text: `${plural(review.lacking.tags, 'tag')} will have no ${review.lacking.arches.join(', ')} image after the plan`,
			tone: 'warn',
		});
	}

	lines.push({
		text: `Several architectures: ${review.multiArchNow} of ${review.tags.length} tags now, ${review.multiArchAfter} after the plan`,
	});
	return lines;
}

/** The section's sentences, in the order Review and `plan` show them; `baselineFiles` names the fallback of the chart diff. */
export function registryLines(review: RegistryReview, baselineFiles: string[] = []): RegistryLine[] {
	const charts = chartsLine(review, baselineFiles);
	// The chart repository beside an unreachable registry usually fails the same way: said once.
	const sameCause = review.charts.checked ? false : review.charts.problem?.kind === review.problem?.kind;
	return [
		...(review.checked ? checkedLines(review) : uncheckedLines(review)),
		...(review.spaces.kind === 'unknown' ? [] : [spacesLine(review)]),
		sameCause ? {...charts, next: undefined} : charts,
	];
}

export function readStatsLine(review: RegistryReview): string | undefined {
	const read = review.read;
	return read
		? `Read ${plural(read.tags, 'tag')} in ${read.elapsedMs} ms (${read.requests} requests, login ${read.auth}${read.harbor ? ', Harbor' : ''})`
		: undefined;
}

/** The section for `plan` and `run --yes`: every sentence, then the first tags (all of them are in --json). */
export function renderRegistryText(review: RegistryReview, baselineFiles: string[], maxTags = 10): string[] {
	const lines = [registryHeadline(review)];
	for (const line of registryLines(review, baselineFiles)) {
		lines.push(`  ${line.tone === 'warn' || line.tone === 'error' ? '[WARN] ' : ''}${line.text}`);
		if (line.next) {
			lines.push(`          next: ${line.next}`);
		}
	}

	if (review.tags.length > 0) {
		lines.push(
			`  Tags, now -> after the plan${review.tags.length > maxTags ? ` (the first ${maxTags} of ${review.tags.length}; plan --json lists every one)` : ''}:`,
		);
		lines.push(...review.tags.slice(0, maxTags).map(tag => `    ${tagLine(tag)}`));
	}

	const stats = readStatsLine(review);
	return stats ? [...lines, `  ${stats}`] : lines;
}
