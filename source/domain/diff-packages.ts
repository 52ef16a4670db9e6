// What changes in the registry and the chart repo: registry spaces that must exist before
// integration, charts added/removed/up-/downgraded, and tags that become multi-arch.
import type {ChartChange, PackageInspection, PlanDiffs} from './model.js';
import {compareSemver, parseSemver} from './semver.js';
import {packageArch} from './decide-operation.js';

const spacesOf = (items: Array<PackageInspection | undefined>) => new Set(items.flatMap(item => item?.charts.flatMap(chart => chart.spaces) ?? []));

function compareVersions(a: string, b: string): number {
	const left = parseSemver(a);
	const right = parseSemver(b);
	return left && right ? compareSemver(left, right) : a.localeCompare(b);
}

/**
 * `pushOnly`: the target is integrated, not imported with cluster-create. Integration only
 * pushes (charts-syncer skips versions already in the repo and deletes nothing), so a chart
 * the target lacks is left alone in the repo and is no change of this plan.
 */
export function diffCharts(baseline: PackageInspection | undefined, target: PackageInspection | undefined, options: {pushOnly?: boolean} = {}): ChartChange[] {
	const before = new Map((baseline?.charts ?? []).map(chart => [chart.name, chart.version]));
	const after = new Map((target?.charts ?? []).map(chart => [chart.name, chart.version]));
	const names = [...new Set([...before.keys(), ...after.keys()])]
		.filter(name => !options.pushOnly || after.has(name))
		.sort();
	return names.map(name => {
		const from = before.get(name);
		const to = after.get(name);
		if (from === undefined) {
			return {name, to, change: 'added'};
		}

		if (to === undefined) {
			return {name, from, change: 'removed'};
		}

		const order = compareVersions(from, to);
		return {name, from, to, change: order < 0 ? 'upgraded' : (order > 0 ? 'downgraded' : 'unchanged')};
	});
}

export function diffPackages(input: {
	baseline?: PackageInspection;
	clusterCreate: PackageInspection[];
	integrations: PackageInspection[];
	knownSpaces: string[];
}): PlanDiffs {
	const known = new Set([...spacesOf([input.baseline, ...input.clusterCreate]), ...input.knownSpaces]);
	const incoming = spacesOf(input.integrations);
	const mustExist = [...incoming].filter(space => !known.has(space)).sort();
	const alreadyUsed = [...incoming].filter(space => known.has(space)).sort();
	const arches = new Map<string, Set<string>>();
	for (const item of [input.baseline, ...input.clusterCreate, ...input.integrations]) {
		for (const image of item?.images ?? []) {
			const arch = image.architecture ?? (item ? packageArch(item) : undefined);
			if (arch) {
				arches.set(image.ref, (arches.get(image.ref) ?? new Set()).add(arch));
			}
		}
	}

	const multiArchImages = [...arches.entries()]
		.filter(([, set]) => set.size > 1)
		.map(([ref, set]) => ({ref, arches: [...set].sort()}))
		.sort((a, b) => a.ref.localeCompare(b.ref));
	const [created] = input.clusterCreate;
	const charts = created
		? diffCharts(input.baseline, created)
		: diffCharts(input.baseline, input.integrations[0], {pushOnly: true});
	return {registrySpaces: {mustExist, alreadyUsed}, charts, multiArchImages};
}
