// Changes clusterConfig.yaml on disk and can undo the change: a backup that never overwrites
// another, beside the real file (through a symlink), with the original's owner and mode; the
// file itself replaced atomically; and putting the backup back only over what the wizard wrote.
import {open, readFile, rm, stat} from 'node:fs/promises';
import path from 'node:path';
import type {ConfigEdit} from '../../domain/config/config-facts.js';
import type {WizardError} from '../../domain/shared/wizard-error.js';
import {exitCodes} from '../../domain/shared/wizard-error.js';
import {resolveWriteTarget, syncDirectory, writeFileAtomic} from '../shared/atomic-write.js';
import {configFileError, configNotWritable} from './config-file-errors.js';
import {isWizardError} from '../../domain/shared/wizard-error.js';

export type WriteOptions = {
	/** The clock for the backup's name. */
	now?: Date;
};

function stamp(now: Date): string {
	const pad = (value: number) => String(value).padStart(2, '0');
	return `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
}

/** Backups one second apart would already differ; a thousand in one second means something else is wrong. */
const maxSameSecondBackups = 1000;

type Owner = {mode: number; uid: number; gid: number};

/**
 * `<real file>.bak-YYYYMMDD-HHMMSS`, or `…-2`, `…-3` when that name is taken (two runs in one
 * second, or a file of the operator's): created exclusively, so no backup or other file is ever
 * overwritten. Holds exactly `content`, with the original's owner and mode.
 */
async function createBackup(realPath: string, content: Buffer, owner: Owner, now: Date): Promise<string> {
	const base = `${realPath}.bak-${stamp(now)}`;
	for (let attempt = 1; attempt <= maxSameSecondBackups; attempt++) {
		const name = attempt === 1 ? base : `${base}-${attempt}`;
		let handle;
		try {
			handle = await open(name, 'wx', 0o600);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
				continue;
			}

			throw error;
		}

		try {
			await handle.writeFile(content);
			const created = await handle.stat();
			if (created.uid !== owner.uid || created.gid !== owner.gid) {
				await handle.chown(owner.uid, owner.gid);
			}

			await handle.chmod(owner.mode);
			await handle.sync();
			await handle.close();
		} catch (error) {
			await handle.close().catch(() => undefined);
			await rm(name, {force: true});
			throw error;
		}

		await syncDirectory(path.dirname(name));
		return name;
	}

	throw Object.assign(new Error(`${maxSameSecondBackups} backups named ${base}`), {code: 'EEXIST'});
}

type Current = {realPath: string; content: Buffer; owner: Owner};

/** The real file behind `edit.path` as it is now; an error when the link now points elsewhere. */
async function readCurrent(edit: ConfigEdit, changed: (message: string) => WizardError): Promise<Current | WizardError> {
	try {
		const realPath = await resolveWriteTarget(edit.path);
		if (edit.realPath && realPath !== edit.realPath) {
			return changed(`${edit.path} now points at ${realPath}, not at ${edit.realPath} as when the plan was made.`);
		}

		const [content, info] = await Promise.all([readFile(realPath), stat(realPath)]);
		return {realPath, content, owner: {mode: info.mode & 0o7777, uid: info.uid, gid: info.gid}};
	} catch (error) {
		return configFileError(edit.path, error);
	}
}

/** Root may write anything; a file its owner marked read-only is still not ours to change. */
const isReadOnly = (owner: Owner) => (owner.mode & 0o200) === 0;

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? String(error);

export async function applyConfigEdit(edit: ConfigEdit, options: WriteOptions = {}): Promise<{backupPath: string} | WizardError> {
	const changed = (message: string): WizardError => ({
		kind: 'config-changed',
		message,
		hint: 'Start the wizard again so the plan reflects the file as it is now.',
		exitCode: exitCodes.badInput,
	});
	const current = await readCurrent(edit, changed);
	if (isWizardError(current)) {
		return current;
	}

	if (current.content.toString('utf8') !== edit.originalText) {
		return changed(`${edit.path} changed since the plan was made.`);
	}

	if (isReadOnly(current.owner)) {
		return configNotWritable(edit.path, 'EACCES');
	}

	let backupPath: string | undefined;
	try {
		backupPath = await createBackup(current.realPath, current.content, current.owner, options.now ?? new Date());
		await writeFileAtomic(current.realPath, edit.newText);
	} catch (error) {
		// The file is unchanged, so a backup of it would only be clutter beside it.
		if (backupPath) {
			await rm(backupPath, {force: true}).catch(() => undefined);
		}

		return configNotWritable(edit.path, errorCode(error));
	}

	return {backupPath};
}

export type RestoredConfig = {
	/** The real file that holds the backup's content again. */
	restoredPath: string;
	/** Where what the wizard had written was kept, in case it was wanted after all. */
	replacedCopyPath: string;
};

/**
 * Puts the backup `applyConfigEdit` made back (Helm's --atomic spirit, after a failed step), only
 * over the text the wizard wrote: a file someone edited since, a backup that is gone or was
 * changed, is refused and nothing changes. What it replaces is kept as a backup of its own.
 */
export async function restoreConfigBackup(
	edit: ConfigEdit,
	backupPath: string,
	options: WriteOptions = {},
): Promise<RestoredConfig | WizardError> {
	const changed = (message: string): WizardError => ({
		kind: 'config-changed-since-write',
		message: `${message} The backup was not put back.`,
		hint: `Nothing was changed. Compare them (diff ${backupPath} ${edit.realPath ?? edit.path}) and copy back by hand what you need.`,
		exitCode: exitCodes.badInput,
	});
	const current = await readCurrent(edit, changed);
	if (isWizardError(current)) {
		return current.kind === 'config-missing' ? changed(`${edit.path} is gone since addon-wizard wrote it.`) : current;
	}

	if (current.content.toString('utf8') !== edit.newText) {
		return changed(`${edit.path} was edited after addon-wizard wrote it.`);
	}

	let backup;
	try {
		backup = await readFile(backupPath);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			return configFileError(backupPath, error);
		}

		return {
			kind: 'backup-missing',
			message: `The backup ${backupPath} is gone; ${edit.path} still holds what addon-wizard wrote.`,
			hint: "Set spec.addonPackage.path back by hand (the plan's diff shows the old value), or restore the file from a copy of your own.",
			exitCode: exitCodes.badInput,
		};
	}

	if (backup.toString('utf8') !== edit.originalText) {
		return {
			kind: 'backup-changed',
			message: `The backup ${backupPath} no longer holds what addon-wizard saved (it was changed since); it was not put back.`,
			hint: `Check it, and if it is what you want, copy it back by hand: cp ${backupPath} ${current.realPath}`,
			exitCode: exitCodes.badInput,
		};
	}

	if (isReadOnly(current.owner)) {
		return configNotWritable(edit.path, 'EACCES');
	}

	let replacedCopyPath: string | undefined;
	try {
		replacedCopyPath = await createBackup(current.realPath, current.content, current.owner, options.now ?? new Date());
		await writeFileAtomic(current.realPath, backup);
	} catch (error) {
		if (replacedCopyPath) {
			await rm(replacedCopyPath, {force: true}).catch(() => undefined);
		}

		return configNotWritable(edit.path, errorCode(error));
	}

	return {restoredPath: current.realPath, replacedCopyPath};
}
