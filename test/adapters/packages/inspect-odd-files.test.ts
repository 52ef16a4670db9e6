// What is named like a package but must not be read as one (a FIFO, /dev/zero behind a symlink,
// a folder), a package whose folder name is not UTF-8, and a package corrupted in place with its
// mtime put back. Each gets an answer at once and the truth.
import {execFile} from 'node:child_process';
import {mkdir, mkdtemp, open, readdir, rename, rm, stat, symlink} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {discoverPackages} from '../../../source/adapters/packages/discover-packages.js';
import {createPackageInspector, inspectPackage} from '../../../source/adapters/packages/inspect-package.js';
import {displayPath, resolveLossyPath} from '../../../source/adapters/host/lossy-path.js';
import type {PackageInspection} from '../../../source/domain/packages/inspection.js';
import {buildPackage, type BuiltPackage} from '../../helpers/build-package.js';

const run = promisify(execFile);
const packageName = 'addon-offline-full-package-v0.9.5-amd64.tar.gz';

/** Fails instead of hanging: a FIFO that blocks the open would otherwise stall the suite. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms);
	});
	try {
		return await Promise.race([promise, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

describe('inspectPackage on odd files', () => {
	let dir = '';
	let cache = '';

	beforeAll(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'inspect-odd-'));
		cache = path.join(dir, 'cache');
	});

	afterAll(async () => rm(dir, {recursive: true, force: true}));

	const refusedAs = (result: PackageInspection, what: RegExp) => {
		expect(result.findings).toHaveLength(1);
		expect(result.findings[0]).toMatchObject({code: 'not-a-file', severity: 'error'});
		expect(result.findings[0]!.message).toMatch(what);
		expect(result.findings[0]!.hint).toBeTruthy();
		expect(result.complete).toBe(false);
		expect(result.arch.confirmedByContents).toBe(false);
	};

	it('refuses a FIFO named like a package at once, with no writer on the other end', async () => {
		const fifo = path.join(dir, 'fifo', packageName);
		await mkdir(path.dirname(fifo));
		await run('mkfifo', [fifo]);
		refusedAs(await within(3000, inspectPackage(fifo, {cacheDir: cache})), /is a FIFO \(named pipe\), not a regular file/);
	});

	it('refuses /dev/zero behind a symlink named like a package, saying where it leads', async () => {
		const link = path.join(dir, 'zero', packageName);
		await mkdir(path.dirname(link));
		await symlink('/dev/zero', link);
		refusedAs(await within(3000, inspectPackage(link, {cacheDir: cache})), /is a character device \(it leads to \/dev\/zero\)/);
	});

	it('refuses a directory named like a package', async () => {
		const folder = path.join(dir, 'folder', packageName);
		await mkdir(folder, {recursive: true});
		refusedAs(await within(3000, inspectPackage(folder, {cacheDir: cache})), /is a directory/);
	});

	it('reads a package corrupted in place again, although its size and mtime were put back', async () => {
		const built = await buildPackage({dir: path.join(dir, 'in-place')});
		const cacheDir = path.join(dir, 'in-place-cache');
		const first = await inspectPackage(built.path, {cacheDir});
		expect(first.complete).toBe(true);
		const before = await stat(built.path, {bigint: true});
		// `touch -r` (utimensat) puts the mtime back to the nanosecond, as someone covering a change would.
		const reference = path.join(dir, 'in-place', 'reference');
		await run('touch', ['-r', built.path, reference]);
		const handle = await open(built.path, 'r+');
		await handle.write(Buffer.from('garbage!'), 0, 8, Number(before.size / 2n));
		await handle.close();
		await run('touch', ['-r', reference, built.path]);
		const after = await stat(built.path, {bigint: true});
		expect([after.size, after.mtimeNs, after.ino]).toEqual([before.size, before.mtimeNs, before.ino]);

		const second = await inspectPackage(built.path, {cacheDir});
		expect(second.inspectedAt).not.toBe(first.inspectedAt);
		expect(second.sha512).not.toBe(first.sha512);
		expect(second.complete).toBe(false);
		expect(second.integrity.state).toBe('damaged');
		expect(['corrupt', 'truncated', 'entry-damaged', 'images-damaged']).toContain(second.findings[0]!.code);
	});

	it('keeps using the cache while nothing about the file changed, and reports the same mtime stat() does', async () => {
		const built = await buildPackage({dir: path.join(dir, 'cached')});
		const cacheDir = path.join(dir, 'cached-cache');
		const first = await inspectPackage(built.path, {cacheDir});
		const second = await inspectPackage(built.path, {cacheDir});
		expect(second.inspectedAt).toBe(first.inspectedAt);
		expect(first.mtimeMs).toBe((await stat(built.path)).mtimeMs);
		expect(first.size).toBe(built.size);
	});

	it('an inspector built with a cache dir keeps its results there; useCache: false still reads again', async () => {
		const built = await buildPackage({dir: path.join(dir, 'factory')});
		const inspect = createPackageInspector({cacheDir: path.join(dir, 'factory-cache')});
		const first = await inspect(built.path);
		expect((await inspect(built.path)).inspectedAt).toBe(first.inspectedAt);
		expect((await inspect(built.path, {useCache: false})).inspectedAt).not.toBe(first.inspectedAt);
		expect(await readdir(path.join(dir, 'factory-cache', 'inspections'))).toHaveLength(1);
	});

	it('keeps no cache when no cache dir is given', async () => {
		const built = await buildPackage({dir: path.join(dir, 'uncached')});
		const first = await inspectPackage(built.path);
		const second = await inspectPackage(built.path);
		expect(second.inspectedAt).not.toBe(first.inspectedAt);
	});
});

describe('a package in a folder whose name is not UTF-8', () => {
	let root = '';
	let built: BuiltPackage;
	let folderBytes: Buffer;
	let fileBytes: Buffer;

	beforeAll(async () => {
		root = await mkdtemp(path.join(tmpdir(), 'not-utf8-'));
		built = await buildPackage({dir: path.join(root, 'staging')});
		folderBytes = Buffer.concat([Buffer.from(`${root}/`), Buffer.of(0xff), Buffer.from('pkgs')]);
		fileBytes = Buffer.concat([folderBytes, Buffer.from(`/${built.fileName}`)]);
		await mkdir(folderBytes);
		await rename(built.path, fileBytes);
	});

	afterAll(async () => rm(root, {recursive: true, force: true}));

	const escaped = () => `${root}/\\xffpkgs/${built.fileName}`;

	it('is listed by discovery, its path shown with the byte escaped', async () => {
		const found = await discoverPackages({cwd: root, home: path.join(root, 'nowhere'), roots: [], depth: 1});
		expect(found.map(item => item.path)).toEqual([escaped()]);
		expect(found[0]).toMatchObject({fileName: built.fileName, size: built.size, status: 'candidate'});
	});

	it('is found again from the lossy spelling Node gives argv, and from the escaped one', async () => {
		// Node cannot put the byte in a child's argv; a shell can, and node decodes it as it decodes `-p`.
		const {stdout} = await run('bash', [
			'-c',
			'exec node -e "process.stdout.write(process.argv[1])" "$1$(printf \'\\377\')pkgs/$2"',
			'bash',
			`${root}/`,
			built.fileName,
		]);
		expect(stdout).toBe(`${root}/\uFFFDpkgs/${built.fileName}`);
		expect(await resolveLossyPath(stdout)).toEqual(fileBytes);
		expect(await resolveLossyPath(escaped())).toEqual(fileBytes);
		expect(displayPath(fileBytes)).toBe(escaped());
		expect(await resolveLossyPath(`${root}/\uFFFDother/${built.fileName}`)).toBeUndefined();
	});

	it('is inspected through its bytes, and blocked because the installer cannot be given its path', async () => {
		for (const spelling of [`${root}/\uFFFDpkgs/${built.fileName}`, escaped()]) {
			const result = await inspectPackage(spelling, {useCache: false});
			expect(result.path).toBe(escaped());
			expect(result.sha512).toBe(built.sha512);
			expect(result.complete).toBe(true);
			expect(result.charts).toHaveLength(3);
			const finding = result.findings.find(item => item.code === 'path-not-utf8');
			expect(finding?.severity).toBe('error');
			expect(finding?.message).toContain(escaped());
			expect(finding?.hint).toMatch(/[Rr]ename .*symlink/);
		}
	});

	it('a UTF-8 symlink to it is the way out: no finding then', async () => {
		const link = path.join(root, built.fileName);
		await symlink(fileBytes, link);
		const result = await inspectPackage(link, {useCache: false});
		expect(result.complete).toBe(true);
		expect(result.findings.map(item => item.code)).not.toContain('path-not-utf8');
	});
});
