// The chosen packages' charts against what the live repository's index.yaml lists, so the diff
// holds also when the package the cluster was built from has been deleted.
import type {ChartIndex} from './tag-state.js';
import {compareSemver, parseSemver, type Semver} from '../shared/semver.js';

function newest(versions: string[]): {text: string; semver: Semver} | undefined {
	let best: {text: string; semver: Semver} | undefined;
	for (const text of versions) {
		const semver = parseSemver(text);
		if (semver && (!best || compareSemver(semver, best.semver) > 0)) {
			best = {text, semver};
		}
	}

	return best;
}

/**
 * `unchanged`: the repository has this version already (charts-syncer skips it); `upgraded` /
 * `downgraded`: against the newest version the repository lists, which stays there either way.
 */
export type ChartChange = {
	name: string;
	from?: string;
	to?: string;
	change: 'added' | 'removed' | 'upgraded' | 'downgraded' | 'unchanged';
};

export function diffCharts(charts: Array<{name: string; version: string}>, index: ChartIndex): ChartChange[] {
	const changes = new Map<string, ChartChange>();
	for (const chart of charts) {
		const listed = index.get(chart.name);
		const key = `${chart.name}@${chart.version}`;
		if (!listed || listed.length === 0) {
			changes.set(key, {name: chart.name, to: chart.version, change: 'added'});
			continue;
		}

		const target = parseSemver(chart.version);
		const top = newest(listed);
		if (
			listed.includes(chart.version) ||
			(target &&
				listed.some(version => {
					const parsed = parseSemver(version);
					return parsed !== undefined && compareSemver(parsed, target) === 0;
				}))
		) {
			changes.set(key, {name: chart.name, from: chart.version, to: chart.version, change: 'unchanged'});
		} else if (!target || !top) {
			// Not comparable as versions: it is new to the repository, whatever its order.
			changes.set(key, {name: chart.name, from: listed.at(-1), to: chart.version, change: 'upgraded'});
		} else {
			changes.set(key, {
				name: chart.name,
				from: top.text,
				to: chart.version,
				change: compareSemver(target, top.semver) > 0 ? 'upgraded' : 'downgraded',
			});
		}
	}

	return [...changes.values()].sort((a, b) => a.name.localeCompare(b.name) || (a.to ?? '').localeCompare(b.to ?? ''));
}
