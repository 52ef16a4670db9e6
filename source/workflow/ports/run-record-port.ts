// What a run leaves for `attach` and for a second wizard: the run record (who runs what, where
// its log and capture files are) and the lock on the config and the working directories. The
// record is the operator's own (their state folder); the lock lives in the working directory and
// beside clusterConfig.yaml, so every operator on the host sees it, and it names the record. The
// composition root binds the port to one clusterConfig.yaml.
import type {FailureCause} from '../../domain/run/run-events.js';
import type {LockHolder, RunningInstaller} from '../../domain/run/lock-holder.js';
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
	/** Each step's snapshot file (workflow/run/step-snapshot.ts), for `undo`. */
	snapshots?: Array<{stepIndex: number; path: string}>;
	plan: Plan;
};

export type Lock = {
	release(): void;
	/** What taking it involved that the operator should hear (a stale lock taken over), for stderr and the run log. */
	notices?: readonly string[];
};

/** What the lock needs to know about the run it guards. */
export type LockRequest = {
	/** Every working directory the steps use: one installer per directory. */
	workdirs: string[];
	/** Base names the installer goes by, to find one already running there. */
	installerNames: string[];
	/** Named in the lock, for `attach` and `status` from another account. */
	logPath: string;
};

export type RunRecordPort = {
	write(record: RunRecord): Promise<void>;
	/** The record as it is now (re-read while `attach` follows). */
	read(): RunRecord | undefined;
	/**
	 * The lock on the config and on every working directory the steps use, for every user on the
	 * host: one run per config, one installer per directory; refused while an installer already runs there.
	 */
	lock(request: LockRequest): Lock | WizardError;
};

/**
 * Where the run for a config is, found from this user's state folder or from the lock another
 * operator's wizard holds: a record, a run whose record this user may not read, or none.
 */
export type RunLookup =
	| {
			found: 'record';
			record: RunRecord;
			recordPath: string;
			/** Set when it was found through another wizard's lock. */ holder?: LockHolder;
	  }
	| {
			found: 'unreadable';
			holder: LockHolder;
			lockFile: string;
			cause: string;
			logReadable: boolean;
			/** Readable, but not a run record (truncated, corrupt): not a matter of which user asks. */
			damaged?: boolean;
			/** The installers still running for it (found in /proc), when the record cannot say which. */
			installers?: RunningInstaller[];
	  }
	/** This user's own record is there but cannot be used (truncated, corrupt, a newer format): why. */
	| {found: 'refused'; error: WizardError}
	| {found: 'none'};
