// Inspections cost a full read of a 10–30 GB file, so each result is kept under the XDG
// cache dir, keyed by (path, size, mtime, schema): an unchanged file is never read twice.
import {createHash} from 'node:crypto';
import {mkdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import type {PackageInspection} from '../domain/model.js';
import {writeFileAtomic} from './atomic-write.js';

export const inspectionSchema = 1;

function entryPath(cacheDir: string, packagePath: string): string {
	const key = createHash('sha256').update(path.resolve(packagePath)).digest('hex');
	return path.join(cacheDir, 'inspections', `${key}.json`);
}

export async function readCachedInspection(cacheDir: string, packagePath: string, size: number, mtimeMs: number): Promise<PackageInspection | undefined> {
	try {
		const cached = JSON.parse(await readFile(entryPath(cacheDir, packagePath), 'utf8')) as PackageInspection;
		const fresh = cached.schema === inspectionSchema && cached.path === path.resolve(packagePath)
			&& cached.size === size && cached.mtimeMs === mtimeMs;
		return fresh ? cached : undefined;
	} catch {
		// Missing or unreadable cache entries are simply a miss.
		return undefined;
	}
}

export async function writeCachedInspection(cacheDir: string, inspection: PackageInspection): Promise<void> {
	const file = entryPath(cacheDir, inspection.path);
	await mkdir(path.dirname(file), {recursive: true, mode: 0o700});
	await writeFileAtomic(file, JSON.stringify(inspection), {mode: 0o600});
}
