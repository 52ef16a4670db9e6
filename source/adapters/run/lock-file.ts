// The race-free parts of a lock file, whoever writes it: a lock appears whole or not at all
// (written aside, hard-linked into place), a stale one is removed by exactly one of the wizards that
// judged it stale (a takeover claim on that very text), and one being written is waited for. The
// files are world-readable (0644, whatever the umask), because a second operator must read who
// holds the lock; what goes into them is the caller's business, and it holds no password.
import {createHash, randomBytes} from 'node:crypto';
import {closeSync, fchmodSync, linkSync, openSync, readFileSync, rmSync, statSync, writeSync} from 'node:fs';

/** Other operators read who holds a lock; only its writer changes it. */
export const lockFileMode = 0o644;

/** A lock file still unfinished after this long was left by a wizard that died while writing it. */
const unfinishedMs = 10_000;

/** Filesystems without hard links: there the lock is written in place, and readers wait while it is unfinished. */
const noHardLinks = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

export const readOr = (file: string): string | undefined => {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return undefined;
	}
};

/** Creates `file` holding `text`, failing with EEXIST when it is there; the mode is set explicitly, past the umask. */
function writeNew(file: string, text: string): void {
	const fd = openSync(file, 'wx', lockFileMode);
	try {
		fchmodSync(fd, lockFileMode);
		writeSync(fd, text);
	} finally {
		closeSync(fd);
	}
}

function createInPlace(file: string, text: string): boolean {
	try {
		writeNew(file, text);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
			throw error;
		}

		return false;
	}
}

/**
 * Puts `text` at `file` unless something is there. The text is written aside and hard-linked into
 * place (link, like O_EXCL, fails when the name exists), so no one ever reads a lock half written.
 * Throws when the folder cannot be written (EACCES, EROFS): the caller says whose folder it is.
 */
export function createWhole(file: string, text: string): boolean {
	const draft = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.draft`;
	writeNew(draft, text);
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

/** A lock whose writer may still be writing it: short of its last newline and young. */
export function unfinished(file: string, text: string): boolean {
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
 * `claimAlive` says whether the wizard that wrote a claim still runs.
 */
export function removeStale(file: string, staleText: string, mine: string, claimAlive: (text: string) => boolean): boolean {
	const claim = `${file}.takeover-${createHash('sha256').update(staleText).digest('hex').slice(0, 16)}`;
	if (!createWhole(claim, mine)) {
		const claimText = readOr(claim);
		if (claimText === undefined) {
			return true;
		}

		if (unfinished(claim, claimText) || claimAlive(claimText)) {
			return false;
		}

		// Its claimant died mid-takeover: the claim is stale in turn, and removed the same way.
		removeStale(claim, claimText, mine, claimAlive);
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

/** Removes `file` only while it still holds `mine`: never a lock another wizard has since taken. */
export function removeIfMine(file: string, mine: string): void {
	if (readOr(file) === mine) {
		rmSync(file, {force: true});
	}
}
