// The shared vocabulary of addon-wizard: what the engine learns about packages and the
// cluster, the plan it builds, and the events a run emits. Pure data, no behaviour.
import type {PackageKind, ParsedPackageName} from './package-name.js';
import type {RegistryReview} from './registry-review.js';
import type {VerifyResult} from './verify-step.js';

export type Severity = 'info' | 'warning' | 'error';

/**
 * Something the user must be told. `error` findings block: a package with one is not
 * offered for import, a plan with one exits 3. Every finding carries a next step.
 */
export type Finding = {
	code: FindingCode;
	severity: Severity;
	/** One line: the cause, with the values that matter. */
	message: string;
	/** One line: what to do next. */
	hint?: string;
	details?: Record<string, unknown>;
};

export type FindingCode =
	// Discovery and naming
	| 'name-unrecognised'
	| 'incomplete-download'
	| 'suspiciously-small'
	/** The kind is not in the wizard's table (a newer release); parsed and offered all the same. */
	| 'kind-unknown'
	/** The kinds table has no such file (e.g. metax for arm64, jenkins before v0.44). */
	| 'kind-arch-unpublished'
	// Release sets
	/** A kind the release publishes for this arch was not found (or not chosen). */
	| 'release-kind-missing'
	/** Packages of different versions chosen for one arch: blocks. */
	| 'release-versions-mixed'
	/** A kind of the primary arch has no package for another arch of the cluster (metax: amd64 only). */
	| 'kind-stays-single-arch'
	// Integrity
	| 'checksum-verified'
	| 'checksum-mismatch'
	| 'checksum-unknown'
	| 'sidecar-verified'
	| 'sidecar-mismatch'
	/** Matches a line of the operator's --checksums FILE. */
	| 'checksum-list-verified'
	| 'checksum-list-mismatch'
	| 'truncated'
	| 'corrupt'
	| 'no-charts'
	| 'unreadable'
	/** Named like a package but a FIFO, a device, a directory: never opened for reading. */
	| 'not-a-file'
	/** The path is not UTF-8: readable here, but it cannot be handed to the installer. */
	| 'path-not-utf8'
	// Contents (the walk of the package)
	/** A bundle's images.tar cannot be loaded: manifest.json missing or not JSON, a config or layer it names missing, a config that does not match its digest. */
	| 'images-damaged'
	/** A nested archive (bundle, chart .tgz) is cut off or does not decode. */
	| 'entry-damaged'
	/** An entry passed a read cap (a gzip bomb, a giant manifest): damaged or hostile. */
	| 'entry-over-cap'
	/** Entries the installer would unpack outside its folder, as links or as devices. */
	| 'unsafe-entries'
	/** A chart's hints.yaml or values.yaml is not readable YAML (an alias bomb, a syntax error). */
	| 'hints-unreadable'
	// Architecture
	| 'arch-mismatch'
	| 'arch-mixed-images'
	| 'arch-unconfirmed'
	// Cluster config
	| 'config-missing'
	| 'config-malformed'
	| 'config-invalid'
	/** An entry of spec.addonPackage.path the new value no longer names. */
	| 'config-entry-dropped'
	// Plan hazards
	| 'arch-conflict-below-0.12'
	/** Tags the registry holds in an arch that a step of the plan takes away (not the <0.12.0 force-push). */
	| 'arch-lost-in-plan'
	/** Tags the plan leaves without an arch the cluster runs. */
	| 'arch-missing-after-plan'
	/** An integration alone of a release the chart repository holds at other versions. */
	| 'versions-mixed-in-registry'
	/** `--require-registry` and the registry could not be read. */
	| 'registry-unchecked'
	| 'downgrade'
	| 'same-version'
	| 'mixed-kinds'
	| 'registry-space-missing'
	| 'disk-short'
	| 'installer-missing'
	| 'installer-cannot-run'
	| 'baseline-unavailable'
	| 'duplicate-arch'
	| 'package-changed';

/** A package file found on disk, before its contents are read. */
export type DiscoveredPackage = {
	path: string;
	fileName: string;
	/** Undefined when the name does not follow a known pattern. */
	name?: ParsedPackageName;
	size: number;
	mtimeMs: number;
	/** `incomplete` packages are listed but never offered. */
	status: 'candidate' | 'incomplete';
	findings: Finding[];
	/** clusterConfig.yaml's addonPackage.path names this file: it is what the cluster has now. */
	inCluster?: boolean;
};

/** A container image as found in a bundle's `images.tar` (docker-archive). */
export type ImageInfo = {
	/** The reference as tagged in the archive, e.g. `release.daocloud.io/kpanda/foo:v1`. */
	ref: string;
	/** Registry host of the reference (`docker.io` when none is written). */
	registry: string;
	/** Repository path without the registry, e.g. `kpanda/foo`. */
	repository: string;
	tag: string;
	/** The registry space (Harbor project) the image lands in; see `registry-space.ts`. */
	space: string;
	/** From the image config; undefined when the config could not be read. */
	architecture?: string;
	os?: string;
	/** Sum of the layer and config sizes inside `images.tar`. */
	bytes: number;
	/** The chart bundle the image came from (`<chart>-<version>`). */
	chart: string;
	/** `sha256:<hex>` of the image config blob as stored in images.tar, computed from its bytes. */
	configDigest?: string;
	/**
	 * `sha256:<hex>` of each layer in manifest order, as the entry names give them (go-containerregistry
	 * names a layer by its digest); not recomputed. Absent when a layer is not named by a digest.
	 */
	layerDigests?: string[];
	/** Bytes of each layer blob in images.tar, in manifest order. */
	layerSizes?: number[];
};

export type ChartInfo = {
	name: string;
	version: string;
	/** The repo group the bundle sits in (`addon`, `community`, …), from its folder. */
	repo: string;
	/** Path of the bundle inside the package. */
	bundlePath: string;
	/** Image references the chart's hints resolve to through its values. */
	hintedImages: string[];
	/** Registry spaces named by the hints and values (may include images not in images.tar). */
	spaces: string[];
	/** Bytes of the bundle tar itself. */
	bytes: number;
};

export type IntegrityState =
	/** Matches the published checksum table. */
	| 'verified'
	/** Matches a sidecar `.sha512` / `checksums.txt`, and no published value exists. */
	| 'sidecar-verified'
	/** Differs from a published or sidecar value. */
	| 'mismatch'
	/** Nothing to compare with; the package's content was still read end to end. */
	| 'unknown'
	/** The stream ended early or did not decode, or something inside it is damaged or past a cap: the file is damaged. */
	| 'damaged';

export type ArchEvidence = {
	fromName?: string;
	/** Distinct architectures found in image configs, sorted. */
	fromImages: string[];
	fromMetadata?: string;
	/** The architecture all sources agree on; undefined when they disagree or none speak. */
	agreed?: string;
	/**
	 * True only when the package was read whole and undamaged, at least one image config gave an
	 * architecture, and every source agrees: what "confirmed by contents" (and the ✔) may say.
	 */
	confirmedByContents: boolean;
};

export type PackageInspection = {
	path: string;
	fileName: string;
	size: number;
	mtimeMs: number;
	name?: ParsedPackageName;
	kind?: PackageKind;
	/** Lower-case hex sha512 of the compressed file. */
	sha512: string;
	/** Bytes of the tar stream after gunzip (what unpacking writes, before images are loaded). */
	uncompressedBytes: number;
	/** Number of entries in the outer tar. */
	entries: number;
	charts: ChartInfo[];
	images: ImageInfo[];
	arch: ArchEvidence;
	integrity: {state: IntegrityState; published?: string; sidecar?: string; sidecarFile?: string};
	/**
	 * False when the package is truncated, corrupt, damaged inside (an images.tar that cannot be loaded,
	 * a nested archive that does not decode) or past a read cap, or was not read; such a package is never offered.
	 */
	complete: boolean;
	findings: Finding[];
	/** ISO time the inspection finished. */
	inspectedAt: string;
	/** Inspector format version; cached results from another version are ignored. */
	schema: number;
};

export type InspectionProgress = {
	path: string;
	bytesRead: number;
	totalBytes: number;
	entries: number;
	/** Milliseconds since the inspection started. */
	elapsedMs: number;
};

export type ImagesAndCharts = {
	type: 'official-service' | 'builtin' | 'external' | string;
	externalImageRepo?: string;
	externalChartRepo?: string;
	externalChartRepoType?: string;
};

/** What the wizard reads from clusterConfig.yaml. */
export type ClusterConfigInfo = {
	path: string;
	apiVersion?: string;
	kind?: string;
	clusterName?: string;
	/** `spec.addonPackage.path`, always as a list (a string becomes one element). */
	addonPackagePaths: string[];
	addonPathShape: 'string' | 'list' | 'absent';
	imagesAndCharts?: ImagesAndCharts;
	/** Password-like values, so logs can mask them. Never printed. */
	secrets?: string[];
};

export type Operation =
	| 'single-arch-import'
	| 'single-arch-upgrade'
	| 'multi-arch-integration'
	| 'multi-arch-upgrade';

export type ConfigEdit = {
	/** The file as named (`-c`, or found), possibly a symlink. */
	path: string;
	/**
	 * The file the edit changes: `path` resolved through symlinks (the same when it is no link).
	 * Show it when it differs ("clusterConfig.yaml → /etc/dce/real.yaml"); the backup sits beside it.
	 * Set by planConfigEdit; an edit without it was planned before it existed.
	 */
	realPath?: string;
	/** Value written to `spec.addonPackage.path`, in the file's order. */
	newPaths: string[];
	/** Unified diff of the whole file, for display: passwords masked (the file itself keeps them). */
	diff: string;
	/** The file as read when the edit was planned; applying refuses if it changed since. */
	originalText: string;
	newText: string;
	/** sha256 of the real newText: kept when the texts are masked (a run record), to tell an edit already made. */
	newTextSha256?: string;
	/** The texts were masked (a plan read back from a run record): this edit cannot be written from it. */
	masked?: boolean;
};

export type PlanStep = {
	id: string;
	kind: 'cluster-create' | 'import-addon';
	/** One line for the step list, e.g. `Upgrade addon to v0.11.0 (amd64)`. */
	title: string;
	/** The first (for cluster-create: the standard) file of the step. */
	packagePath: string;
	/** Every file a cluster-create step imports (the primary arch's set); import -addon steps take `packagePath` alone. */
	packagePaths?: string[];
	arch?: string;
	/** argv[0] is the installer; never joined into a shell string. */
	argv: string[];
	/** Working directory; the installer creates `addon-offline-target-package` here. */
	cwd: string;
	/** The clusterConfig.yaml change applied just before this step runs. */
	configEdit?: ConfigEdit;
	/** Bytes the step writes into addon-offline-target-package: the package unpacked, then its chart bundles. */
	expectedBytes: number;
	expectedCharts: number;
	expectedImages: number;
};

export type DiskNeed = {
	/** `st_dev` of the filesystem; paths sharing it are counted once. */
	device: string;
	/** Paths on this filesystem the plan will write to, and why. */
	paths: Array<{path: string; role: 'workdir' | 'package' | 'watch'}>;
	neededBytes: number;
	freeBytes: number;
	totalBytes: number;
	/** Zero when there is enough. */
	shortBytes: number;
	/** How `neededBytes` was estimated, in words. */
	basis: string;
	/**
	 * Bytes a leftover addon-offline-target-package holds on this filesystem: freed when the run
	 * removes it first (`Plan.removeLeftover`), so `shortBytes` counts them then.
	 */
	reclaimableBytes?: number;
};

export type ChartChange = {
	name: string;
	from?: string;
	to?: string;
	change: 'added' | 'removed' | 'upgraded' | 'downgraded' | 'unchanged';
};

export type PlanDiffs = {
	registrySpaces: {
		/** Spaces in the new package(s) that the baseline never created. */
		mustExist: string[];
		alreadyUsed: string[];
	};
	charts: ChartChange[];
	/** Image tags that will carry two or more architectures after integration. */
	multiArchImages: Array<{ref: string; arches: string[]}>;
	/**
	 * Charts the chosen set carries in more than one version, newest first, with the kinds that
	 * carry each (standard v0.44.0 has metax-operator 0.14.2, the metax package 0.9.0). Not an
	 * error: both versions are pushed, and `charts` compares the highest.
	 */
	chartVersionSkew?: Array<{name: string; versions: Array<{version: string; kinds: string[]}>}>;
	/**
	 * What `charts` compares with: the live repository's index.yaml, or (when it could not be read)
	 * the package files clusterConfig.yaml names. Absent on plans made without a registry section.
	 */
	chartsAgainst?: {source: 'repository'; url: string} | {source: 'packages'; files: string[]; problem?: string};
};


export type Plan = {
	operation: Operation;
	/** One sentence: what the wizard decided and why. */
	reason: string;
	packages: PackageInspection[];
	baseline?: PackageInspection;
	/** Every entry of addonPackage.path that was read, when the caller passed several. */
	baselines?: PackageInspection[];
	cluster: ClusterConfigInfo;
	installer: {path: string; found: boolean};
	manifestPath: string;
	steps: PlanStep[];
	disk: DiskNeed[];
	diffs: PlanDiffs;
	/** Version hazards and other warnings; `error` ones also block. */
	findings: Finding[];
	/** Any `block` row of `preflight` (which covers every `error` finding). */
	blocked: boolean;
	/**
	 * Everything checked before anything changes, one row per check, in the order they matter:
	 * the verdict the screens and `plan` show. Absent on plans recorded before it existed.
	 */
	preflight?: PreflightCheck[];
	/** What the checklist was built from, so a choice on Review or a retry can build it again. */
	preflightFacts?: PreflightFacts;
	/** Set when the run is to remove the leftover addon-offline-target-package just before its first step. */
	removeLeftover?: {path: string; bytes: number};
	/**
	 * What the steps will do to the cluster's registry and chart repository, read live before the
	 * plan was made; `checked: false` says why not and what the plan fell back on.
	 */
	registry?: RegistryReview;
};

export type PreflightStatus = 'pass' | 'warn' | 'block';

export type PreflightCheckId =
	| 'config'
	| 'workdir'
	| 'leftover'
	| 'installer'
	| 'from-step'
	| 'disk'
	| 'registry-spaces'
	| 'hazard'
	| 'download';

/** One row of the pre-flight checklist: a fact checked, what it means, and what to do about it. */
export type PreflightCheck = {
	/** The kind of check; `disk`, `hazard` and `download` may have one row per filesystem, finding or package. */
	id: PreflightCheckId;
	status: PreflightStatus;
	/** One line: what was found, with the values that matter. */
	message: string;
	/** What to fix, for warn and block rows. */
	hint?: string;
	/** What one key on the screens or one flag without them does about it. */
	then?: NextAction;
	/** The finding the row stands for, when it comes from one. */
	code?: FindingCode;
};

/** What the wizard found about dce5-installer before running it. */
export type InstallerFacts = {
	path: string;
	/** Something is there (a file, or a directory where the file should be). */
	found: boolean;
	/** It is a directory: the unpacked installer folder rather than the program in it. */
	isDirectory?: boolean;
	executable?: boolean;
	/** Why the kernel would refuse it (a binary for another CPU). */
	cannotRun?: string;
	/** The interpreter its `#!` line names, when that is not there (`/usr/bin/python3`, `env bash` with no bash on PATH). */
	missingInterpreter?: string;
};

/** The outside world as the pre-flight saw it, gathered once per plan and again on every retry. */
export type PreflightFacts = {
	workdir: {path: string; exists: boolean; isDirectory: boolean; writable: boolean};
	/** `addon-offline-target-package` in the working directory, when there is one. */
	leftover?: {path: string; bytes: number; type: 'directory' | 'file' | 'symlink' | 'other'};
	installer: InstallerFacts;
	/** `--from-step` as given (1-based). */
	fromStep: number;
	/** Each chosen package as it is now, against what was inspected. */
	packages: Array<{
		path: string;
		fileName: string;
		/** A download tool's sibling (`<file>.part`, `.crdownload`, `.aria2`): a download may still be writing it. */
		partial?: string;
		/** Undefined when the file is gone. */
		sizeNow?: number;
		mtimeNow?: number;
	}>;
	/** Registry spaces the plan needs and which of them are missing; from the packages' diff unless a registry was asked. */
	registrySpaces?: {
		required: string[];
		missing: string[];
		checkedAgainst?: string;
		/** The registry has no spaces (not Harbor): why none need to exist. */
		noneNeeded?: string;
	};
};

/**
 * What the operator can do about a failure with one key on the screens or one flag without them.
 * Each renderer words it for its own surface ("press r to …", "run again with --cleanup to …").
 */
export type NextAction = {key: string; flag: string; text: string};

/** Why an installer step failed, classified from its output and exit. `hint` says what to fix; `then`, what to do after. */
export type FailureCause = (
	| {kind: 'no-space'; message: string; hint: string; path?: string; /** The filesystem as statfs and mountinfo saw it after the failure. */ filesystem?: FilesystemFacts; /** Bytes to free beyond what removing the leftover gives back (0: removing it is enough). */ toFreeBytes?: number}
	| {kind: 'registry-space-missing'; message: string; hint: string; space: string}
	| {kind: 'leftover-target'; message: string; hint: string; path: string}
	| {kind: 'installer-missing'; message: string; hint: string; path: string}
	| {kind: 'installer-not-executable'; message: string; hint: string; path: string}
	/** ENOEXEC: executable, but not a program this CPU runs (another architecture, a damaged download). */
	| {kind: 'installer-cannot-run'; message: string; hint: string; path: string}
	| {kind: 'killed'; message: string; hint: string; signal: string}
	/** The registry (or chart repository) did not answer: refused, unknown host, timed out. */
	| {kind: 'registry-unreachable'; message: string; hint: string; /** host:port as the installer dialled it. */ address: string; lastErrors: string[]}
	/** The package did not unpack: cut short or corrupt. */
	| {kind: 'package-damaged'; message: string; hint: string; detail: string; lastErrors: string[]}
	/**
	 * The installer exited 0 but printed error lines (or its processes stopped short): never plain success.
	 * `likely` is what those lines would mean had it failed.
	 */
	| {kind: 'finished-with-errors'; message: string; hint: string; lastErrors: string[]; likely?: FailureKind}
	/** The installer exited cleanly, but the registry read back after the step does not hold what it should (images missing, tags that lost an arch). */
	| {kind: 'verification-failed'; message: string; hint: string; /** The conversion <0.12.0 charts-syncer performs, when that is the cause. */ cause?: string}
	/** The installer exited cleanly, but the registry could not be read after the step: finished, not verified. */
	| {kind: 'not-verified'; message: string; hint: string; /** The registry client's error kind (registry-unreachable, registry-auth, …). */ cause: string}
	/** `lastErrors` holds the lines that looked like errors; when none did, `lastLines` holds the newest lines of any kind. */
	| {kind: 'unknown'; message: string; hint: string; lastErrors: string[]; lastLines?: string[]}
) & {then?: NextAction};

export type FailureKind = 'no-space' | 'registry-space-missing' | 'leftover-target' | 'installer-missing' | 'installer-not-executable' | 'installer-cannot-run' | 'killed' | 'registry-unreachable' | 'package-damaged' | 'finished-with-errors' | 'verification-failed' | 'not-verified' | 'unknown';

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
	| {state: 'verified' | 'failed' | 'deferred'; registry: string; result: VerifyResult; laterStepId?: string; /** The read before the step failed: lost arches could not be told. */ beforeError?: string; chain: ChainSuggestion[]; /** Arches the step's tags carry after it, across all of them. */ tagArches: string[]}
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
	| {type: 'step-end'; at: number; stepId: string; exitCode?: number; signal?: string; failure?: FailureCause; /** Set by every run since verdicts exist; older journals lack it. */ status?: StepVerdict; tally?: StepTally}
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

/** An error the user caused or can fix: a value with a cause and a next step, never a bare string. */
export type WizardError = {
	kind: string;
	message: string;
	hint: string;
	/** What to do once the hint is followed, as a key on the screens and a flag without them. */
	then?: NextAction;
	/** Process exit code when this ends the program: 2 bad input, 3 blocked, 4 run failed, 5 finished with errors, 6 not verified, 7 registry unreadable. */
	exitCode: number;
};

export const exitCodes = {
	ok: 0,
	failure: 1,
	badInput: 2,
	blocked: 3,
	runFailed: 4,
	/** Every installer exited 0, but one printed error lines: check before trusting the import. */
	finishedWithErrors: 5,
	/** The registry was read and does not hold what the step (or `verify`) expects: images missing, tags without an arch. */
	verificationFailed: 6,
	/** The registry could not be read (refused, TLS, 401, not located), so nothing was verified: finished, not verified. */
	notVerified: 7,
	interrupted: 130,
} as const;

/** The folder dce5-installer unpacks a package into, inside its working directory (the seed's pitfall 2). */
export const targetDirName = 'addon-offline-target-package';
