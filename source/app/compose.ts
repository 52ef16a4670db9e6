// The composition root: every port is built here, once, from the parsed flags and one Environment
// value, and handed to the commands. This is the only module that knows which adapter implements
// which port; everything below it gets what it needs as parameters. It only wires: the I/O is in
// the adapters, the run's ports in compose-run.ts, the registry's in compose-registry.ts.
import path from 'node:path';
import process from 'node:process';
import {createInterface} from 'node:readline/promises';
import {isAlive} from '../adapters/host/process-control.js';
import {runSnapshots} from '../adapters/run/run-snapshots.js';
import {planConfigEdit, readClusterConfig, restoreConfigBackup} from '../adapters/config/cluster-config.js';
import {discoverPackages} from '../adapters/packages/discover-packages.js';
import {diskInfo} from '../adapters/host/disk-info.js';
import {realPathOr} from '../adapters/host/file-facts.js';
import {inspectPackage} from '../adapters/packages/inspect-package.js';
import {createRegistryPort} from '../adapters/registry/registry-port.js';
import {gatherPreflightFacts} from '../adapters/plan/preflight-facts.js';
import {manifestPathFor, probeInstaller, resolveInstaller} from '../adapters/config/resolve-paths.js';
import {readRunFacts} from '../adapters/run/run-facts.js';
import {runLockHeld} from '../adapters/run/run-lock.js';
import {shareInspections} from '../adapters/packages/shared-inspection.js';
import {writeResultFile} from '../adapters/shared/result-file.js';
import {measureLeftover} from '../adapters/run/target-dir.js';
import type {ClusterContext, Services, UndoServices} from './commands/services.js';
import type {WizardError} from '../domain/shared/wizard-error.js';
import type {DiscoveredPackage, PackageInspection} from '../domain/packages/inspection.js';
import type {Io} from '../report/io.js';
import {buildPlan, recheckPlan} from '../workflow/plan/build-plan.js';
import type {InspectOptions, WizardPorts} from '../workflow/ports/ports.js';
import type {RegistryPort} from '../workflow/ports/registry-port.js';
import type {RunRecord} from '../workflow/ports/run-record-port.js';
import {gatherRegistryFacts} from '../workflow/plan/registry-facts.js';
import {createSpacesWith, locateClusterRegistry, openClusterRegistry, openClusterRestore} from './compose-registry.js';
import {createRunHistory} from '../adapters/run/run-history.js';
import type {RunStream} from '../workflow/ports/ports.js';
import {wizardUndo} from './compose-undo.js';
import {lookUpRun, recordedRun} from './recorded-run.js';
import type {Environment} from './environment.js';
import {isWizardError, type Options} from './options.js';
import {composeInputs, memo, type ClusterInfo, type Inputs} from './compose-inputs.js';

type Inspect = (file: string, options?: InspectOptions) => Promise<PackageInspection>;
/** What the cluster's ports share: the config read, the paths resolved, the registry located once. */
type ClusterWiring = {
	info: ClusterInfo;
	manifestPath: string;
	installer: ClusterContext['installer'];
	workdir: string;
	configRealPath: string;
	openRegistry(): RegistryPort | WizardError;
	history: ClusterContext['history'];
};
/** What compose builds before any cluster is known. */
type Shared = {
	inspect: Inspect;
	discover(cluster?: ClusterInfo): Promise<DiscoveredPackage[]>;
	clusterInfo(): Promise<ClusterInfo | WizardError>;
};

/**
 * The packages the cluster has now (every entry of spec.addonPackage.path), inspected the same way;
 * one also being imported is not read twice, and one that is gone or damaged is left out.
 */
async function inspectBaselines(
	candidates: string[],
	chosen: PackageInspection[],
	inspect: (path: string) => Promise<PackageInspection>,
): Promise<PackageInspection[]> {
	const chosenPaths = new Set(chosen.map(item => item.path));
	const baselines: PackageInspection[] = [];
	for (const candidate of candidates.filter(item => !chosenPaths.has(item))) {
		const inspection = await inspect(candidate);
		if (inspection.complete) {
			baselines.push(inspection);
		}
	}

	return baselines;
}

/** Package inspection with the --checksums file, the cache and the space mode; one read per path at a time. */
function inspection(options: Options, environment: Environment, checksums: Inputs['checksums']) {
	const resolve = (file: string) => path.resolve(environment.cwd, file);
	const inspect = shareInspections(async (file: string, inspectOptions?: InspectOptions) =>
		inspectPackage(file, {
			...inspectOptions,
			checksums: await checksums().then(list => (isWizardError(list) ? undefined : list?.list)),
			cacheDir: environment.paths.cache,
			useCache: options.cache && inspectOptions?.useCache !== false,
			spaceMode: options.spaceMode,
		}),
	);
	return async (file: string, inspectOptions?: InspectOptions) => inspect(resolve(file), inspectOptions);
}

function discoverer(options: Options, environment: Environment): Shared['discover'] {
	return async cluster =>
		discoverPackages({
			cwd: environment.cwd,
			home: environment.home,
			configPath: cluster?.configPath,
			currentAddonPaths: cluster?.cluster.addonPackagePaths ?? [],
			extraDirs: options.search.map(dir => path.resolve(environment.cwd, dir)),
			depth: options.depth,
		});
}

/** The plan port: the config as it is now (a chained step changed addonPackage.path), its baselines, the checks. */
function planBuilder(options: Options, wiring: ClusterWiring, inspect: Inspect, cwd: string): WizardPorts['buildPlan'] {
	const {
		info: {configPath, cluster},
		openRegistry,
		history,
	} = wiring;
	const registryFacts = async (query: Parameters<typeof gatherRegistryFacts>[0]) => gatherRegistryFacts(query, {openRegistry, history});
	return async (inspections, planOptions) => {
		const now = await readClusterConfig(configPath);
		const fresh = isWizardError(now) ? cluster : now;
		const baselinePaths = options.baseline ? [path.resolve(cwd, options.baseline)] : fresh.addonPackagePaths;
		const baselines = await inspectBaselines(baselinePaths, inspections, async file =>
			inspect(file, {onProgress: planOptions?.onProgress}),
		);
		return buildPlan(
			{
				packages: inspections,
				cluster: fresh,
				configPath,
				manifestPath: wiring.manifestPath,
				installer: wiring.installer,
				workdir: wiring.workdir,
				baselines,
				watchPaths: options.watchPaths.map(dir => path.resolve(cwd, dir)),
				importCommand: options.importCommand,
				diskMargin: options.diskMargin,
				registrySpaces: options.registrySpaces,
				clusterArches: options.clusterArches,
				fromStep: options.fromStep,
				removeLeftover: options.cleanup,
				cleanupUnexplained: options.cleanupUnexplained,
				configRealPath: wiring.configRealPath,
				requireRegistry: options.requireRegistry,
				registryRead: {signal: planOptions?.signal, onProgress: planOptions?.onRegistryProgress},
			},
			{diskInfo, planConfigEdit, preflightFacts: gatherPreflightFacts, registryFacts},
		);
	};
}

/** Where a line about the run's lock goes: stderr, unless the screens may be drawn there (they show the log). */
function lockAnnouncer(options: Options, environment: Environment, io: Io): ((line: string) => void) | undefined {
	const plain = !environment.terminal.interactive || options.json || options.yes;
	return plain ? line => io.stderr(`addon-wizard: ${line}\n`) : undefined;
}

/**
 * The run's code (the installer process, execa, the log and its schemas) loads when a run or an
 * attach starts, not with `plan`: the stream starts at once, as the run itself did, and is read
 * when the caller iterates.
 */
const loadRunWiring = async () =>
	Promise.all([import('./compose-run.js'), import('../workflow/run/run-plan.js'), import('../workflow/run/attach/attach-run.js')]);

function startedStream(make: () => Promise<RunStream>): RunStream {
	const stream = make();
	// Said by the iteration below; a stream nobody reads must not fail the process.
	stream.catch(() => undefined);
	return (async function* () {
		yield* await stream;
	})();
}

function wizardPorts(options: Options, environment: Environment, wiring: ClusterWiring, shared: Shared, io: Io): WizardPorts {
	const {configPath, cluster} = wiring.info;
	const runDeps = memo(async () => {
		const [{makeRunDeps}] = await loadRunWiring();
		return makeRunDeps(options, environment, cluster, configPath, lockAnnouncer(options, environment, io));
	});
	return {
		discoverPackages: async () => shared.discover(wiring.info),
		inspectPackage: shared.inspect,
		buildPlan: planBuilder(options, wiring, shared.inspect, environment.cwd),
		createSpaces: async names => createSpacesWith(wiring.openRegistry, names),
		recheck: async (plan, request) =>
			recheckPlan(plan, request, {
				installer: async file => probeInstaller(file, environment.env['PATH']),
				diskInfo,
				preflightFacts: gatherPreflightFacts,
			}),
		// `x` on Review (plan.removeLeftover) and --cleanup remove the leftover inside the run's locks.
		startRun: (plan, fromStep, signal, runOptions) =>
			startedStream(async () => {
				const [deps, [, {startRun}], {defaultLogPath}] = await Promise.all([
					runDeps(),
					loadRunWiring(),
					import('../adapters/run/run-log.js'),
				]);
				// Without --log-file each run logs to a file of its own, named when it starts.
				const logPath = options.logFile ? deps.settings.logPath : defaultLogPath(environment.paths.logs, new Date(environment.now()));
				return startRun(plan, fromStep, {...deps, settings: {...deps.settings, logPath}}, signal, runOptions);
			}),
		attachRun(signal) {
			const record = recordedRun({config: configPath, workdir: wiring.workdir}, environment);
			if (!record || isWizardError(record)) {
				throw new Error(record ? record.message : `no run recorded for ${configPath}`);
			}

			return startedStream(async () => {
				const [{makeAttachDeps}, , {attachRun}] = await loadRunWiring();
				return attachRun(record, makeAttachDeps(options, environment, record, cluster.secrets ?? []), signal);
			});
		},
		measureLeftover,
		async cleanupLeftover(step, request) {
			const [{guardedCleanup}] = await loadRunWiring();
			return guardedCleanup(environment, configPath, true, {
				secrets: cluster.secrets ?? [],
				unexplainedConfirmed: options.cleanupUnexplained,
			})(step, request);
		},
		restoreConfig: async (edit, backupPath) => restoreConfigBackup(edit, backupPath),
		openLog: async file => (await import('../adapters/host/pager.js')).openPager(file, environment.env),
		undo: wizardUndo(undoServices(options, environment), {configPath, clusterName: cluster.clusterName}, wiring.history, environment.now),
	};
}

/** clusterConfig.yaml, the installer, the registry and the ports for them; built once. */
function clusterContext(options: Options, environment: Environment, shared: Shared, io: Io): () => Promise<ClusterContext | WizardError> {
	return memo(async () => {
		const info = await shared.clusterInfo();
		if (isWizardError(info)) {
			return info;
		}

		const {configPath, cluster} = info;
		// One registry location for every surface that reads it: the plan's diff, each step's check, verify.
		const located = await locateClusterRegistry(options, environment, configPath);
		const wiring: ClusterWiring = {
			info,
			manifestPath: manifestPathFor(configPath, options.manifest),
			installer: await resolveInstaller(options.installer, {HOME: environment.home, PATH: environment.env['PATH']}),
			workdir: path.resolve(environment.cwd, options.workdir ?? '.'),
			configRealPath: await realPathOr(configPath),
			openRegistry: () =>
				isWizardError(located) ? located : createRegistryPort({location: located.location, secrets: located.secrets, now: environment.now}),
			history: createRunHistory(environment.paths.state),
		};
		const ports = wizardPorts(options, environment, wiring, shared, io);
		return {
			configPath,
			manifestPath: wiring.manifestPath,
			cluster,
			installer: wiring.installer,
			workdir: wiring.workdir,
			ports,
			history: wiring.history,
			registry: async () => openClusterRegistry(options, environment, configPath),
		};
	});
}

/** `undo`'s ports: the snapshot files in the state folder, the cluster's registry, a y/N question on the terminal. */
function undoServices(options: Options, environment: Environment): UndoServices {
	return {
		files: runSnapshots(environment.paths.state),
		open: async configPath => openClusterRestore(options, environment, configPath),
		isAlive,
		async confirm(question) {
			const prompt = createInterface({input: process.stdin, output: process.stderr});
			try {
				return /^y(es)?$/i.test((await prompt.question(question)).trim());
			} finally {
				prompt.close();
			}
		},
	};
}

/** `inputs`: what main.ts already read through compose-inputs.ts, so nothing is read twice. */
export function compose(options: Options, environment: Environment, io: Io, inputs = composeInputs(options, environment)): Services {
	const inspect = inspection(options, environment, inputs.checksums);
	const {clusterInfo} = inputs;
	const shared: Shared = {inspect, discover: discoverer(options, environment), clusterInfo};
	const knownCluster = async () => {
		const info = await clusterInfo();
		return isWizardError(info) ? undefined : info;
	};

	const cluster = clusterContext(options, environment, shared, io);
	return {
		io,
		checkInputs: inputs.checkInputs,
		writeResultFile: async (text: string) =>
			options.resultFile ? writeResultFile(path.resolve(environment.cwd, options.resultFile), text) : undefined,
		terminal: environment.terminal,
		notice: inputs.notice,
		now: environment.now,
		cluster,
		async runHeld() {
			const context = await cluster();
			// Without a config there is no run to hold; the command says why on its own.
			return isWizardError(context) ? undefined : runLockHeld(context.configPath, [context.workdir]);
		},
		clusterIfAny: async () => (await knownCluster())?.cluster,
		// The config only adds places to look; listing works without one.
		discover: async () => shared.discover(await knownCluster()),
		inspect,
		findRun: () => recordedRun(options, environment),
		async runStatus() {
			// The same lookup as attach: this account's record, else the one another account's lock names.
			const found = lookUpRun(options, environment);
			const given = options.config ? path.resolve(environment.cwd, options.config) : null;
			if (found.found === 'unreadable') {
				return {config: found.holder.configPath, held: {holder: found.holder, cause: found.cause}};
			}

			if (found.found === 'refused') {
				return {config: given, refused: found.error};
			}

			return found.found === 'record'
				? {config: found.record.configPath, record: found.record, facts: await readRunFacts(found.record)}
				: {config: given};
		},
		lookUpRun: () => lookUpRun(options, environment),
		undo: undoServices(options, environment),
		attachStream: (record: RunRecord, signal: AbortSignal) =>
			(async function* () {
				// The run's own config names the passwords to mask, whichever -c this attach was given.
				const [config, [{makeAttachDeps}, , {attachRun}]] = await Promise.all([readClusterConfig(record.configPath), loadRunWiring()]);
				yield* attachRun(record, makeAttachDeps(options, environment, record, isWizardError(config) ? [] : (config.secrets ?? [])), signal);
			})(),
		onSignal: (signal, handler) => environment.signals.on(signal, handler),
		runScreens: inputs.runScreens,
	};
}
