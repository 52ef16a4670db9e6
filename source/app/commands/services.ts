// What a command gets from the composition root (source/cli/compose.ts): every port built once,
// from one Environment. Commands never build an adapter themselves.
import type {ClusterConfigInfo} from '../../domain/config/config-facts.js';
import type {DiscoveredPackage, PackageInspection} from '../../domain/packages/inspection.js';
import type {Plan} from '../../domain/plan/plan.js';
import type {LockHolder} from '../../domain/run/lock-holder.js';
import type {RunFacts} from '../../domain/run/run-facts.js';
import type {WizardError} from '../../domain/shared/wizard-error.js';
import type {Io} from '../../report/io.js';
import type {InspectOptions, RunStream, WizardPorts} from '../../workflow/ports/ports.js';
import type {RunLookup, RunRecord} from '../../workflow/ports/run-record-port.js';
import type {HistoryPort} from '../../workflow/ports/history-port.js';
import type {RegistryPort} from '../../workflow/ports/registry-port.js';
import type {TerminalFacts} from '../environment.js';
import type {RestorePort, SnapshotFiles} from '../../workflow/ports/snapshot-port.js';

/** What `undo` needs besides the cluster: the snapshot files, the registry to restore, a question. */
export type UndoServices = {
	files: SnapshotFiles;
	open(configPath: string): Promise<RestorePort | WizardError>;
	/** Asks on the terminal; true for y/yes. */
	confirm(question: string): Promise<boolean>;
	isAlive(pid: number): boolean;
};

export type ClusterContext = {
	configPath: string;
	manifestPath: string;
	cluster: ClusterConfigInfo;
	installer: {path: string; found: boolean; executable: boolean};
	workdir: string;
	ports: WizardPorts;
	/** What the wizard ran against clusters, with what verification found. */
	history: HistoryPort;
	/** The cluster's registry (a new port each call; close it), or why it cannot be located. */
	registry(): Promise<RegistryPort | WizardError>;
};

/** What the screens are mounted with: the ports, what the flags chose, and a notice to show first. */
export type ScreenOptions = {
	ports: WizardPorts;
	preselected?: string[];
	yes?: boolean;
	attach?: {plan: Plan};
	graceSeconds: number;
	notice?: string;
};

export type Services = {
	io: Io;
	/** `undo`'s ports (optional: hand-built services in tests leave it out). */
	undo?: UndoServices;
	/**
	 * What was typed, checked before anything is read or printed: every path a flag of this command
	 * names (given-paths.ts), then the --checksums file. An error ends the command (exit 2);
	 * warnings are said once.
	 */
	checkInputs(): Promise<{error?: WizardError; warnings: string[]}>;
	/** `--result-file`: writes the text there atomically (nothing when the flag is absent). */
	writeResultFile(text: string): Promise<WizardError | undefined>;
	terminal: TerminalFacts;
	/** Said once on the first screen (the SSH-outside-tmux advice), when it applies. */
	notice?: string;
	now(): number;
	/** clusterConfig.yaml, the installer and the ports for it; built once. */
	cluster(): Promise<ClusterContext | WizardError>;
	/** Whether another wizard (any user's) holds the run's locks now, as the refusal naming it. */
	runHeld(): Promise<WizardError | undefined>;
	/** The config's facts when there is one: `list` works without. */
	clusterIfAny(): Promise<ClusterConfigInfo | undefined>;
	discover(): Promise<DiscoveredPackage[]>;
	inspect(path: string, options?: InspectOptions): Promise<PackageInspection>;
	/** The recorded run for -c (or the newest one), for `attach`; why it cannot be read, when it cannot. */
	findRun(): RunRecord | WizardError | undefined;
	/**
	 * For `status`: the run `findRun` finds, what the host says of it now (processes, owner, the last
	 * verification), and the config it is for (-c as given when no run is recorded; null without -c).
	 */
	runStatus(): Promise<{
		config: string | null;
		record?: RunRecord;
		facts?: RunFacts;
		held?: {holder: LockHolder; cause: string};
		refused?: WizardError;
	}>;
	/** The run for the config from any account, or why it cannot be shown (app/recorded-run.ts). */
	lookUpRun(): RunLookup;
	/** The run-event stream of a recorded run, rebuilt from its log, then live. */
	attachStream(record: RunRecord, signal: AbortSignal): RunStream;
	/** Subscribes to a signal of the process; returns the unsubscribe. */
	onSignal(signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP', handler: () => void): () => void;
	/** Mounts the screens and resolves with the exit code. */
	runScreens(options: ScreenOptions): Promise<number>;
};
