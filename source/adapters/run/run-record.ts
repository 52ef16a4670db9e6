// What survives the wizard's terminal: a record of the current run (pids, step, log) per
// clusterConfig.yaml, in this user's state folder, that `addon-wizard attach` and the cleanup guard
// read. The locks, which every operator must see, are in run-lock.ts.
import {createHash} from 'node:crypto';
import {mkdirSync, readdirSync, realpathSync} from 'node:fs';
import path from 'node:path';
import {writeFileAtomic} from '../shared/atomic-write.js';
import {isWizardError, type WizardError} from '../../domain/shared/wizard-error.js';
import type {RunRecord} from '../../workflow/ports/run-record-port.js';
import {sameProcessAlive} from '../host/process-identity.js';
import {readRunRecord, runRecordVersion} from './run-record-schema.js';

export type {RunRecord} from '../../workflow/ports/run-record-port.js';

/** One key per file or folder, however it is reached (relative path, symlinked folder). */
function keyOf(configPath: string): string {
	let real = path.resolve(configPath);
	try {
		real = realpathSync(real);
	} catch {
		// Not there (yet): the path as given.
	}

	return createHash('sha256').update(real).digest('hex').slice(0, 16);
}

/** Every recorded run whose installer still lives, whatever config it is for, with the folder it runs in. */
export function runningInstallers(stateDirectory: string): Array<{pid: number; wizardPid: number; configPath: string; cwd?: string}> {
	const dir = path.join(stateDirectory, 'runs');
	let files: string[];
	try {
		files = readdirSync(dir).filter(name => name.endsWith('.json'));
	} catch {
		return [];
	}

	return files
		.map(name => readRecord(path.join(dir, name)))
		.filter(
			(record): record is RunRecord => record?.status === 'running' && sameProcessAlive(record.installerPid, record.installerIdentity),
		)
		.map(record => ({
			pid: record.installerPid!,
			wizardPid: record.wizardPid,
			configPath: record.configPath,
			cwd: record.plan.steps[record.stepIndex]?.cwd,
		}));
}

export function recordPath(stateDirectory: string, configPath: string): string {
	return path.join(stateDirectory, 'runs', `${keyOf(configPath)}.json`);
}

export async function writeRecord(stateDirectory: string, record: RunRecord): Promise<void> {
	const file = recordPath(stateDirectory, record.configPath);
	mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
	await writeFileAtomic(file, JSON.stringify({schemaVersion: runRecordVersion, ...record}), {mode: 0o600});
}

/** The record at `file` when it is there and passes its schema; see findRecordOrCause for why not. */
export function readRecord(file: string): RunRecord | undefined {
	const read = readRunRecord(file);
	return 'record' in read ? read.record : undefined;
}

/**
 * The run record for `configPath` (or the newest one), undefined when there is none, or why the
 * one there cannot be used: what `attach`, the wizard's entry and `status` say to the operator.
 */
export function findRecordOrCause(stateDirectory: string, configPath?: string): RunRecord | WizardError | undefined {
	if (configPath) {
		const read = readRunRecord(recordPath(stateDirectory, configPath));
		return 'record' in read ? read.record : 'refused' in read ? read.refused : undefined;
	}

	const dir = path.join(stateDirectory, 'runs');
	let files: string[];
	try {
		files = readdirSync(dir).filter(name => name.endsWith('.json'));
	} catch {
		return undefined;
	}

	const reads = files.map(name => readRunRecord(path.join(dir, name)));
	const records = reads.flatMap(read => ('record' in read ? [read.record] : []));
	const refused = reads.flatMap(read => ('refused' in read ? [read.refused] : []));
	return records.sort((a, b) => b.startedAt - a.startedAt)[0] ?? refused[0];
}

/** The newest run record, or the one for `configPath`; one that cannot be read counts as none. */
export function findRecord(stateDirectory: string, configPath?: string): RunRecord | undefined {
	const found = findRecordOrCause(stateDirectory, configPath);
	return isWizardError(found) ? undefined : found;
}
