// Version hazards an experienced operator would check before pressing enter.
import type {Decision} from './decide-operation.js';
import {currentArches, currentEntries, packageArch, packageVersion} from './decide-operation.js';
import type {Finding, PackageInspection} from './model.js';
import {compareSemver, parseSemver} from './semver.js';
import {normalizeArch} from './package-name.js';
import {mixedReleaseFindings, type ChosenFile} from './release-sets.js';

/** From 0.12.0 the package's charts-syncer skips tags that already exist (charts-syncer v0.0.17). */
const keepsMultiArchFrom = parseSemver('0.12.0')!;

function versionOf(inspection: PackageInspection) {
	return inspection.name?.semver;
}

function archConflict(decision: Decision, clusterArches: string[]): Finding[] {
	const upgrading = decision.operation === 'single-arch-upgrade' || decision.operation === 'multi-arch-upgrade';
	const target = decision.clusterCreate.map(item => versionOf(item)).find(Boolean);
	// --cluster-arches may come from `uname -m` (x86_64, aarch64); compare and print Go arch names.
	// A list in addonPackage.path that names two arches says the cluster is multi-arch too.
	const otherArches = [...new Set([...clusterArches.map(arch => normalizeArch(arch)), ...currentArches(decision.current), ...decision.integrations.map(item => packageArch(item) ?? '')])]
		.filter(arch => arch && arch !== decision.primaryArch);
	if (!upgrading || !target || compareSemver(target, keepsMultiArchFrom) >= 0 || otherArches.length === 0) {
		return [];
	}

	const integrated = decision.integrations.map(item => packageArch(item));
	const missing = otherArches.filter(arch => !integrated.includes(arch));
	const version = packageVersion(decision.clusterCreate[0]!);
	return [{
		code: 'arch-conflict-below-0.12',
		severity: 'warning',
		message: `Upgrading to ${version} (below 0.12.0) rewrites the multi-arch images as ${decision.primaryArch}-only; ${otherArches.join(', ')} nodes lose their images until the next integration.`,
		hint: missing.length === 0
			? `The plan integrates ${otherArches.join(', ')} right after the upgrade to restore them.`
			: `Choose the ${version} ${missing.join(', ')} package too, so the plan integrates it right after the upgrade.`,
	}];
}

/** The configured version of the same kind when the cluster names it, else the primary entry's. */
function currentVersionFor(decision: Decision, item: PackageInspection): string | undefined {
	const entries = currentEntries(decision.current);
	return entries.find(entry => entry.arch === decision.primaryArch && entry.kind === item.kind && entry.version)?.version ?? decision.current?.version;
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
			return [{code: 'downgrade', severity: 'warning', message: `Downgrade: ${files.join(', ')} ${files.length > 1 ? 'are' : 'is'} older than ${had}, which the cluster has.`, hint: 'Charts already at a newer version are kept; make sure a downgrade is what you want.'}];
		}

		return order === 0
			? [{code: 'same-version', severity: 'warning', message: `Re-import: the cluster already has ${had} (${decision.primaryArch}).`, hint: 'Nothing new will be imported unless images are missing from the registry.'}]
			: [];
	});
}

const chosenFile = (item: PackageInspection): ChosenFile => ({fileName: item.fileName, version: item.name?.version, semver: item.name?.semver, kind: item.kind, arch: packageArch(item)});

function mixing(chosen: PackageInspection[], decision: Decision): Finding[] {
	const sameArch = mixedReleaseFindings(chosen.map(item => chosenFile(item)));
	const findings: Finding[] = [...sameArch];
	const versions = new Set(chosen.map(item => item.name?.version).filter(Boolean));
	if (decision.current && decision.clusterCreate.length === 0) {
		versions.add(decision.current.version);
	}

	// Versions that differ between arches (not inside one, which blocks above) end up side by side.
	if (versions.size > 1 && sameArch.length === 0) {
		findings.push({code: 'mixed-kinds', severity: 'warning', message: `Packages of different versions would end up side by side: ${[...versions].join(', ')}.`, hint: 'Integrate the same version for every architecture.'});
	}

	const kinds = new Set(chosen.map(item => item.kind).filter(Boolean));
	if (kinds.has('full') && kinds.size > 1) {
		findings.push({code: 'mixed-kinds', severity: 'warning', message: 'A pre-v0.18 full package is mixed with v0.18+ standard/gpu packages.', hint: 'Use packages of one release line.'});
	}

	const seen = new Map<string, PackageInspection>();
	for (const item of chosen) {
		const key = `${packageArch(item)}/${item.kind}`;
		const other = seen.get(key);
		if (other) {
			findings.push({code: 'duplicate-arch', severity: 'error', message: `${other.fileName} and ${item.fileName} are both ${key} packages.`, hint: 'Choose one package per architecture (and kind).'});
		}

		seen.set(key, item);
	}

	return findings;
}

/** Every error a chosen package carries blocks the plan, named with the file. */
function packageProblems(chosen: PackageInspection[]): Finding[] {
	return chosen.flatMap(item => item.findings
		.filter(finding => finding.severity === 'error')
		.map(finding => ({...finding, message: `${item.fileName}: ${finding.message}`})));
}

export function findHazards(chosen: PackageInspection[], decision: Decision, clusterArches: string[]): Finding[] {
	return [...packageProblems(chosen), ...mixing(chosen, decision), ...versionChanges(decision), ...archConflict(decision, clusterArches)];
}
