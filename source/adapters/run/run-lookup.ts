// Finding the run for a config from any account: this user's own record first, then the run the
// locks name (in the working directory and beside the config), whose record lives in the holder's
// state folder and may not be readable here; then the run is still named, with what cannot be
// shown and why. `attach` and `status` ask this one function.
import {accessSync, constants, realpathSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import type {RunningInstaller} from '../../domain/run/lock-holder.js';
import {findRunningInstallers} from '../host/installer-scan.js';
import type {LockHolder} from '../../domain/run/lock-holder.js';
import type {RunLookup, RunRecord} from '../../workflow/ports/run-record-port.js';
import {readOr} from './lock-file.js';
import {configLockFile, holderAlive, parseHolder, workdirLockFile} from './lock-holder-file.js';
import {isWizardError} from '../../domain/shared/wizard-error.js';
import {findRecordOrCause, readRecord, recordPath} from './run-record.js';
import {readRunRecord} from './run-record-schema.js';

type Held = {file: string; holder: LockHolder};

const real = (file: string) => {
	try {
		return realpathSync(file);
	} catch {
		return file;
	}
};

/** The holders the locks for `configPath` and `workdirs` name (a working directory's, only for that config when one is given), live ones first. */
export function lockHolders(configPath: string | undefined, workdirs: string[]): Held[] {
	const files = [...new Set([...(configPath ? [configLockFile(configPath)] : []), ...workdirs.map(dir => workdirLockFile(dir))])];
	const held = files.flatMap(file => {
		const text = readOr(file);
		const holder = text === undefined ? undefined : parseHolder(text);
		return holder && (!configPath || real(holder.configPath) === real(configPath)) ? [{file, holder}] : [];
	});
	return [...held.filter(item => holderAlive(item.holder)), ...held.filter(item => !holderAlive(item.holder))];
}

/** Why this user cannot read `file`, or undefined when it can. */
function unreadable(file: string): string | undefined {
	try {
		accessSync(file, constants.R_OK);
		return undefined;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code ?? String(error);
	}
}

/** The names an installer of this run goes by: the real one's, and the file its wizard was given with --installer. */
function installerNames(holder: LockHolder): string[] {
	const given = /(?:^|\s)--installer(?:=|\s+)(\S+)/.exec(holder.command)?.[1];
	return ['dce5-installer', ...(given ? [path.basename(given)] : [])];
}

/** What /proc shows of the run's installer when its record cannot: it works in one of the folders, or names the config. */
function liveInstallers(holder: LockHolder, lockFile: string): RunningInstaller[] {
	const question = {
		workdirs: [path.dirname(lockFile)],
		configPaths: [holder.configPath],
		installerNames: installerNames(holder),
		selfPid: process.pid,
	};
	return findRunningInstallers(question, text => text);
}

/** The run a lock names, as this user can see it. */
function throughLock({file, holder}: Held): RunLookup {
	const cause = unreadable(holder.recordPath);
	const record = cause === undefined ? readRecord(holder.recordPath) : undefined;
	if (record) {
		return {found: 'record', record, recordPath: holder.recordPath, holder};
	}

	const logReadable = holder.logPath !== undefined && unreadable(holder.logPath) === undefined;
	if (cause !== undefined) {
		return {found: 'unreadable', holder, lockFile: file, cause, logReadable};
	}

	// Readable, yet no record: truncated or corrupt. Which installer still runs is asked of /proc instead.
	const read = readRunRecord(holder.recordPath);
	const why =
		'refused' in read ? (/cannot be read \((.*)\); it is not used/.exec(read.refused.message)?.[1] ?? 'not a run record') : 'it is gone';
	return {found: 'unreadable', holder, lockFile: file, cause: why, logReadable, damaged: true, installers: liveInstallers(holder, file)};
}

/**
 * The run for `configPath` (or, without one, this user's newest and the one the working
 * directory's lock names): a running one wins over one that ended.
 */
export function lookUpRun(stateDirectory: string, configPath: string | undefined, workdirs: string[]): RunLookup {
	const read = findRecordOrCause(stateDirectory, configPath);
	const own = isWizardError(read) ? undefined : read;
	const ownFound: RunLookup | undefined = own && {found: 'record', record: own, recordPath: recordPath(stateDirectory, own.configPath)};
	if (ownFound && own?.status === 'running') {
		return ownFound;
	}

	const fromLocks = lockHolders(configPath, workdirs)
		.filter(item => item.holder.recordPath !== ownFound?.recordPath)
		.map(held => ({held, found: throughLock(held)}));
	// A live holder, or a record that still says running (its installer may outlive the wizard).
	const live = fromLocks.find(
		({held, found}) => holderAlive(held.holder) || (found.found === 'record' && found.record.status === 'running'),
	);
	return live?.found ?? ownFound ?? fromLocks[0]?.found ?? (isWizardError(read) ? {found: 'refused', error: read} : {found: 'none'});
}

/** The file `record` was read from: this user's own, or the one a lock names (another operator's run). */
export function recordFileOf(stateDirectory: string, record: RunRecord): string {
	const own = recordPath(stateDirectory, record.configPath);
	const same = (file: string) => {
		const read = readRecord(file);
		return read?.wizardPid === record.wizardPid && read.startedAt === record.startedAt;
	};

	if (same(own)) {
		return own;
	}

	const workdirs = [...new Set(record.plan.steps.map(step => step.cwd))];
	return lockHolders(record.configPath, workdirs).find(item => same(item.holder.recordPath))?.holder.recordPath ?? own;
}
