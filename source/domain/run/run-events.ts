// What a run reports (the one event vocabulary every renderer and `attach` consume) and how it ends.
import type {PlanStep} from '../plan/plan.js';
import type {VerifyResult} from '../registry/verify-step.js';
import type {NextAction} from '../shared/next-step.js';
import type {WizardError} from '../shared/wizard-error.js';
import type {StepCounts} from '../registry/step-counts.js';

/** Why an installer step failed, classified from its output and exit. `hint` says what to fix; `then`, what to do after. */
export type FailureCause = (
	| {
			kind: 'no-space';
			message: string;
			hint: string;
			path?: string;
			/** The filesystem as statfs and mountinfo saw it after the failure. */ filesystem?: FilesystemFacts;
			/** Bytes to free beyond what removing the leftover gives back (0: removing it is enough). */ toFreeBytes?: number;
	  }
	| {kind: 'registry-space-missing'; message: string; hint: string; space: string}
	| {kind: 'leftover-target'; message: string; hint: string; path: string}
	| {kind: 'installer-missing'; message: string; hint: string; path: string}
	| {kind: 'installer-not-executable'; message: string; hint: string; path: string}
	/** ENOEXEC: executable, but not a program this CPU runs (another architecture, a damaged download). */
	| {kind: 'installer-cannot-run'; message: string; hint: string; path: string}
	| {kind: 'killed'; message: string; hint: string; signal: string}
	/** The registry (or chart repository) did not answer: refused, unknown host, timed out. */
	| {
			kind: 'registry-unreachable';
			message: string;
			hint: string;
			/** host:port as the installer dialled it. */ address: string;
			lastErrors: string[];
	  }
	/** The package did not unpack: cut short or corrupt. */
	| {kind: 'package-damaged'; message: string; hint: string; detail: string; lastErrors: string[]}
	/**
	 * The installer exited 0 but printed error lines (or its processes stopped short): never plain success.
	 * `likely` is what those lines would mean had it failed.
	 */
	| {kind: 'finished-with-errors'; message: string; hint: string; lastErrors: string[]; likely?: FailureKind}
	/** The installer exited cleanly, but the registry read back after the step does not hold what it should (images missing, tags that lost an arch). */
	| {
			kind: 'verification-failed';
			message: string;
			hint: string;
			/** The conversion <0.12.0 charts-syncer performs, when that is the cause. */ cause?: string;
	  }
	/** The installer exited cleanly, but the registry could not be read after the step: finished, not verified. */
	| {
			kind: 'not-verified';
			message: string;
			hint: string;
			/** The registry client's error kind (registry-unreachable, registry-auth, …). */ cause: string;
	  }
	/** `lastErrors` holds the lines that looked like errors; when none did, `lastLines` holds the newest lines of any kind. */
	| {kind: 'unknown'; message: string; hint: string; lastErrors: string[]; lastLines?: string[]}
) & {
	then?: NextAction;
	/**
	 * The first error line the installer printed, when `lastErrors` no longer holds it (a retry
	 * loop buried it): often the cause, where the last line is only how the retries ended.
	 */
	firstError?: {line: string; ofLines: number};
};

export type FailureKind =
	| 'no-space'
	| 'registry-space-missing'
	| 'leftover-target'
	| 'installer-missing'
	| 'installer-not-executable'
	| 'installer-cannot-run'
	| 'killed'
	| 'registry-unreachable'
	| 'package-damaged'
	| 'finished-with-errors'
	| 'verification-failed'
	| 'not-verified'
	| 'unknown';

/** A filesystem named the way an operator recognises it: its mount point, device and type. */
export type FilesystemFacts = {path: string; mountPoint?: string; source?: string; fsType?: string; freeBytes: number; totalBytes: number};

export type RunProgress = {
	unpackedBytes: number;
	expectedBytes: number;
	chartsSeen: number;
	expectedCharts: number;
	imagesSeen: number;
	expectedImages: number;
	/** Of chartsSeen / imagesSeen, those the output said were already there and skipped. */
	chartsSkipped?: number;
	imagesSkipped?: number;
};

/**
 * What one step's output said it did, by name: charts synced or skipped as already there, images
 * pushed or skipped, keyed as the registry has them (`<registry>/<path>:<tag>`, without the
 * `-<arch>` of a merge), so two steps pushing one tag in two arches count as one tag. Capped:
 * `overflow` counts names beyond the cap.
 */
export type StepTally = {
	arch?: string;
	charts: {synced: string[]; skipped: string[]};
	images: {pushed: string[]; skipped: string[]};
	overflow: number;
	/** The chart and image the output named last: on a step that did not end done, their push may be what failed. */
	inFlight?: {chart?: string; image?: string};
};

/** A process still in the installer's process group after the installer itself exited. */
export type LingeringProcess = {pid: number; command: string};

/**
 * What a step ended as: done only when every check says so. `unverified`: the installer exited
 * cleanly but the registry could not be read after it, so nobody knows what it left.
 */
export type StepVerdict = 'done' | 'errors' | 'failed' | 'unverified';

/** Another package the verification says to integrate next (the chained step), by what it must be. */
export type ChainSuggestion = {
	version: string;
	arch: string;
	/** The kinds of the step's packages that DaoCloud publishes for `arch` (empty: any kind of that release). */
	kinds: string[];
	/** The file names those packages have on the Download Center. */
	fileNames: string[];
	/** Why: `tags lost arm64`, `tags of v0.13.0 carry no arm64 image yet`. */
	reason: string;
};

/** What the registry showed after a step, read back by the wizard (or why it was not). */
export type StepVerification =
	/** `deferred`: tags lost an arch that a later step of the same plan integrates again. */
	| {
			state: 'verified' | 'failed' | 'deferred';
			registry: string;
			result: VerifyResult;
			laterStepId?: string;
			/** The read before the step failed: lost arches could not be told. */ beforeError?: string;
			chain: ChainSuggestion[];
			/** Arches the step's tags carry after it, across all of them. */ tagArches: string[];
			/** What the step changed, from the reads before and after it (absent in journals of older wizards). */
			counts?: StepCounts;
	  }
	/** The registry could not be read after the step (or not located at all). */
	| {state: 'unreadable'; registry?: string; error: {kind: string; message: string; hint: string}}
	/** Not checked: --no-verify. */
	| {state: 'skipped'; reason: string};

export type DiskSample = {path: string; freeBytes: number; level: 'ok' | 'low' | 'critical'};

export type RunOutcome = {
	ok: boolean;
	/** Index in plan.steps of the step that failed, when one did. */
	failedStepIndex?: number;
	interrupted?: boolean;
	/** Set when the run could not start or go on (lock held, package changed, config edit refused). */
	error?: WizardError;
	/** The failed step's installer exited 0 but printed errors: exit code `finishedWithErrors`. */
	withErrors?: boolean;
	/** The step's installer exited cleanly but the registry does not hold what it should: exit code `verificationFailed`. */
	verificationFailed?: boolean;
	/** The step's installer exited cleanly but the registry could not be read after it: exit code `notVerified`. */
	unverified?: boolean;
};

/** Why the installer is being stopped: the operator asked, or the disk was about to fill. */
export type StopReason = 'user' | 'disk-floor';

/**
 * Everything a run reports, in order: the one vocabulary of the run-event source that the Ink
 * panes, the plain reporter, `--json` and `attach` all consume. The stream ends with `run-end`.
 */
export type RunEvent =
	| {type: 'run-start'; at: number; logPath: string; steps: Array<Pick<PlanStep, 'id' | 'title' | 'argv'>>}
	| {type: 'config-written'; at: number; path: string; backupPath: string; /** The step whose edit was written. */ stepId?: string}
	| {type: 'step-start'; at: number; stepId: string; argv: string[]; cwd: string; pid?: number}
	| {type: 'output'; at: number; stepId: string; stream: 'stdout' | 'stderr'; line: string}
	/** Output lines a replay did not repeat (they are in the log): counted, so the view's totals hold. */
	| {type: 'output-skipped'; at: number; stepId: string; count: number}
	| {type: 'progress'; at: number; stepId: string; progress: RunProgress}
	| {type: 'disk'; at: number; samples: DiskSample[]}
	/** The installer has printed nothing since `since` (said once per quiet spell, after a few minutes). */
	| {type: 'silent'; at: number; stepId: string; since: number}
	/**
	 * The installer exited but processes of its group still run (and may still write): the step is
	 * not over. Said again when the set changes; `processes` empty means they are all gone.
	 */
	| {type: 'lingering'; at: number; stepId: string; leaderPid: number; exitCode?: number; processes: LingeringProcess[]}
	| {
			type: 'step-end';
			at: number;
			stepId: string;
			exitCode?: number;
			signal?: string;
			failure?: FailureCause;
			/** Set by every run since verdicts exist; older journals lack it. */ status?: StepVerdict;
			tally?: StepTally;
	  }
	/** The registry is being read for a step: `before` it starts (to tell lost arches), `after` it ended (to verify it). */
	| {type: 'verify-start'; at: number; stepId: string; phase: 'before' | 'after'; registry: string; tags: number}
	| {type: 'verify-progress'; at: number; stepId: string; phase: 'before' | 'after'; done: number; total: number}
	/** What the read after the step found; comes before the step's step-end, whose status it decided. */
	| {type: 'step-verified'; at: number; stepId: string; verification: StepVerification}
	| {type: 'cleanup'; at: number; path: string; freedBytes: number}
	/** clusterConfig.yaml holds the backup's content again (after a failed step). */
	| {type: 'config-restored'; at: number; path: string; backupPath: string; replacedCopyPath: string}
	| {type: 'config-restore-refused'; at: number; path: string; backupPath: string; error: WizardError}
	| {type: 'run-error'; at: number; error: WizardError}
	| {type: 'run-end'; at: number; ok: boolean; outcome: RunOutcome};
