// The outside world as the wizard sees it. cli.tsx wires real adapters in; screen tests
// pass fakes. Nothing behind these names is imported by the workflow or the UI directly.
import type {
	DiscoveredPackage,
	InspectionProgress,
	PackageInspection,
	Plan,
	PlanStep,
	RunEvent,
	WizardError,
} from '../domain/model.js';

export type InspectOptions = {
	signal?: AbortSignal;
	onProgress?: (progress: InspectionProgress) => void;
	/** False forces a fresh read even when a cached result matches (path, size, mtime). */
	useCache?: boolean;
};

export type RunOutcome = {
	ok: boolean;
	/** Index in plan.steps of the step that failed, when one did. */
	failedStepIndex?: number;
	interrupted?: boolean;
	/** Set when the run could not start or go on (lock held, package changed, config edit refused). */
	error?: WizardError;
};

export type RunHandle = {
	logPath: string;
	/** Stops the installer: SIGINT to its process group, then SIGTERM, then SIGKILL. */
	stop(reason?: 'user' | 'disk-floor'): Promise<void>;
	done: Promise<RunOutcome>;
};

export type WizardPorts = {
	discoverPackages(): Promise<DiscoveredPackage[]>;
	inspectPackage(path: string, options?: InspectOptions): Promise<PackageInspection>;
	/** `onProgress` reports reading the package the cluster has now (the baseline), when it must be read. */
	buildPlan(inspections: PackageInspection[], options?: {onProgress?: (progress: InspectionProgress) => void}): Promise<Plan | WizardError>;
	/** Runs plan.steps from `fromStep` on, reporting every event. */
	startRun(plan: Plan, fromStep: number, onEvent: (event: RunEvent) => void): RunHandle;
	/** Size of the step's leftover `addon-offline-target-package`, undefined when there is none. */
	measureLeftover(step: PlanStep): Promise<{path: string; bytes: number} | undefined>;
	/** Removes exactly that leftover directory, after the safety checks. */
	cleanupLeftover(step: PlanStep): Promise<{path: string; freedBytes: number} | WizardError>;
	/** Shows the full log in a pager; resolves when the pager exits. */
	openLog(logPath: string): Promise<void>;
};
