// Where a run's snapshots live: one file per step, `<state>/snapshots/<run id>/step-<n>.json`,
// private (folders 0700, files 0600) like the run record, written atomically so a killed wizard
// leaves the whole file or the one before. The run id is the log's name, as everywhere.
import {mkdir, readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {exitCodes, type WizardError} from '../../domain/shared/wizard-error.js';
import type {StepSnapshot} from '../../domain/registry/tag-snapshot.js';
import type {SnapshotFiles} from '../../workflow/ports/snapshot-port.js';
import {writeFileAtomic} from '../shared/atomic-write.js';
import {isRefusal, parseStored} from '../shared/stored-json.js';

const runIdOfLog = (logPath: string) => path.basename(logPath).replace(/\.log$/, '');

function unreadable(file: string, cause: string, newer?: boolean): WizardError {
	return {
		kind: 'snapshot-unreadable',
		message: `The snapshot ${file} cannot be read (${cause}); undo does not use half of one.`,
		hint: newer
			? 'Undo with the addon-wizard that wrote it (or a newer one).'
			: 'Undo is not available for that step: put its tags back by importing the package that pushed them again.',
		exitCode: exitCodes.failure,
	};
}

/** Bump when a snapshot changes in a way an older wizard cannot read; a higher one is refused. */
export const snapshotVersion = 1;

export function runSnapshots(stateDir: string): SnapshotFiles {
	const dirOf = (runId: string) => path.join(stateDir, 'snapshots', runId);
	const fileOf = (runId: string, stepIndex: number) => path.join(dirOf(runId), `step-${stepIndex + 1}.json`);
	return {
		fileOf,

		async write(snapshot, logPath) {
			const runId = runIdOfLog(logPath);
			const file = fileOf(runId, snapshot.stepIndex);
			await mkdir(path.join(stateDir, 'snapshots'), {recursive: true, mode: 0o700});
			await mkdir(dirOf(runId), {recursive: true, mode: 0o700});
			const text = JSON.stringify({schemaVersion: snapshotVersion, ...snapshot, runId});
			await writeFileAtomic(file, text, {mode: 0o600});
			return {path: file, bytes: Buffer.byteLength(text)};
		},

		async read(runId) {
			let names: string[];
			try {
				names = (await readdir(dirOf(runId))).filter(name => /^step-\d+\.json$/.test(name));
			} catch {
				return [];
			}

			const {checkSnapshot} = await import('./run-snapshot-schema.js');
			const snapshots: StepSnapshot[] = [];
			for (const name of names) {
				const file = path.join(dirOf(runId), name);
				const read = parseStored(await readFile(file, 'utf8'), checkSnapshot, snapshotVersion);
				if (isRefusal(read)) {
					return unreadable(file, read.cause, read.newer);
				}

				snapshots.push(read.value);
			}

			return snapshots.sort((a, b) => a.stepIndex - b.stepIndex);
		},
	};
}
