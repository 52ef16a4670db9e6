// What survives the wizard's terminal: a lock per clusterConfig.yaml (one run at a time) and
// a record of the current run (pids, step, log) that `addon-wizard attach` reads.
import {createHash} from 'node:crypto';
import {mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {writeFileAtomic} from './atomic-write.js';
import {exitCodes, type FailureCause, type Plan, type WizardError} from '../domain/model.js';

export type RunRecord = {
	wizardPid: number;
	installerPid?: number;
	configPath: string;
	logPath: string;
	startedAt: number;
	stepIndex: number;
	stepId: string;
	packagePath: string;
	status: 'running' | 'ok' | 'failed' | 'interrupted';
	endedAt?: number;
	failure?: FailureCause;
	failedStepIndex?: number;
	plan: Plan;
};

const keyOf = (configPath: string) => createHash('sha256').update(configPath).digest('hex').slice(0, 16);

export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Takes the lock for `configPath`, replacing a stale one; an error names the live holder. */
export function acquireLock(stateDirectory: string, configPath: string): {release(): void} | WizardError {
	const dir = path.join(stateDirectory, 'locks');
	mkdirSync(dir, {recursive: true, mode: 0o700});
	const file = path.join(dir, `${keyOf(configPath)}.lock`);
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			writeFileSync(file, `${process.pid}\n${configPath}\n`, {flag: 'wx', mode: 0o600});
			return {release: () => rmSync(file, {force: true})};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
				throw error;
			}

			const holder = Number(readFileSync(file, 'utf8').split('\n')[0]);
			if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
				return {
					kind: 'locked',
					message: `Another addon-wizard (pid ${holder}) is already running against ${configPath}.`,
					hint: 'Wait for it to finish, or watch it with `addon-wizard attach`.',
					exitCode: exitCodes.blocked,
				};
			}

			rmSync(file, {force: true}); // Stale: its holder is gone.
		}
	}

	return {kind: 'locked', message: `Could not take the lock for ${configPath}.`, hint: `Remove ${file} if no other addon-wizard runs.`, exitCode: exitCodes.blocked};
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
	let files: string[] = [];
	try {
		files = readdirSync(dir).filter(name => name.endsWith('.json'));
	} catch {
		return undefined;
	}

	const records = files.map(name => readRecord(path.join(dir, name))).filter((item): item is RunRecord => item !== undefined);
	return records.sort((a, b) => b.startedAt - a.startedAt)[0];
}
