// Inspects an offline package in ONE read: the same bytes feed sha512 (of the compressed
// file) and gunzip → tar walk, so a 25 GB package costs one pass and constant memory. The hash
// runs on a thread of its own for a big package (read-ring.ts), beside the gunzip.
import type {BigIntStats} from 'node:fs';
import type {FileHandle} from 'node:fs/promises';
import path from 'node:path';
import {archFromMetadata, weighArchEvidence} from '../../domain/packages/arch-evidence.js';
import {formatBytes} from '../../domain/shared/format-bytes.js';
import type {SpaceMode} from '../../domain/packages/image-ref.js';
import {judgeIntegrity, parseChecksumFile, rejudgeIntegrity} from '../../domain/packages/integrity.js';
import type {Finding} from '../../domain/shared/findings.js';
import type {PackageInspection} from '../../domain/packages/inspection.js';
import {parsePackageName} from '../../domain/packages/package-name.js';
import type {InspectOptions} from '../../workflow/ports/ports.js';
import {cacheKeyOf, inspectionSchema, readCachedInspection, writeCachedInspection} from './inspection-cache.js';
import {changedDuringRead, lookForCopies, type CopyLookSettings} from './copy-watch.js';
import {openPackage, readSmallFile, sidecarCandidates} from './open-package.js';
import {PackageWalker} from './package-walker.js';
import {GunzipInPlace} from './gunzip-in-place.js';
import {createReadRing, type ReadRing, type Slot} from './read-ring.js';
import {TarFormatError} from './tar-stream.js';
import {readCaps} from './walk-problems.js';
import {refused, stillCopying} from './unread-inspection.js';

export type InspectorSettings = {
	/** Where results are kept between runs; undefined keeps none (every inspection reads the file). */
	cacheDir?: string;
	spaceMode?: SpaceMode;
	/** Minimum milliseconds between progress reports. */
	progressIntervalMs?: number;
	/** How a copy still under way is told apart (tests shorten the looks). */
	copyLook?: CopyLookSettings;
};

export type InspectPackageOptions = InspectOptions & InspectorSettings;

type Counters = {bytesRead: number; uncompressed: number};

/** The package's own gzip inflates like a bomb: stop, it is no addon package. */
class InflationCapError extends Error {}

/** Names what went wrong with the bytes, in the user's terms. */
function describeDamage(error: unknown, counters: Counters, size: number): Finding {
	const unpacked = formatBytes(counters.uncompressed);
	if (error instanceof InflationCapError) {
		return {
			code: 'entry-over-cap',
			severity: 'error',
			message: `Package inflates past ${readCaps.outerRatio}× its size: ${unpacked} unpacked from the first ${formatBytes(counters.bytesRead)} of ${formatBytes(size)}; a gzip bomb, not an addon package.`,
			hint: 'Do not import it; download the package again from the Download Center.',
		};
	}

	const code = (error as NodeJS.ErrnoException).code;
	const truncated = code === 'Z_BUF_ERROR' || (error instanceof TarFormatError && error.message.includes('ends in the middle'));
	if (truncated) {
		return {
			code: 'truncated',
			severity: 'error',
			message: `Package is truncated: its data stops at ${formatBytes(size)}, the end of the file, with ${unpacked} unpacked and the archive unfinished.`,
			hint: 'The copy or download was interrupted; copy the whole file again and compare its sha512.',
		};
	}

	const detail = error instanceof Error ? error.message : String(error);
	return {
		code: 'corrupt',
		severity: 'error',
		message: `Package is corrupt: ${detail} at ${formatBytes(counters.bytesRead)} of ${formatBytes(size)} (${unpacked} unpacked).`,
		hint: 'Download the package again; do not import this copy.',
	};
}

async function readSidecar(target: string | Buffer, fileName: string): Promise<{file: string; sha512: string} | undefined> {
	for (const candidate of sidecarCandidates(target)) {
		const text = await readSmallFile(candidate);
		const sha512 = text === undefined ? undefined : parseChecksumFile(text, fileName);
		if (sha512) {
			return {file: path.basename(candidate.toString()), sha512};
		}
	}

	return undefined;
}

/** The bytes read into one slot of the ring, at `position` of the file. */
async function readSlot(handle: FileHandle, ring: ReadRing, position: number): Promise<{slot: Slot; bytesRead: number}> {
	const slot = await ring.take();
	const {bytesRead} = await handle.read(slot.buffer, 0, slot.buffer.length, position);
	return {slot, bytesRead};
}

/** One read of the open file: sha512 of its bytes, and the same bytes gunzipped into the walker. */
async function readPackage(
	handle: FileHandle,
	size: number,
	ring: ReadRing,
	walker: PackageWalker,
	options: InspectPackageOptions & {display: string},
) {
	const started = Date.now();
	const interval = options.progressIntervalMs ?? 200;
	const counters: Counters = {bytesRead: 0, uncompressed: 0};
	let lastReport = 0;
	const report = () =>
		options.onProgress?.({
			path: options.display,
			bytesRead: counters.bytesRead,
			totalBytes: size,
			entries: walker.tar.entries,
			elapsedMs: Date.now() - started,
		});
	const gunzip = new GunzipInPlace(chunk => walk(walker, counters, chunk));
	let failure: unknown;
	let next: Promise<{slot: Slot; bytesRead: number}> | undefined;
	try {
		// Read on to the end even after the gunzip failed: the user compares the whole file's sha512.
		// The next slot is read while this one is inflated (and hashed on the other thread).
		next = readSlot(handle, ring, 0);
		for (let position = 0; ;) {
			options.signal?.throwIfAborted();
			const {slot, bytesRead} = await next;
			next = undefined;
			if (bytesRead === 0) {
				break;
			}

			position += bytesRead;
			ring.hash(slot, bytesRead);
			slot.inflating = failure === undefined;
			next = readSlot(handle, ring, position);
			if (failure === undefined) {
				counters.bytesRead += bytesRead;
				failure = await gunzip.write(slot.buffer.subarray(0, bytesRead)).catch((error: unknown) => error);
				ring.inflated(slot);
			}

			const now = Date.now();
			if (now - lastReport >= interval) {
				lastReport = now;
				report();
			}
		}

		failure ??= await finish(gunzip, walker).catch((error: unknown) => error);
		options.signal?.throwIfAborted();
		let damage: Finding | undefined;
		if (failure !== undefined) {
			if (['EACCES', 'EISDIR', 'EIO'].includes((failure as NodeJS.ErrnoException).code ?? '')) {
				throw failure;
			}

			damage = describeDamage(failure, counters, size);
		}

		report();
		return {sha512: await ring.digest(), counters, damage};
	} catch (error) {
		await next?.catch(() => undefined);
		gunzip.destroy();
		if (options.signal?.aborted) {
			throw options.signal.reason instanceof Error ? options.signal.reason : new DOMException('Inspection cancelled', 'AbortError');
		}

		throw error;
	}
}

/** Hands inflated bytes to the tar walk, with the package's own inflation cap. */
function walk(walker: PackageWalker, counters: Counters, chunk: Buffer): void | Promise<void> {
	counters.uncompressed += chunk.length;
	if (counters.uncompressed > readCaps.outerFloor && counters.uncompressed > readCaps.outerRatio * counters.bytesRead) {
		throw new InflationCapError('inflation cap');
	}

	return walker.tar.write(chunk);
}

/** The end of the gzip stream and of the tar: either may say the package stops short. */
async function finish(gunzip: GunzipInPlace, walker: PackageWalker): Promise<undefined> {
	await gunzip.end();
	walker.tar.end();
	return undefined;
}

export async function inspectPackage(file: string, options: InspectPackageOptions = {}): Promise<PackageInspection> {
	const opened = await openPackage(path.resolve(file));
	if (!('handle' in opened)) {
		return refused(opened);
	}

	const {handle, info, target, display} = opened;
	let ring: ReadRing | undefined;
	try {
		// Looked up now, trusted only once the copy check below finds no copy under way.
		const key = cacheKeyOf(display, info);
		const cached =
			options.cacheDir !== undefined && options.useCache !== false ? await readCachedInspection(options.cacheDir, key) : undefined;
		// The hash thread starts while the copy check scans /proc: each takes tens of milliseconds.
		ring = cached ? undefined : createReadRing(Number(info.size));
		// A file still being written is not read: what it holds now is not the package yet.
		const restat = async () => handle.stat({bigint: true}).catch(() => undefined);
		const [copying] = await lookForCopies([{info, restat}], options.copyLook);
		if (copying) {
			return stillCopying(display, copying);
		}

		if (cached) {
			return rejudgeIntegrity(cached, await readSidecar(target, path.basename(display)), options.checksums);
		}

		const walker = new PackageWalker(options.spaceMode);
		const started = Date.now();
		let read;
		try {
			read = await readPackage(handle, Number(info.size), ring!, walker, {...options, display});
		} catch (error) {
			if (options.signal?.aborted) {
				throw error;
			}

			return refused({
				display,
				finding: {
					code: 'unreadable',
					severity: 'error',
					message: `Cannot read ${display} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
					hint: "Check the disk and the file's permissions, then inspect it again.",
				},
			});
		}

		// Written while it was read: a truncated end is the copy's front, not damage, and nothing is cached.
		const grew = await changedDuringRead(info, await restat(), Date.now() - started);
		if (grew) {
			return stillCopying(display, grew);
		}

		const fileName = path.basename(display);
		const sidecar = await readSidecar(target, fileName);
		const inspection = assemble({display, fileName, info, walker, ...read, pathFinding: opened.pathFinding}, sidecar);
		if (options.cacheDir !== undefined) {
			// A cache that cannot be written only costs a re-read next time.
			await writeCachedInspection(options.cacheDir, key, inspection).catch(() => undefined);
		}

		return options.checksums ? rejudgeIntegrity(inspection, sidecar, options.checksums) : inspection;
	} finally {
		await ring?.close();
		await handle.close();
	}
}

/**
 * An inspector bound to its settings, for the composition root: `inspect(path, {onProgress, signal, useCache})`.
 * The cache dir must be named (undefined on purpose keeps no cache): adapters never guess it from the environment.
 */
export function createPackageInspector(
	settings: InspectorSettings & {cacheDir: string | undefined},
): (file: string, options?: InspectOptions) => Promise<PackageInspection> {
	return async (file, options) => inspectPackage(file, {...settings, ...options});
}

/** The same double `stat().mtimeMs` gives (seconds × 1e3 + nanoseconds / 1e6), so callers can compare the two. */
const msFromNs = (ns: bigint) => Number(ns / 1_000_000_000n) * 1e3 + Number(ns % 1_000_000_000n) / 1e6;

type ReadResult = {
	display: string;
	fileName: string;
	info: BigIntStats;
	walker: PackageWalker;
	sha512: string;
	counters: Counters;
	damage: Finding | undefined;
	pathFinding: Finding | undefined;
};

function assemble(read: ReadResult, sidecar: {file: string; sha512: string} | undefined): PackageInspection {
	const {display, fileName, info, walker, sha512, counters, damage} = read;
	const name = parsePackageName(fileName);
	const contents = walker.contents();
	const {charts, images, metadata} = contents;
	const damaged = Boolean(damage) || contents.damaged;
	const complete = !damaged && charts.length > 0;
	const metadataArch = metadata.map(document => archFromMetadata(document)).find(Boolean);
	const imageArches = images.map(image => image.architecture).filter((arch): arch is string => Boolean(arch));
	const {arch, findings: archFindings} = weighArchEvidence(name?.arch, imageArches, metadataArch, complete);
	const verdict = judgeIntegrity(sha512, name, sidecar);
	// A damaged file has no meaningful checksum verdict beyond a mismatch ("read end to end without error" would lie).
	const integrityFindings = damaged ? verdict.findings.filter(finding => finding.severity === 'error') : verdict.findings;
	const findings: Finding[] = [
		...(damage ? [damage] : []),
		...contents.findings,
		...(read.pathFinding ? [read.pathFinding] : []),
		...integrityFindings,
		...archFindings,
	];
	if (!name) {
		findings.push({
			code: 'name-unrecognised',
			severity: 'warning',
			message: `"${fileName}" does not follow addon-offline-full-package-<version>-<arch>.tar.gz (or standard-/gpu-addon-offline-package-…).`,
			hint: 'The installer may rely on the name: rename it to the published name before importing.',
		});
	}

	if (!damaged && charts.length === 0) {
		findings.push({
			code: 'no-charts',
			severity: 'error',
			message: 'No chart bundles (*.bundle.tar) found: this is not an addon offline package.',
			hint: 'Choose the addon-offline-full-package-… file from the Download Center.',
		});
	}

	return {
		path: display,
		fileName,
		size: Number(info.size),
		mtimeMs: msFromNs(info.mtimeNs),
		name,
		kind: name?.kind,
		sha512,
		// What the package takes unpacked: the tar stream, plus the holes of sparse entries, which unpack as their apparent size.
		uncompressedBytes: counters.uncompressed + contents.sparseHoleBytes,
		entries: walker.tar.entries,
		charts,
		images,
		arch,
		integrity: damaged ? {...verdict.integrity, state: 'damaged'} : verdict.integrity,
		complete,
		findings,
		inspectedAt: new Date().toISOString(),
		schema: inspectionSchema,
	};
}
