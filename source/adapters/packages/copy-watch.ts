// Tells a package still being copied from a damaged one: a process holds it open for writing, or
// it grows between two looks (a writer this user cannot see: another user's scp, an NFS client).
// Only a file written in the last moments gets the second look, so an idle folder costs no wait.
import type {BigIntStats} from 'node:fs';
import {setTimeout as sleep} from 'node:timers/promises';
import {growthRate, type StillCopying} from '../../domain/packages/still-copying.js';
import {fileIdKey, openWriters} from '../host/open-writers.js';

export type CopyLookSettings = {
	/** How long apart the two looks at a recently written file are. */
	settleMs?: number;
	/** A file written less than this long ago gets the second look. */
	recentMs?: number;
};

export type LookedAt = {
	info: BigIntStats;
	/** Stats the file again (through its open handle when there is one); undefined when it is gone. */
	restat(): Promise<BigIntStats | undefined>;
};

export const copyLookDefaults = {settleMs: 500, recentMs: 2000} as const;

const msOf = (ns: bigint) => Number(ns / 1_000_000n);

/** For each file, what shows it is still being copied, or undefined when nothing does. */
export async function lookForCopies(files: LookedAt[], settings: CopyLookSettings = {}): Promise<Array<StillCopying | undefined>> {
	const {settleMs, recentMs} = {...copyLookDefaults, ...settings};
	const writers = openWriters(
		files.map(file => file.info),
		process.pid,
	);
	const writersOf = (file: LookedAt) => writers.get(fileIdKey(file.info)) ?? [];
	const started = Date.now();
	const recent = files.map(file => writersOf(file).length > 0 || started - msOf(file.info.mtimeNs) < recentMs);
	if (recent.some(Boolean)) {
		await sleep(settleMs);
	}

	const elapsed = Date.now() - started;
	return Promise.all(
		files.map(async (file, index) => {
			const before = Number(file.info.size);
			const after = recent[index] ? Number((await file.restat())?.size ?? before) : before;
			const bytesPerSecond = growthRate(before, after, elapsed);
			const fileWriters = writersOf(file);
			return fileWriters.length > 0 || bytesPerSecond !== undefined
				? {size: after, writers: fileWriters, ...(bytesPerSecond === undefined ? {} : {bytesPerSecond})}
				: undefined;
		}),
	);
}

/**
 * After a whole read: did the file change under it (it grew, or was written: mtime moved), or does
 * someone hold it open for writing now? Then what was read is a copy under way, never damage.
 */
export async function changedDuringRead(
	before: BigIntStats,
	after: BigIntStats | undefined,
	elapsedMs: number,
): Promise<StillCopying | undefined> {
	const writers = openWriters([before], process.pid).get(fileIdKey(before)) ?? [];
	const moved = after !== undefined && (after.size !== before.size || after.mtimeNs !== before.mtimeNs);
	if (writers.length === 0 && !moved) {
		return undefined;
	}

	const size = Number(after?.size ?? before.size);
	const bytesPerSecond = growthRate(Number(before.size), size, elapsedMs);
	return {size, writers, ...(bytesPerSecond === undefined ? {} : {bytesPerSecond})};
}
