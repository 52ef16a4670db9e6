// Writes a file so that a crash at any moment leaves either the old or the new content:
// temp file in the same directory, fsync, rename over the target, fsync the directory.
import {randomBytes} from 'node:crypto';
import {open, rename, rm} from 'node:fs/promises';
import path from 'node:path';

export async function writeFileAtomic(target: string, data: string | Buffer, options: {mode?: number} = {}): Promise<void> {
	const dir = path.dirname(target);
	const temp = path.join(dir, `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
	const mode = options.mode ?? 0o644;
	let handle;
	try {
		handle = await open(temp, 'wx', mode);
		await handle.writeFile(data);
		// The umask may have narrowed the mode given to open(); the file must keep the original's.
		await handle.chmod(mode);
		await handle.sync();
		await handle.close();
		handle = undefined;
		await rename(temp, target);
	} catch (error) {
		await handle?.close().catch(() => undefined);
		await rm(temp, {force: true}).catch(() => undefined);
		throw error;
	}

	const dirHandle = await open(dir, 'r').catch(() => undefined);
	await dirHandle?.sync().catch(() => undefined);
	await dirHandle?.close();
}
