// The run history on disk: one JSON-lines file per cluster (its clusterConfig.yaml's real path and
// its clusterName) under the state folder, private (folder 0700, file 0600). An entry is one line,
// appended with one write to a file opened O_APPEND and synced, so a crash leaves whole lines and
// at most one cut-off last line. Reading streams the file line by line, checks each line against
// the entry's schema, and leaves out (and reports) one that does not pass.
import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {chmod, mkdir, open, realpath} from 'node:fs/promises';
import path from 'node:path';
import {createInterface} from 'node:readline';
import type {ClusterIdentity, HistoryEntry, HistoryPort, HistoryProblem} from '../../workflow/ports/history-port.js';
import {syncDirectory} from '../shared/atomic-write.js';
import {byShape, isRefusal, parseStored} from '../shared/stored-json.js';
import {historyEntryShape, historyEntryVersion} from './run-history-schema.js';

const checkEntry = byShape<HistoryEntry>(historyEntryShape);

/** An entry's line is capped: a runaway message must not turn the history into a dump. */
const maxLineBytes = 256 * 1024;

async function realPathOf(file: string): Promise<string> {
	return realpath(file).catch(() => path.resolve(file));
}

/** The cluster as the history files it: the config reached by any path or link is one cluster. */
export async function resolveCluster(cluster: ClusterIdentity): Promise<ClusterIdentity> {
	return {configPath: await realPathOf(cluster.configPath), clusterName: cluster.clusterName};
}

export function historyFile(stateDir: string, cluster: ClusterIdentity): string {
	const key = createHash('sha256')
		.update(`${cluster.configPath}\u0000${cluster.clusterName ?? ''}`)
		.digest('hex')
		.slice(0, 16);
	return path.join(stateDir, 'history', `${key}.jsonl`);
}

/** A line that is not an entry (cut off by a crash, corrupt, from a newer wizard): left out, and why. */
function unreadableLine(file: string, lineNumber: number, cause: string, newer?: boolean): HistoryProblem {
	return {
		kind: 'history-line-unreadable',
		message: `Line ${lineNumber} of the run history ${file} cannot be read (${cause}); that step is left out.`,
		hint: newer
			? 'Read the history with the addon-wizard that wrote it (or a newer one).'
			: `A line cut off by a crash is harmless; if more lines fail, move ${file} aside (the next run starts a new one).`,
	};
}

export type RunHistoryOptions = {
	/** Told once per entry that could not be written, instead of append rejecting. */
	onWriteError?: (error: NodeJS.ErrnoException) => void;
};

export function createRunHistory(stateDir: string, options: RunHistoryOptions = {}): HistoryPort {
	return {
		async append(entry) {
			try {
				const cluster = await resolveCluster(entry.cluster);
				const file = historyFile(stateDir, cluster);
				const dir = path.dirname(file);
				await mkdir(dir, {recursive: true, mode: 0o700});
				await chmod(dir, 0o700);
				const line = `${JSON.stringify({schemaVersion: historyEntryVersion, ...entry, cluster})}\n`;
				if (Buffer.byteLength(line) > maxLineBytes) {
					throw Object.assign(new Error(`history entry of ${Buffer.byteLength(line)} bytes is over ${maxLineBytes}`), {code: 'E2BIG'});
				}

				const handle = await open(file, 'a', 0o600);
				try {
					await handle.chmod(0o600);
					// One write of one whole line: O_APPEND puts it after every other, never inside one.
					await handle.write(line);
					await handle.sync();
				} finally {
					await handle.close();
				}

				await syncDirectory(dir);
			} catch (error) {
				// Without a listener the caller hears of it (the run notes it in its log and goes on).
				if (!options.onWriteError) {
					throw error;
				}

				options.onWriteError(error as NodeJS.ErrnoException);
			}
		},

		async read(cluster, onProblem) {
			const resolved = await resolveCluster(cluster);
			const file = historyFile(stateDir, resolved);
			const stream = createReadStream(file, {encoding: 'utf8'});
			const entries: HistoryEntry[] = [];
			let lineNumber = 0;
			try {
				const lines = createInterface({input: stream, crlfDelay: Number.POSITIVE_INFINITY});
				for await (const line of lines) {
					lineNumber++;
					if (line.trim() === '') {
						continue;
					}

					const read =
						line.length > maxLineBytes ? {cause: `over ${maxLineBytes} bytes`} : parseStored(line, checkEntry, historyEntryVersion);
					if (isRefusal(read)) {
						onProblem?.(unreadableLine(file, lineNumber, read.cause, read.newer));
					} else {
						// The checked fields are the entry's; the rest is carried as the wizard wrote it.
						entries.push(read.value);
					}
				}
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
					throw error;
				}
			} finally {
				stream.destroy();
			}

			return entries;
		},
	};
}
