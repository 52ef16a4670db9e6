// Reads what a leftover addon-offline-target-package holds and what its packages explain: the
// packages' tar entries (one gunzip pass each, remembered per file state), the bundles' entries
// read from the leftover itself, and the directory walked without following a link out of it.
import {createReadStream} from 'node:fs';
import {lstat, readdir} from 'node:fs/promises';
import path from 'node:path';
import {createGunzip} from 'node:zlib';
import {findUnexplained, type LeftoverEntry, type PackageLayout, type UnexplainedFiles} from '../../domain/packages/leftover-explained.js';
import {TarStream} from '../packages/tar-stream.js';

/** More entries than any package unpacks: past it the rest of the directory counts as unexplained. */
const walkLimit = 200_000;

const listed = new Map<string, string[]>();

async function streamEntries(source: NodeJS.ReadableStream): Promise<string[]> {
	const names: string[] = [];
	const tar = new TarStream(header => {
		names.push(header.name);
		return undefined;
	});
	for await (const chunk of source) {
		await tar.write(chunk as Buffer);
	}

	return names;
}

/** The entry names of a tar (gzip'd or not); remembered while the file keeps its size and time. */
async function tarEntries(file: string, gzip: boolean): Promise<string[]> {
	const info = await lstat(file);
	if (!info.isFile()) {
		throw new Error(`${file} is not a regular file`);
	}

	const key = `${file}\0${info.size}\0${info.mtimeMs}`;
	const known = listed.get(key);
	if (known) {
		return known;
	}

	const stream = createReadStream(file);
	const names = await streamEntries(gzip ? stream.pipe(createGunzip()) : stream).finally(() => {
		stream.destroy();
	});
	listed.set(key, names);
	return names;
}

/** Every entry under `root`, relative, without following links; undefined type entries count as `other`. */
export async function walkLeftover(root: string): Promise<LeftoverEntry[]> {
	const found: LeftoverEntry[] = [];
	const pending = [''];
	while (pending.length > 0 && found.length < walkLimit) {
		const relative = pending.pop()!;
		// withFileTypes answers from lstat: a symlink to a directory is a link here, never walked.
		const entries = await readdir(path.join(root, relative), {withFileTypes: true}).catch(() => []);
		for (const entry of entries) {
			const name = relative ? `${relative}/${entry.name}` : entry.name;
			const type = entry.isDirectory() ? 'directory' : entry.isSymbolicLink() ? 'symlink' : entry.isFile() ? 'file' : 'other';
			found.push({path: name, type});
			if (type === 'directory') {
				pending.push(name);
			}
		}
	}

	if (pending.length > 0 || found.length >= walkLimit) {
		// Not read is not explained: the clean-up must not take what nobody looked at.
		found.push({path: `(more than ${walkLimit} entries, not all read)`, type: 'other'});
	}

	return found;
}

/** The packages' layout as far as it can be read; `why` says what could not be. */
async function readLayout(root: string, packages: readonly string[]): Promise<{layout: PackageLayout; why?: string}> {
	const entries: string[] = [];
	const problems: string[] = [];
	for (const file of packages) {
		try {
			entries.push(...(await tarEntries(file, true)));
		} catch (error) {
			problems.push(`${path.basename(file)} could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
		}
	}

	const bundles = new Map<string, string[]>();
	for (const name of entries.map(entry => entry.replace(/^(\.\/)+/, '')).filter(entry => entry.endsWith('.bundle.tar'))) {
		const inner = await tarEntries(path.join(root, name), false).catch(() => undefined);
		if (inner) {
			bundles.set(name, inner);
		}
	}

	return {layout: {entries, bundles}, ...(problems.length > 0 ? {why: problems.join('; ')} : {})};
}

/** What `dir` holds that `packages` (their tars, and the installer unpacking their bundles) do not explain. */
export async function unexplainedInLeftover(dir: string, packages: readonly string[]): Promise<UnexplainedFiles> {
	const [entries, {layout, why}] = await Promise.all([walkLeftover(dir), readLayout(dir, packages)]);
	return findUnexplained(entries, layout, why);
}
