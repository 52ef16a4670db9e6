// Version hazards an experienced operator would check before pressing enter: from the packages
// and clusterConfig.yaml (`findHazards`), and, once the registry was read, from what its tags hold
// (`registryHazards`), which replace the guesses the config allows.
import type {Decision} from './decide-operation.js';
import {currentArches, currentEntries, packageArch, packageVersion} from './decide-operation.js';
import type {Finding, FindingCode} from '../shared/findings.js';
import type {PackageInspection} from '../packages/inspection.js';
import {notCheckedLabel, type RegistryReview} from './registry-review.js';
import {compareSemver, parseSemver} from '../shared/semver.js';
import {normalizeArch} from '../packages/package-name.js';
import {mixedReleaseFindings, type ChosenFile} from '../packages/release-sets.js';
import {plural} from '../shared/plural.js';

/** From 0.12.0 the package's charts-syncer skips tags that already exist (charts-syncer v0.0.17). */
const keepsMultiArchFrom = parseSemver('0.12.0')!;

function versionOf(inspection: PackageInspection) {
	return inspection.name?.semver;
}

/** The <0.12.0 hazard from the arches the cluster is known to run, when the registry could not show its tags. */
export function archConflict(decision: Decision, clusterArches: string[]): Finding[] {
	const upgrading = decision.operation === 'single-arch-upgrade' || decision.operation === 'multi-arch-upgrade';
	const target = decision.clusterCreate.map(item => versionOf(item)).find(Boolean);
	// --cluster-arches may come from `uname -m` (x86_64, aarch64); compare and print Go arch names.
	// A list in addonPackage.path that names two arches says the cluster is multi-arch too.
	const otherArches = [
		...new Set([
			...clusterArches.map(arch => normalizeArch(arch)),
			...currentArches(decision.current),
			...decision.integrations.map(item => packageArch(item) ?? ''),
		]),
	].filter(arch => arch && arch !== decision.primaryArch);
	if (!upgrading || !target || compareSemver(target, keepsMultiArchFrom) >= 0 || otherArches.length === 0) {
		return [];
	}

	const integrated = decision.integrations.map(item => packageArch(item));
	const missing = otherArches.filter(arch => !integrated.includes(arch));
	const version = packageVersion(decision.clusterCreate[0]!);
	return [
		{
			code: 'arch-conflict-below-0.12',
			severity: 'warning',
			message: `Upgrading to ${version} (below 0.12.0) rewrites the multi-arch images as ${decision.primaryArch}-only; ${otherArches.join(', ')} nodes lose their images until the next integration.`,
			hint:
				missing.length === 0
					? `The plan integrates ${otherArches.join(', ')} right after the upgrade to restore them.`
					: `Choose the ${version} ${missing.join(', ')} package too, so the plan integrates it right after the upgrade.`,
		},
	];
}

/** The configured version of the same kind when the cluster names it, else the primary entry's. */
function currentVersionFor(decision: Decision, item: PackageInspection): string | undefined {
	const entries = currentEntries(decision.current);
	return (
		entries.find(entry => entry.arch === decision.primaryArch && entry.kind === item.kind && entry.version)?.version ??
		decision.current?.version
	);
}

/** One finding per direction and version, naming every file of the set it applies to. */
function versionChanges(decision: Decision): Finding[] {
	const groups = new Map<string, {order: number; had: string; files: string[]}>();
	for (const item of decision.clusterCreate) {
		const had = currentVersionFor(decision, item);
		const current = had ? parseSemver(had) : undefined;
		const target = versionOf(item);
		if (!had || !current || !target) {
			continue;
		}

		const order = Math.sign(compareSemver(target, current));
		const key = `${order} ${had}`;
		const group = groups.get(key) ?? {order, had, files: []};
		group.files.push(item.fileName);
		groups.set(key, group);
	}

	return [...groups.values()].flatMap(({order, had, files}): Finding[] => {
		if (order < 0) {
			return [
				{
					code: 'downgrade',
					severity: 'warning',
					message: `Downgrade: ${files.join(', ')} ${files.length > 1 ? 'are' : 'is'} older than ${had}, which the cluster has.`,
					hint: 'Charts already at a newer version are kept; make sure a downgrade is what you want.',
				},
			];
		}

		return order === 0
			? [
					{
						code: 'same-version',
						severity: 'warning',
						message: `Re-import: the cluster already has ${had} (${decision.primaryArch}).`,
						hint: 'Nothing new will be imported unless images are missing from the registry.',
					},
				]
			: [];
	});
}

const chosenFile = (item: PackageInspection): ChosenFile => ({
	fileName: item.fileName,
	version: item.name?.version,
	semver: item.name?.semver,
	kind: item.kind,
	arch: packageArch(item),
});

function mixing(chosen: PackageInspection[], decision: Decision): Finding[] {
	const sameArch = mixedReleaseFindings(chosen.map(item => chosenFile(item)));
	const findings: Finding[] = [...sameArch];
	const versions = new Set(chosen.map(item => item.name?.version).filter(Boolean));
	if (decision.current && decision.clusterCreate.length === 0) {
		versions.add(decision.current.version);
	}

	// Versions that differ between arches (not inside one, which blocks above) end up side by side.
	// When only the config's version makes the difference, the registry judges it better.
	if (versions.size > 1 && sameArch.length === 0) {
		const chosenVersions = new Set(chosen.map(item => item.name?.version).filter(Boolean));
		findings.push({
			code: 'mixed-kinds',
			severity: 'warning',
			message: `Packages of different versions would end up side by side: ${[...versions].join(', ')}.`,
			hint: 'Integrate the same version for every architecture.',
			...(chosenVersions.size > 1 ? {} : {details: {basis: 'config'}}),
		});
	}

	const kinds = new Set(chosen.map(item => item.kind).filter(Boolean));
	if (kinds.has('full') && kinds.size > 1) {
		findings.push({
			code: 'mixed-kinds',
			severity: 'warning',
			message: 'A pre-v0.18 full package is mixed with v0.18+ standard/gpu packages.',
			hint: 'Use packages of one release line.',
		});
	}

	const seen = new Map<string, PackageInspection>();
	for (const item of chosen) {
		const key = `${packageArch(item)}/${item.kind}`;
		const other = seen.get(key);
		if (other) {
			findings.push({
				code: 'duplicate-arch',
				severity: 'error',
				message: `${other.fileName} and ${item.fileName} are both ${key} packages.`,
				hint: 'Choose one package per architecture (and kind).',
			});
		}

		seen.set(key, item);
	}

	return findings;
}

/** Every error a chosen package carries blocks the plan, named with the file. */
function packageProblems(chosen: PackageInspection[]): Finding[] {
	return chosen.flatMap(item =>
		item.findings
			.filter(finding => finding.severity === 'error')
			.map(finding => ({...finding, message: `${item.fileName}: ${finding.message}`})),
	);
}

export function findHazards(chosen: PackageInspection[], decision: Decision, clusterArches: string[]): Finding[] {
	return [...packageProblems(chosen), ...mixing(chosen, decision), ...versionChanges(decision), ...archConflict(decision, clusterArches)];
}

/** Findings from the config's guesses that a read registry replaces with what its tags show. */
export function judgedByRegistry(finding: Finding): boolean {
	return (
		finding.code === 'arch-conflict-below-0.12' ||
		finding.code === 'registry-space-missing' ||
		(finding.code === 'mixed-kinds' && finding.details?.['basis'] === 'config')
	);
}

/** "the v0.11.0 arm64 package", "the v0.44.0 arm64 packages (standard, gpu)". */
function packagesWord(version: string, arches: string[], items: PackageInspection[]): string {
	const kinds = [...new Set(items.map(item => item.kind ?? 'full'))];
	const what = kinds.every(kind => kind === 'full') ? 'package' : `package${kinds.length > 1 ? 's' : ''} (${kinds.join(', ')})`;
	return `the ${version} ${arches.join(' and ')} ${what}`;
}

export type RegistryHazardContext = {
	decision: Decision;
	review: RegistryReview;
	/** 1-based numbers of the plan's integration steps, with their arch. */
	integrationSteps: Array<{number: number; arch: string}>;
	/** The plan edits clusterConfig.yaml (its new addonPackage.path differs from the text there now). */
	editsConfig?: boolean;
};

function lostArchFindings(context: RegistryHazardContext): Finding[] {
	const {decision, review, integrationSteps} = context;
	const losing = review.tags.filter(tag => tag.lostDuringPlan.length > 0);
	if (losing.length === 0) {
		return [];
	}

	const arches = [...new Set(losing.flatMap(tag => tag.lostDuringPlan))].sort();
	const forced = review.steps.some(step => step.policy === 'force-push' && step.losingArch > 0);
	const target = decision.clusterCreate[0];
	const version = target ? packageVersion(target) : '';
	const code: FindingCode = forced ? 'arch-conflict-below-0.12' : 'arch-lost-in-plan';
	// The tags themselves are listed in the Registry section; the sentence stays short enough to pin.
	const what = forced
		? `Upgrading to ${version} (below 0.12.0) turns ${plural(losing.length, 'multi-arch tag')} in the registry into ${decision.primaryArch}-only images`
		: `${plural(losing.length, 'tag')} in the registry lose ${arches.join(', ')} in the plan`;
	const details = {tags: losing.slice(0, 5).map(tag => tag.key), count: losing.length};
	const notBack = losing.filter(tag => tag.lostAtEnd.length > 0);
	if (notBack.length === 0) {
		const when =
			integrationSteps
				.filter(step => arches.includes(step.arch))
				.map(step => `step ${step.number}`)
				.join(' and ') || 'a later step';
		return [
			{
				code,
				severity: 'warning',
				message: `${what} until ${when} integrates ${arches.join(', ')} again.`,
				hint: `Until then ${arches.join(', ')} nodes cannot pull these images: start the run when their workloads can wait.`,
				details,
			},
		];
	}

	const missing = [...new Set(notBack.flatMap(tag => tag.lostAtEnd))].sort();
	const others =
		decision.clusterCreate.length > 0 ? packagesWord(version, missing, decision.clusterCreate) : `the ${missing.join(', ')} package`;
	const some = notBack.length === losing.length ? '' : ` for ${notBack.length} of them`;
	return [
		{
			code,
			severity: 'warning',
			message: `${what}, and nothing in the plan puts ${missing.join(', ')} back${some}: ${missing.join(', ')} nodes cannot pull them.`,
			hint: `Choose ${others} too, so the plan integrates it right after the ${decision.operation.endsWith('upgrade') ? 'upgrade' : 'import'}.`,
			details,
		},
	];
}

function lackingFindings(context: RegistryHazardContext): Finding[] {
	const {decision, review} = context;
	const integrated = new Set(context.integrationSteps.map(step => step.arch));
	const lacking = review.tags.filter(tag => tag.lostAtEnd.length === 0 && tag.lacking.some(arch => !integrated.has(arch)));
	if (lacking.length === 0 || decision.clusterCreate.length === 0) {
		return [];
	}

	const arches = [...new Set(lacking.flatMap(tag => tag.lacking.filter(arch => !integrated.has(arch))))].sort();
	const version = packageVersion(decision.clusterCreate[0]!);
	const have = [...new Set(lacking.flatMap(tag => tag.afterArches))].sort().join(', ');
	return [
		{
			code: 'arch-missing-after-plan',
			severity: 'warning',
			message: `${plural(lacking.length, 'tag')} of ${version} will hold ${have} only while the cluster runs ${arches.join(', ')} too: ${arches.join(', ')} nodes cannot pull them.`,
			details: {tags: lacking.slice(0, 5).map(tag => tag.key), count: lacking.length, clusterArches: review.clusterArches.detail},
			hint: `Choose ${packagesWord(version, arches, decision.clusterCreate)} too, so the plan integrates it after the ${decision.operation.endsWith('upgrade') ? 'upgrade' : 'import'}.`,
		},
	];
}

/** An integration alone of a release whose charts the repository holds at other versions: the other arch runs another release. */
function mixedVersionFindings(context: RegistryHazardContext): Finding[] {
	const {decision, review} = context;
	if (decision.clusterCreate.length > 0 || decision.integrations.length === 0 || !review.charts.checked) {
		return [];
	}

	const moved = review.charts.changes.filter(change => change.change === 'upgraded' || change.change === 'downgraded');
	if (moved.length === 0) {
		return [];
	}

	const arches = [...new Set(decision.integrations.map(item => packageArch(item) ?? '?'))].join(', ');
	const version = packageVersion(decision.integrations[0]!);
	const others = review.clusterArches.arches.filter(arch => !arches.includes(arch));
	const lacking = review.tags.filter(tag => tag.lacking.length > 0);
	const examples = moved
		.slice(0, 2)
		.map(change => `${change.name} ${change.from} there, ${change.to} here`)
		.join('; ');
	const running = review.history.current ? ` (the wizard's history: ${review.history.current.versions.join(', ')})` : '';
	return [
		{
			code: 'versions-mixed-in-registry',
			severity: 'warning',
			message: `The chart repository holds ${plural(moved.length, 'chart')} of the ${version} ${arches} package at another version (${examples}): the cluster runs another release${others.length > 0 ? ` for ${others.join(', ')}` : ''}${lacking.length > 0 ? `, and ${plural(lacking.length, 'tag')} would hold ${arches} only` : ''}.`,
			hint: `Integrate the ${arches} package of the release the cluster runs${running}, or upgrade to ${version} first (choose its ${others.join(', ') || 'other'} package too).`,
		},
	];
}

/**
 * Tags whose image in an arch the plan replaces with another build (the <0.12.0 force-push over a
 * tag that holds a different image): the one there now is no longer tagged, and only its own
 * package brings it back. Tags that lose an arch are said by `lostArchFindings`.
 */
function replacedImageFindings(context: RegistryHazardContext): Finding[] {
	const replaced = context.review.tags.filter(tag => (tag.replaced?.length ?? 0) > 0 && tag.lostDuringPlan.length === 0);
	if (replaced.length === 0) {
		return [];
	}

	const arches = [...new Set(replaced.flatMap(tag => tag.replaced ?? []))].sort();
	const shown = replaced.slice(0, 2).map(tag => tag.key);
	const more = replaced.length > shown.length ? ` and ${replaced.length - shown.length} more` : '';
	return [
		{
			code: 'image-replaced',
			severity: 'warning',
			message: `${plural(replaced.length, 'tag')} in the registry hold another ${arches.join(', ')} image than this plan pushes, and the plan pushes over ${replaced.length === 1 ? 'it' : 'them'}: the image there now is no longer tagged (${shown.join(', ')}${more}).`,
			hint: 'Make sure this package is the build you mean to put there; the image it replaces comes back only by importing its own package again.',
			details: {tags: replaced.slice(0, 5).map(tag => tag.key), count: replaced.length},
		},
	];
}

/**
 * Every tag the plan pushes already holds the same image in the same arches, and every chart is
 * in the repository at its version: running the plan again moves nothing. Said, not blocked: a
 * re-import after a damaged registry is a reason to run it anyway. Agrees with `pendingChanges`:
 * an edit of clusterConfig.yaml or an unread chart repository is said, not called "nothing".
 */
function alreadyThereFindings(context: RegistryHazardContext): Finding[] {
	const {review} = context;
	if (review.tags.length === 0 || review.tags.some(tag => tag.change !== 'unchanged')) {
		return [];
	}

	const charts = review.charts.checked ? review.charts.changes.filter(change => change.change !== 'removed') : [];
	if (charts.some(change => change.change !== 'unchanged')) {
		return [];
	}

	const chartWords = review.charts.checked
		? ` and ${plural(charts.length, 'chart')} at ${charts.length === 1 ? 'its' : 'their'} version in the chart repository`
		: '';
	const outcome = !review.charts.checked
		? 'Running it changes nothing in the registry (the chart repository was not read).'
		: context.editsConfig
			? 'Running it changes nothing there; it would only edit clusterConfig.yaml.'
			: 'Running it changes nothing.';
	return [
		{
			code: 'already-in-registry',
			severity: 'info',
			message: `The registry already holds all of this plan: ${plural(review.tags.length, 'tag')} with the same image${chartWords}. ${outcome}`,
			hint: 'Nothing to do, unless you are re-importing on purpose (after a registry was restored, say): then run it as planned (--reimport without a terminal).',
		},
	];
}

/** The hazards the registry's tags show; replaces the findings `judgedByRegistry` marks, once the registry was read. */
export function registryHazards(context: RegistryHazardContext): Finding[] {
	return [
		...lostArchFindings(context),
		...replacedImageFindings(context),
		...lackingFindings(context),
		...mixedVersionFindings(context),
		...alreadyThereFindings(context),
	];
}

/** `--require-registry`: a plan that was not checked against the registry is blocked. */
export function unverifiedRegistryFinding(review: RegistryReview): Finding {
	const where = review.registry ? ` at ${review.registry.url}` : '';
	return {
		code: 'registry-unchecked',
		severity: 'error',
		message: `The registry${where} could not be read, so the plan is ${notCheckedLabel} (${review.problem?.message ?? 'no registry was found'}); --require-registry makes that block.`,
		hint: review.problem?.hint ?? 'Pass --registry URL, or leave --require-registry out to plan without the registry.',
	};
}
