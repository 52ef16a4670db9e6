// What the wizard remembers of each cluster across runs: every finished step, with what the
// registry showed after it. The plan falls back on it when the registry cannot be read, so the
// wizard never forgets an integration it ran itself. Types only; adapters implement the port.
import type {VerifyResult} from '../domain/verify-step.js';

/** A cluster as the wizard knows it: its clusterConfig.yaml (real path) and the clusterName inside. */
export type ClusterIdentity = {configPath: string; clusterName?: string};

export type HistoryPackage = {fileName: string; version?: string; kind?: string; arch?: string; sha512?: string};

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
	outcome: 'ok' | 'failed' | 'finished-with-errors' | 'interrupted';
	/** Undefined when the registry could not be read after the step. */
	verification?: Pick<VerifyResult, 'verified' | 'message' | 'hint'> & {checkedImages: number; lostArch: number; missing: number};
	logPath: string;
};

export type HistoryPort = {
	/** Adds one entry; never fails a run (an unwritable history is a note in the log). */
	append(entry: HistoryEntry): Promise<void>;
	/** Every entry for the cluster, oldest first. */
	read(cluster: ClusterIdentity): Promise<HistoryEntry[]>;
};
