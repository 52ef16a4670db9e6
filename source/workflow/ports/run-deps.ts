// Everything a run is handed: its settings and one port per thing it touches. Each step of the
// run takes only the ports it uses (a Pick of these), so a test of one step fakes only those.
import type {CapturePort} from './capture-port.js';
import type {Clock} from './clock-port.js';
import type {ConfigEditPort} from './config-edit-port.js';
import type {DisksPort} from './disks-port.js';
import type {FilesPort} from './files-port.js';
import type {HistoryPort} from './history-port.js';
import type {InstallerPort} from './installer-port.js';
import type {LeftoverPort} from './leftover-port.js';
import type {ProcessControl} from './process-port.js';
import type {RunLogPort} from './run-log-port.js';
import type {RunRecordPort} from './run-record-port.js';
import type {AttachSettings, RunSettings} from './run-settings.js';
import type {RunVerification} from './run-verification-port.js';
import type {SnapshotFiles, SnapshotPort} from './snapshot-port.js';
import type {WizardError} from '../../domain/shared/wizard-error.js';

export type RunDeps = {
	settings: RunSettings;
	clock: Clock;
	installer: InstallerPort;
	processes: ProcessControl;
	capture: CapturePort;
	log: RunLogPort;
	record: RunRecordPort;
	files: FilesPort;
	disks: DisksPort;
	config: ConfigEditPort;
	leftover: LeftoverPort;
	/** Absent: not checked, as with `off` (only hand-built deps in tests leave it out). */
	verification?: RunVerification;
	/** Every finished step is recorded here, with what the verification found; never fails the run. */
	history?: HistoryPort;
	/** Where each step's tags are saved before its installer starts, for `undo`; absent: not saved. */
	snapshot?: {open(): Promise<SnapshotPort | WizardError>; files: SnapshotFiles};
};

/** What `attach` needs to rebuild and follow a recorded run. */
export type AttachDeps = Pick<RunDeps, 'clock' | 'processes' | 'capture' | 'log'> & {
	/** Where a lost run's step is recorded as outcome unknown; without it, it is not. */
	history?: Pick<HistoryPort, 'read' | 'append'>;
	settings: AttachSettings;
	record: Pick<RunRecordPort, 'read'>;
	files: Pick<FilesPort, 'exists' | 'dirSize'>;
	disks: Pick<DisksPort, 'diskInfo'>;
};
