// Builds the real adapters behind WizardPorts from the parsed flags: the one place where
// the workflow meets the file system, the installer and the terminal.
import {spawn} from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import {discoverPackages} from '../adapters/discover-packages.js';
import {inspectPackage} from '../adapters/inspect-package.js';
import {applyConfigEdit, planConfigEdit, readClusterConfig} from '../adapters/cluster-config.js';
import {locateClusterConfig, manifestPathFor, resolveInstaller} from '../adapters/resolve-paths.js';
import {diskInfo} from '../adapters/disk-info.js';
import {cleanupLeftover, measureLeftover} from '../adapters/target-dir.js';
import {access, constants, readFile, stat} from 'node:fs/promises';
import {spawnInstaller} from '../adapters/installer-process.js';
import {defaultLogPath, openRunLog} from '../adapters/run-log.js';
import {acquireLock, writeRecord} from '../adapters/run-record.js';
import {dirSize} from '../adapters/dir-size.js';
import {logsDir, stateDir} from '../adapters/xdg-paths.js';
import {buildPlan} from '../workflow/build-plan.js';
import {startRun, type RunDeps} from '../workflow/run-plan.js';
import type {ClusterConfigInfo, PackageInspection, WizardError} from '../domain/model.js';
import type {InspectOptions, WizardPorts} from '../workflow/ports.js';
import {isWizardError, type Options} from './options.js';
import {shareInspections} from '../adapters/shared-inspection.js';

export type Environment = {
	cwd: string;
	env: Record<string, string | undefined>;
};

export type Context = {
	options: Options;
	configPath: string;
	manifestPath: string;
	cluster: ClusterConfigInfo;
	installer: {path: string; found: boolean; executable: boolean};
	workdir: string;
	stateDir: string;
	ports: WizardPorts;
};

export async function createContext(options: Options, environment: Environment): Promise<Context | WizardError> {
	const {cwd, env} = environment;
	const configPath = await locateClusterConfig(options.config, cwd);
	if (isWizardError(configPath)) {
		return configPath;
	}

	const cluster = await readClusterConfig(configPath);
	if (isWizardError(cluster)) {
		return cluster;
	}

	const home = env['HOME'] ?? os.homedir();
	const manifestPath = manifestPathFor(configPath, options.manifest);
	const installer = await resolveInstaller(options.installer, {HOME: home, PATH: env['PATH']});
	const workdir = path.resolve(cwd, options.workdir ?? '.');

	const shared = shareInspections(async (file: string, inspectOptions?: InspectOptions) => inspectPackage(file, {
		...inspectOptions,
		useCache: options.cache && inspectOptions?.useCache !== false,
		spaceMode: options.spaceMode,
	}));
	const inspect = async (packagePath: string, inspectOptions?: InspectOptions) => shared(path.resolve(cwd, packagePath), inspectOptions);

	const baselinePaths = options.baseline ? [options.baseline] : cluster.addonPackagePaths;
	const ports: WizardPorts = {
		discoverPackages: async () => discoverPackages({
			cwd,
			home,
			configPath,
			currentAddonPaths: cluster.addonPackagePaths,
			extraDirs: options.search.map(dir => path.resolve(cwd, dir)),
			depth: options.depth,
		}),
		inspectPackage: inspect,
		async buildPlan(inspections: PackageInspection[], planOptions) {
			const baseline = await inspectBaseline(baselinePaths, inspections, async file => inspect(file, {onProgress: planOptions?.onProgress}));
			return buildPlan({
				packages: inspections,
				cluster,
				configPath,
				manifestPath,
				installer,
				workdir,
				baseline,
				watchPaths: options.watchPaths.map(dir => path.resolve(cwd, dir)),
				importCommand: options.importCommand,
				diskMargin: options.diskMargin,
				registrySpaces: options.registrySpaces,
				clusterArches: options.clusterArches,
			}, {diskInfo, planConfigEdit});
		},
		startRun: (plan, fromStep, onEvent) => startRun(plan, fromStep, onEvent, runDeps(options, cluster, configPath, environment)),
		measureLeftover,
		cleanupLeftover,
		openLog: async logPath => openPager(logPath, env),
	};

	return {options, configPath, manifestPath, cluster, installer, workdir, stateDir: stateDir(env), ports};
}

export function runDeps(options: Options, cluster: ClusterConfigInfo, configPath: string, environment: Environment): RunDeps {
	const {env, cwd} = environment;
	const state = stateDir(env);
	return {
		logPath: options.logFile ? path.resolve(cwd, options.logFile) : defaultLogPath(logsDir(env)),
		graceMs: options.stopGrace * 1000,
		diskFloorBytes: options.diskFloor,
		sampleMs: 1000,
		// The installer sees the environment the wizard resolved HOME, PATH and its state from.
		env,
		secrets: cluster.secrets ?? [],
		openLog: file => openRunLog(file, cluster.secrets ?? []),
		captureDir: path.join(state, 'capture'),
		spawn: spawnInstaller,
		acquireLock: () => acquireLock(state, configPath),
		writeRecord: async record => writeRecord(state, record),
		applyConfigEdit: async edit => applyConfigEdit(edit),
		readText: async file => readFile(file, 'utf8').catch(() => undefined),
		statFile: async file => stat(file).then(info => ({size: info.size, mtimeMs: info.mtimeMs}), () => undefined),
		canWriteDir,
		dirSize,
		diskInfo,
	};
}

/** The package the cluster already has, inspected the same way; skipped when it is also being imported. */
async function inspectBaseline(
	candidates: string[],
	chosen: PackageInspection[],
	inspect: (path: string) => Promise<PackageInspection>,
): Promise<PackageInspection | undefined> {
	const chosenPaths = new Set(chosen.map(item => item.path));
	for (const candidate of candidates) {
		if (chosenPaths.has(candidate)) {
			continue;
		}

		const inspection = await inspect(candidate);
		if (inspection.complete) {
			return inspection;
		}
	}

	return undefined;
}

async function openPager(logPath: string, env: Record<string, string | undefined>): Promise<void> {
	const pager = env['PAGER'] ?? 'less';
	const [command = 'less', ...args] = pager.split(/\s+/).filter(Boolean);
	await new Promise<void>(resolve => {
		const child = spawn(command, [...args, '+G', logPath], {stdio: 'inherit'});
		child.on('error', () => resolve());
		child.on('exit', () => resolve());
	});
}

/** Root passes access(2) everywhere; a folder its owner made read-only still is not ours to fill. */
async function canWriteDir(dir: string): Promise<boolean> {
	const info = await stat(dir).catch(() => undefined);
	if (!info?.isDirectory() || (info.mode & 0o222) === 0) {
		return false;
	}

	return access(dir, constants.W_OK | constants.X_OK).then(() => true, () => false);
}
