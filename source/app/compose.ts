// The composition root: every port is built here, once, from the parsed flags and one Environment
// value, and handed to the commands. This is the only module that knows which adapter implements
// which port; everything below it gets what it needs as parameters.
import {spawn} from 'node:child_process';
import {readFile, realpath} from 'node:fs/promises';
import path from 'node:path';
import {openCaptureReader} from '../adapters/run/capture-tail.js';
import {applyConfigEdit, planConfigEdit, readClusterConfig, readClusterConfigDocument, restoreConfigBackup} from '../adapters/config/cluster-config.js';
import {discoverPackages} from '../adapters/packages/discover-packages.js';
import {diskInfo} from '../adapters/host/disk-info.js';
import {inspectPackage} from '../adapters/packages/inspect-package.js';
import {installerVersion} from '../adapters/run/installer-version.js';
import {createRegistryPort} from '../adapters/registry/registry-port.js';
import {createRunHistory} from '../adapters/run/run-history.js';
import {removeCapture, spawnInstaller} from '../adapters/run/installer-process.js';
import {processControl} from '../adapters/host/process-control.js';
import {gatherPreflightFacts} from '../adapters/plan/preflight-facts.js';
import {locateClusterConfig, manifestPathFor, probeInstaller, resolveInstaller} from '../adapters/config/resolve-paths.js';
import {defaultLogPath, runLogPort} from '../adapters/run/run-log.js';
import {systemClock} from '../adapters/host/clock.js';
import {hostDisks} from '../adapters/host/host-disks.js';
import {runFiles} from '../adapters/run/run-files.js';
import {writerCheck} from '../adapters/run/live-installers.js';
import {acquireWorkdirLock, findRecord, processIdentity, runRecordPort} from '../adapters/run/run-record.js';
import {shareInspections} from '../adapters/packages/shared-inspection.js';
import {cleanupLeftover, measureLeftover} from '../adapters/run/target-dir.js';
import type {ClusterContext, Services} from './commands/services.js';
import {parseChecksumList, type ChecksumList} from '../domain/packages/checksum-list.js';
import {exitCodes, type WizardError} from '../domain/shared/wizard-error.js';
import type {ClusterConfigInfo} from '../domain/config/config-facts.js';
import type {PackageInspection} from '../domain/packages/inspection.js';
import type {PlanStep} from '../domain/plan/plan.js';
import {locateRegistry, registryEnvironment, type RegistryEnvValues, type RegistryFlags, type RegistryLocation, type RegistrySecrets} from '../domain/registry/location.js';
import type {Io} from '../report/io.js';
import {runWizard} from '../ui/run-wizard.js';
import {attachRun} from '../workflow/run/attach-run.js';
import {buildPlan, recheckPlan} from '../workflow/plan/build-plan.js';
import type {InspectOptions, SpacesCreated, WizardPorts} from '../workflow/ports/ports.js';
import type {AttachDeps, RunDeps} from '../workflow/ports/run-deps.js';
import type {RunRecord} from '../workflow/ports/run-record-port.js';
import type {RunSettings} from '../workflow/ports/run-settings.js';
import type {RunVerification} from '../workflow/ports/run-verification-port.js';
import type {HistoryPort} from '../workflow/ports/history-port.js';
import type {RegistryPort} from '../workflow/ports/registry-port.js';
import {gatherRegistryFacts} from '../workflow/plan/registry-facts.js';
import {startRun} from '../workflow/run/run-plan.js';
import type {Environment} from './environment.js';
import {isWizardError, type Options} from './options.js';

export const sshNotice = 'You are on SSH outside tmux/screen: if the connection drops, the import keeps running; come back with `addon-wizard attach`. Starting the wizard inside tmux is safer.';

export function sshWithoutMultiplexer(env: Environment['env']): boolean {
	return Boolean(env['SSH_CONNECTION'] ?? env['SSH_TTY']) && !env['TMUX'] && !env['STY'];
}

async function openPager(logPath: string, env: Environment['env']): Promise<void> {
	const pager = env['PAGER'] ?? 'less';
	const [command = 'less', ...args] = pager.split(/\s+/).filter(Boolean);
	await new Promise<void>(resolve => {
		const child = spawn(command, [...args, '+G', logPath], {stdio: 'inherit'});
		child.on('error', () => resolve());
		child.on('exit', () => resolve());
	});
}

/**
 * The packages the cluster has now (every entry of spec.addonPackage.path), inspected the same way;
 * one also being imported is not read twice, and one that is gone or damaged is left out.
 */
async function inspectBaselines(candidates: string[], chosen: PackageInspection[], inspect: (path: string) => Promise<PackageInspection>): Promise<PackageInspection[]> {
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

/** The operator's --checksums file, parsed; a line it cannot use is a warning, an unreadable file an error. */
async function loadChecksums(file: string | undefined): Promise<{list: ChecksumList; warnings: string[]} | WizardError | undefined> {
	if (file === undefined) {
		return undefined;
	}

	const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => error);
	if (typeof text !== 'string') {
		return {kind: 'checksums-unreadable', message: `Cannot read the --checksums file ${file} (${text.code ?? text.message}).`, hint: 'Check the path, or leave --checksums out.', exitCode: exitCodes.badInput};
	}

	const list = parseChecksumList(text, path.basename(file));
	if (list.entries.length === 0) {
		return {kind: 'checksums-empty', message: `${file} holds no sha512 value the wizard could attach to a package.`, hint: 'Paste the lines of the download page (sha512sum output, or the table), then pass the file again.', exitCode: exitCodes.badInput};
	}

	return {list, warnings: list.problems.map(problem => `--checksums ${path.basename(file)} line ${problem.line}: not used (${problem.reason}).`)};
}

/**
 * The leftover clean-up every surface uses: the directory checks, then no live installer writing
 * there (any wizard's run record, any process on the host). `lock` takes the working directory for
 * the clean-up when the caller does not hold it already (the Result's r; a run with --cleanup does).
 */
function guardedCleanup(environment: Environment, configPath: string, lock: boolean) {
	return async (step: PlanStep) => {
		const writers = writerCheck(environment.paths.state, ['dce5-installer', path.basename(step.argv[0] ?? 'dce5-installer')], environment.pid);
		const held = lock ? acquireWorkdirLock(environment.paths.state, step.cwd, configPath) : undefined;
		if (isWizardError(held)) {
			return held;
		}

		try {
			return await cleanupLeftover(step, writers);
		} finally {
			held?.release();
		}
	};
}

function memo<T>(make: () => Promise<T>): () => Promise<T> {
	let value: Promise<T> | undefined;
	return async () => {
		value ??= make();
		return value;
	};
}

/** The registry logins the environment gives (names in `registryEnvironment`); never printed. */
export function registryEnvValues(env: Environment['env']): RegistryEnvValues {
	const value = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
	return {
		registryUser: value(registryEnvironment.registryUser),
		registryPassword: value(registryEnvironment.registryPassword),
		chartUser: value(registryEnvironment.chartUser),
		chartPassword: value(registryEnvironment.chartPassword),
	};
}

/** Creates the spaces through a port opened for it and closed after. */
async function createSpacesWith(open: () => RegistryPort | WizardError, names: string[]): Promise<SpacesCreated> {
	const port = open();
	if (isWizardError(port)) {
		return {created: [], error: port};
	}

	try {
		return await port.createSpaces(names);
	} finally {
		await port.close();
	}
}

/** The registry flags as locateRegistry takes them, paths resolved from the working directory. */
function registryFlags(options: Options, cwd: string): RegistryFlags {
	return {
		registry: options.registry,
		chartRepo: options.chartRepo,
		caFile: options.registryCa === undefined ? undefined : path.resolve(cwd, options.registryCa),
		insecure: options.registryInsecure,
	};
}

/**
 * Where the cluster's registry and chart repository are: clusterConfig.yaml's imagesAndCharts, the
 * --registry/--chart-repo flags, the login variables, this host's addresses (builtin registries).
 * One function for every surface that reads the registry (the plan's diff, each step's check, verify).
 */
export async function locateClusterRegistry(options: Options, environment: Environment, configPath: string): Promise<{location: RegistryLocation; secrets: RegistrySecrets} | WizardError> {
	const document = await readClusterConfigDocument(configPath);
	if (isWizardError(document)) {
		return document;
	}

	return locateRegistry({document, flags: registryFlags(options, environment.cwd), env: registryEnvValues(environment.env), candidateHosts: environment.hostAddresses()});
}

/** A registry port for the cluster; each call opens a new one (its caller closes it). */
export async function openClusterRegistry(options: Options, environment: Environment, configPath: string): Promise<RegistryPort | WizardError> {
	const located = await locateClusterRegistry(options, environment, configPath);
	return isWizardError(located) ? located : createRegistryPort({location: located.location, secrets: located.secrets, now: environment.now});
}

/** How a run checks each step against the registry: --no-verify, or the cluster's registry. */
function runVerification(options: Options, environment: Environment, configPath: string): RunVerification {
	return options.noVerify
		? {mode: 'off', reason: 'you chose not to check (--no-verify)'}
		: {mode: 'registry', open: async () => openClusterRegistry(options, environment, configPath), clusterArches: options.clusterArches};
}

/** The run history, under the state folder. */
export function historyPort(environment: Environment): HistoryPort {
	return createRunHistory(environment.paths.state);
}

/** The run's settings: plain values from the flags and the environment. */
function runSettings(options: Options, environment: Environment, secrets: readonly string[]): RunSettings {
	const {cwd, env, paths} = environment;
	return {
		logPath: options.logFile ? path.resolve(cwd, options.logFile) : defaultLogPath(paths.logs, new Date(environment.now())),
		graceMs: options.stopGrace * 1000,
		diskFloorBytes: options.diskFloor,
		sampleMs: 1000,
		// The installer sees the environment the wizard resolved HOME, PATH and its state from.
		env: {...env},
		captureDir: paths.capture,
		secrets,
		wizardPid: environment.pid,
	};
}

/** The ports the live run and `attach` share: the host's processes, capture files, disks and clock. */
function hostPorts(environment: Environment, secrets: readonly string[]) {
	return {
		clock: systemClock(environment.now),
		processes: processControl,
		capture: {open: openCaptureReader, remove: removeCapture},
		log: runLogPort(secrets),
		files: runFiles,
		disks: hostDisks,
	};
}

/** What a run needs from the outside world, from the flags and the environment. */
export function makeRunDeps(options: Options, environment: Environment, cluster: ClusterConfigInfo, configPath: string): RunDeps {
	const secrets = cluster.secrets ?? [];
	return {
		...hostPorts(environment, secrets),
		settings: runSettings(options, environment, secrets),
		installer: {spawn: spawnInstaller, identify: processIdentity, version: installerVersion},
		record: runRecordPort(environment.paths.state, configPath),
		config: {apply: applyConfigEdit, restore: restoreConfigBackup},
		leftover: {cleanup: guardedCleanup(environment, configPath, false)},
		verification: runVerification(options, environment, configPath),
		history: historyPort(environment),
	};
}

/** What `attach` needs to rebuild and follow a recorded run. */
export function makeAttachDeps(options: Options, environment: Environment, record: RunRecord, secrets: readonly string[]): AttachDeps {
	const {graceMs, sampleMs, diskFloorBytes} = runSettings(options, environment, secrets);
	return {
		...hostPorts(environment, secrets),
		settings: {graceMs, sampleMs, diskFloorBytes, secrets},
		record: runRecordPort(environment.paths.state, record.configPath),
	};
}

export function compose(options: Options, environment: Environment, io: Io): Services {
	const {cwd, env, paths} = environment;
	const resolve = (file: string) => path.resolve(cwd, file);
	const registryEnv = registryEnvValues(env);
	const envSecrets = [registryEnv.registryPassword, registryEnv.chartPassword].filter((item): item is string => item !== undefined);

	const checksums = memo(async () => loadChecksums(options.checksums ? resolve(options.checksums) : undefined));
	const inspect = shareInspections(async (file: string, inspectOptions?: InspectOptions) => inspectPackage(file, {
		...inspectOptions,
		checksums: await checksums().then(list => (isWizardError(list) ? undefined : list?.list)),
		cacheDir: paths.cache,
		useCache: options.cache && inspectOptions?.useCache !== false,
		spaceMode: options.spaceMode,
	}));
	const inspectResolved = async (file: string, inspectOptions?: InspectOptions) => inspect(resolve(file), inspectOptions);

	const configLocation = memo(async () => locateClusterConfig(options.config, cwd));
	const clusterInfo = memo(async (): Promise<{configPath: string; cluster: ClusterConfigInfo} | WizardError> => {
		const configPath = await configLocation();
		if (isWizardError(configPath)) {
			return configPath;
		}

		const cluster = await readClusterConfig(configPath);
		// The environment's registry passwords are masked wherever the config's are.
		return isWizardError(cluster) ? cluster : {configPath, cluster: {...cluster, secrets: [...cluster.secrets ?? [], ...envSecrets]}};
	});

	const discover = async (cluster?: {configPath: string; cluster: ClusterConfigInfo}) => discoverPackages({
		cwd,
		home: environment.home,
		configPath: cluster?.configPath,
		currentAddonPaths: cluster?.cluster.addonPackagePaths ?? [],
		extraDirs: options.search.map(dir => resolve(dir)),
		depth: options.depth,
	});

	const runDeps = (cluster: ClusterConfigInfo, configPath: string) => makeRunDeps(options, environment, cluster, configPath);
	const attachDeps = (record: RunRecord, secrets: readonly string[]) => makeAttachDeps(options, environment, record, secrets);

	const findRun = () => findRecord(paths.state, options.config ? resolve(options.config) : undefined);

	const attachStream = (record: RunRecord, signal: AbortSignal) => (async function * () {
		// The run's own config names the passwords to mask, whichever -c this attach was given.
		const config = await readClusterConfig(record.configPath);
		yield * attachRun(record, attachDeps(record, isWizardError(config) ? [] : config.secrets ?? []), signal);
	})();

	const cluster = memo(async (): Promise<ClusterContext | WizardError> => {
		const info = await clusterInfo();
		if (isWizardError(info)) {
			return info;
		}

		const {configPath, cluster: config} = info;
		const manifestPath = manifestPathFor(configPath, options.manifest);
		const installer = await resolveInstaller(options.installer, {HOME: environment.home, PATH: env['PATH']});
		const workdir = resolve(options.workdir ?? '.');
		const baselinePaths = options.baseline ? [resolve(options.baseline)] : config.addonPackagePaths;
		const deps = runDeps(config, configPath);
		const configRealPath = await realpath(configPath).catch(() => configPath);
		// One registry location for every surface that reads it: the plan's diff, each step's check, verify.
		const located = await locateClusterRegistry(options, environment, configPath);
		const openRegistry = () => (isWizardError(located) ? located : createRegistryPort({location: located.location, secrets: located.secrets, now: environment.now}));
		const history = historyPort(environment);
		const registryFacts = (query: Parameters<typeof gatherRegistryFacts>[0]) => gatherRegistryFacts(query, {openRegistry, history});
		const ports: WizardPorts = {
			discoverPackages: async () => discover(info),
			inspectPackage: inspectResolved,
			async buildPlan(inspections, planOptions) {
				// The config as it is now: a run since the wizard started (the chained step's) changed addonPackage.path.
				const now = await readClusterConfig(configPath);
				const fresh = isWizardError(now) ? config : now;
				const baselines = await inspectBaselines(options.baseline ? baselinePaths : fresh.addonPackagePaths, inspections, async file => inspectResolved(file, {onProgress: planOptions?.onProgress}));
				return buildPlan({
					packages: inspections,
					cluster: fresh,
					configPath,
					manifestPath,
					installer,
					workdir,
					baselines,
					watchPaths: options.watchPaths.map(dir => resolve(dir)),
					importCommand: options.importCommand,
					diskMargin: options.diskMargin,
					registrySpaces: options.registrySpaces,
					clusterArches: options.clusterArches,
					fromStep: options.fromStep,
					removeLeftover: options.cleanup,
					configRealPath,
					requireRegistry: options.requireRegistry,
					registryRead: {signal: planOptions?.signal, onProgress: planOptions?.onRegistryProgress},
				}, {diskInfo, planConfigEdit, preflightFacts: gatherPreflightFacts, registryFacts});
			},
			createSpaces: async names => createSpacesWith(openRegistry, names),
			recheck: async (plan, request) => recheckPlan(plan, request, {installer: async file => probeInstaller(file, env['PATH']), diskInfo, preflightFacts: gatherPreflightFacts}),
			// `x` on Review (plan.removeLeftover) and --cleanup remove the leftover inside the run's locks.
			startRun: (plan, fromStep, signal, runOptions) => startRun(plan, fromStep, {...deps, settings: {...deps.settings, logPath: options.logFile ? deps.settings.logPath : defaultLogPath(paths.logs, new Date(environment.now()))}}, signal, runOptions),
			attachRun(signal) {
				const record = findRecord(paths.state, configPath);
				if (!record) {
					throw new Error(`no run recorded for ${configPath}`);
				}

				return attachRun(record, attachDeps(record, config.secrets ?? []), signal);
			},
			measureLeftover,
			cleanupLeftover: guardedCleanup(environment, configPath, true),
			restoreConfig: async (edit, backupPath) => restoreConfigBackup(edit, backupPath),
			openLog: async logPath => openPager(logPath, env),
		};
		return {configPath, manifestPath, cluster: config, installer, workdir, ports, history, registry: async () => openClusterRegistry(options, environment, configPath)};
	});

	return {
		io,
		async checkInputs() {
			const list = await checksums();
			return isWizardError(list) ? {error: list, warnings: []} : {warnings: list?.warnings ?? []};
		},
		terminal: environment.terminal,
		notice: sshWithoutMultiplexer(env) ? sshNotice : undefined,
		now: environment.now,
		cluster,
		async clusterIfAny() {
			const info = await clusterInfo();
			return isWizardError(info) ? undefined : info.cluster;
		},
		async discover() {
			// The config only adds places to look; listing works without one.
			const info = await clusterInfo();
			return discover(isWizardError(info) ? undefined : info);
		},
		inspect: inspectResolved,
		findRun,
		attachStream,
		isAlive: processControl.isAlive,
		onSignal: (signal, handler) => environment.signals.on(signal, handler),
		runScreens: async screenOptions => runWizard({...screenOptions, ascii: environment.terminal.ascii, color: environment.terminal.color, signals: environment.signals}),
	};
}
