// Works out what the operator is doing from what they chose and what clusterConfig.yaml
// already names: import or upgrade, one architecture or several. A release is a set of files:
// every chosen file of the primary arch goes into one cluster-create, each file of another
// arch is integrated on its own.
import type {Operation} from './plan.js';
import type {PackageInspection} from '../packages/inspection.js';
import {compareKinds} from '../packages/package-kinds.js';
import {parsePackageName} from '../packages/package-name.js';
import path from 'node:path';
import {compareSemver, parseSemver} from '../shared/semver.js';

/** One entry of `spec.addonPackage.path`, with what its contents (or else its name) say it is. */
export type CurrentEntry = {path: string; version?: string; kind?: string; arch?: string};

/**
 * What the cluster has now. The first fields are the primary entry (the baseline read, else the
 * first entry whose name parses); `others` holds the rest of a list, so the whole is the union.
 */
export type Current = {
	version: string;
	arch: string;
	kind?: string;
	path: string;
	/** The other entries of a list, when there are any. */
	others?: CurrentEntry[];
};

export type Decision = {
	operation: Operation;
	reason: string;
	primaryArch: string;
	/** Packages set in addonPackage.path and imported with one cluster-create (may be empty), in kind order. */
	clusterCreate: PackageInspection[];
	/** One integration (`import -addon`) per package, by arch then kind. */
	integrations: PackageInspection[];
	current?: Current;
};

export function packageArch(inspection: PackageInspection): string | undefined {
	return inspection.arch.agreed ?? inspection.name?.arch ?? inspection.arch.fromImages[0];
}

export function packageVersion(inspection: PackageInspection): string {
	return inspection.name?.version ?? '(unknown version)';
}

export function currentEntries(current: Current | undefined): CurrentEntry[] {
	return current ? [{path: current.path, version: current.version, kind: current.kind, arch: current.arch}, ...(current.others ?? [])] : [];
}

/** Every arch the configured entries name: two means the cluster is multi-arch. */
export function currentArches(current: Current | undefined): string[] {
	return [
		...new Set(
			currentEntries(current)
				.map(entry => entry.arch)
				.filter((arch): arch is string => Boolean(arch)),
		),
	];
}

function entryOf(file: string, baseline: PackageInspection | undefined): CurrentEntry {
	if (baseline) {
		return {path: file, version: packageVersion(baseline), kind: baseline.kind, arch: packageArch(baseline)};
	}

	const name = parsePackageName(path.basename(file));
	return name ? {path: file, version: name.version, kind: name.kind, arch: name.arch} : {path: file};
}

/**
 * What the cluster has now: every configured entry, the baselines' contents trusted over their
 * names. A baseline not in the list (`--baseline FILE`) is what the operator says the cluster has.
 */
export function currentFrom(paths: string[], baseline?: PackageInspection | PackageInspection[]): Current | undefined {
	const baselines = (Array.isArray(baseline) ? baseline : baseline ? [baseline] : []).filter(item => packageArch(item));
	const extra = baselines.filter(item => !paths.includes(item.path)).map(item => entryOf(item.path, item));
	const entries = [
		...extra,
		...paths.map(file =>
			entryOf(
				file,
				baselines.find(item => item.path === file),
			),
		),
	];
	const read = entries.find(entry => baselines.some(item => item.path === entry.path));
	const primary = read ?? entries.find(entry => entry.version && entry.arch);
	if (!primary?.version || !primary.arch) {
		return undefined;
	}

	const others = entries.filter(entry => entry !== primary);
	const current: Current = {version: primary.version, arch: primary.arch, kind: primary.kind, path: primary.path};
	return others.length > 0 ? {...current, others} : current;
}

type Described = {version?: string; arch?: string; kind?: string};

/** `v0.11.0 (amd64)` for a pre-split full package; `v0.44.0 (amd64: standard, gpu)` for a set. */
function describe(items: Described[]): string {
	const groups = new Map<string, Described[]>();
	for (const item of items.filter(entry => entry.version)) {
		const key = `${item.version}|${item.arch ?? '?'}`;
		groups.set(key, [...(groups.get(key) ?? []), item]);
	}

	return [...groups.values()]
		.map(members => {
			const {version, arch = '?'} = members[0]!;
			const fullOnly = members.every(item => !item.kind || item.kind === 'full');
			// Full packages have no kind to name; two of them (a duplicate the hazards block) stay two.
			return fullOnly
				? members.map(() => `${version} (${arch})`).join(' + ')
				: `${version} (${arch}: ${members.map(item => item.kind ?? '?').join(', ')})`;
		})
		.join(' + ');
}

const described = (items: PackageInspection[]) =>
	describe(items.map(item => ({version: packageVersion(item), arch: packageArch(item), kind: item.kind})));

/** Still the cluster-create "upgrade" procedure; the sentence says which way the version moves. */
function upgradeWord(currentVersion: string, primary: PackageInspection[]): string {
	const from = parseSemver(currentVersion);
	const to = parseSemver(packageVersion(primary[0]!));
	if (!from || !to) {
		return 'Upgrade';
	}

	const order = compareSemver(to, from);
	return order > 0 ? 'Upgrade' : order < 0 ? 'Downgrade' : 'Re-import';
}

export function decideOperation(chosen: PackageInspection[], current: Current | undefined): Decision {
	const archOf = (item: PackageInspection) => packageArch(item) ?? 'unknown';
	const arches = [...new Set(chosen.map(item => archOf(item)))];
	const primaryArch = current?.arch ?? (arches.includes('amd64') ? 'amd64' : arches[0]!);
	const primary = chosen.filter(item => archOf(item) === primaryArch).sort((a, b) => compareKinds(a.kind, b.kind));
	const others = chosen
		.filter(item => !primary.includes(item))
		.sort((a, b) => archOf(a).localeCompare(archOf(b)) || compareKinds(a.kind, b.kind));
	const base = {primaryArch, current, clusterCreate: primary, integrations: others};
	if (!current) {
		return others.length === 0
			? {
					...base,
					operation: 'single-arch-import',
					reason: `Import: clusterConfig.yaml names no addon package yet, and you chose ${described(primary)}.`,
				}
			: {
					...base,
					operation: 'multi-arch-integration',
					reason: `Multi-arch import: nothing is imported yet, so ${described(primary)} goes in with cluster-create, then ${described(others)} is integrated.`,
				};
	}

	const had = describe(currentEntries(current));
	if (primary.length === 0) {
		return {
			...base,
			operation: 'multi-arch-integration',
			reason: `Multi-arch integration: the cluster has ${had} and you chose ${described(others)}, which is added with import -addon.`,
		};
	}

	return others.length === 0
		? {
				...base,
				operation: 'single-arch-upgrade',
				reason: `${upgradeWord(current.version, primary)}: clusterConfig.yaml points at ${had} and you chose ${described(primary)}.`,
			}
		: {
				...base,
				operation: 'multi-arch-upgrade',
				reason: `Multi-arch upgrade: the cluster has ${had}; ${described(primary)} is upgraded with cluster-create, then ${described(others)} is integrated.`,
			};
}
