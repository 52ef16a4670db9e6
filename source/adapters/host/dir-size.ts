// Bytes under a directory without following symlinks; used to watch the installer unpack.
import {lstat, readdir} from 'node:fs/promises';
import path from 'node:path';

export async function dirSize(root: string): Promise<number> {
	let total = 0;
	const pending = [root];
	while (pending.length > 0) {
		const current = pending.pop()!;
		let entries;
		try {
			entries = await readdir(current, {withFileTypes: true});
		} catch {
			continue; // Removed while we walked: the installer cleans up as it goes.
		}

		for (const entry of entries) {
			const full = path.join(current, entry.name);
			if (entry.isDirectory()) {
				pending.push(full);
			} else if (entry.isFile()) {
				total += await lstat(full).then(
					info => info.size,
					() => 0,
				);
			}
		}
	}

	return total;
}
