// What survives the wizard's terminal: a lock per clusterConfig.yaml (one run at a time) and
// a record of the current run (pids, step, log) that `addon-wizard attach` reads.
import {createHash, randomBytes} from 'node:crypto';
import {linkSync, mkdirSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {writeFileAtomic} from './atomic-write.js';
import {exitCodes, type WizardError} from '../domain/model.js';
import type {Lock, RunRecord} from '../workflow/ports.js';
import {isAlive} from './process-control.js';

export type {RunRecord} from '../workflow/ports.js';

/** One key per file, however it is reached (relative path, symlinked folder). */
function keyOf(configPath: string): string {
	let real = path.resolve(configPath);
	try {
		real = realpathSync(real);
	} catch {
		// Not there (yet): the path as given.
	}

	return createHash('sha256').update(real).digest('hex').slice(0, 16);
}

/**
 * Boot and start time of a process (Linux), so a lock left before a reboot or a crash is not
 * mistaken for a live one when its pid has since been given to another program.
 */
export function processIdentity(pid: number): string | undefined {
	try {
		const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const startTime = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
		return startTime ? `${bootId}:${startTime}` : undefined;
	} catch {
		return undefined;
	}
}

type LockHolder = {pid: number; identity?: string};

function parseLock(text: string): LockHolder {
	const [pid, , identity] = text.split('\n');
	return {pid: Number(pid), identity: identity || undefined};
}

/** Whether the lock's writer still runs: a live pid that is still the same process. */
function holderAlive(holder: LockHolder): boolean {
	if (!Number.isInteger(holder.pid) || holder.pid <= 0 || !isAlive(holder.pid)) {
		return false;
	}

	const now = processIdentity(holder.pid);
	return holder.identity === undefined || now === undefined || now === holder.identity;
}

/** Lock files this process holds: a second run from the same wizard is refused too. */
const held = new Set<string>();

const readOr = (file: string) => {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return undefined;
	}
};

function lockedBy(pid: number, configPath: string, file: string): WizardError {
	return {
		kind: 'locked',
		message: `Another addon-wizard (pid ${pid}) is already running against ${configPath}.`,
		hint: `Wait for it to finish, or watch it with \`addon-wizard attach\`. If pid ${pid} is not an addon-wizard, remove ${file}.`,
		exitCode: exitCodes.blocked,
	};
}

/**
 * Moves a stale lock aside. Rename is atomic, so of two wizards that both judged it stale only
 * one moves it; one that finds it moved a fresh lock instead puts that back.
 */
function removeStale(file: string, staleText: string): void {
	const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
	try {
		renameSync(file, aside);
	} catch {
		return; // Someone else moved it first.
	}

	if (readOr(aside) !== staleText) {
		try {
			linkSync(aside, file);
		} catch {
			// A third lock is already in place; the one we moved lost anyway.
		}
	}

	rmSync(aside, {force: true});
}

/** An installer still running for the run of a dead wizard `wizardPid`, as an error naming it. */
function orphanInstaller(stateDirectory: string, configPath: string, wizardPid: number): WizardError | undefined {
	const record = readRecord(recordPath(stateDirectory, configPath));
	if (record?.status !== 'running' || record.wizardPid !== wizardPid || !record.installerPid || !isAlive(record.installerPid)) {
		return undefined;
	}

	return {
		kind: 'locked',
		message: `The installer (pid ${record.installerPid}) started by an earlier addon-wizard (pid ${wizardPid}, no longer running) is still importing into ${configPath}.`,
		hint: `Wait for it to finish (watch it with \`addon-wizard attach\`), or stop it with kill -INT -${record.installerPid}.`,
		exitCode: exitCodes.blocked,
	};
}

/** Takes the lock for `configPath`, replacing a stale one; an error names the live holder. */
export function acquireLock(stateDirectory: string, configPath: string): Lock | WizardError {
	const dir = path.join(stateDirectory, 'locks');
	mkdirSync(dir, {recursive: true, mode: 0o700});
	const file = path.join(dir, `${keyOf(configPath)}.lock`);
	const mine = `${process.pid}\n${configPath}\n${processIdentity(process.pid) ?? ''}\n`;
	for (let attempt = 0; attempt < 3; attempt++) {
		if (held.has(file)) {
			return lockedBy(process.pid, configPath, file);
		}

		try {
			writeFileSync(file, mine, {flag: 'wx', mode: 0o600});
			held.add(file);
			return {
				release() {
					held.delete(file);
					// Never remove a lock that is no longer ours.
					if (readOr(file) === mine) {
						rmSync(file, {force: true});
					}
				},
			};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
				throw error;
			}
		}

		const text = readOr(file);
		if (text === undefined) {
			continue; // Released between our try and our read.
		}

		const holder = parseLock(text);
		if (holder.pid !== process.pid && holderAlive(holder)) {
			return lockedBy(holder.pid, configPath, file);
		}

		// The installer outlives a wizard that was killed: while it still runs, its import holds the cluster.
		const orphan = orphanInstaller(stateDirectory, configPath, holder.pid);
		if (orphan) {
			return orphan;
		}

		removeStale(file, text);
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
	let files: string[];
	try {
		files = readdirSync(dir).filter(name => name.endsWith('.json'));
	} catch {
		return undefined;
	}

	const records = files.map(name => readRecord(path.join(dir, name))).filter((item): item is RunRecord => item !== undefined);
	return records.sort((a, b) => b.startedAt - a.startedAt)[0];
}
