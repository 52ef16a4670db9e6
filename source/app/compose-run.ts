// The composition root's run wiring: the settings and ports a live run and `attach` are handed
// (workflow/ports/run-deps.ts), from the flags and the environment.
import path from 'node:path';
import {withoutWizardSecrets} from '../domain/registry/location.js';
import process from 'node:process';
import {openCaptureReader} from '../adapters/run/capture-tail.js';
import {applyConfigEdit, restoreConfigBackup} from '../adapters/config/cluster-config.js';
import {installerVersion} from '../adapters/run/installer-version.js';
import {createRunHistory} from '../adapters/run/run-history.js';
import {removeCapture, spawnInstaller} from '../adapters/run/installer-process.js';
import {processControl} from '../adapters/host/process-control.js';
import {defaultLogPath, runLogPort} from '../adapters/run/run-log.js';
import {systemClock} from '../adapters/host/clock.js';
import {hostDisks} from '../adapters/host/host-disks.js';
import {runFiles} from '../adapters/run/run-files.js';
import {writerCheck} from '../adapters/run/live-installers.js';
import {processIdentity} from '../adapters/host/process-identity.js';
import {acquireWorkdirLock} from '../adapters/run/run-lock.js';
import {recordFileOf} from '../adapters/run/run-lookup.js';
import {runRecordPort, type LockFacts} from '../adapters/run/run-record-binding.js';
import {recordPath} from '../adapters/run/run-record.js';
import {displayCommand} from '../domain/run/build-installer-command.js';
import {secretMasker} from '../domain/shared/mask-secrets.js';
import {cleanupLeftover} from '../adapters/run/target-dir.js';
import type {ClusterConfigInfo} from '../domain/config/config-facts.js';
import type {PlanStep} from '../domain/plan/plan.js';
import type {AttachDeps, RunDeps} from '../workflow/ports/run-deps.js';
import type {RunRecord, RunRecordPort} from '../workflow/ports/run-record-port.js';
import type {RunSettings} from '../workflow/ports/run-settings.js';
import type {RunVerification} from '../workflow/ports/run-verification-port.js';
import {stateFolderProblem} from '../adapters/host/state-folder.js';
import type {LeftoverRequest} from '../workflow/ports/leftover-port.js';
import type {HistoryPort} from '../workflow/ports/history-port.js';
import {openClusterRegistry, openClusterRestore} from './compose-registry.js';
import {runSnapshots} from '../adapters/run/run-snapshots.js';
import type {Environment} from './environment.js';
import {isWizardError, type Options} from './options.js';

/**
 * What the locks say about this wizard to another operator: its command line (the process's own,
 * which every user can read in /proc anyway) with the config's passwords masked.
 */
export function lockFacts(secrets: readonly string[], announce?: (line: string) => void): LockFacts {
	const mask = secretMasker(secrets);
	return {command: mask(displayCommand(process.argv)), mask, announce};
}

/**
 * The leftover clean-up every surface uses: the directory checks, then no live installer writing
 * there (any wizard's run record, any process on the host). `lock` takes the working directory for
 * the clean-up when the caller does not hold it already (the Result's r; a run with --cleanup does).
 */
export function guardedCleanup(
	environment: Environment,
	configPath: string,
	lock: boolean,
	{secrets = [], unexplainedConfirmed = false}: {secrets?: readonly string[]; unexplainedConfirmed?: boolean} = {},
) {
	// --cleanup-unexplained: the operator agreed up front that what the packages do not explain may go.
	return async (step: PlanStep, request: LeftoverRequest) => {
		const writers = writerCheck(
			environment.paths.state,
			['dce5-installer', path.basename(step.argv[0] ?? 'dce5-installer')],
			environment.pid,
		);
		const owner = {configPath, recordPath: recordPath(environment.paths.state, configPath), command: lockFacts(secrets).command};
		const held = lock ? acquireWorkdirLock(step.cwd, owner) : undefined;
		if (isWizardError(held)) {
			return held;
		}

		try {
			return await cleanupLeftover(step, writers, {
				packages: request.packages,
				consent: unexplainedConfirmed ? 'all' : request.consent,
			});
		} finally {
			held?.release();
		}
	};
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
		// The installer sees the environment the wizard resolved HOME, PATH and its state from, less the wizard's own logins.
		env: withoutWizardSecrets(env),
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

/**
 * The lock is the run's first act: the state folder (records, logs, capture files) is checked
 * there, so a folder that cannot be written is named before anything is taken or run.
 */
function checkedState(port: RunRecordPort, environment: Environment): RunRecordPort {
	return {...port, lock: request => stateFolderProblem(environment.paths) ?? port.lock(request)};
}

/**
 * What a run needs from the outside world, from the flags and the environment. `announce` says a
 * line on stderr (a stale lock taken over) where no screens are drawn over it.
 */
export function makeRunDeps(
	options: Options,
	environment: Environment,
	cluster: ClusterConfigInfo,
	configPath: string,
	announce?: (line: string) => void,
): RunDeps {
	const secrets = cluster.secrets ?? [];
	const settings = runSettings(options, environment, secrets);
	return {
		...hostPorts(environment, secrets),
		settings,
		installer: {spawn: spawnInstaller, identify: processIdentity, version: async file => installerVersion(file, settings.env ?? {})},
		record: checkedState(runRecordPort(environment.paths.state, configPath, lockFacts(secrets, announce)), environment),
		config: {apply: applyConfigEdit, restore: restoreConfigBackup},
		leftover: {cleanup: guardedCleanup(environment, configPath, false, {unexplainedConfirmed: options.cleanupUnexplained})},
		verification: runVerification(options, environment, configPath),
		history: historyPort(environment),
		// --no-verify reads nothing from the registry (it may not answer from here): nothing is saved for undo either.
		snapshot: options.noVerify
			? undefined
			: {open: async () => openClusterRestore(options, environment, configPath), files: runSnapshots(environment.paths.state)},
	};
}

/** What `attach` needs to rebuild and follow a recorded run. */
export function makeAttachDeps(options: Options, environment: Environment, record: RunRecord, secrets: readonly string[]): AttachDeps {
	const {graceMs, sampleMs, diskFloorBytes} = runSettings(options, environment, secrets);
	const recordFile = recordFileOf(environment.paths.state, record);
	return {
		...hostPorts(environment, secrets),
		settings: {graceMs, sampleMs, diskFloorBytes, secrets},
		// A lost step goes into this user's history only when the run was this user's own.
		history: recordFile === recordPath(environment.paths.state, record.configPath) ? historyPort(environment) : undefined,
		// Another operator's run is followed in the record its lock named, not in this user's state folder.
		record: runRecordPort(environment.paths.state, record.configPath, lockFacts(secrets), recordFile),
	};
}
