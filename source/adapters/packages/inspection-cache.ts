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
import {writeFileAtomic} from '../shared/atomic-write.js';
import {byShape, isRefusal, parseStored} from '../shared/stored-json.js';
import {array, boolean, literal, number, object, oneOf, string} from '../shared/stored-shape.js';

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

const keyShape = object({
	path: string,
	dev: string,
	ino: string,
	size: string,
	mtimeNs: string,
	ctimeNs: string,
});

/** The fields the wizard reads of a cached inspection; the rest is carried as the inspector wrote it. */
const checkEntry = byShape<CacheEntry>(
	object({
		schema: literal(inspectionSchema),
		key: keyShape,
		inspection: object({
			schema: literal(inspectionSchema),
			path: string,
			fileName: string,
			size: number,
			sha512: string,
			uncompressedBytes: number,
			entries: number,
			charts: array(object({name: string, version: string, bundlePath: string})),
			images: array(object({ref: string, repository: string, tag: string, space: string, bytes: number})),
			arch: object({fromImages: array(string), confirmedByContents: boolean}),
			integrity: object({state: oneOf(['verified', 'sidecar-verified', 'mismatch', 'unknown', 'damaged'])}),
			complete: boolean,
			findings: array(object({code: string, severity: oneOf(['info', 'warning', 'error']), message: string})),
		}),
	}),
);

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
	const cached = parseStored(text, checkEntry, inspectionSchema);
	return !isRefusal(cached) && sameKey(cached.value.key, key) ? cached.value.inspection : undefined;
}

export async function writeCachedInspection(cacheDir: string, key: CacheKey, inspection: PackageInspection): Promise<void> {
	const file = entryPath(cacheDir, key);
	await mkdir(path.dirname(file), {recursive: true, mode: 0o700});
	await writeFileAtomic(file, JSON.stringify({schema: inspectionSchema, key, inspection} satisfies CacheEntry), {mode: 0o600});
}
