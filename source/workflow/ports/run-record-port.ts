// What a run leaves for `attach` and for a second wizard: the run record (who runs what, where
// its log and capture files are) and the lock on the config and the working directories. The
// composition root binds the port to one clusterConfig.yaml.
import type {FailureCause} from '../../domain/run/run-events.js';
import type {Plan} from '../../domain/plan/plan.js';
import type {WizardError} from '../../domain/shared/wizard-error.js';
import type {CaptureFiles} from './capture-port.js';

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

export type RunRecordPort = {
	write(record: RunRecord): Promise<void>;
	/** The record as it is now (re-read while `attach` follows). */
	read(): RunRecord | undefined;
	/** The lock on the config and on every working directory the steps use: one run per config, one installer per directory. */
	lock(workdirs: string[]): Lock | WizardError;
};
