// `addon-wizard verify`: the registry read back at any time, for the -p packages or for what the
// cluster has now (the run history's last import and its integrations, else clusterConfig.yaml's
// addonPackage.path), with the same words as after a step. Exit 0 only when every image is at its
// tag in every expected arch and every chart version is in the chart repository; 6 when the
// registry or the repository says otherwise; 7 when either cannot be read.
import type {Options} from '../options.js';
import {exitCodes, type WizardError} from '../../domain/shared/wizard-error.js';
import type {PackageInspection} from '../../domain/packages/inspection.js';
import type {VerifyResult} from '../../domain/registry/verify-step.js';
import {isWizardError} from '../../domain/shared/wizard-error.js';
import {inspectionProgressPrinter} from '../../report/packages/inspection-progress.js';
import {registryProgressPrinter} from '../../report/registry/registry-progress.js';
import {writeError} from '../../report/io.js';
import {resultDetails} from '../../report/registry/verification-text.js';
import {historyArches, whatTheClusterHas} from '../../workflow/run/step-history.js';
import {verifyNow, type VerifyNowReport} from '../../workflow/run/verify-run.js';
import {chainCommand} from './chain-command.js';
import type {ClusterContext, Services} from './services.js';

/** `given`: the operator named them (-p): one that cannot be read is an error, not a note. */
type Chosen = {paths: string[]; source: string; given: boolean; gone: string[]};

const date = (at: number) =>
	new Date(at)
		.toISOString()
		.replace('T', ' ')
		.replace(/\.\d+Z$/, ' UTC');

/** Which packages to check, and where that choice came from, in words. */
async function packagesToVerify(options: Options, context: ClusterContext): Promise<Chosen> {
	if (options.packages.length > 0) {
		return {paths: options.packages, source: 'the packages given with -p', given: true, gone: []};
	}

	const entries = await context.history.read({configPath: context.configPath, clusterName: context.cluster.clusterName});
	const has = whatTheClusterHas(entries);
	const recorded = has?.packages.map(item => item.path).filter((file): file is string => file !== undefined) ?? [];
	if (has && recorded.length > 0) {
		return {
			paths: recorded,
			source: `the run history: ${has.entries.map(entry => `${entry.stepKind} of ${entry.packages.map(item => item.fileName).join(', ')} on ${date(entry.at)}`).join('; ')}`,
			given: false,
			gone: [],
		};
	}

	return {
		paths: context.cluster.addonPackagePaths,
		source: 'spec.addonPackage.path of clusterConfig.yaml (the wizard has not run against this cluster)',
		given: false,
		gone: [],
	};
}

function nothingToVerify(chosen: Chosen): WizardError {
	const gone = chosen.gone.length > 0 ? ` ${chosen.source} names ${chosen.gone.join(', ')}, which cannot be read.` : '';
	return {
		kind: 'nothing-to-verify',
		message: `Nothing to verify: no package given, and none found from the history or clusterConfig.yaml.${gone}`,
		hint: 'Pass the packages the cluster should have with -p PATH (repeat it for each architecture).',
		exitCode: exitCodes.badInput,
	};
}

/** A registry that cannot be located or read is "not verified", whatever the client called it. */
const unreadable = (error: WizardError): WizardError => ({
	...error,
	exitCode: /^registry-|^chart-repo-/.test(error.kind) ? exitCodes.notVerified : error.exitCode,
});

/** Known wrong is 6; only the chart repository unread (nothing known wrong) is 7, as an unread registry is. */
function exitCodeOf(result: VerifyResult): number {
	if (result.verified) {
		return exitCodes.ok;
	}

	const known = result.missing.count + result.different.count + result.lackingClusterArch.count + result.unreadable.count;
	return known === 0 && result.charts?.state === 'unreadable' ? exitCodes.notVerified : exitCodes.verificationFailed;
}

function chartsLine(result: VerifyResult): string[] {
	const {charts} = result;
	if (!charts) {
		return [];
	}

	return charts.state === 'read'
		? [
				`  charts: ${charts.repository}; ${charts.expected - charts.missing.count} of ${charts.expected} chart versions listed in its index.yaml`,
			]
		: [`  charts: ${charts.repository ?? 'the chart repository'} could not be read (${charts.error.message.replace(/\.$/, '')})`];
}

function printReport(report: VerifyNowReport, chosen: Chosen, options: Options, context: ClusterContext, services: Services): void {
	const {io} = services;
	const {result} = report;
	const line = (text: string) => io.stdout(`${text}\n`);
	line(`addon-wizard: ${result.verified ? 'verified' : 'NOT verified'}: ${result.message}`);
	line(
		`  registry: ${report.registry} (${report.tls}); ${result.checkedImages} images at ${result.checkedTags} tags, read in ${(report.elapsedMs / 1000).toFixed(1)} s`,
	);
	chartsLine(result).forEach(text => line(text));
	line(`  packages: ${chosen.source}${report.clusterArches.length > 0 ? `; the cluster runs ${report.clusterArches.join(', ')}` : ''}`);
	for (const file of chosen.gone) {
		line(`  not checked: ${file}`);
	}

	for (const detail of result.verified ? [] : resultDetails(result)) {
		line(`  ${detail}`);
	}

	if (result.cause) {
		line(`  cause: ${result.cause.message}`);
	}

	if (result.hint) {
		line(`  next: ${result.hint}`);
	}

	for (const suggestion of report.chain) {
		line(
			`  then: ${chainCommand(
				options,
				context.configPath,
				suggestion.fileNames.map(name => `<folder>/${name}`),
			)}`,
		);
	}
}

export async function runVerifyCommand(options: Options, services: Services): Promise<number> {
	const {io} = services;
	const context = await services.cluster();
	if (isWizardError(context)) {
		return writeError(io, context, options.json);
	}

	const chosen = await packagesToVerify(options, context);
	if (chosen.paths.length === 0) {
		return writeError(io, nothingToVerify(chosen), options.json);
	}

	const inspections: PackageInspection[] = [];
	for (const file of chosen.paths) {
		const inspection = await context.ports.inspectPackage(file, {onProgress: inspectionProgressPrinter(io, file)});
		if (inspection.complete) {
			inspections.push(inspection);
			continue;
		}

		const why =
			inspection.findings.find(finding => finding.severity === 'error')?.message ?? 'it could not be read whole (truncated or damaged)';
		if (chosen.given) {
			return writeError(
				io,
				{
					kind: 'package-unreadable',
					message: `${inspection.fileName}: ${why} Its images are not known.`,
					hint: 'Download it again, or pass another copy with -p.',
					exitCode: exitCodes.badInput,
				},
				options.json,
			);
		}

		chosen.gone.push(`${file} (${why.replace(/\.$/, '')})`);
	}

	if (inspections.length === 0) {
		return writeError(io, nothingToVerify(chosen), options.json);
	}

	const registry = await context.registry();
	if (isWizardError(registry)) {
		return writeError(io, unreadable(registry), options.json);
	}

	try {
		const history = await context.history.read({configPath: context.configPath, clusterName: context.cluster.clusterName});
		const clusterArches = [...new Set([...options.clusterArches, ...historyArches(history)])].sort();
		const progress = options.json ? undefined : registryProgressPrinter(io, (done, total) => `verifying ${done} of ${total} tags`);
		const report = await verifyNow(inspections, registry, {clusterArches, onProgress: progress?.onProgress}).finally(() =>
			progress?.done(),
		);
		if (isWizardError(report)) {
			return writeError(io, unreadable(report), options.json);
		}

		if (options.json) {
			io.stdout(
				`${JSON.stringify((await import('../../report/contract/verification.js')).toPublicVerification(report, {source: chosen.source, notChecked: chosen.gone}), null, 2)}\n`,
			);
		} else {
			printReport(report, chosen, options, context, services);
		}

		return exitCodeOf(report.result);
	} finally {
		await registry.close();
	}
}
