// What changes in the registry and the chart repo: registry spaces that must exist before
// integration, charts added/removed/up-/downgraded, and tags that become multi-arch.
import type {ChartChange} from '../registry/chart-diff.js';
import type {PackageInspection} from '../packages/inspection.js';
import type {PlanDiffs} from './plan.js';
import {compareSemver, parseSemver} from '../shared/semver.js';
import {packageArch} from './decide-operation.js';

const spacesOf = (items: readonly PackageInspection[]) => new Set(items.flatMap(item => item.charts.flatMap(chart => chart.spaces)));

function compareVersions(a: string, b: string): number {
	const left = parseSemver(a);
	const right = parseSemver(b);
	return left && right ? compareSemver(left, right) : a.localeCompare(b);
}

/** Chart name → version → kinds that carry it, over a set of packages. */
function chartVersions(items: readonly PackageInspection[]): Map<string, Map<string, string[]>> {
	const charts = new Map<string, Map<string, string[]>>();
	for (const item of items) {
		for (const chart of item.charts) {
			const versions = charts.get(chart.name) ?? new Map<string, string[]>();
			const kinds = versions.get(chart.version) ?? [];
			versions.set(chart.version, kinds.includes(item.kind ?? '?') ? kinds : [...kinds, item.kind ?? '?']);
			charts.set(chart.name, versions);
		}
	}

	return charts;
}

const highest = (versions: Map<string, string[]> | undefined) => (versions ? [...versions.keys()].sort(compareVersions).at(-1) : undefined);

/**
 * `pushOnly`: the target is integrated, not imported with cluster-create. Integration only
 * pushes (charts-syncer skips versions already in the repo and deletes nothing), so a chart
 * the target lacks is left alone in the repo and is no change of this plan. Over a set, a chart
 * carried in several versions (kinds of one release may differ) is compared at its highest.
 */
export function diffChartSets(
	baseline: readonly PackageInspection[],
	target: readonly PackageInspection[],
	options: {pushOnly?: boolean} = {},
): ChartChange[] {
	const before = chartVersions(baseline);
	const after = chartVersions(target);
	const names = [...new Set([...before.keys(), ...after.keys()])].filter(name => !options.pushOnly || after.has(name)).sort();
	return names.map(name => {
		const from = highest(before.get(name));
		const to = highest(after.get(name));
		if (from === undefined) {
			return {name, to, change: 'added'};
		}

		if (to === undefined) {
			return {name, from, change: 'removed'};
		}

		const order = compareVersions(from, to);
		return {name, from, to, change: order < 0 ? 'upgraded' : order > 0 ? 'downgraded' : 'unchanged'};
	});
}

export function diffCharts(
	baseline: PackageInspection | undefined,
	target: PackageInspection | undefined,
	options: {pushOnly?: boolean} = {},
): ChartChange[] {
	return diffChartSets(baseline ? [baseline] : [], target ? [target] : [], options);
}

/** Charts the set carries in more than one version: the known skew between kinds of one release, both pushed. */
export function chartVersionSkew(items: readonly PackageInspection[]): NonNullable<PlanDiffs['chartVersionSkew']> {
	return [...chartVersions(items).entries()]
		.filter(([, versions]) => versions.size > 1)
		.map(([name, versions]) => ({
			name,
			versions: [...versions.entries()].sort(([a], [b]) => compareVersions(b, a)).map(([version, kinds]) => ({version, kinds})),
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

export function diffPackages(input: {
	baseline?: PackageInspection;
	/** Every entry of addonPackage.path that was read; `baseline` alone is the one-entry case. */
	baselines?: PackageInspection[];
	clusterCreate: PackageInspection[];
	integrations: PackageInspection[];
	knownSpaces: string[];
}): PlanDiffs {
	const baselines = input.baselines ?? (input.baseline ? [input.baseline] : []);
	const known = new Set([...spacesOf([...baselines, ...input.clusterCreate]), ...input.knownSpaces]);
	const incoming = spacesOf(input.integrations);
	const mustExist = [...incoming].filter(space => !known.has(space)).sort();
	const alreadyUsed = [...incoming].filter(space => known.has(space)).sort();
	const arches = new Map<string, Set<string>>();
	for (const item of [...baselines, ...input.clusterCreate, ...input.integrations]) {
		for (const image of item.images) {
			const arch = image.architecture ?? packageArch(item);
			if (arch) {
				arches.set(image.ref, (arches.get(image.ref) ?? new Set()).add(arch));
			}
		}
	}

	const multiArchImages = [...arches.entries()]
		.filter(([, set]) => set.size > 1)
		.map(([ref, set]) => ({ref, arches: [...set].sort()}))
		.sort((a, b) => a.ref.localeCompare(b.ref));
	const incomingSet = [...input.clusterCreate, ...input.integrations];
	const charts = diffChartSets(baselines, incomingSet, {pushOnly: input.clusterCreate.length === 0});
	return {registrySpaces: {mustExist, alreadyUsed}, charts, multiArchImages, chartVersionSkew: chartVersionSkew(incomingSet)};
}
