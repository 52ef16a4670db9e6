// File names are bytes; Node's strings are not. A folder named with a byte that is not UTF-8
// (0xff, a Latin-1 name copied from an old host) reaches us as U+FFFD in argv and in string
// readdir, and no file system call can open that string. Paths that are not UTF-8 are handled
// as Buffers, shown with the bad bytes escaped (`\xff`), and found again from either spelling.
import {isUtf8} from 'node:buffer';
import {lstat, readdir} from 'node:fs/promises';
import path from 'node:path';

const slash = 0x2f;

/** A path as it can be shown: itself when it is UTF-8, else with each invalid byte as `\xHH`. */
export function displayPath(bytes: Buffer): string {
	if (isUtf8(bytes)) {
		return bytes.toString('utf8');
	}

	let text = '';
	let position = 0;
	while (position < bytes.length) {
		// A valid UTF-8 sequence is 1–4 bytes, and no shorter prefix of it is valid on its own.
		const length = [1, 2, 3, 4].find(size => position + size <= bytes.length && isUtf8(bytes.subarray(position, position + size)));
		if (length === undefined) {
			text += `\\x${bytes[position]!.toString(16).padStart(2, '0')}`;
			position++;
		} else {
			text += bytes.toString('utf8', position, position + length);
			position += length;
		}
	}

	return text;
}

export function joinBytes(dir: Buffer, name: Buffer): Buffer {
	return dir.at(-1) === slash ? Buffer.concat([dir, name]) : Buffer.concat([dir, Buffer.of(slash), name]);
}

export function dirnameBytes(file: Buffer): Buffer {
	const last = file.lastIndexOf(slash);
	return last <= 0 ? Buffer.of(slash) : file.subarray(0, last);
}

/** The form fs calls take: a string when the bytes are UTF-8 (most paths), else the bytes. */
export function fsPath(bytes: Buffer): string | Buffer {
	return isUtf8(bytes) ? bytes.toString('utf8') : bytes;
}

export function showPath(file: string | Buffer): string {
	return typeof file === 'string' ? file : displayPath(file);
}

const exists = async (file: string | Buffer) =>
	lstat(file).then(
		() => true,
		() => false,
	);

/**
 * Finds the file an absolute path names when its bytes were decoded lossily (U+FFFD for each
 * invalid sequence, as Node does with argv) or shown escaped (`\xff`): each component that does not
 * exist as spelt is matched against the folder's entries in both spellings. Undefined when nothing,
 * or more than one entry, matches.
 */
export async function resolveLossyPath(input: string): Promise<Buffer | string | undefined> {
	if (!path.isAbsolute(input)) {
		return undefined;
	}

	if (await exists(input)) {
		return input;
	}

	let current: Buffer = Buffer.of(slash);
	for (const part of path.posix.normalize(input).split('/').filter(Boolean)) {
		const exact = joinBytes(current, Buffer.from(part));
		if (await exists(fsPath(exact))) {
			current = exact;
			continue;
		}

		// Only a component that could have lost bytes is worth a folder read.
		if (!part.includes('\uFFFD') && !/\\x[\da-f]{2}/i.test(part)) {
			return undefined;
		}

		const names = await readdir(fsPath(current), {encoding: 'buffer'}).catch(() => [] as Buffer[]);
		const matches = names.filter(name => name.toString('utf8') === part || displayPath(name) === part);
		if (matches.length !== 1) {
			return undefined;
		}

		current = joinBytes(current, matches[0]!);
	}

	return fsPath(current);
}
