// Inspections cost a full read of a 10–30 GB file, so each result is kept in the cache dir the
// caller names: an unchanged file is never read twice. "Unchanged" is judged by what a copy or
// an edit cannot put back: size and mtime can be restored (`touch -r`), but any write to the file
// moves its ctime, and a replaced file has another inode. So the key is (device, inode, size,
// mtime, ctime) in nanoseconds, beside the path and the inspector's schema.
import {createHash} from 'node:crypto';
import type {BigIntStats} from 'node:fs';
import {mkdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import type {PackageInspection} from '../../domain/packages/inspection.js';
import {z} from 'zod';
import {writeFileAtomic} from '../shared/atomic-write.js';
import {isRefusal, parseStored} from '../shared/stored-json.js';

/** Bump when what an inspection holds or how it is judged changes: older entries are then ignored. */
export const inspectionSchema = 3;

export type CacheKey = {
	/** The path as given (escaped for display when it is not UTF-8). */
	path: string;
	dev: string;
	ino: string;
	size: string;
	mtimeNs: string;
	ctimeNs: string;
};

export function cacheKeyOf(displayPath: string, info: BigIntStats): CacheKey {
	return {
		path: displayPath,
		dev: String(info.dev),
		ino: String(info.ino),
		size: String(info.size),
		mtimeNs: String(info.mtimeNs),
		ctimeNs: String(info.ctimeNs),
	};
}

type CacheEntry = {schema: number; key: CacheKey; inspection: PackageInspection};

const keySchema = z.object({
	path: z.string(),
	dev: z.string(),
	ino: z.string(),
	size: z.string(),
	mtimeNs: z.string(),
	ctimeNs: z.string(),
});

/** The fields the wizard reads of a cached inspection; the rest is carried as the inspector wrote it. */
const cacheEntrySchema = z.looseObject({
	schema: z.literal(inspectionSchema),
	key: keySchema,
	inspection: z.looseObject({
		schema: z.literal(inspectionSchema),
		path: z.string(),
		fileName: z.string(),
		size: z.number(),
		sha512: z.string(),
		uncompressedBytes: z.number(),
		entries: z.number(),
		charts: z.array(z.looseObject({name: z.string(), version: z.string(), bundlePath: z.string()})),
		images: z.array(z.looseObject({ref: z.string(), repository: z.string(), tag: z.string(), space: z.string(), bytes: z.number()})),
		arch: z.looseObject({fromImages: z.array(z.string()), confirmedByContents: z.boolean()}),
		integrity: z.looseObject({state: z.enum(['verified', 'sidecar-verified', 'mismatch', 'unknown', 'damaged'])}),
		complete: z.boolean(),
		findings: z.array(z.looseObject({code: z.string(), severity: z.enum(['info', 'warning', 'error']), message: z.string()})),
	}),
});

function entryPath(cacheDir: string, key: CacheKey): string {
	const name = createHash('sha256').update(key.path).digest('hex');
	return path.join(cacheDir, 'inspections', `${name}.json`);
}

const sameKey = (a: CacheKey, b: CacheKey) => (Object.keys(b) as Array<keyof CacheKey>).every(field => a[field] === b[field]);

export async function readCachedInspection(cacheDir: string, key: CacheKey): Promise<PackageInspection | undefined> {
	let text: string;
	try {
		text = await readFile(entryPath(cacheDir, key), 'utf8');
	} catch {
		return undefined;
	}

	// An entry that is cut off, corrupt or of another inspector is a miss: the package is read again.
	const cached = parseStored(text, cacheEntrySchema, inspectionSchema);
	return !isRefusal(cached) && sameKey(cached.value.key, key) ? (cached.value.inspection as unknown as PackageInspection) : undefined;
}

export async function writeCachedInspection(cacheDir: string, key: CacheKey, inspection: PackageInspection): Promise<void> {
	const file = entryPath(cacheDir, key);
	await mkdir(path.dirname(file), {recursive: true, mode: 0o700});
	await writeFileAtomic(file, JSON.stringify({schema: inspectionSchema, key, inspection} satisfies CacheEntry), {mode: 0o600});
}
