// `addon-wizard plan`: everything the Review screen shows, without a terminal.
import type {Options} from '../cli/options.js';
import {secretMasker} from '../domain/mask-secrets.js';
import {exitCodes, type PackageInspection, type Plan, type WizardError} from '../domain/model.js';
import {isWizardError} from '../domain/wizard-error.js';
import {inspectionProgressPrinter} from '../report/inspection-progress.js';
import {writeError} from '../report/io.js';
import {planForPrinting, renderPlanText} from '../report/plan-text.js';
import type {ClusterContext, Services} from './services.js';

export type PreparedPlan = {plan: Plan; context: ClusterContext};

/** Inspects the --package files (progress on stderr) and builds the plan. */
export async function preparePlan(options: Options, services: Services): Promise<PreparedPlan | WizardError> {
	if (options.packages.length === 0) {
		return {kind: 'no-package', message: 'No package given.', hint: 'Pass --package PATH (repeat it for each architecture), or run without a command on a terminal to pick one.', exitCode: exitCodes.badInput};
	}

	const context = await services.cluster();
	if (isWizardError(context)) {
		return context;
	}

	const inspections: PackageInspection[] = [];
	for (const packagePath of options.packages) {
		inspections.push(await context.ports.inspectPackage(packagePath, {onProgress: inspectionProgressPrinter(services.io, packagePath)}));
	}

	const plan = await context.ports.buildPlan(inspections, {onProgress: inspectionProgressPrinter(services.io, 'the package the cluster has now (to compare)')});
	return isWizardError(plan) ? plan : {plan, context};
}

export async function runPlanCommand(options: Options, services: Services): Promise<number> {
	const prepared = await preparePlan(options, services);
	if (isWizardError(prepared)) {
		return writeError(services.io, prepared, options.json);
	}

	const {plan, context} = prepared;
	// clusterConfig.yaml's passwords are the operator's: printed plans show them masked.
	const mask = secretMasker(context.cluster.secrets ?? []);
	services.io.stdout(options.json ? `${JSON.stringify(planForPrinting(plan, mask), null, 2)}\n` : renderPlanText(plan, mask));
	return plan.blocked ? exitCodes.blocked : exitCodes.ok;
}
