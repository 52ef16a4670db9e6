// Free space per path, with the device id so two paths on one filesystem count once.
import {stat, statfs} from 'node:fs/promises';
import path from 'node:path';
import type {FilesystemInfo} from '../../domain/plan/estimate-disk-needs.js';

/** The nearest existing folder: the workdir may not exist yet, its filesystem does. */
async function nearestExisting(target: string): Promise<string> {
	let current = path.resolve(target);
	for (;;) {
		if (
			await stat(current).then(
				() => true,
				() => false,
			)
		) {
			return current;
		}

		const parent = path.dirname(current);
		if (parent === current) {
			return current;
		}

		current = parent;
	}
}

export async function diskInfo(paths: string[]): Promise<FilesystemInfo[]> {
	return Promise.all(
		paths.map(async item => {
			const existing = await nearestExisting(item);
			const [fs, info] = await Promise.all([statfs(existing), stat(existing)]);
			return {path: item, device: String(info.dev), freeBytes: fs.bavail * fs.bsize, totalBytes: fs.blocks * fs.bsize};
		}),
	);
}
