// Opens what the user named as a package, and refuses at once anything that is not a regular
// file: a FIFO would block the open (and the read) forever, /dev/zero never ends, a directory is
// not a package. The open is non-blocking and the decision is taken on the open descriptor (fstat),
// so nothing can be swapped in between. A path whose bytes are not UTF-8 is found again from its
// lossy or escaped spelling, opened through its bytes, and flagged: the installer cannot be given it.
import type {BigIntStats} from 'node:fs';
import {constants} from 'node:fs';
import {open, realpath, type FileHandle} from 'node:fs/promises';
import type {Finding} from '../../domain/shared/findings.js';
import {dirnameBytes, joinBytes, resolveLossyPath, showPath} from '../host/lossy-path.js';

export type OpenedPackage = {
	handle: FileHandle;
	info: BigIntStats;
	/** What fs calls take: a string, or the bytes when the path is not UTF-8. */
	target: string | Buffer;
	/** The path as shown and recorded (invalid bytes escaped). */
	display: string;
	/** Set when the path is not UTF-8. */
	pathFinding?: Finding;
};

export type OpenRefusal = {display: string; finding: Finding};

const openFlags = constants.O_RDONLY | constants.O_NONBLOCK;

const kinds: Array<[(info: BigIntStats) => boolean, string]> = [
	[info => info.isFIFO(), 'a FIFO (named pipe)'],
	[info => info.isCharacterDevice(), 'a character device'],
	[info => info.isBlockDevice(), 'a block device'],
	[info => info.isDirectory(), 'a directory'],
	[info => info.isSocket(), 'a socket'],
];

function notAFile(display: string, what: string, realTarget?: string): OpenRefusal {
	const through = realTarget && realTarget !== display ? ` (it leads to ${realTarget})` : '';
	return {
		display,
		finding: {
			code: 'not-a-file',
			severity: 'error',
			message: `${display} is ${what}${through}, not a regular file: it was not read.`,
			hint: 'Choose the package .tar.gz file itself; a package is never a pipe, a device or a folder.',
		},
	};
}

function unreadable(display: string, code: string): OpenRefusal {
	return {
		display,
		finding: {
			code: 'unreadable',
			severity: 'error',
			message: code === 'ENOENT' ? `Package not found: ${display}.` : `Cannot read ${display} (${code}).`,
			hint: code === 'EACCES' ? 'Run as a user that can read it, or fix its permissions.' : 'Check the path; pass it with --package PATH.',
		},
	};
}

function pathNotUtf8(display: string): Finding {
	return {
		code: 'path-not-utf8',
		severity: 'error',
		message: `The path ${display} is not UTF-8 (escaped bytes shown as \\xHH): it was read, but it cannot be handed to the installer.`,
		hint: 'Rename the folder (or file) to a UTF-8 name, or make a UTF-8 symlink to the package (ln -s) and choose the symlink.',
	};
}

async function openTarget(target: string | Buffer): Promise<FileHandle | NodeJS.ErrnoException> {
	return open(target, openFlags).catch((error: NodeJS.ErrnoException) => error);
}

const isHandle = (value: FileHandle | NodeJS.ErrnoException): value is FileHandle => 'fd' in value;

export async function openPackage(file: string): Promise<OpenedPackage | OpenRefusal> {
	let target: string | Buffer = file;
	let handle = await openTarget(target);
	if (!isHandle(handle) && handle.code === 'ENOENT') {
		const found = await resolveLossyPath(file);
		if (found !== undefined) {
			target = found;
			handle = await openTarget(target);
		}
	}

	const display = showPath(target);
	if (!isHandle(handle)) {
		// A socket refuses open(2) with ENXIO: it is no file either.
		return handle.code === 'ENXIO' ? notAFile(display, 'a socket') : unreadable(display, handle.code ?? 'error');
	}

	const info = await handle.stat({bigint: true});
	if (!info.isFile()) {
		await handle.close();
		const what = kinds.find(([test]) => test(info))?.[1] ?? 'not a regular file';
		const real = await realpath(target).then(showPath, () => undefined);
		return notAFile(display, what, real);
	}

	return {handle, info, target, display, ...(typeof target === 'string' ? {} : {pathFinding: pathNotUtf8(display)})};
}

/** Reads a small regular file (a checksum sidecar); undefined for anything else, never blocking. */
export async function readSmallFile(file: string | Buffer, limit = 1024 * 1024): Promise<string | undefined> {
	const handle = await open(file, openFlags).catch(() => undefined);
	if (!handle) {
		return undefined;
	}

	try {
		const info = await handle.stat();
		return info.isFile() && info.size <= limit ? await handle.readFile('utf8') : undefined;
	} finally {
		await handle.close();
	}
}

/** The sidecar candidates beside a package: `<file>.sha512`, `<file>.sha512sum`, `checksums.txt`, `sha512sum.txt`. */
export function sidecarCandidates(target: string | Buffer): Array<string | Buffer> {
	const bytes = typeof target === 'string' ? Buffer.from(target) : target;
	const dir = dirnameBytes(bytes);
	const candidates = [
		Buffer.concat([bytes, Buffer.from('.sha512')]),
		Buffer.concat([bytes, Buffer.from('.sha512sum')]),
		joinBytes(dir, Buffer.from('checksums.txt')),
		joinBytes(dir, Buffer.from('sha512sum.txt')),
	];
	return typeof target === 'string' ? candidates.map(candidate => candidate.toString('utf8')) : candidates;
}
