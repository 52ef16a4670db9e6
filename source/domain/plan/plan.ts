// The plan the wizard builds: steps, disk, diffs, the pre-flight and its facts.
import type {Finding, FindingCode} from '../shared/findings.js';
import type {PackageInspection} from '../packages/inspection.js';
import type {UnexplainedFiles} from '../packages/leftover-explained.js';
import type {NextAction} from '../shared/next-step.js';
import type {ClusterConfigInfo, ConfigEdit} from '../config/config-facts.js';
import type {ChartChange} from '../registry/chart-diff.js';
import type {RegistryReview} from './registry-review.js';

export type Operation = 'single-arch-import' | 'single-arch-upgrade' | 'multi-arch-integration' | 'multi-arch-upgrade';

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
	/** Every entry of addonPackage.path that was read: the packages the cluster has now. */
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
	'config' | 'workdir' | 'leftover' | 'installer' | 'from-step' | 'disk' | 'registry-spaces' | 'hazard' | 'download';

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
	/** What to do instead when `then` is not open to this operator. */
	otherwise?: string;
	/** The finding the row stands for, when it comes from one. */
	code?: FindingCode;
	/** How a passed row is named in the one line that sums the passes up, when not by its id. */
	passedAs?: string;
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
	/**
	 * `addon-offline-target-package` in the working directory, when there is one, with what in it
	 * the packages do not explain (a clean-up refuses those unless the operator confirmed them).
	 */
	leftover?: {path: string; bytes: number; type: 'directory' | 'file' | 'symlink' | 'other'; unexplained?: UnexplainedFiles};
	/** `--cleanup-unexplained`: the operator agreed that the leftover's unexplained files may go with it. */
	cleanupUnexplained?: boolean;
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
