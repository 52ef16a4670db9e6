// One run per clusterConfig.yaml and one installer per working directory, for every operator on
// the host: the locks live in the working directory and beside the config (lock-holder-file.ts
// says where and why), not in a user's state folder, where another operator's wizard never looks.
// Before any lock, the host's processes are scanned for an installer already running there
// (its wizard killed, or started by hand), which no lock shows.
import {exitCodes, type WizardError} from '../../domain/shared/wizard-error.js';
import {installerRunning, lockedBy, lockedBySelf, tookOverWords, type LockHolder, type LockSubject} from '../../domain/run/lock-holder.js';
import type {Lock, LockRequest, RunRecord} from '../../workflow/ports/run-record-port.js';
import {findRunningInstallers} from '../host/installer-scan.js';
import {processIdentity, sameProcessAlive} from '../host/process-identity.js';
import {currentUser} from '../host/user-names.js';
import {createWhole, readOr, removeIfMine, removeStale, unfinished} from './lock-file.js';
import {configLockFile, holderAlive, holderText, parseHolder, thisHost, workdirLockFile} from './lock-holder-file.js';
import {readRecord} from './run-record.js';

/** Lock files this process holds: a second run from the same wizard is refused too. */
const held = new Set<string>();

/** How long a wizard waits, at most, for another that is writing or taking over the same lock. */
const settleMs = 2000;

/** The lock port is synchronous, so a wizard that waits for another blocks, briefly and only then. */
function pause(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A folder this user cannot create a lock in: said, not thrown. */
const notWritable = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOENT']);

/** This wizard, as its locks name it. */
export type LockOwner = {configPath: string; recordPath: string; command: string; logPath?: string};

export function ownHolder(owner: LockOwner): LockHolder {
	return {pid: process.pid, identity: processIdentity(process.pid), ...currentUser(), host: thisHost(), since: Date.now(), ...owner};
}

/** An installer still running for the run of the dead holder, as its record (when this user may read it) says. */
function orphanInstaller(holder: LockHolder, subject: LockSubject): WizardError | undefined {
	const record: RunRecord | undefined = readRecord(holder.recordPath);
	if (record?.status !== 'running' || record.wizardPid !== holder.pid || !sameProcessAlive(record.installerPid, record.installerIdentity)) {
		return undefined;
	}

	return {
		kind: 'locked',
		message: `The installer (pid ${record.installerPid}) started by an earlier addon-wizard (pid ${holder.pid} of user ${holder.user}, no longer running) is still importing ${subject.workdir ? `in ${subject.workdir} ` : ''}for ${holder.configPath}.`,
		hint: `Wait for it to finish (watch it with \`addon-wizard attach -c ${holder.configPath}\`), or stop it with kill -INT -${record.installerPid}.`,
		exitCode: exitCodes.blocked,
	};
}

/**
 * An installer already running where the run would, or undefined: asked before a stale lock is
 * removed (a killed wizard's installer still holds the folder, and its lock names its run) and
 * once the locks are held (an installer started by hand holds no lock).
 */
type InstallerCheck = () => WizardError | undefined;

type Taking = {subject: LockSubject; mine: string; check: InstallerCheck; stale?: string};

/** What to do about the lock `text` another wizard left: wait for it, look again, or give up saying why. */
function confront(taking: Taking, text: string): 'wait' | 'again' | WizardError {
	const {subject, mine} = taking;
	if (unfinished(subject.file, text)) {
		return 'wait';
	}

	const holder = parseHolder(text);
	if (holder && holderAlive(holder)) {
		return holder.pid === process.pid && holder.host === thisHost()
			? lockedBySelf(subject, process.pid)
			: lockedBy(holder, subject, {now: Date.now(), thisHost: thisHost()});
	}

	// The installer outlives a wizard that was killed: while it still runs, its import holds the cluster and the folder.
	const orphan = (holder && orphanInstaller(holder, subject)) ?? taking.check();
	if (orphan) {
		return orphan;
	}

	taking.stale = text;
	return removeStale(subject.file, text, mine, claim => holderAlive(parseHolder(claim))) ? 'again' : 'wait';
}

/** A stale lock this user may not remove (another's, in a sticky folder such as /tmp): said, not thrown. */
function confrontOrSay(taking: Taking, text: string): 'wait' | 'again' | WizardError {
	try {
		return confront(taking, text);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? '';
		if (!notWritable.has(code)) {
			throw error;
		}

		const holder = parseHolder(text);
		return {
			kind: 'lock-not-writable',
			message: `The lock ${taking.subject.file} is stale${holder ? ` (left by user ${holder.user}, pid ${holder.pid}, no longer running)` : ''}, but this user cannot remove it (${code}).`,
			hint: `Remove it as ${holder ? `user ${holder.user} or ` : ''}root, then run again.`,
			exitCode: exitCodes.blocked,
		};
	}
}

function ownLock(file: string, mine: string, notices: string[]): Lock {
	held.add(file);
	return {
		notices,
		release() {
			held.delete(file);
			removeIfMine(file, mine);
		},
	};
}

/** Why this user cannot lock there, unless a live holder explains more. */
function cannotWrite(taking: Taking, code: string): WizardError {
	const text = readOr(taking.subject.file);
	const holder = text === undefined ? undefined : parseHolder(text);
	if (holder && holderAlive(holder)) {
		return lockedBy(holder, taking.subject, {now: Date.now(), thisHost: thisHost()});
	}

	return {
		kind: 'lock-not-writable',
		message: `Cannot create the lock ${taking.subject.file} (${code}); nothing was run.`,
		hint: `Every operator who runs the installer there must be able to write in ${taking.subject.workdir ?? 'that folder'} (the installer writes addon-offline-target-package there): give your group write access (chmod g+w) or run from a folder you can write.`,
		exitCode: exitCodes.blocked,
	};
}

function tryCreate(taking: Taking): boolean | WizardError {
	try {
		return createWhole(taking.subject.file, taking.mine);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? '';
		if (notWritable.has(code)) {
			return cannotWrite(taking, code);
		}

		throw error;
	}
}

/** Takes one lock file, replacing a stale one (and saying so); an error names the live holder. */
function takeLock(subject: LockSubject, holder: LockHolder, check: InstallerCheck): Lock | WizardError {
	if (held.has(subject.file)) {
		return lockedBySelf(subject, process.pid);
	}

	const taking: Taking = {subject, mine: holderText(holder), check};
	const settleBy = Date.now() + settleMs;
	for (let attempt = 0; attempt < 3;) {
		const created = tryCreate(taking);
		if (created === true) {
			const notices = taking.stale === undefined ? [] : [tookOverWords(parseHolder(taking.stale), subject.file, Date.now())];
			return ownLock(subject.file, taking.mine, notices);
		}

		if (created !== false) {
			return created;
		}

		const text = readOr(subject.file);
		const next = text === undefined ? 'again' : confrontOrSay(taking, text);
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
		message: `Could not take the lock ${subject.file}: other wizards kept changing it.`,
		hint: `Run again; if no other addon-wizard runs, remove ${subject.file}.`,
		exitCode: exitCodes.blocked,
	};
}

/** Takes every lock in order, all or none. */
function takeAll(
	subjects: LockSubject[],
	holder: LockHolder,
	check: InstallerCheck,
	optional: (subject: LockSubject) => boolean,
): Lock | WizardError {
	const taken: Lock[] = [];
	const notices: string[] = [];
	const releaseAll = () => {
		for (const lock of taken.reverse()) {
			lock.release();
		}
	};

	for (const subject of subjects) {
		const lock = takeLock(subject, holder, check);
		if ('exitCode' in lock) {
			if (lock.kind === 'lock-not-writable' && optional(subject)) {
				notices.push(
					`could not lock ${subject.configPath} for other operators (${lock.message}); the working directory's lock still holds.`,
				);
				continue;
			}

			releaseAll();
			return lock;
		}

		taken.push(lock);
		notices.push(...(lock.notices ?? []));
	}

	const running = check();
	if (running) {
		releaseAll();
		return running;
	}

	return {release: releaseAll, notices};
}

export type RunLockRequest = LockRequest & {owner: LockOwner; mask: (text: string) => string};

/**
 * The locks a run holds, for every operator on the host: the config's and each working
 * directory's, and then no installer running there. A live holder is named first (who, pid,
 * command, since when), so the second operator learns whose run it is. A config folder this user
 * cannot write (read-only, another's) leaves the working directory's lock alone to guard the run,
 * and says so; a working directory it cannot write is refused (the installer could not write there either).
 */
export function acquireRunLock(request: RunLockRequest): Lock | WizardError {
	const {owner, workdirs} = request;
	const check: InstallerCheck = () => {
		const question = {workdirs, configPaths: [owner.configPath], installerNames: request.installerNames, selfPid: process.pid};
		const running = findRunningInstallers(question, request.mask);
		return running.length > 0 ? installerRunning(running, owner.configPath) : undefined;
	};

	const configSubject: LockSubject = {file: configLockFile(owner.configPath), configPath: owner.configPath};
	const workdirSubjects = [...new Map(workdirs.map(dir => [workdirLockFile(dir), dir])).entries()].map(([file, workdir]): LockSubject => ({
		file,
		configPath: owner.configPath,
		workdir,
	}));
	const holder = ownHolder({...owner, logPath: request.logPath});
	return takeAll([configSubject, ...workdirSubjects], holder, check, subject => subject === configSubject);
}

/**
 * Who holds the locks of a run of `configPath` in `workdirs` now, as the refusal the run would
 * get: read only, so `run --yes` can name the holder before it plans (the holder's unpacking
 * would otherwise show as a leftover that blocks the plan, with the wrong next step).
 */
export function runLockHeld(configPath: string, workdirs: string[]): WizardError | undefined {
	const subjects: LockSubject[] = [
		{file: configLockFile(configPath), configPath},
		...workdirs.map(workdir => ({file: workdirLockFile(workdir), configPath, workdir})),
	];
	for (const subject of subjects) {
		const text = readOr(subject.file);
		const holder = text === undefined ? undefined : parseHolder(text);
		if (holder && holderAlive(holder) && !(holder.pid === process.pid && holder.host === thisHost())) {
			return lockedBy(holder, subject, {now: Date.now(), thisHost: thisHost()});
		}
	}

	return undefined;
}

/** The working directory alone, for a clean-up between runs (the clean-up asks the host's processes itself). */
export function acquireWorkdirLock(workdir: string, owner: LockOwner): Lock | WizardError {
	return takeLock({file: workdirLockFile(workdir), configPath: owner.configPath, workdir}, ownHolder(owner), () => undefined);
}
