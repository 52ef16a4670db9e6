// Composes the plan from what was learned: operation, steps with argv, disk, diffs, hazards.
import path from 'node:path';
import {buildClusterCreateCommand, buildIntegrationCommand} from '../../domain/run/build-installer-command.js';
import {droppedEntryFindings} from '../../domain/plan/addon-path-changes.js';
import {
	currentArches,
	currentFrom,
	decideOperation,
	packageArch,
	packageVersion,
	type Decision,
} from '../../domain/plan/decide-operation.js';
import {diffPackages} from '../../domain/plan/diff-packages.js';
import {knownIssueFindings} from '../../domain/config/known-installer-issues.js';
import {configEdits} from '../../domain/plan/pending-changes.js';
import {diskFindings, estimateDiskNeeds, stepDiskBytes, type FilesystemInfo} from '../../domain/plan/estimate-disk-needs.js';
import type {ClusterConfigInfo, ConfigEdit} from '../../domain/config/config-facts.js';
import type {Finding} from '../../domain/shared/findings.js';
import type {InstallerFacts, Plan, PlanDiffs, PlanStep, PreflightFacts} from '../../domain/plan/plan.js';
import type {PackageInspection} from '../../domain/packages/inspection.js';
import type {WizardError} from '../../domain/shared/wizard-error.js';
import {normalizeArch} from '../../domain/packages/package-name.js';
import {refreshDiskNeeds, settlePreflight} from '../../domain/plan/preflight.js';
import {singleArchKindFindings} from '../../domain/packages/release-sets.js';
import {multiArchAfterPlan, reviewRegistry, type RegistryReview, type StepImages} from '../../domain/plan/registry-review.js';
import {archConflict, findHazards, judgedByRegistry, registryHazards} from '../../domain/plan/version-hazards.js';
import {requiredRegistryFindings} from '../../domain/plan/unreadable-tags.js';
import {isWizardError} from '../../domain/shared/wizard-error.js';
import type {RegistryReadProgress} from '../ports/registry-port.js';
import type {GatherRegistryFacts} from './registry-facts.js';

export type PlanInput = {
	packages: PackageInspection[];
	cluster: ClusterConfigInfo;
	configPath: string;
	manifestPath: string;
	installer: InstallerFacts;
	workdir: string;
	/** `--from-step` as given (1-based); 1 when absent. */
	fromStep?: number;
	/** `--cleanup`: the run removes a leftover addon-offline-target-package just before its first step. */
	removeLeftover?: boolean;
	/** `--cleanup-unexplained`: that removal may take files the packages do not explain. */
	cleanupUnexplained?: boolean;
	/** The package the cluster has now, when one entry of addonPackage.path was read. */
	baseline?: PackageInspection;
	/** Every entry of addonPackage.path that was read (a list names several); wins over `baseline`. */
	baselines?: PackageInspection[];
	watchPaths: string[];
	importCommand: string[];
	diskMargin: number;
	registrySpaces: string[];
	clusterArches: string[];
	/** clusterConfig.yaml's real path (through links), which the run history is kept under. */
	configRealPath?: string;
	/** `--require-registry`: a plan the registry could not be asked about is blocked. */
	requireRegistry?: boolean;
	/** Reading the registry: cancelled through `signal`, its progress reported. */
	registryRead?: {signal?: AbortSignal; onProgress?: (progress: RegistryReadProgress) => void};
};

/** What the pre-flight reads from the filesystem: the working directory, its leftover, the packages as they are now. */
export type GatherPreflightFacts = (query: {
	workdir: string;
	packages: Array<{path: string; fileName: string}>;
}) => Promise<Pick<PreflightFacts, 'workdir' | 'leftover' | 'packages'>>;

export type PlanDeps = {
	diskInfo(paths: string[]): Promise<FilesystemInfo[]>;
	planConfigEdit(path: string, newPaths: string[]): Promise<ConfigEdit | WizardError>;
	preflightFacts: GatherPreflightFacts;
	/** The live registry, chart repository and run history; without it the plan has no Registry section. */
	registryFacts?: GatherRegistryFacts;
};

function stepCounts(items: PackageInspection[]) {
	return {
		// What progress is measured against: the same peak the disk estimate assumes.
		expectedBytes: stepDiskBytes(items),
		expectedCharts: items.reduce((sum, item) => sum + item.charts.length, 0),
		expectedImages: items.reduce((sum, item) => sum + item.images.length, 0),
	};
}

/** `v0.11.0 (amd64)` for a full package, `v0.44.0 (amd64: standard, gpu)` for a set of kinds. */
function setLabel(items: PackageInspection[], arch: string): string {
	const kinds = items.map(item => item.kind ?? '?');
	return kinds.every(kind => kind === 'full')
		? `${packageVersion(items[0]!)} (${arch})`
		: `${packageVersion(items[0]!)} (${arch}: ${kinds.join(', ')})`;
}

function integrationTitle(item: PackageInspection, arch: string): string {
	const what = item.kind && item.kind !== 'full' ? `${item.kind} ${packageVersion(item)}` : packageVersion(item);
	return `Integrate ${arch} images of ${what} with import -addon`;
}

/** Notes on the set as a whole: kinds that stay single-arch, entries the new path list drops. */
function setFindings(decision: Decision, clusterArches: string[], newPaths: string[] | undefined): Finding[] {
	const file = (item: PackageInspection) => ({
		fileName: item.fileName,
		version: item.name?.version,
		semver: item.name?.semver,
		kind: item.kind,
		arch: packageArch(item),
	});
	const arches = [...clusterArches.map(arch => normalizeArch(arch)), ...currentArches(decision.current)];
	return [
		...(newPaths ? droppedEntryFindings(decision, newPaths) : []),
		...singleArchKindFindings(
			decision.clusterCreate.map(item => file(item)),
			decision.integrations.map(item => file(item)),
			decision.primaryArch,
			arches,
		),
	];
}

export async function buildPlan(input: PlanInput, deps: PlanDeps): Promise<Plan | WizardError> {
	const baselines = input.baselines ?? (input.baseline ? [input.baseline] : []);
	const current = currentFrom(input.cluster.addonPackagePaths, baselines);
	const decision = decideOperation(input.packages, current);
	const steps: PlanStep[] = [];
	const newPaths = decision.clusterCreate.length > 0 ? decision.clusterCreate.map(item => item.path) : undefined;
	if (newPaths) {
		const edit = await deps.planConfigEdit(input.configPath, newPaths);
		if (isWizardError(edit)) {
			return edit;
		}

		const verb = decision.operation.endsWith('upgrade') ? 'Upgrade addon to' : 'Import addon';
		steps.push({
			id: 'cluster-create',
			kind: 'cluster-create',
			title: `${verb} ${setLabel(decision.clusterCreate, decision.primaryArch)} with cluster-create -j13`,
			packagePath: newPaths[0]!,
			packagePaths: newPaths,
			arch: decision.primaryArch,
			argv: buildClusterCreateCommand(input.installer.path, input.configPath, input.manifestPath),
			cwd: input.workdir,
			configEdit: edit,
			...stepCounts(decision.clusterCreate),
		});
	}

	for (const item of decision.integrations) {
		const arch = packageArch(item) ?? 'unknown';
		steps.push({
			id: `integrate-${arch}-${steps.length}`,
			kind: 'import-addon',
			title: integrationTitle(item, arch),
			packagePath: item.path,
			arch,
			argv: buildIntegrationCommand(input.installer.path, input.importCommand, input.configPath, item.path),
			cwd: input.workdir,
			...stepCounts([item]),
		});
	}

	const roles = [
		{path: input.workdir, role: 'workdir' as const},
		...input.packages.map(item => ({path: path.dirname(item.path), role: 'package' as const})),
		...input.watchPaths.map(item => ({path: item, role: 'watch' as const})),
	];
	const filesystems = await deps.diskInfo([...new Set(roles.map(item => item.path))]);
	const peak = Math.max(0, stepDiskBytes(decision.clusterCreate), ...decision.integrations.map(item => stepDiskBytes([item])));
	const disk = estimateDiskNeeds(roles, filesystems, peak, input.diskMargin);
	const diffs = diffPackages({
		baselines,
		clusterCreate: decision.clusterCreate,
		integrations: decision.integrations,
		knownSpaces: input.registrySpaces,
	});
	const spaceFindings: Finding[] = diffs.registrySpaces.mustExist.map(space => ({
		code: 'registry-space-missing',
		severity: 'warning',
		message: `Registry space "${space}" is used by the integrated package but not by the one already imported.`,
		hint: `Create registry space (project) "${space}" before integration, e.g. Harbor: POST /api/v2.0/projects {"project_name":"${space}"}.`,
	}));
	const findings = [
		...findHazards(input.packages, decision, input.clusterArches),
		...setFindings(decision, input.clusterArches, newPaths),
		...diskFindings(disk),
		...spaceFindings,
		...knownIssueFindings(input.cluster),
	];
	if (input.packages.length === 0) {
		findings.unshift({
			code: 'no-charts',
			severity: 'error',
			message: 'No package chosen.',
			hint: 'Choose at least one package (--package PATH).',
		});
	}

	const plan: Plan = {
		operation: decision.operation,
		reason: decision.reason,
		packages: input.packages,
		baselines,
		cluster: {...input.cluster, secrets: undefined},
		installer: {path: input.installer.path, found: input.installer.found},
		manifestPath: input.manifestPath,
		steps,
		disk,
		diffs,
		findings,
		blocked: findings.some(finding => finding.severity === 'error'),
	};
	return attachPreflight(await attachRegistry(plan, decision, input, deps), input, deps);
}

/** Each step as the registry sees it: its packages' images and charts, and how it pushes. */
function stepImages(plan: Plan, packages: PackageInspection[]): StepImages[] {
	const byPath = new Map(packages.map(item => [item.path, item]));
	return plan.steps.map(step => {
		const items = (step.packagePaths ?? [step.packagePath])
			.map(file => byPath.get(file))
			.filter((item): item is PackageInspection => item !== undefined);
		const version = items[0] ? packageVersion(items[0]) : '';
		return {
			stepId: step.id,
			push: step.kind === 'cluster-create' ? {kind: 'cluster-create', version} : {kind: 'import-addon'},
			arch: step.arch ?? 'unknown',
			version,
			images: items.flatMap(item => item.images),
			charts: items.flatMap(item => item.charts.map(chart => ({name: chart.name, version: chart.version}))),
		};
	});
}

/** The findings once the registry had its say: its tags judge the arch hazards, or (unread) the wizard's history joins the guesses. */
function registryFindings(plan: Plan, review: RegistryReview, decision: Decision, input: PlanInput): Finding[] {
	if (!review.checked) {
		const known = [...input.clusterArches, ...review.history.arches];
		const kept = plan.findings.filter(finding => finding.code !== 'arch-conflict-below-0.12');
		return [...kept, ...archConflict(decision, known), ...(input.requireRegistry ? requiredRegistryFindings(review) : [])];
	}

	const integrationSteps = plan.steps.flatMap((step, index) =>
		step.kind === 'import-addon' && step.arch ? [{number: index + 1, arch: step.arch}] : [],
	);
	const spaces: Finding[] =
		review.spaces.kind === 'harbor' && review.spaces.missing.length > 0
			? [
					{
						code: 'registry-space-missing',
						severity: 'warning',
						message: `Harbor projects missing in ${review.registry?.url ?? 'the registry'}: ${review.spaces.missing.join(', ')}.`,
						hint: 'Create them before the run (c on Review, --create-spaces without it).',
					},
				]
			: [];
	// Kinds that stay single-arch, now against every arch the registry shows the cluster runs.
	const kinds = setFindings(decision, review.clusterArches.arches, undefined).filter(finding => finding.code === 'kind-stays-single-arch');
	const kept = plan.findings.filter(finding => !judgedByRegistry(finding) && finding.code !== 'kind-stays-single-arch');
	const editsConfig = configEdits(plan).length > 0;
	const required = input.requireRegistry ? requiredRegistryFindings(review) : [];
	return [...kept, ...registryHazards({decision, review, integrationSteps, editsConfig}), ...kinds, ...spaces, ...required];
}

/**
 * The Registry section: what the registry and chart repository hold now against what the steps
 * push, with the hazards, the charts and the "several architectures" count taken from it. A
 * registry that cannot be read leaves the guesses in place, labelled as unchecked.
 */
async function attachRegistry(plan: Plan, decision: Decision, input: PlanInput, deps: PlanDeps): Promise<Plan> {
	if (!deps.registryFacts || plan.steps.length === 0) {
		return plan;
	}

	const steps = stepImages(plan, input.packages);
	const facts = await deps.registryFacts({
		steps,
		cluster: {configPath: input.configRealPath ?? input.configPath, clusterName: input.cluster.clusterName},
		signal: input.registryRead?.signal,
		onProgress: input.registryRead?.onProgress,
	});
	const review = reviewRegistry({facts, steps, flagArches: input.clusterArches, configArches: currentArches(decision.current)});
	const chartsAgainst: PlanDiffs['chartsAgainst'] = review.charts.checked
		? {source: 'repository', url: review.charts.url}
		: {
				source: 'packages',
				files: (plan.baselines ?? []).map(item => item.fileName),
				problem: review.charts.problem?.message,
			};
	const diffs: PlanDiffs = {
		...plan.diffs,
		...(review.charts.checked ? {charts: review.charts.changes} : {}),
		...(review.checked ? {multiArchImages: multiArchAfterPlan(review)} : {}),
		chartsAgainst,
	};
	return {...plan, diffs, findings: registryFindings(plan, review, decision, input), registry: review};
}

/** The spaces row's facts from the registry, when it answered; otherwise the package diff's guess stands. */
function spacesFact(review: RegistryReview | undefined): PreflightFacts['registrySpaces'] {
	const url = review?.registry?.url;
	if (!review?.checked || !url) {
		return undefined;
	}

	if (review.spaces.kind === 'none') {
		return {required: [], missing: [], checkedAgainst: url, noneNeeded: review.spaces.reason};
	}

	return review.spaces.kind === 'harbor'
		? {required: review.spaces.required, missing: review.spaces.missing, checkedAgainst: url}
		: undefined;
}

/**
 * The pre-flight checklist, from facts gathered apart from the plan's own (a live registry's
 * facts join them here), so that a choice on Review and a retry can build it again.
 */
async function attachPreflight(plan: Plan, input: PlanInput, deps: PlanDeps): Promise<Plan> {
	const gathered = await deps.preflightFacts({
		workdir: input.workdir,
		packages: input.packages.map(item => ({path: item.path, fileName: item.fileName})),
	});
	const registrySpaces = spacesFact(plan.registry);
	const facts: PreflightFacts = {
		...gathered,
		installer: input.installer,
		fromStep: input.fromStep ?? 1,
		...(input.cleanupUnexplained ? {cleanupUnexplained: true} : {}),
		...(registrySpaces ? {registrySpaces} : {}),
	};
	return settlePreflight(plan, facts, input.removeLeftover ?? false);
}

export type RecheckDeps = {
	/** The installer at that path as it is now. */
	installer(path: string): Promise<InstallerFacts>;
	diskInfo(paths: string[]): Promise<FilesystemInfo[]>;
	preflightFacts: GatherPreflightFacts;
};

export type RecheckRequest = {
	/** The step the run is to start at (1-based), e.g. the one that failed. */
	fromStep: number;
	/** Whether the run removes the leftover first; the plan's own choice when absent. */
	removeLeftover?: boolean;
};

/**
 * The same plan with its whole pre-flight checked again against the world as it is now: free
 * space, the leftover, the installer, the working directory, the packages. A retry calls it before
 * re-running a step, so a disk that is still full blocks it instead of failing the step again.
 */
export async function recheckPlan(plan: Plan, request: RecheckRequest, deps: RecheckDeps): Promise<Plan> {
	const previous = plan.preflightFacts;
	const workdir = previous?.workdir.path ?? plan.steps[0]?.cwd ?? '.';
	const paths = [...new Set(plan.disk.flatMap(need => need.paths.map(item => item.path)))];
	const [installer, filesystems, gathered] = await Promise.all([
		deps.installer(plan.installer.path),
		deps.diskInfo(paths),
		deps.preflightFacts({workdir, packages: plan.packages.map(item => ({path: item.path, fileName: item.fileName}))}),
	]);
	const facts: PreflightFacts = {
		...gathered,
		installer,
		fromStep: request.fromStep,
		...(previous?.cleanupUnexplained ? {cleanupUnexplained: true} : {}),
		...(previous?.registrySpaces ? {registrySpaces: previous.registrySpaces} : {}),
	};
	return settlePreflight(
		{...plan, disk: refreshDiskNeeds(plan.disk, filesystems)},
		facts,
		request.removeLeftover ?? plan.removeLeftover !== undefined,
	);
}
