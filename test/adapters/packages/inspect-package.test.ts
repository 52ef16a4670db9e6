import {createHash} from 'node:crypto';
import {copyFile, mkdtemp, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {inspectPackage} from '../../../source/adapters/packages/inspect-package.js';
import {threadedHashFrom} from '../../../source/adapters/packages/read-ring.js';
import type {InspectionProgress} from '../../../source/domain/packages/inspection.js';
import {buildPackage, corruptPackage, truncatePackage, type BuiltPackage} from '../../helpers/build-package.js';

const codes = (findings: Array<{code: string}>) => findings.map(finding => finding.code);

describe('inspectPackage', () => {
	let dir = '';
	let cache = '';
	let good: BuiltPackage;

	beforeAll(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'inspect-'));
		cache = path.join(dir, 'cache');
		good = await buildPackage({
			dir,
			version: 'v0.11.5',
			arch: 'arm64',
			charts: [
				{name: 'egressgateway', version: '0.4.0', repo: 'addon', images: [{ref: 'localhost/egressgateway:v0.4.0', layerBytes: 200_000}]},
				{
					name: 'nginx',
					version: '15.1.0',
					repo: 'community',
					images: [{ref: 'docker.m.daocloud.io/bitnami/nginx:1.25.1'}],
					hintOnlyImages: ['docker.m.daocloud.io/bitnami/exporter:0.11'],
				},
			],
		});
	});

	afterAll(async () => rm(dir, {recursive: true, force: true}));

	it('learns checksum, sizes, charts, images, arch and registry spaces in one pass', async () => {
		const result = await inspectPackage(good.path, {cacheDir: cache, useCache: false});
		expect(result.complete).toBe(true);
		expect(result.sha512).toBe(good.sha512);
		expect(result.uncompressedBytes).toBe(good.uncompressedBytes);
		expect(result.charts.map(chart => [chart.name, chart.version, chart.repo])).toEqual([
			['egressgateway', '0.4.0', 'addon'],
			['nginx', '15.1.0', 'community'],
		]);
		expect(result.images.map(image => [image.ref, image.architecture, image.space])).toEqual([
			['localhost/egressgateway:v0.4.0', 'arm64', 'localhost'],
			['docker.m.daocloud.io/bitnami/nginx:1.25.1', 'arm64', 'docker.m.daocloud.io'],
		]);
		expect(result.images[0]!.bytes).toBeGreaterThan(200_000);
		expect(result.charts[1]!.hintedImages).toContain('docker.m.daocloud.io/bitnami/exporter:0.11');
		expect(result.arch).toMatchObject({fromName: 'arm64', fromImages: ['arm64'], fromMetadata: 'arm64', agreed: 'arm64'});
		expect(result.integrity.state).toBe('unknown');
		expect(codes(result.findings)).toEqual(['checksum-unknown']);
	});

	it('reports a file name that disagrees with the image configs, with both values', async () => {
		const built = await buildPackage({
			dir: path.join(dir, 'mislabelled'),
			arch: 'arm64',
			metadata: false,
			charts: [{name: 'a', version: '1.0.0', images: [{ref: 'release.daocloud.io/x/a:1', arch: 'amd64'}]}],
		});
		const result = await inspectPackage(built.path, {cacheDir: cache});
		const mismatch = result.findings.find(finding => finding.code === 'arch-mismatch');
		expect(mismatch?.severity).toBe('error');
		expect(mismatch?.message).toContain('file name: arm64');
		expect(mismatch?.message).toContain('image configs: amd64');
		expect(result.arch.agreed).toBeUndefined();
	});

	it('reports metadata that disagrees with the name', async () => {
		const built = await buildPackage({dir: path.join(dir, 'meta'), arch: 'amd64', metadata: {arch: 'arm64'}});
		const result = await inspectPackage(built.path, {cacheDir: cache});
		expect(result.findings.find(finding => finding.code === 'arch-mismatch')?.message).toContain('package metadata: arm64');
	});

	it('flags a truncated package and does not offer it', async () => {
		const copy = path.join(dir, 'truncated', good.fileName);
		await buildPackage({dir: path.dirname(copy), version: 'v0.11.5', arch: 'arm64'});
		await truncatePackage(copy, 2000);
		const result = await inspectPackage(copy, {cacheDir: cache});
		expect(result.complete).toBe(false);
		expect(result.integrity.state).toBe('damaged');
		expect(result.findings[0]).toMatchObject({code: 'truncated', severity: 'error'});
		expect(result.findings[0]!.message).toMatch(/truncated.*2\.00 KB/);
		expect(codes(result.findings)).not.toContain('checksum-unknown');
	});

	it('flags corrupt gzip data', async () => {
		const copy = path.join(dir, 'corrupt.tar.gz');
		await copyFile(good.path, copy);
		await corruptPackage(copy, 0.3);
		const result = await inspectPackage(copy, {cacheDir: cache});
		expect(result.complete).toBe(false);
		expect(['corrupt', 'truncated']).toContain(result.findings[0]!.code);
		expect(result.findings[0]!.hint).toBeTruthy();
	});

	it('still inspects a file with an unrecognised name, taking the arch from its contents', async () => {
		const copy = path.join(dir, 'addon-package-latest.tar.gz');
		await copyFile(good.path, copy);
		const result = await inspectPackage(copy, {cacheDir: cache});
		expect(result.complete).toBe(true);
		expect(codes(result.findings)).toContain('name-unrecognised');
		expect(result.arch.agreed).toBe('arm64');
	});

	it('verifies against a sidecar .sha512, and flags a wrong one', async () => {
		const goodSidecar = await buildPackage({dir: path.join(dir, 'sidecar-good'), sidecar: 'good'});
		expect((await inspectPackage(goodSidecar.path, {cacheDir: cache})).integrity.state).toBe('sidecar-verified');
		const badSidecar = await buildPackage({dir: path.join(dir, 'sidecar-bad'), sidecar: 'bad'});
		const result = await inspectPackage(badSidecar.path, {cacheDir: cache});
		expect(result.integrity.state).toBe('mismatch');
		expect(result.findings.find(finding => finding.code === 'sidecar-mismatch')?.severity).toBe('error');
	});

	it('reads checksums.txt in the same folder', async () => {
		const built = await buildPackage({dir: path.join(dir, 'list')});
		await writeFile(path.join(dir, 'list', 'checksums.txt'), `${'0'.repeat(128)}  other.tar.gz\n${built.sha512}  ${built.fileName}\n`);
		expect((await inspectPackage(built.path, {cacheDir: cache})).integrity).toMatchObject({
			state: 'sidecar-verified',
			sidecarFile: 'checksums.txt',
		});
	});

	it('says a tarball without chart bundles is not an addon package', async () => {
		const {create} = await import('tar');
		const other = path.join(dir, 'other');
		await writeFile(path.join(dir, 'notes.txt'), 'hello');
		await create({file: `${other}.tar.gz`, gzip: true, cwd: dir}, ['notes.txt']);
		const result = await inspectPackage(`${other}.tar.gz`, {cacheDir: cache});
		expect(result.complete).toBe(false);
		expect(codes(result.findings)).toContain('no-charts');
	});

	it('reports a missing file as unreadable', async () => {
		const result = await inspectPackage(path.join(dir, 'gone.tar.gz'), {cacheDir: cache});
		expect(result.findings[0]).toMatchObject({code: 'unreadable', severity: 'error'});
	});

	it('reports progress while reading, and uses the cache the second time', async () => {
		const cacheDir = path.join(dir, 'fresh-cache');
		const events: InspectionProgress[] = [];
		const first = await inspectPackage(good.path, {cacheDir, progressIntervalMs: 0, onProgress: event => events.push(event)});
		expect(events.length).toBeGreaterThan(1);
		expect(events.at(-1)).toMatchObject({bytesRead: good.size, totalBytes: good.size});
		const again: InspectionProgress[] = [];
		const second = await inspectPackage(good.path, {cacheDir, onProgress: event => again.push(event)});
		expect(again).toEqual([]);
		expect(second).toEqual(first);
		const forced: InspectionProgress[] = [];
		await inspectPackage(good.path, {cacheDir, useCache: false, onProgress: event => forced.push(event)});
		expect(forced.length).toBeGreaterThan(0);
	});

	it('reads the package again when it changed since it was cached', async () => {
		const cacheDir = path.join(dir, 'change-cache');
		const target = path.join(dir, 'changing', good.fileName);
		await buildPackage({dir: path.dirname(target), version: 'v0.11.5', arch: 'arm64'});
		const before = await inspectPackage(target, {cacheDir});
		await buildPackage({
			dir: path.dirname(target),
			version: 'v0.11.5',
			arch: 'arm64',
			charts: [{name: 'only', version: '2.0.0', images: [{ref: 'localhost/only:2'}]}],
		});
		const after = await inspectPackage(target, {cacheDir});
		expect(before.charts.length).toBe(3);
		expect(after.charts.map(chart => chart.name)).toEqual(['only']);
	});

	it('can be cancelled', async () => {
		const big = await buildPackage({
			dir: path.join(dir, 'big'),
			charts: [{name: 'big', version: '1.0.0', images: [{ref: 'localhost/big:1', layerBytes: 8_000_000}]}],
		});
		const controller = new AbortController();
		const promise = inspectPackage(big.path, {
			cacheDir: cache,
			useCache: false,
			progressIntervalMs: 0,
			signal: controller.signal,
			onProgress: () => controller.abort(),
		});
		await expect(promise).rejects.toThrow();
	});

	it("hashes a package past the threaded size on a thread of its own: the file's sha512, and a cancel ends the thread", async () => {
		const large = await buildPackage({
			dir: path.join(dir, 'threaded'),
			gzipLevel: 1,
			charts: Array.from({length: 3}, (_, index) => ({
				name: `t${index}`,
				version: '1.0.0',
				images: [{ref: `localhost/t${index}:1`, layerBytes: Math.ceil(threadedHashFrom / 3) + 1_000_000}],
			})),
		});
		const {size} = await stat(large.path);
		expect(size).toBeGreaterThan(threadedHashFrom);
		const expected = createHash('sha512')
			.update(await readFile(large.path))
			.digest('hex');
		const result = await inspectPackage(large.path, {useCache: false});
		expect(result.sha512).toBe(expected);
		expect(result.complete).toBe(true);
		expect(result.images.map(image => image.ref)).toEqual(['localhost/t0:1', 'localhost/t1:1', 'localhost/t2:1']);

		const threads = () => readdir('/proc/self/task').then(tasks => tasks.length);
		const before = await threads();
		const controller = new AbortController();
		const cancelled = inspectPackage(large.path, {
			useCache: false,
			progressIntervalMs: 0,
			signal: controller.signal,
			onProgress: progress => {
				if (progress.bytesRead > 20_000_000) {
					controller.abort();
				}
			},
		});
		await expect(cancelled).rejects.toThrow();
		// The hash thread is gone once the cancelled inspection settles, not left waiting for slots.
		expect(await threads()).toBeLessThanOrEqual(before);
	});

	it('keeps memory flat on a package far larger than what it keeps', async () => {
		const big = await buildPackage({
			dir: path.join(dir, 'flat'),
			gzipLevel: 1,
			charts: Array.from({length: 4}, (_, index) => ({
				name: `c${index}`,
				version: '1.0.0',
				images: [{ref: `localhost/c${index}:1`, layerBytes: 15_000_000}],
			})),
		});
		globalThis.gc?.();
		const before = process.memoryUsage().rss;
		let peak = before;
		await inspectPackage(big.path, {
			cacheDir: cache,
			useCache: false,
			progressIntervalMs: 0,
			onProgress() {
				peak = Math.max(peak, process.memoryUsage().rss);
			},
		});
		expect(big.uncompressedBytes).toBeGreaterThan(60_000_000);
		expect(peak - before).toBeLessThan(40_000_000);
	});
});
