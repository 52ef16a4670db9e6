// Works out what the operator is doing from what they chose and what clusterConfig.yaml
// already names: import or upgrade, one architecture or several.
import type {Operation, PackageInspection} from './model.js';
import {parsePackageName, type ParsedPackageName} from './package-name.js';
import path from 'node:path';
import {compareSemver, parseSemver} from './semver.js';

export type Current = {version: string; arch: string; kind?: string; path: string};

export type Decision = {
	operation: Operation;
	reason: string;
	primaryArch: string;
	/** Packages set in addonPackage.path and imported with cluster-create (may be empty). */
	clusterCreate: PackageInspection[];
	/** One integration (`import -addon`) per package, in order. */
	integrations: PackageInspection[];
	current?: Current;
};

export function packageArch(inspection: PackageInspection): string | undefined {
	return inspection.arch.agreed ?? inspection.name?.arch ?? inspection.arch.fromImages[0];
}

export function packageVersion(inspection: PackageInspection): string {
	return inspection.name?.version ?? '(unknown version)';
}

/** What the cluster has now: the baseline's contents when read, else what the configured name says. */
export function currentFrom(paths: string[], baseline?: PackageInspection): Current | undefined {
	if (baseline) {
		const arch = packageArch(baseline);
		if (arch) {
			return {version: packageVersion(baseline), arch, kind: baseline.kind, path: baseline.path};
		}
	}

	const named = paths.map(item => parsePackageName(path.basename(item))).find((name): name is ParsedPackageName => name !== undefined);
	return named ? {version: named.version, arch: named.arch, kind: named.kind, path: paths[0]!} : undefined;
}

const describe = (items: PackageInspection[]) => items.map(item => `${packageVersion(item)} (${packageArch(item) ?? '?'})`).join(' + ');

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
	const arches = [...new Set(chosen.map(item => packageArch(item) ?? 'unknown'))];
	const primaryArch = current?.arch ?? (arches.includes('amd64') ? 'amd64' : arches[0]!);
	const primary = chosen.filter(item => (packageArch(item) ?? 'unknown') === primaryArch);
	const others = chosen.filter(item => !primary.includes(item));
	const base = {primaryArch, current, clusterCreate: primary, integrations: others};
	if (!current) {
		return others.length === 0
			? {...base, operation: 'single-arch-import', reason: `Import: clusterConfig.yaml names no addon package yet, and you chose ${describe(primary)}.`}
			: {...base, operation: 'multi-arch-integration', reason: `Multi-arch import: nothing is imported yet, so ${describe(primary)} goes in with cluster-create, then ${describe(others)} is integrated.`};
	}

	const had = `${current.version} (${current.arch})`;
	if (primary.length === 0) {
		return {...base, operation: 'multi-arch-integration', reason: `Multi-arch integration: the cluster has ${had} and you chose ${describe(others)}, which is added with import -addon.`};
	}

	return others.length === 0
		? {...base, operation: 'single-arch-upgrade', reason: `${upgradeWord(current.version, primary)}: clusterConfig.yaml points at ${had} and you chose ${describe(primary)}.`}
		: {...base, operation: 'multi-arch-upgrade', reason: `Multi-arch upgrade: the cluster has ${had}; ${describe(primary)} is upgraded with cluster-create, then ${describe(others)} is integrated.`};
}
