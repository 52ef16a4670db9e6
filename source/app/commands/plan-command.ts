// `addon-wizard plan`: everything the Review screen shows, without a terminal.
import type {Options} from '../options.js';
import {secretMasker} from '../../domain/shared/mask-secrets.js';
import {exitCodes, type WizardError} from '../../domain/shared/wizard-error.js';
import type {PackageInspection} from '../../domain/packages/inspection.js';
import type {Plan} from '../../domain/plan/plan.js';
import {pendingChanges} from '../../domain/plan/pending-changes.js';
import {isWizardError} from '../../domain/shared/wizard-error.js';
import {inspectionProgressPrinter} from '../../report/packages/inspection-progress.js';
import {writeError, type Io} from '../../report/io.js';
import {renderPlanText} from '../../report/plan/plan-text.js';
import {registryProgressPrinter} from '../../report/registry/registry-progress.js';
import type {ClusterContext, Services} from './services.js';

export type PreparedPlan = {plan: Plan; context: ClusterContext};

/** Inspects the --package files (progress on stderr) and builds the plan. */
export async function preparePlan(options: Options, services: Services): Promise<PreparedPlan | WizardError> {
	if (options.packages.length === 0) {
		return {
			kind: 'no-package',
			message: 'No package given.',
			hint: 'Pass --package PATH (repeat it for each architecture), or run without a command on a terminal to pick one.',
			exitCode: exitCodes.badInput,
		};
	}

	const context = await services.cluster();
	if (isWizardError(context)) {
		return context;
	}

	const inspections: PackageInspection[] = [];
	for (const packagePath of options.packages) {
		inspections.push(await context.ports.inspectPackage(packagePath, {onProgress: inspectionProgressPrinter(services.io, packagePath)}));
	}

	const build = async () => {
		const registryProgress = registryProgressPrinter(services.io, (done, total) => `reading the registry: ${done} of ${total} tags`, {
			everyMs: 2000,
		});
		try {
			return await context.ports.buildPlan(inspections, {
				onProgress: inspectionProgressPrinter(services.io, 'the package the cluster has now (to compare)'),
				onRegistryProgress: registryProgress.onProgress,
			});
		} finally {
			registryProgress.done();
		}
	};
	const plan = await build();
	if (isWizardError(plan) || !options.createSpaces) {
		return isWizardError(plan) ? plan : {plan, context};
	}

	// The registry's facts are read again once the projects exist, so the spaces row says so.
	return (await createSpaces(plan, context, services.io)) ? wrap(await build(), context) : {plan, context};
}

const wrap = (plan: Plan | WizardError, context: ClusterContext): PreparedPlan | WizardError =>
	isWizardError(plan) ? plan : {plan, context};

/**
 * `--create-spaces`: names exactly what it will create, where and as whom, then creates it;
 * true when anything was created or found there (so the plan is read again).
 */
async function createSpaces(plan: Plan, context: ClusterContext, io: Io): Promise<boolean> {
	const review = plan.registry;
	const say = (text: string) => io.stderr(`addon-wizard: --create-spaces: ${text}\n`);
	if (!review?.checked || !review.registry) {
		say(`nothing created: the registry could not be read${review?.problem ? ` (${review.problem.message})` : ''}.`);
		return false;
	}

	if (review.spaces.kind !== 'harbor') {
		say(`nothing to create: ${review.spaces.reason}`);
		return false;
	}

	const {missing} = review.spaces;
	if (missing.length === 0) {
		say(`nothing to create: the ${review.spaces.required.length} Harbor project(s) the plan needs exist in ${review.registry.url}.`);
		return false;
	}

	say(`creating ${missing.length} public Harbor project(s) in ${review.registry.url} (${review.registry.login}): ${missing.join(', ')}`);
	const result = await context.ports.createSpaces(missing);
	for (const item of result.created) {
		say(`${item.name}: ${item.outcome === 'created' ? 'created' : 'was there already'}`);
	}

	if (result.error) {
		say(result.error.message);
		io.stderr(`  next: ${result.error.hint}\n`);
	}

	return result.created.length > 0;
}

export async function runPlanCommand(options: Options, services: Services): Promise<number> {
	const prepared = await preparePlan(options, services);
	if (isWizardError(prepared)) {
		return writeError(services.io, prepared, options.json);
	}

	const {plan, context} = prepared;
	// clusterConfig.yaml's passwords are the operator's: printed plans show them masked.
	const mask = secretMasker(context.cluster.secrets ?? []);
	// The public JSON types (zod schemas) load only for --json: building them costs more than the text.
	const text = options.json
		? `${JSON.stringify((await import('../../report/contract/plan.js')).toPublicPlan(plan, mask, options.accept), null, 2)}\n`
		: renderPlanText(plan, mask);
	services.io.stdout(text);
	return planExitCode(plan, options.detailedExitcode);
}

/** Blocked is 3 either way; with --detailed-exitcode a good plan says whether it would change anything: 8 yes, 0 no. */
export function planExitCode(plan: Plan, detailed: boolean): number {
	if (plan.blocked) {
		return exitCodes.blocked;
	}

	return detailed && pendingChanges(plan).changed ? exitCodes.changesPending : exitCodes.ok;
}
