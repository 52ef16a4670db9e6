// What a command gets from the composition root (source/cli/compose.ts): every port built once,
// from one Environment. Commands never build an adapter themselves.
import type {ClusterConfigInfo} from '../../domain/config/config-facts.js';
import type {DiscoveredPackage, PackageInspection} from '../../domain/packages/inspection.js';
import type {Plan} from '../../domain/plan/plan.js';
import type {WizardError} from '../../domain/shared/wizard-error.js';
import type {Io} from '../../report/io.js';
import type {InspectOptions, RunStream, WizardPorts} from '../../workflow/ports/ports.js';
import type {RunRecord} from '../../workflow/ports/run-record-port.js';
import type {HistoryPort} from '../../workflow/ports/history-port.js';
import type {RegistryPort} from '../../workflow/ports/registry-port.js';
import type {TerminalFacts} from '../environment.js';

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

export type Services = {
	io: Io;
	/** Inputs given by file (--checksums): an error ends the command before anything is read; warnings are said once. */
	checkInputs(): Promise<{error?: WizardError; warnings: string[]}>;
	terminal: TerminalFacts;
	/** Said once on the first screen (the SSH-outside-tmux advice), when it applies. */
	notice?: string;
	now(): number;
	/** clusterConfig.yaml, the installer and the ports for it; built once. */
	cluster(): Promise<ClusterContext | WizardError>;
	/** The config's facts when there is one: `list` works without. */
	clusterIfAny(): Promise<ClusterConfigInfo | undefined>;
	discover(): Promise<DiscoveredPackage[]>;
	inspect(path: string, options?: InspectOptions): Promise<PackageInspection>;
	/** The recorded run for -c (or the newest one), for `attach`; why it cannot be read, when it cannot. */
	findRun(): RunRecord | WizardError | undefined;
	/** The run-event stream of a recorded run, rebuilt from its log, then live. */
	attachStream(record: RunRecord, signal: AbortSignal): RunStream;
	/** Subscribes to a signal of the process; returns the unsubscribe. */
	onSignal(signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP', handler: () => void): () => void;
	/** Mounts the screens and resolves with the exit code. */
	runScreens(options: {
		ports: WizardPorts;
		preselected?: string[];
		yes?: boolean;
		attach?: {plan: Plan};
		graceSeconds: number;
		notice?: string;
	}): Promise<number>;
};
