// The outside world as the workflow sees it: types only. The composition root (source/cli/compose.ts)
// builds real adapters behind these names; screen and workflow tests pass fakes. Adapters import
// this module to implement it; the workflow never imports an adapter.
import type {ChecksumList} from '../../domain/packages/checksum-list.js';
import type {FilesystemInfo} from '../../domain/plan/estimate-disk-needs.js';
import type {ConfigEdit} from '../../domain/config/config-facts.js';
import type {DiscoveredPackage, InspectionProgress, PackageInspection} from '../../domain/packages/inspection.js';
import type {FailureCause, FilesystemFacts, LingeringProcess, RunEvent} from '../../domain/run/run-events.js';
import type {Plan, PlanStep} from '../../domain/plan/plan.js';
import type {WizardError} from '../../domain/shared/wizard-error.js';
import type {RegistryReadProgress, SpaceCreation} from './registry-port.js';

import type {HistoryPort} from './history-port.js';
import type {RegistryPort} from './registry-port.js';

export type {RunOutcome, StopReason} from '../../domain/run/run-events.js';

/** What `createSpaces` did: the names done (created, or there already), and the refusal that stopped it. */
export type SpacesCreated = {created: SpaceCreation[]; error?: WizardError};

export type InspectOptions = {
	signal?: AbortSignal;
	/** Checksums the operator gave (`--checksums FILE`), judged beside the published table and sidecars. */
	checksums?: ChecksumList;
	onProgress?: (progress: InspectionProgress) => void;
	/** False forces a fresh read even when a cached result matches (path, size, times, inode). */
	useCache?: boolean;
};

/**
 * One run-event source for every consumer: the live run and `attach` both hand out this. It ends
 * after `run-end`. Leaving the loop early (`break`, `return()`) detaches: the installer keeps
 * running, and `attach` can pick it up again. Stopping the installer is the signal's job.
 */
export type RunStream = AsyncIterable<RunEvent>;

export type WizardPorts = {
	discoverPackages(): Promise<DiscoveredPackage[]>;
	inspectPackage(path: string, options?: InspectOptions): Promise<PackageInspection>;
	/**
	 * `onProgress` reports reading the package the cluster has now (the baseline), when it must be
	 * read; `onRegistryProgress` reading the registry's tags. Aborting `signal` stops the registry read.
	 */
	buildPlan(inspections: PackageInspection[], options?: {onProgress?: (progress: InspectionProgress) => void; onRegistryProgress?: (progress: RegistryReadProgress) => void; signal?: AbortSignal}): Promise<Plan | WizardError>;
	/** Creates the registry spaces (Harbor projects) named, in order; 409 counts as done, the first refusal stops. */
	createSpaces(names: string[]): Promise<SpacesCreated>;
	/**
	 * The plan with its whole pre-flight checked again against the world as it is now (free space,
	 * the leftover, the installer, the working directory, the packages). A retry calls it before it
	 * re-runs a step; `fromStep` is 1-based, `removeLeftover` says the leftover will be removed first.
	 */
	recheck(plan: Plan, request: {fromStep: number; removeLeftover?: boolean}): Promise<Plan>;
	/** Runs plan.steps from `fromStep` on. Aborting `signal` stops the installer (SIGINT, SIGTERM, SIGKILL). */
	startRun(plan: Plan, fromStep: number, signal: AbortSignal, options?: RunOptions): RunStream;
	/** Re-opens the recorded run (after an SSH drop): its whole history first, then live. */
	attachRun(signal: AbortSignal): RunStream;
	/** Size of the step's leftover `addon-offline-target-package`, undefined when there is none. */
	measureLeftover(step: PlanStep): Promise<{path: string; bytes: number} | undefined>;
	/**
	 * Removes exactly that leftover directory, after the safety checks: refused while any live
	 * installer (this wizard's, another's, or one started by hand) writes there, or while another
	 * addon-wizard holds the working directory.
	 */
	cleanupLeftover(step: PlanStep): Promise<{path: string; freedBytes: number} | WizardError>;
	/** Puts clusterConfig.yaml back from the backup the run took (refused when the file changed since). */
	restoreConfig(edit: ConfigEdit, backupPath: string): Promise<RestoredConfig | WizardError>;
	/** Shows the full log in a pager; resolves when the pager exits. */
	openLog(logPath: string): Promise<void>;
};

export type RestoredConfig = {restoredPath: string; replacedCopyPath: string};

/** How a run starts and ends beyond its steps. */
export type RunOptions = {
	/** Remove the first step's leftover addon-offline-target-package (safety-checked) once the locks are held. */
	cleanup?: boolean;
	/** After a failed step, put clusterConfig.yaml back from the backup this run took. */
	restoreConfigOnFailure?: boolean;
};

// ---- What a run needs from the outside world (run-plan.ts, attach-run.ts) ----

export type ProcessExit = {
	exitCode?: number;
	signal?: string;
	spawnError?: string;
	/** Why the kernel would not run the file, when that is known (e.g. `an aarch64 binary on this x64 machine`). */
	spawnDetail?: string;
};

/** Where an installer's raw output lands while it runs: two private files the wizard tails. */
export type CaptureFiles = {stdout: string; stderr: string};

export type InstallerProcess = {
	pid?: number;
	capture?: CaptureFiles;
	exited: Promise<ProcessExit>;
	/** Lets the wizard exit while the installer runs on (the view was left); `exited` may then never settle. */
	release?(): void;
};

export type SpawnRequest = {
	argv: string[];
	cwd: string;
	env?: Record<string, string | undefined>;
	/** Private folder for the capture files (0700; files 0600). */
	captureDir: string;
};

/** Complete lines of one capture file, in batches; `skip` lines at the start are not delivered again. */
export type CaptureReader = {
	/** Reads what was appended, a bounded amount per call; true when more is waiting. */
	read(): boolean;
	/** Bytes the writer has put in the file so far (for burst pacing). */
	written(): number;
	/** The writer is gone: read to the end, deliver the last partial line, close. */
	finish(): Promise<void>;
};

export type OpenCapture = (file: string, stream: 'stdout' | 'stderr', onLines: (lines: string[]) => void, options?: {skipLines?: number}) => CaptureReader;

/** The run log an operator attaches to a ticket, and the journal `attach` rebuilds the view from. */
export type RunLog = {
	path: string;
	/** Installer output of one step, one batch per chunk read (already sanitised and masked). */
	output(stepId: string, stream: 'stdout' | 'stderr', lines: string[]): void;
	/** The wizard's own notes: steps, config writes, cleanups, results. */
	note(text: string): void;
	/** A run event, as the journal `attach` replays. */
	event(event: RunEvent): void;
	close(): void;
};

/** One entry read back from a run log, in the order it was written. */
export type JournalEntry =
	| {kind: 'output'; stepId: string; stream: 'stdout' | 'stderr'; line: string}
	| {kind: 'event'; event: RunEvent}
	| {kind: 'note'; text: string};

export type JournalReader = {
	/** Entries appended since the last call, a bounded amount per call; `more` when the file holds more. */
	read(): Promise<{entries: JournalEntry[]; more: boolean}>;
	close(): Promise<void>;
};

export type RunRecord = {
	wizardPid: number;
	installerPid?: number;
	/** Boot and start time of the installer (run-record.ts processIdentity), so a reused pid is not taken for it. */
	installerIdentity?: string;
	/** The running installer's capture files. */
	capture?: CaptureFiles;
	configPath: string;
	logPath: string;
	startedAt: number;
	stepIndex: number;
	stepId: string;
	packagePath: string;
	status: 'running' | 'ok' | 'failed' | 'interrupted';
	/** The wizard left the view (`d`) while the installer ran: it no longer follows it, whether or not its pid lives. */
	detachedAt?: number;
	endedAt?: number;
	failure?: FailureCause;
	failedStepIndex?: number;
	plan: Plan;
};

export type Lock = {release(): void};

/** The few facts about processes the run needs: whether one lives, and how to stop a group. */
export type ProcessControl = {
	isAlive(pid: number): boolean;
	/** SIGINT, then SIGTERM, then SIGKILL to the group, `graceMs` apart; resolves once it is gone or after SIGKILL. */
	stopGroup(pid: number, graceMs: number): Promise<void>;
	/** SIGKILL to whatever is left of a group whose leader has exited. */
	killGroup(pid: number): void;
	/** The live processes of a process group (its leader may be gone). */
	groupMembers(pgid: number): LingeringProcess[];
};

/**
 * How a run checks each step against the registry (workflow/verify-run.ts): read before the step,
 * read again after it. `open` is called once per run; a WizardError from it (no registry located,
 * a CA file that cannot be read) makes every step "finished, not verified", saying why.
 */
export type RunVerification =
	| {mode: 'registry'; open(): Promise<RegistryPort | WizardError>; /** --cluster-arches: arches the tags must carry beside what the registry shows. */ clusterArches: readonly string[]}
	/** The operator chose not to check (--no-verify): steps are judged by the installer alone, and say so. */
	| {mode: 'off'; reason: string};

export type RunDeps = {
	logPath: string;
	/** Absent: not checked, as with `off` (only hand-built deps in tests leave it out). */
	verification?: RunVerification;
	/** Every finished step is recorded here, with what the verification found. */
	history?: HistoryPort;
	/** `<installer> --version`, for the history; undefined when it does not say. */
	installerVersion?(installerPath: string): Promise<string | undefined>;
	graceMs: number;
	/** Free bytes under which the wizard offers to stop the installer; derived from the disk size when unset. */
	diskFloorBytes?: number;
	sampleMs: number;
	/** How often capture files are read while the installer runs. */
	pollMs?: number;
	env?: Record<string, string | undefined>;
	captureDir: string;
	/** Registry passwords from clusterConfig.yaml: masked in every output line, on screen and in the log. */
	secrets: readonly string[];
	wizardPid: number;
	now(): number;
	openLog(path: string): RunLog;
	spawn(request: SpawnRequest): InstallerProcess;
	openCapture: OpenCapture;
	/** Removes a step's capture files once they were read to the end. */
	removeCapture(files: CaptureFiles): void;
	processes: ProcessControl;
	/** Boot and start time of a process, recorded with the installer's pid so a reused pid is not taken for it. */
	identify?(pid: number): string | undefined;
	/** The lock on the config and on every working directory the steps use: one run per config, one installer per directory. */
	acquireLock(workdirs: string[]): Lock | WizardError;
	/** The leftover clean-up of RunOptions.cleanup, run while the locks are held (the safety checks included). */
	cleanupLeftover(step: PlanStep): Promise<{path: string; freedBytes: number} | WizardError>;
	/** RunOptions.restoreConfigOnFailure. */
	restoreConfig(edit: ConfigEdit, backupPath: string): Promise<RestoredConfig | WizardError>;
	/** The working directory's filesystem, looked at after a failure. */
	filesystemOf(path: string): Promise<FilesystemFacts | undefined>;
	/** Without output this long, the run says how long the installer has been silent (default 5 minutes). */
	silentAfterMs?: number;
	/** After the installer exits, how long its leftover processes run before the screens offer to stop them (default 60 s). */
	lingerGraceMs?: number;
	writeRecord(record: RunRecord): Promise<void>;
	applyConfigEdit(edit: ConfigEdit): Promise<{backupPath: string} | WizardError>;
	readText(path: string): Promise<string | undefined>;
	statFile(path: string): Promise<{size: number; mtimeMs: number} | undefined>;
	/** Whether the installer can create addon-offline-target-package in `dir`. */
	canWriteDir(dir: string): Promise<boolean>;
	dirSize(path: string): Promise<number>;
	diskInfo(paths: string[]): Promise<FilesystemInfo[]>;
	exists(path: string): Promise<boolean>;
};

export type AttachDeps = Pick<RunDeps, 'graceMs' | 'sampleMs' | 'pollMs' | 'secrets' | 'diskFloorBytes' | 'openCapture' | 'removeCapture' | 'processes' | 'dirSize' | 'diskInfo' | 'exists' | 'now' | 'silentAfterMs'> & {
	/** The run record as it is now (re-read while following). */
	readRecord(): RunRecord | undefined;
	openJournal(logPath: string): JournalReader;
	/** How many of the newest replayed output lines are shown again (the rest are counted). */
	replayLines?: number;
};
