// Composes the plan from what was learned: operation, steps with argv, disk, diffs, hazards.
import path from 'node:path';
import {buildClusterCreateCommand, buildIntegrationCommand} from '../domain/build-installer-command.js';
import {currentFrom, decideOperation, packageArch, packageVersion} from '../domain/decide-operation.js';
import {diffPackages} from '../domain/diff-packages.js';
import {diskFindings, estimateDiskNeeds, stepDiskBytes, type FilesystemInfo} from '../domain/estimate-disk-needs.js';
import type {ClusterConfigInfo, ConfigEdit, Finding, PackageInspection, Plan, PlanStep, WizardError} from '../domain/model.js';
import {findHazards} from '../domain/version-hazards.js';
import {isWizardError} from '../domain/wizard-error.js';

export type PlanInput = {
	packages: PackageInspection[];
	cluster: ClusterConfigInfo;
	configPath: string;
	manifestPath: string;
	installer: {path: string; found: boolean; executable?: boolean; cannotRun?: string};
	workdir: string;
	baseline?: PackageInspection;
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

export async function buildPlan(input: PlanInput, deps: PlanDeps): Promise<Plan | WizardError> {
	const current = currentFrom(input.cluster.addonPackagePaths, input.baseline);
	const decision = decideOperation(input.packages, current);
	const steps: PlanStep[] = [];
	if (decision.clusterCreate.length > 0) {
		const edit = await deps.planConfigEdit(input.configPath, decision.clusterCreate.map(item => item.path));
		if (isWizardError(edit)) {
			return edit;
		}

		const first = decision.clusterCreate[0]!;
		const verb = decision.operation.endsWith('upgrade') ? 'Upgrade addon to' : 'Import addon';
		steps.push({
			id: 'cluster-create',
			kind: 'cluster-create',
			title: `${verb} ${packageVersion(first)} (${decision.primaryArch}) with cluster-create -j13`,
			packagePath: first.path,
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
			title: `Integrate ${arch} images of ${packageVersion(item)} with import -addon`,
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
	const diffs = diffPackages({baseline: input.baseline, clusterCreate: decision.clusterCreate, integrations: decision.integrations, knownSpaces: input.registrySpaces});
	const spaceFindings: Finding[] = diffs.registrySpaces.mustExist.map(space => ({
		code: 'registry-space-missing',
		severity: 'warning',
		message: `Registry space "${space}" is used by the integrated package but not by the one already imported.`,
		hint: `Create registry space (project) "${space}" before integration, e.g. Harbor: POST /api/v2.0/projects {"project_name":"${space}"}.`,
	}));
	const findings = [...installerFindings(input.installer), ...findHazards(input.packages, decision, input.clusterArches), ...diskFindings(disk), ...spaceFindings];
	if (input.packages.length === 0) {
		findings.unshift({code: 'no-charts', severity: 'error', message: 'No package chosen.', hint: 'Choose at least one package (--package PATH).'});
	}

	return {
		operation: decision.operation,
		reason: decision.reason,
		packages: input.packages,
		baseline: input.baseline,
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
