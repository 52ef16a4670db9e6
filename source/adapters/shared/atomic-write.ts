// Writes a file so that a crash at any moment leaves either the old or the new content, and so
// that the operator's file stays theirs: a symlink stays a link (the file it points at is
// replaced), and the replaced file keeps its owner, group and mode.
//
// Kept instead of `write-file-atomic` 7 (which also follows links and keeps owner and mode):
// that package fsyncs the file but not the directory, so a power cut after its rename can bring
// the old name back; it opens its temp file without O_EXCL; and it installs `signal-exit`
// handlers on SIGINT/SIGTERM, which the wizard manages itself. test/adapters/atomic-write.test.ts
// checks the same guarantees.
import {randomBytes} from 'node:crypto';
import {lstat, open, readlink, realpath, rename, rm, stat} from 'node:fs/promises';
import path from 'node:path';

/** Linux's own limit on symlinks followed in one lookup (ELOOP beyond it). */
const maxLinkHops = 40;

const errnoError = (code: string, message: string) => Object.assign(new Error(`${code}: ${message}`), {code});

/**
 * The file a write to `target` must replace: the end of its symlink chain. A link that points
 * nowhere yet (dangling) resolves to the path it names, so the new file appears there.
 */
export async function resolveWriteTarget(target: string): Promise<string> {
	let current = path.resolve(target);
	for (let hop = 0; hop <= maxLinkHops; hop++) {
		try {
			return await realpath(current);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
				throw error;
			}
		}

		const info = await lstat(current).catch(() => undefined);
		if (!info?.isSymbolicLink()) {
			// A new file: its folder may itself be reached through links.
			const folder = await realpath(path.dirname(current)).catch(() => path.dirname(current));
			return path.join(folder, path.basename(current));
		}

		current = path.resolve(path.dirname(current), await readlink(current));
	}

	throw errnoError('ELOOP', `too many symbolic links at ${target}`);
}

type Ownership = {mode: number; uid: number; gid: number};

async function currentOwnership(file: string): Promise<Ownership | undefined> {
	try {
		const info = await stat(file);
		return {mode: info.mode & 0o7777, uid: info.uid, gid: info.gid};
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return undefined;
		}

		throw error;
	}
}

export type AtomicWriteOptions = {
	/** Mode of the result; by default the replaced file's, or 0644 for a new file. Never narrowed by the umask. */
	mode?: number;
};

/**
 * Temp file beside the real file (same filesystem, so the rename is atomic), owner and mode set
 * on it before it becomes visible under the real name, fsync, rename, fsync the directory.
 */
export async function writeFileAtomic(target: string, data: string | Buffer, options: AtomicWriteOptions = {}): Promise<void> {
	const real = await resolveWriteTarget(target);
	const existing = await currentOwnership(real);
	const mode = options.mode ?? existing?.mode ?? 0o644;
	const dir = path.dirname(real);
	const temp = path.join(dir, `.${path.basename(real)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
	let handle;
	try {
		// Private until its owner and mode are right: the content may be a config with passwords.
		handle = await open(temp, 'wx', 0o600);
		await handle.writeFile(data);
		const created = await handle.stat();
		if (existing && (created.uid !== existing.uid || created.gid !== existing.gid)) {
			// Fails (EPERM) for a non-root user who cannot give the file back to its owner; then the
			// original is left as it was rather than silently changing hands.
			await handle.chown(existing.uid, existing.gid);
		}

		// After chown, which clears set-id bits; and explicit, because open() applied the umask.
		await handle.chmod(mode);
		await handle.sync();
		await handle.close();
		handle = undefined;
		await rename(temp, real);
	} catch (error) {
		await handle?.close().catch(() => undefined);
		await rm(temp, {force: true}).catch(() => undefined);
		throw error;
	}

	await syncDirectory(dir);
}

/** Makes a rename or a new name in `dir` survive a power cut; best effort where a filesystem cannot. */
export async function syncDirectory(dir: string): Promise<void> {
	const dirHandle = await open(dir, 'r').catch(() => undefined);
	await dirHandle?.sync().catch(() => undefined);
	await dirHandle?.close().catch(() => undefined);
}
