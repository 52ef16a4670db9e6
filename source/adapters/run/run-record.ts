// What survives the wizard's terminal: a lock per clusterConfig.yaml (one run at a time), a lock per
// working directory (one installer unpacking into it, whatever config it runs for) and a record of
// the current run (pids, step, log) that `addon-wizard attach` and the cleanup guard read.
import {createHash, randomBytes} from 'node:crypto';
import {linkSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {writeFileAtomic} from '../shared/atomic-write.js';
import {exitCodes, isWizardError, type WizardError} from '../../domain/shared/wizard-error.js';
import type {Lock, RunRecord, RunRecordPort} from '../../workflow/ports/run-record-port.js';
import {isAlive} from '../host/process-control.js';
import {procStat} from '../host/proc-stat.js';
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

/**
 * Boot and start time of a process (Linux), so a lock left before a reboot or a crash is not
 * mistaken for a live one when its pid has since been given to another program.
 */
export function processIdentity(pid: number): string | undefined {
	try {
		const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
		const startTime = procStat(pid)?.startTime;
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

/** What a lock guards: the config (one run per config) or a working directory (one installer per folder). */
type LockSubject = {file: string; configPath: string; workdir?: string};

function lockedBy(pid: number, subject: LockSubject, holderConfig: string | undefined): WizardError {
	const where = subject.workdir
		? `in the working directory ${subject.workdir}${holderConfig ? ` (against ${holderConfig})` : ''}`
		: `against ${subject.configPath}`;
	return {
		kind: 'locked',
		message: `Another addon-wizard (pid ${pid}) is already running ${where}.`,
		hint: `Wait for it to finish, or watch it with \`addon-wizard attach${holderConfig && subject.workdir ? ` -c ${holderConfig}` : ''}\`. If pid ${pid} is not an addon-wizard, remove ${subject.file}.`,
		exitCode: exitCodes.blocked,
	};
}

/** How long a wizard waits, at most, for another that is writing or taking over the same lock. */
const settleMs = 2000;

/** A lock file still unfinished after this long was left by a wizard that died while writing it. */
const unfinishedMs = 10_000;

/** The lock port is synchronous, so a wizard that waits for another blocks, briefly and only then. */
function pause(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Filesystems without hard links: there the lock is written in place, and readers wait while it is unfinished. */
const noHardLinks = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/**
 * Puts `text` at `file` unless something is there. The text is written aside and hard-linked into
 * place (link, like O_EXCL, fails when the name exists), so no one ever reads a lock half written.
 */
function createWhole(file: string, text: string): boolean {
	const draft = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.draft`;
	writeFileSync(draft, text, {flag: 'wx', mode: 0o600});
	try {
		linkSync(draft, file);
		return true;
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? '';
		if (noHardLinks.has(code)) {
			return createInPlace(file, text);
		}

		if (code !== 'EEXIST') {
			throw error;
		}

		return false;
	} finally {
		rmSync(draft, {force: true});
	}
}

function createInPlace(file: string, text: string): boolean {
	try {
		writeFileSync(file, text, {flag: 'wx', mode: 0o600});
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
			throw error;
		}

		return false;
	}
}

/** A lock whose writer may still be writing it: short of its last newline and young. */
function unfinished(file: string, text: string): boolean {
	if (text.endsWith('\n')) {
		return false;
	}

	try {
		return Date.now() - statSync(file).mtimeMs < unfinishedMs;
	} catch {
		return true; // Gone since: look again.
	}
}

/**
 * Removes the stale lock `staleText` from `file` if it is still there; false while another wizard
 * is taking it over. Only the holder of the claim `<file>.takeover-<hash of staleText>` may remove
 * it, and nothing else can take its place until it is gone, so of several wizards that judged it
 * stale exactly one removes it, and none removes the fresh lock another put in its place.
 */
function removeStale(file: string, staleText: string, mine: string): boolean {
	const claim = `${file}.takeover-${createHash('sha256').update(staleText).digest('hex').slice(0, 16)}`;
	if (!createWhole(claim, mine)) {
		const claimText = readOr(claim);
		if (claimText === undefined) {
			return true;
		}

		if (unfinished(claim, claimText) || holderAlive(parseLock(claimText))) {
			return false;
		}

		// Its claimant died mid-takeover: the claim is stale in turn, and removed the same way.
		removeStale(claim, claimText, mine);
		return true;
	}

	try {
		if (readOr(file) === staleText) {
			rmSync(file, {force: true});
		}
	} finally {
		rmSync(claim, {force: true});
	}

	return true;
}

/** Whether a recorded installer pid is still that installer (not a pid the kernel has given to another program). */
function installerAlive(record: RunRecord): boolean {
	if (!record.installerPid || !isAlive(record.installerPid)) {
		return false;
	}

	const now = processIdentity(record.installerPid);
	return record.installerIdentity === undefined || now === undefined || now === record.installerIdentity;
}

/** An installer still running for the run of a dead wizard `wizardPid`, as an error naming it. */
function orphanInstaller(stateDirectory: string, configPath: string, wizardPid: number, subject: LockSubject): WizardError | undefined {
	const record = readRecord(recordPath(stateDirectory, configPath));
	if (record?.status !== 'running' || record.wizardPid !== wizardPid || !installerAlive(record)) {
		return undefined;
	}

	const into = subject.workdir ? `is still importing in ${subject.workdir} (for ${configPath})` : `is still importing into ${configPath}`;
	return {
		kind: 'locked',
		message: `The installer (pid ${record.installerPid}) started by an earlier addon-wizard (pid ${wizardPid}, no longer running) ${into}.`,
		hint: `Wait for it to finish (watch it with \`addon-wizard attach${subject.workdir ? ` -c ${configPath}` : ''}\`), or stop it with kill -INT -${record.installerPid}.`,
		exitCode: exitCodes.blocked,
	};
}

/** What to do about the lock `text` another wizard left: wait for it, look again, or give up saying why. */
function confront(stateDirectory: string, subject: LockSubject, text: string, mine: string): 'wait' | 'again' | WizardError {
	if (unfinished(subject.file, text)) {
		return 'wait';
	}

	const holder = parseLock(text);
	const holderConfig = text.split('\n')[1] || undefined;
	if (holder.pid !== process.pid && holderAlive(holder)) {
		return lockedBy(holder.pid, subject, holderConfig);
	}

	// The installer outlives a wizard that was killed: while it still runs, its import holds the cluster and the folder.
	const orphan = orphanInstaller(stateDirectory, holderConfig ?? subject.configPath, holder.pid, subject);
	if (orphan) {
		return orphan;
	}

	return removeStale(subject.file, text, mine) ? 'again' : 'wait';
}

function ownLock(file: string, mine: string): Lock {
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
}

/** Takes one lock file, replacing a stale one; an error names the live holder. */
function takeLock(stateDirectory: string, subject: LockSubject): Lock | WizardError {
	const {file} = subject;
	const mine = `${process.pid}\n${subject.configPath}\n${processIdentity(process.pid) ?? ''}\n`;
	const settleBy = Date.now() + settleMs;
	for (let attempt = 0; attempt < 3;) {
		if (held.has(file)) {
			return lockedBy(process.pid, subject, readOr(file)?.split('\n')[1] || subject.configPath);
		}

		if (createWhole(file, mine)) {
			return ownLock(file, mine);
		}

		const text = readOr(file);
		const next = text === undefined ? 'again' : confront(stateDirectory, subject, text, mine);
		if (next === 'wait' && Date.now() < settleBy) {
			pause(2);
		} else if (typeof next === 'string') {
			attempt++;
		} else {
			return next;
		}
	}

	return {
		kind: 'locked',
		message: `Could not take the lock for ${subject.workdir ?? subject.configPath}.`,
		hint: `Remove ${file} if no other addon-wizard runs.`,
		exitCode: exitCodes.blocked,
	};
}

function lockDirectory(stateDirectory: string): string {
	const dir = path.join(stateDirectory, 'locks');
	mkdirSync(dir, {recursive: true, mode: 0o700});
	return dir;
}

function workdirSubject(stateDirectory: string, workdir: string, configPath: string): LockSubject {
	return {file: path.join(lockDirectory(stateDirectory), `workdir-${keyOf(workdir)}.lock`), configPath, workdir};
}

/**
 * Takes the lock for `configPath` and for each working directory in `workdirs` (all or none),
 * replacing stale ones; an error names the live holder: a second wizard on the same config, or on
 * the same working directory with another config, is refused.
 */
export function acquireLock(stateDirectory: string, configPath: string, workdirs: string[] = []): Lock | WizardError {
	const subjects: LockSubject[] = [
		{file: path.join(lockDirectory(stateDirectory), `${keyOf(configPath)}.lock`), configPath},
		...[...new Set(workdirs.map(dir => keyOf(dir)))].map(key =>
			workdirSubject(
				stateDirectory,
				workdirs.find(dir => keyOf(dir) === key)!,
				configPath,
			),
		),
	];
	const taken: Lock[] = [];
	const releaseAll = () => {
		for (const lock of taken.reverse()) {
			lock.release();
		}
	};

	for (const subject of subjects) {
		const lock = takeLock(stateDirectory, subject);
		if ('exitCode' in lock) {
			releaseAll();
			return lock;
		}

		taken.push(lock);
	}

	return {release: releaseAll};
}

/** The working directory alone, for a cleanup between runs. */
export function acquireWorkdirLock(stateDirectory: string, workdir: string, configPath: string): Lock | WizardError {
	return takeLock(stateDirectory, workdirSubject(stateDirectory, workdir, configPath));
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
		.filter((record): record is RunRecord => record?.status === 'running' && installerAlive(record))
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

/** The run record and lock of one clusterConfig.yaml, under the state folder. */
export function runRecordPort(stateDirectory: string, configPath: string): RunRecordPort {
	return {
		write: async record => writeRecord(stateDirectory, record),
		read: () => readRecord(recordPath(stateDirectory, configPath)),
		lock: workdirs => acquireLock(stateDirectory, configPath, workdirs),
	};
}
