// `addon-wizard verify`: the same reads as after a step, for these packages as the registry and the
// chart repository hold them now. No read before, so nothing is counted as pushed: only what is there.
import {chainSuggestions} from '../../domain/run/chain-step.js';
import type {ChainSuggestion} from '../../domain/run/run-events.js';
import type {PackageInspection} from '../../domain/packages/inspection.js';
import type {WizardError} from '../../domain/shared/wizard-error.js';
import {packageArch, packageVersion} from '../../domain/plan/decide-operation.js';
import {plannedPushes, readTargetsOf} from '../../domain/registry/push-diff.js';
import {verifyPresence} from '../../domain/registry/verify-now.js';
import {checkCharts, unreadableCharts, withCharts} from '../../domain/registry/verify-charts.js';
import type {VerifyResult} from '../../domain/registry/verify-step.js';
import {isWizardError} from '../../domain/shared/wizard-error.js';
import type {RegistryPort, RegistryReadProgress} from '../ports/registry-port.js';

export type VerifyNowReport = {
	registry: string;
	/** How certificates were checked, in words. */
	tls: string;
	packages: string[];
	clusterArches: string[];
	elapsedMs: number;
	result: VerifyResult;
	chain: ChainSuggestion[];
};

/** The chart versions of the packages against the repository's index, or why it could not be read. */
async function checkPackageCharts(inspections: PackageInspection[], registry: RegistryPort, signal: AbortSignal | undefined) {
	const charts = inspections.flatMap(item => item.charts.map(chart => ({name: chart.name, version: chart.version})));
	if (charts.length === 0) {
		return undefined;
	}

	const endpoint = registry.location.chartRepo;
	const repository = isWizardError(endpoint) ? undefined : endpoint.url;
	const index = await registry.readChartIndex({signal});
	return isWizardError(index)
		? unreadableCharts(charts, repository, index)
		: checkCharts(charts, repository ?? index.url.replace(/\/index\.yaml$/, ''), index.charts);
}

/**
 * `clusterArches`: arches every existing tag must carry (the flag's, the history's). Returns an
 * error only when the registry itself cannot be read; an unreadable chart repository is a result
 * that is not verified, with its cause.
 */
export async function verifyNow(
	inspections: PackageInspection[],
	registry: RegistryPort,
	options: {clusterArches: string[]; signal?: AbortSignal; onProgress?: (progress: RegistryReadProgress) => void},
): Promise<VerifyNowReport | WizardError> {
	const {pathPrefix} = registry.location.registry;
	const packages = inspections.map(item => {
		const arch = packageArch(item) ?? 'unknown';
		return {
			kind: item.kind ?? item.name?.kind,
			arch,
			version: packageVersion(item),
			pushes: plannedPushes(item.images, {pathPrefix}, arch),
		};
	});
	const [read, charts] = await Promise.all([
		registry.readRegistryState(readTargetsOf(packages.flatMap(item => item.pushes)), {
			signal: options.signal,
			onProgress: options.onProgress,
		}),
		checkPackageCharts(inspections, registry, options.signal),
	]);
	if (isWizardError(read)) {
		return read;
	}

	const result = withCharts(verifyPresence({packages, clusterArches: options.clusterArches}, read.tags), charts, {
		missing:
			'Import the package again (addon-wizard run --yes -p …); if it fails the same way, look in the installer log for the chart upload errors.',
	});
	const kinds = [...new Set(packages.map(item => item.kind).filter((kind): kind is string => kind !== undefined))];
	const given = new Set(packages.map(item => `${item.version} ${item.arch}`));
	return {
		registry: registry.location.registry.url,
		tls: read.tls,
		packages: inspections.map(item => item.path),
		clusterArches: options.clusterArches,
		elapsedMs: read.elapsedMs,
		result,
		chain: chainSuggestions(result, kinds).filter(item => !given.has(`${item.version} ${item.arch}`)),
	};
}
