// Looks for offline packages where operators put them: the current folder, HOME, /home,
// /root, beside clusterConfig.yaml and beside the package it already names, plus --search.
// A path that is not UTF-8 is listed with its bad bytes escaped (`\xff`); inspectPackage finds the
// file again from that spelling (resolveLossyPath).
import {readdir, realpath, stat} from 'node:fs/promises';
import path from 'node:path';
import {classifyPackages, type FoundFile} from '../../domain/packages/classify-packages.js';
import {targetDirName} from '../../domain/packages/target-dir-name.js';
import type {DiscoveredPackage} from '../../domain/packages/inspection.js';
import {looksLikePackageName, stripIncompleteSuffix} from '../../domain/packages/package-name.js';
import {displayPath, fsPath, joinBytes} from '../host/lossy-path.js';
import {lookForCopies, type CopyLookSettings, type LookedAt} from './copy-watch.js';

export type DiscoveryOptions = {
	cwd: string;
	home: string;
	configPath?: string;
	currentAddonPaths?: string[];
	extraDirs?: string[];
	/** Folder levels below each search folder; 1 looks into direct subfolders. */
	depth?: number;
	roots?: string[];
	/** How a copy still under way is told apart (tests shorten the looks). */
	copyLook?: CopyLookSettings;
};

type Found = Map<string, FoundFile & {look: LookedAt}>;

const skippedDirs = new Set(['node_modules', 'proc', 'sys', 'dev', targetDirName]);
const dot = 0x2e;

/** Folder and file names are read as bytes: a name that is not UTF-8 must not vanish from the list. */
async function walk(dir: Buffer, depth: number, seenDirs: Map<string, number>, found: Found): Promise<void> {
	let real;
	try {
		real = (await realpath(fsPath(dir), {encoding: 'buffer'})).toString('latin1');
	} catch {
		return;
	}

	// Symlinked folders can loop; a real folder is read again only to look deeper.
	if ((seenDirs.get(real) ?? -1) >= depth) {
		return;
	}

	seenDirs.set(real, depth);
	const entries = await readdir(fsPath(dir), {withFileTypes: true, encoding: 'buffer'}).catch(() => []);
	for (const entry of entries) {
		const full = joinBytes(dir, entry.name);
		const name = displayPath(entry.name);
		if (entry.isDirectory() || entry.isSymbolicLink()) {
			const isDir = entry.isDirectory() || (await stat(fsPath(full)).catch(() => undefined))?.isDirectory();
			if (isDir) {
				if (depth > 0 && entry.name[0] !== dot && !skippedDirs.has(name)) {
					await walk(full, depth - 1, seenDirs, found);
				}

				continue;
			}
		}

		if (!looksLikePackageName(stripIncompleteSuffix(name).name)) {
			continue;
		}

		const info = await stat(fsPath(full), {bigint: true}).catch(() => undefined);
		const realFile = await realpath(fsPath(full), {encoding: 'buffer'}).then(
			bytes => bytes.toString('latin1'),
			() => full.toString('latin1'),
		);
		if (info?.isFile() && !found.has(realFile)) {
			const restat = async () => stat(fsPath(full), {bigint: true}).catch(() => undefined);
			const mtimeMs = Number(info.mtimeNs / 1_000_000n) + Number(info.mtimeNs % 1_000_000n) / 1e6;
			found.set(realFile, {path: displayPath(full), fileName: name, size: Number(info.size), mtimeMs, look: {info, restat}});
		}
	}
}

export function searchFolders(options: DiscoveryOptions): string[] {
	const folders = [
		options.cwd,
		options.home,
		...(options.roots ?? ['/home', '/root']),
		...(options.configPath ? [path.dirname(options.configPath)] : []),
		...(options.currentAddonPaths ?? []).map(file => path.dirname(file)),
		...(options.extraDirs ?? []),
	];
	return [...new Set(folders.map(folder => path.resolve(options.cwd, folder)))];
}

export async function discoverPackages(options: DiscoveryOptions): Promise<DiscoveredPackage[]> {
	const found: Found = new Map();
	const seenDirs = new Map<string, number>();
	for (const folder of searchFolders(options)) {
		await walk(Buffer.from(folder), options.depth ?? 1, seenDirs, found);
	}

	// The package clusterConfig.yaml names is the one in the cluster now: the list says which.
	const current = new Set(
		await Promise.all(
			(options.currentAddonPaths ?? []).map(async file =>
				realpath(path.resolve(options.cwd, file), {encoding: 'buffer'}).then(
					bytes => bytes.toString('latin1'),
					() => Buffer.from(file).toString('latin1'),
				),
			),
		),
	);
	const realOf = new Map([...found].map(([real, file]) => [file.path, real]));
	const files = [...found.values()];
	const copying = await lookForCopies(
		files.map(file => file.look),
		options.copyLook,
	);
	const looked: FoundFile[] = files.map(({look: _look, ...file}, index) => {
		const copy = copying[index];
		return copy ? {...file, size: copy.size, copying: copy} : file;
	});
	return classifyPackages(looked).map(item => (current.has(realOf.get(item.path) ?? item.path) ? {...item, inCluster: true} : item));
}
