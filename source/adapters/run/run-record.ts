// What survives the wizard's terminal: a record of the current run (pids, step, log) per
// clusterConfig.yaml, in this user's state folder, that `addon-wizard attach` and the cleanup guard
// read. The locks, which every operator must see, are in run-lock.ts.
import {createHash} from 'node:crypto';
import {mkdirSync, readFileSync, readdirSync, realpathSync} from 'node:fs';
import path from 'node:path';
import {writeFileAtomic} from '../shared/atomic-write.js';
import type {RunRecord} from '../../workflow/ports/run-record-port.js';
import {sameProcessAlive} from '../host/process-identity.js';

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
	await writeFileAtomic(file, JSON.stringify(record), {mode: 0o600});
}

export function readRecord(file: string): RunRecord | undefined {
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
	} catch {
		return undefined;
	}
}

/** The newest run record, or the one for `configPath`. */
export function findRecord(stateDirectory: string, configPath?: string): RunRecord | undefined {
	if (configPath) {
		return readRecord(recordPath(stateDirectory, configPath));
	}

	const dir = path.join(stateDirectory, 'runs');
	let files: string[];
	try {
		files = readdirSync(dir).filter(name => name.endsWith('.json'));
	} catch {
		return undefined;
	}

	const records = files.map(name => readRecord(path.join(dir, name))).filter((item): item is RunRecord => item !== undefined);
	return records.sort((a, b) => b.startedAt - a.startedAt)[0];
}
