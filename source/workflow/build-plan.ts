// Composes the plan from what was learned: operation, steps with argv, disk, diffs, hazards.
import path from 'node:path';
import {buildClusterCreateCommand, buildIntegrationCommand} from '../domain/build-installer-command.js';
import {droppedEntryFindings} from '../domain/addon-path-changes.js';
import {currentArches, currentFrom, decideOperation, packageArch, packageVersion, type Decision} from '../domain/decide-operation.js';
import {diffPackages} from '../domain/diff-packages.js';
import {diskFindings, estimateDiskNeeds, stepDiskBytes, type FilesystemInfo} from '../domain/estimate-disk-needs.js';
import type {ClusterConfigInfo, ConfigEdit, Finding, PackageInspection, Plan, PlanStep, WizardError} from '../domain/model.js';
import {normalizeArch} from '../domain/package-name.js';
import {singleArchKindFindings} from '../domain/release-sets.js';
import {findHazards} from '../domain/version-hazards.js';
import {isWizardError} from '../domain/wizard-error.js';

export type PlanInput = {
	packages: PackageInspection[];
	cluster: ClusterConfigInfo;
	configPath: string;
	manifestPath: string;
	installer: {path: string; found: boolean; executable?: boolean; cannotRun?: string};
	workdir: string;
	/** The package the cluster has now, when one entry of addonPackage.path was read. */
	baseline?: PackageInspection;
	/** Every entry of addonPackage.path that was read (a list names several); wins over `baseline`. */
	baselines?: PackageInspection[];
	watchPaths: string[];
	importCommand: string[];
	diskMargin: number;
	registrySpaces: string[];
	clusterArches: string[];
};

export type PlanDeps = {
	diskInfo(paths: string[]): Promise<FilesystemInfo[]>;
	planConfigEdit(path: string, newPaths: string[]): Promise<ConfigEdit | WizardError>;
};


function stepCounts(items: PackageInspection[]) {
	return {
		// What progress is measured against: the same peak the disk estimate assumes.
		expectedBytes: stepDiskBytes(items),
		expectedCharts: items.reduce((sum, item) => sum + item.charts.length, 0),
		expectedImages: items.reduce((sum, item) => sum + item.images.length, 0),
	};
}

const cannotRunHint = 'Copy the dce5-installer built for this CPU (uname -m) and pass --installer PATH.';

function installerFindings(installer: PlanInput['installer']): Finding[] {
	if (!installer.found) {
		return [{code: 'installer-missing', severity: 'error', message: `dce5-installer not found (looked for ${installer.path} and on PATH).`, hint: 'Pass --installer /path/to/dce5-installer.'}];
	}

	if (installer.executable === false) {
		return [{code: 'installer-missing', severity: 'error', message: `${installer.path} is not executable.`, hint: `Run chmod +x ${installer.path}.`}];
	}

	return installer.cannotRun
		? [{code: 'installer-cannot-run', severity: 'error', message: `${installer.path} cannot run on this machine: ${installer.cannotRun}.`, hint: cannotRunHint}]
		: [];
}

/** `v0.11.0 (amd64)` for a full package, `v0.44.0 (amd64: standard, gpu)` for a set of kinds. */
function setLabel(items: PackageInspection[], arch: string): string {
	const kinds = items.map(item => item.kind ?? '?');
	return kinds.every(kind => kind === 'full') ? `${packageVersion(items[0]!)} (${arch})` : `${packageVersion(items[0]!)} (${arch}: ${kinds.join(', ')})`;
}

function integrationTitle(item: PackageInspection, arch: string): string {
	const what = item.kind && item.kind !== 'full' ? `${item.kind} ${packageVersion(item)}` : packageVersion(item);
	return `Integrate ${arch} images of ${what} with import -addon`;
}

/** Notes on the set as a whole: kinds that stay single-arch, entries the new path list drops. */
function setFindings(decision: Decision, clusterArches: string[], newPaths: string[] | undefined): Finding[] {
	const file = (item: PackageInspection) => ({fileName: item.fileName, version: item.name?.version, semver: item.name?.semver, kind: item.kind, arch: packageArch(item)});
	const arches = [...clusterArches.map(arch => normalizeArch(arch)), ...currentArches(decision.current)];
	return [
		...(newPaths ? droppedEntryFindings(decision, newPaths) : []),
		...singleArchKindFindings(decision.clusterCreate.map(item => file(item)), decision.integrations.map(item => file(item)), decision.primaryArch, arches),
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
	const diffs = diffPackages({baselines, clusterCreate: decision.clusterCreate, integrations: decision.integrations, knownSpaces: input.registrySpaces});
	const spaceFindings: Finding[] = diffs.registrySpaces.mustExist.map(space => ({
		code: 'registry-space-missing',
		severity: 'warning',
		message: `Registry space "${space}" is used by the integrated package but not by the one already imported.`,
		hint: `Create registry space (project) "${space}" before integration, e.g. Harbor: POST /api/v2.0/projects {"project_name":"${space}"}.`,
	}));
	const findings = [
		...installerFindings(input.installer),
		...findHazards(input.packages, decision, input.clusterArches),
		...setFindings(decision, input.clusterArches, newPaths),
		...diskFindings(disk),
		...spaceFindings,
	];
	if (input.packages.length === 0) {
		findings.unshift({code: 'no-charts', severity: 'error', message: 'No package chosen.', hint: 'Choose at least one package (--package PATH).'});
	}

	return {
		operation: decision.operation,
		reason: decision.reason,
		packages: input.packages,
		baseline: baselines[0],
		...(input.baselines ? {baselines} : {}),
		cluster: {...input.cluster, secrets: undefined},
		installer: {path: input.installer.path, found: input.installer.found},
		manifestPath: input.manifestPath,
		steps,
		disk,
		diffs,
		findings,
		blocked: findings.some(finding => finding.severity === 'error'),
	};
}
