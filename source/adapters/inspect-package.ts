// Inspects an offline package in ONE read: the same bytes feed sha512 (of the compressed
// file) and gunzip → tar walk, so a 25 GB package costs one pass and constant memory.
import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {Transform, Writable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {createGunzip} from 'node:zlib';
import {archFromMetadata, weighArchEvidence} from '../domain/arch-evidence.js';
import {formatBytes} from '../domain/format-bytes.js';
import type {SpaceMode} from '../domain/image-ref.js';
import {judgeIntegrity, parseChecksumFile} from '../domain/integrity.js';
import type {Finding, PackageInspection} from '../domain/model.js';
import {parsePackageName} from '../domain/package-name.js';
import type {InspectOptions} from '../workflow/ports.js';
import {inspectionSchema, readCachedInspection, writeCachedInspection} from './inspection-cache.js';
import {PackageWalker} from './package-walker.js';
import {TarFormatError} from './tar-stream.js';

export type InspectPackageOptions = InspectOptions & {
	cacheDir?: string;
	spaceMode?: SpaceMode;
	/** Minimum milliseconds between progress reports. */
	progressIntervalMs?: number;
};

const readChunk = 1024 * 1024;

type Counters = {bytesRead: number; uncompressed: number};

/** Names what went wrong with the bytes, in the user's terms. */
function describeDamage(error: unknown, counters: Counters, size: number): Finding {
	const code = (error as NodeJS.ErrnoException).code;
	const unpacked = formatBytes(counters.uncompressed);
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

async function readSidecar(file: string): Promise<{file: string; sha512: string} | undefined> {
	const dir = path.dirname(file);
	const fileName = path.basename(file);
	for (const candidate of [`${file}.sha512`, `${file}.sha512sum`, path.join(dir, 'checksums.txt'), path.join(dir, 'sha512sum.txt')]) {
		const text = await readFile(candidate, 'utf8').catch(() => undefined);
		const sha512 = text === undefined ? undefined : parseChecksumFile(text, fileName);
		if (sha512) {
			return {file: path.basename(candidate), sha512};
		}
	}

	return undefined;
}

/** Finishes the sha512 of a damaged file from where the walk stopped, so the user can compare it. */
async function hashRest(file: string, from: number, hash: ReturnType<typeof createHash>, signal?: AbortSignal): Promise<void> {
	await pipeline(createReadStream(file, {start: from, highWaterMark: readChunk}), new Writable({
		write(chunk: Buffer, _encoding, callback) {
			hash.update(chunk);
			callback();
		},
	}), {signal});
}

function unreadable(file: string, error: unknown): PackageInspection {
	const code = (error as NodeJS.ErrnoException).code ?? 'error';
	const fileName = path.basename(file);
	const name = parsePackageName(fileName);
	return {
		path: file,
		fileName,
		size: 0,
		mtimeMs: 0,
		name,
		kind: name?.kind,
		sha512: '',
		uncompressedBytes: 0,
		entries: 0,
		charts: [],
		images: [],
		arch: {fromName: name?.arch, fromImages: []},
		integrity: {state: 'damaged'},
		complete: false,
		findings: [{
			code: 'unreadable',
			severity: 'error',
			message: code === 'ENOENT' ? `Package not found: ${file}.` : `Cannot read ${file} (${code}).`,
			hint: code === 'EACCES' ? 'Run as a user that can read it, or fix its permissions.' : 'Check the path; pass it with --package PATH.',
		}],
		inspectedAt: new Date().toISOString(),
		schema: inspectionSchema,
	};
}

export async function inspectPackage(file: string, options: InspectPackageOptions = {}): Promise<PackageInspection> {
	const absolute = path.resolve(file);
	let info;
	try {
		info = await stat(absolute);
	} catch (error) {
		return unreadable(absolute, error);
	}

	const {cacheDir} = options;
	if (cacheDir !== undefined && options.useCache !== false) {
		const cached = await readCachedInspection(cacheDir, absolute, info.size, info.mtimeMs);
		if (cached) {
			return cached;
		}
	}

	const started = Date.now();
	const interval = options.progressIntervalMs ?? 200;
	const counters: Counters = {bytesRead: 0, uncompressed: 0};
	const walker = new PackageWalker(options.spaceMode);
	const hash = createHash('sha512');
	let lastReport = 0;
	const report = () => options.onProgress?.({
		path: absolute,
		bytesRead: counters.bytesRead,
		totalBytes: info.size,
		entries: walker.tar.entries,
		elapsedMs: Date.now() - started,
	});

	const tap = new Transform({
		transform(chunk: Buffer, _encoding, callback) {
			hash.update(chunk);
			counters.bytesRead += chunk.length;
			const now = Date.now();
			if (now - lastReport >= interval) {
				lastReport = now;
				report();
			}

			callback(null, chunk);
		},
	});
	const sink = new Writable({
		highWaterMark: readChunk,
		write(chunk: Buffer, _encoding, callback) {
			counters.uncompressed += chunk.length;
			try {
				walker.tar.write(chunk);
				callback();
			} catch (error) {
				callback(error as Error);
			}
		},
		final(callback) {
			try {
				walker.tar.end();
				callback();
			} catch (error) {
				callback(error as Error);
			}
		},
	});

	let damage: Finding | undefined;
	try {
		await pipeline(createReadStream(absolute, {highWaterMark: readChunk}), tap, createGunzip({chunkSize: readChunk}), sink, {signal: options.signal});
	} catch (error) {
		if (options.signal?.aborted) {
			throw options.signal.reason instanceof Error ? options.signal.reason : new DOMException('Inspection cancelled', 'AbortError');
		}

		if (['EACCES', 'EISDIR', 'ENOENT', 'EIO'].includes((error as NodeJS.ErrnoException).code ?? '')) {
			return unreadable(absolute, error);
		}

		damage = describeDamage(error, counters, info.size);
		await hashRest(absolute, counters.bytesRead, hash, options.signal);
	}

	report();
	const inspection = assemble(absolute, info, hash.digest('hex'), counters, walker, damage, await readSidecar(absolute));
	// A cache that cannot be written only costs a re-read next time.
	if (cacheDir !== undefined) {
		await writeCachedInspection(cacheDir, inspection).catch(() => undefined);
	}

	return inspection;
}

function assemble(
	file: string,
	info: {size: number; mtimeMs: number},
	sha512: string,
	counters: Counters,
	walker: PackageWalker,
	damage: Finding | undefined,
	sidecar: {file: string; sha512: string} | undefined,
): PackageInspection {
	const fileName = path.basename(file);
	const name = parsePackageName(fileName);
	const {charts, images, metadata} = walker.contents();
	const metadataArch = metadata.map(document => archFromMetadata(document)).find(Boolean);
	const imageArches = images.map(image => image.architecture).filter((arch): arch is string => Boolean(arch));
	const {arch, findings: archFindings} = weighArchEvidence(name?.arch, imageArches, metadataArch);
	const verdict = judgeIntegrity(sha512, name, sidecar);
	// A damaged file has no meaningful checksum verdict beyond a mismatch.
	const integrityFindings = damage ? verdict.findings.filter(finding => finding.severity === 'error') : verdict.findings;
	const findings: Finding[] = [...integrityFindings, ...archFindings];
	if (!name) {
		findings.push({
			code: 'name-unrecognised',
			severity: 'warning',
			message: `"${fileName}" does not follow addon-offline-full-package-<version>-<arch>.tar.gz (or standard-/gpu-addon-offline-package-…).`,
			hint: 'The installer may rely on the name: rename it to the published name before importing.',
		});
	}

	if (damage) {
		findings.unshift(damage);
	} else if (charts.length === 0) {
		findings.push({
			code: 'no-charts',
			severity: 'error',
			message: 'No chart bundles (*.bundle.tar) found: this is not an addon offline package.',
			hint: 'Choose the addon-offline-full-package-… file from the Download Center.',
		});
	}

	return {
		path: file,
		fileName,
		size: info.size,
		mtimeMs: info.mtimeMs,
		name,
		kind: name?.kind,
		sha512,
		uncompressedBytes: counters.uncompressed,
		entries: walker.tar.entries,
		charts,
		images,
		arch,
		integrity: damage ? {...verdict.integrity, state: 'damaged'} : verdict.integrity,
		complete: !damage && charts.length > 0,
		findings,
		inspectedAt: new Date().toISOString(),
		schema: inspectionSchema,
	};
}
