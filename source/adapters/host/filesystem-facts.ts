// The filesystem a path lives on, named as an operator knows it (`/srv`, ext4 on /dev/sda3) with
// its free space: statfs for the numbers, /proc/self/mountinfo for the names.
import {readFile, realpath, statfs} from 'node:fs/promises';
import path from 'node:path';
import type {FilesystemFacts} from '../../domain/run/run-events.js';

type Mount = {mountPoint: string; fsType: string; source: string};

/** mountinfo escapes spaces, tabs, newlines and backslashes in octal (`\040`). */
const unescape = (text: string) => text.replaceAll(/\\([0-7]{3})/g, (_all, code: string) => String.fromCharCode(Number.parseInt(code, 8)));

export function parseMountInfo(text: string): Mount[] {
	const mounts: Mount[] = [];
	for (const line of text.split('\n')) {
		const [left, right] = line.split(' - ');
		const fields = left?.split(' ');
		const tail = right?.split(' ');
		if (!fields || fields.length < 5 || !tail || tail.length < 2) {
			continue;
		}

		mounts.push({mountPoint: unescape(fields[4]!), fsType: tail[0]!, source: unescape(tail[1]!)});
	}

	return mounts;
}

async function nearestExisting(target: string): Promise<string> {
	let current = path.resolve(target);
	for (;;) {
		const real = await realpath(current).catch(() => undefined);
		if (real) {
			return real;
		}

		const parent = path.dirname(current);
		if (parent === current) {
			return current;
		}

		current = parent;
	}
}

export async function filesystemFacts(target: string): Promise<FilesystemFacts | undefined> {
	const existing = await nearestExisting(target);
	const fs = await statfs(existing).catch(() => undefined);
	if (!fs) {
		return undefined;
	}

	const mounts = parseMountInfo(await readFile('/proc/self/mountinfo', 'utf8').catch(() => ''));
	// The last of the longest matching mount points: a later mount over the same point hides earlier ones.
	let best: Mount | undefined;
	for (const mount of mounts) {
		const contains = existing === mount.mountPoint || existing.startsWith(mount.mountPoint === '/' ? '/' : `${mount.mountPoint}/`);
		if (contains && (!best || mount.mountPoint.length >= best.mountPoint.length)) {
			best = mount;
		}
	}

	return {
		path: target,
		mountPoint: best?.mountPoint,
		source: best?.source,
		fsType: best?.fsType,
		freeBytes: fs.bavail * fs.bsize,
		totalBytes: fs.blocks * fs.bsize,
	};
}
