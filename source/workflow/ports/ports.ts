// The outside world as the wizard's screens see it: types only. The composition root
// (source/app/compose.ts) builds real adapters behind these names; screen tests pass fakes. The
// run's own ports are one file each beside this one (run-deps.ts gathers them).
import type {LeftoverRequest} from './leftover-port.js';
import type {UnexplainedFiles} from '../../domain/packages/leftover-explained.js';
import type {ChecksumList} from '../../domain/packages/checksum-list.js';
import type {ConfigEdit} from '../../domain/config/config-facts.js';
import type {DiscoveredPackage, InspectionProgress, PackageInspection} from '../../domain/packages/inspection.js';
import type {RunEvent} from '../../domain/run/run-events.js';
import type {Plan, PlanStep} from '../../domain/plan/plan.js';
import type {WizardError} from '../../domain/shared/wizard-error.js';
import type {RegistryReadProgress, SpaceCreation} from './registry-port.js';

import type {RestoredConfig} from './config-edit-port.js';
import type {WizardUndoPort} from './undo-port.js';

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
	buildPlan(
		inspections: PackageInspection[],
		options?: {
			onProgress?: (progress: InspectionProgress) => void;
			onRegistryProgress?: (progress: RegistryReadProgress) => void;
			signal?: AbortSignal;
		},
	): Promise<Plan | WizardError>;
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
	/**
	 * Size of the step's leftover `addon-offline-target-package`, undefined when there is none, and
	 * what in it the plan's packages do not explain (the clean-up refuses those unless named).
	 */
	measureLeftover(
		step: PlanStep,
		packages: readonly string[],
	): Promise<{path: string; bytes: number; unexplained?: UnexplainedFiles} | undefined>;
	/**
	 * Removes exactly that leftover directory, after the safety checks: refused while any live
	 * installer (this wizard's, another's, or one started by hand) writes there, or while another
	 * addon-wizard holds the working directory.
	 */
	cleanupLeftover(step: PlanStep, request: LeftoverRequest): Promise<{path: string; freedBytes: number} | WizardError>;
	/** Puts clusterConfig.yaml back from the backup the run took (refused when the file changed since). */
	restoreConfig(edit: ConfigEdit, backupPath: string): Promise<RestoredConfig | WizardError>;
	/** The Result's `z` (absent where no undo is wired: screen tests). */
	undo?: WizardUndoPort;
	/** Shows the full log in a pager; resolves when the pager exits. */
	openLog(logPath: string): Promise<void>;
};

/** How a run starts and ends beyond its steps. */
export type RunOptions = {
	/** Remove the first step's leftover addon-offline-target-package (safety-checked) once the locks are held. */
	cleanup?: boolean;
	/** After a failed step, put clusterConfig.yaml back from the backup this run took. */
	restoreConfigOnFailure?: boolean;
};
