// What the wizard remembers of each cluster across runs: every finished step, with what the
// registry showed after it. The plan falls back on it when the registry cannot be read, so the
// wizard never forgets an integration it ran itself. Types only; adapters implement the port.
import type {StepVerdict} from '../../domain/run/run-events.js';
import type {VerifyResult} from '../../domain/registry/verify-step.js';

/** A cluster as the wizard knows it: its clusterConfig.yaml (real path) and the clusterName inside. */
export type ClusterIdentity = {configPath: string; clusterName?: string};

/** `path`: where the file was when the step ran (`verify` without -p inspects it again, if it is still there). */
export type HistoryPackage = {fileName: string; version?: string; kind?: string; arch?: string; sha512?: string; path?: string};

export type HistoryEntry = {
	cluster: ClusterIdentity;
	/** When the step ended (ms since the epoch). */
	at: number;
	stepId: string;
	stepKind: 'cluster-create' | 'import-addon';
	/** What the step imported (cluster-create) or integrated (import -addon). */
	packages: HistoryPackage[];
	installer: {path: string; version?: string};
	/** How the installer ended; the verification says what the registry shows. */
	outcome: 'ok' | 'failed' | 'finished-with-errors' | 'interrupted' | 'unknown';
	/** Undefined when the registry could not be read after the step. */
	verification?: Pick<VerifyResult, 'verified' | 'message' | 'hint'> & {
		checkedImages: number;
		lostArch: number;
		missing: number;
		/** `deferred`: tags lost an arch that the next step of the same plan integrated again. */
		state?: 'verified' | 'failed' | 'deferred';
		/** The arches the step's tags carried after it, across all of them (what the registry showed the cluster runs). */
		tagArches?: string[];
		/** The first tags that lost an arch, with the arches lost. */
		lostArchTags?: Array<{key: string; lost: string[]}>;
		/** `below-0.12-conversion` when that was why. */
		cause?: string;
	};
	/** Why there is no verification: the registry could not be read, or --no-verify. */
	notVerified?: {kind: string; message: string};
	/** The wizard's verdict on the step (done only when verified). */
	verdict?: StepVerdict;
	logPath: string;
	/** The snapshot saved before the step (`undo` can put its tags back while it is there). */
	snapshotPath?: string;
	/** Set on an entry that records an undo of the step `stepId` of run `runId`. */
	undo?: UndoRecord;
};

/** What an undo did, as the history keeps it. */
export type UndoRecord = {
	runId: string;
	restored: number;
	alreadyRestored: number;
	leftAlone: string[];
	removed: number;
	added: number;
	verified: boolean;
	message: string;
};

/** A line of the history that could not be read (cut off, corrupt, from a newer wizard): left out, said. */
export type HistoryProblem = {kind: string; message: string; hint: string};

export type HistoryPort = {
	/** Adds one entry; never fails a run (an unwritable history is a note in the log). */
	append(entry: HistoryEntry): Promise<void>;
	/** Every entry for the cluster that can be read, oldest first; each line that cannot goes to `onProblem`. */
	read(cluster: ClusterIdentity, onProblem?: (problem: HistoryProblem) => void): Promise<HistoryEntry[]>;
};
