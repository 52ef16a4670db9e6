// `addon-wizard plan`: everything the Review screen shows, without a terminal.
import type {Options} from '../cli/options.js';
import {createContext, type Environment} from '../cli/context.js';
import {isWizardError} from '../cli/options.js';
import {exitCodes, type PackageInspection, type Plan, type WizardError} from '../domain/model.js';
import {renderPlanText} from '../report/plan-text.js';
import type {Io} from './io.js';
import {writeError} from './io.js';
import {inspectionProgressPrinter} from '../report/inspection-progress.js';

export type PreparedPlan = {plan: Plan; context: Awaited<ReturnType<typeof createContext>>};

/** Inspects the --package files (progress on stderr unless quiet) and builds the plan. */
export async function preparePlan(options: Options, io: Io, environment: Environment): Promise<{plan: Plan; context: Exclude<Awaited<ReturnType<typeof createContext>>, WizardError>} | WizardError> {
	if (options.packages.length === 0) {
		return {kind: 'no-package', message: 'No package given.', hint: 'Pass --package PATH (repeat it for each architecture), or run without a command on a terminal to pick one.', exitCode: exitCodes.badInput};
	}

	const context = await createContext(options, environment);
	if (isWizardError(context)) {
		return context;
	}

	const inspections: PackageInspection[] = [];
	for (const packagePath of options.packages) {
		inspections.push(await context.ports.inspectPackage(packagePath, {onProgress: inspectionProgressPrinter(io, packagePath)}));
	}

	const plan = await context.ports.buildPlan(inspections, {onProgress: inspectionProgressPrinter(io, 'the package the cluster has now (to compare)')});
	return isWizardError(plan) ? plan : {plan, context};
}

export async function runPlanCommand(options: Options, io: Io, environment: Environment): Promise<number> {
	const prepared = await preparePlan(options, io, environment);
	if (isWizardError(prepared)) {
		return writeError(io, prepared, options.json);
	}

	const {plan} = prepared;
	io.stdout(options.json ? `${JSON.stringify(plan, null, 2)}\n` : renderPlanText(plan));
	return plan.blocked ? exitCodes.blocked : exitCodes.ok;
}
