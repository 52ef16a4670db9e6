// The chart side of a verification: the chart repository's index.yaml, read back after a step (or
// by `verify`), must list every chart version the packages hold. The installer's "Syncing" lines
// say what it meant to upload; only the repository says what arrived.
import {compareSemver, parseSemver} from '../shared/semver.js';
import type {ChartIndex} from './tag-state.js';
import type {ChartsCheck, VerifyResult} from './verify-step.js';

export type ChartRef = {name: string; version: string};

type Listed<T> = {count: number; first: T[]};

const shown = 5;

export const chartLabel = (chart: ChartRef) => `${chart.name}@${chart.version}`;

/** Each chart version once, in name order. */
export function distinctCharts(charts: readonly ChartRef[]): ChartRef[] {
	const seen = new Map(charts.map(chart => [chartLabel(chart), {name: chart.name, version: chart.version}]));
	return [...seen.values()].sort((a, b) => chartLabel(a).localeCompare(chartLabel(b)));
}

/** Whether the index lists this version, compared as semver (`v1.0.0` and `1.0.0` are one version). */
export function chartListed(index: ChartIndex, chart: ChartRef): boolean {
	const listed = index.get(chart.name) ?? [];
	if (listed.includes(chart.version)) {
		return true;
	}

	const wanted = parseSemver(chart.version);
	return (
		wanted !== undefined &&
		listed.some(version => {
			const parsed = parseSemver(version);
			return parsed !== undefined && compareSemver(parsed, wanted) === 0;
		})
	);
}

export function checkCharts(charts: readonly ChartRef[], repository: string, index: ChartIndex): ChartsCheck {
	const expected = distinctCharts(charts);
	const missing = expected.filter(chart => !chartListed(index, chart)).map(chart => chartLabel(chart));
	return {state: 'read', repository, expected: expected.length, missing: {count: missing.length, first: missing.slice(0, shown)}};
}

export function unreadableCharts(
	charts: readonly ChartRef[],
	repository: string | undefined,
	error: {kind: string; message: string; hint: string},
): ChartsCheck {
	return {
		state: 'unreadable',
		repository,
		expected: distinctCharts(charts).length,
		error: {kind: error.kind, message: error.message, hint: error.hint},
	};
}

const more = (list: Listed<string>) => (list.count > list.first.length ? `, and ${list.count - list.first.length} more` : '');

/** `2 of 5 charts are not in the chart repository http://…: a@1.0.0, b@2.0.0.` */
export function missingChartsSentence(check: Extract<ChartsCheck, {state: 'read'}>): string {
	return `${check.missing.count} of ${check.expected} charts are not in the chart repository ${check.repository} (${check.missing.first.join(', ')}${more(check.missing)}).`;
}

/** Something known wrong among the charts (not merely unread). */
export const chartsMissing = (check: ChartsCheck | undefined): number => (check?.state === 'read' ? check.missing.count : 0);

/** Could not be checked: the repository did not answer. */
export const chartsUnread = (check: ChartsCheck | undefined): boolean => check?.state === 'unreadable' && check.expected > 0;

/**
 * The image verdict with the charts' added: a missing chart fails it, an unread repository leaves it
 * not verified. What the images lack is said first; the charts follow in the same message.
 * `hints.missing` is the next step when charts are missing and the images were fine.
 */
export function withCharts(result: VerifyResult, check: ChartsCheck | undefined, hints: {missing: string}): VerifyResult {
	if (!check || check.expected === 0) {
		return check ? {...result, charts: check} : result;
	}

	const missing = chartsMissing(check);
	const unread = chartsUnread(check);
	if (missing === 0 && !unread) {
		const said = check.state === 'read' ? ` All ${check.expected} chart versions are in the chart repository ${check.repository}.` : '';
		return {...result, charts: check, message: `${result.message}${said}`};
	}

	const sentence =
		check.state === 'read'
			? missingChartsSentence(check)
			: `The chart repository${check.repository ? ` ${check.repository}` : ''} could not be read, so its ${check.expected} chart(s) are not known: ${check.error.message}`;
	const hint =
		check.state === 'read'
			? hints.missing
			: `${check.error.hint.replace(/[.!?]\s*$/, '')}; then run addon-wizard verify to check the charts.`;
	const nextSteps =
		missing > 0 && !result.nextSteps.some(step => step.kind === 'retry-step')
			? [{kind: 'retry-step' as const, reason: `${missing} chart(s) of the step are not in the chart repository`}, ...result.nextSteps]
			: result.nextSteps;
	return {
		...result,
		verified: false,
		charts: check,
		nextSteps,
		// Images fine and charts unread: both said, so "not verified" does not read as "nothing there".
		message: result.verified && check.state === 'read' ? sentence : `${result.message} ${sentence}`,
		hint: result.verified || !result.hint ? hint : result.hint,
	};
}
