// dist/addon-wizard.mjs runs its program (one CommonJS script, unpacked once per build) through V8's
// code cache, one cache file per command beside the program. A cache is only a way to start
// sooner: one that is cut short, made by another build, or refused by V8 must never change what a
// command does, nor must a folder where no cache can be written; and the inspection's hash thread
// must still run from the bundle.
import {execFile, execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {buildPackage} from '../helpers/build-package.js';
import {cliPath, repoRoot} from '../helpers/cluster-fixture.js';
import type {ProgramResult} from '../helpers/run-program.js';

/** A user with no rights over the root-owned files, for the read-only folder when the tests run as root. */
const nobody = 65_534;

describe('the code cache of dist/addon-wizard.mjs', () => {
	let scratch: string;
	let packages: string;
	let expected: ProgramResult;

	const command = () => ['list', '--json', '--search', packages];
	/** The bundle run with `cache` as its cache folder, as this user or as `uid`. */
	const run = async (cache: string, args = command(), uid?: number): Promise<ProgramResult> =>
		new Promise(resolve => {
			execFile(
				process.execPath,
				[cliPath, ...args],
				{
					cwd: scratch,
					env: {PATH: process.env['PATH'] ?? '', HOME: scratch, XDG_CACHE_HOME: cache, NO_COLOR: '1'},
					timeout: 120_000,
					...(uid === undefined ? {} : {uid, gid: uid}),
				},
				(error, stdout, stderr) => {
					resolve({code: error ? ((error as {code?: number}).code ?? null) : 0, stdout, stderr});
				},
			);
		});

	/** The unpacked program's folder under `cache`, and the list command's cache file in it. */
	async function listCache(cache: string): Promise<{folder: string; file: string}> {
		const code = path.join(cache, 'addon-wizard', 'code');
		const [digest] = await readdir(code);
		const folder = path.join(code, digest!);
		const file = (await readdir(folder)).find(name => name.startsWith('program.list.') && name.endsWith('.v8cache'));
		return {folder, file: path.join(folder, file ?? `program.list.${process.version}-${process.arch}.v8cache`)};
	}

	/** A cache for `cache`, made by one run of the list command. */
	async function primed(name: string): Promise<{cache: string; folder: string; file: string}> {
		const cache = path.join(scratch, name);
		expect(await run(cache)).toEqual(expected);
		return {cache, ...(await listCache(cache))};
	}

	beforeAll(async () => {
		if (!existsSync(cliPath)) {
			execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs')], {cwd: repoRoot, stdio: 'inherit'});
		}

		scratch = await mkdtemp(path.join(tmpdir(), 'addon-wizard-code-cache-'));
		packages = path.join(scratch, 'packages');
		await buildPackage({dir: packages});
		expected = await run(path.join(scratch, 'reference'));
		expect(expected.code).toBe(0);
		expect(JSON.parse(expected.stdout)).toMatchObject({packages: [expect.anything()]});
	}, 120_000);

	afterAll(async () => {
		await rm(scratch, {recursive: true, force: true});
	});

	it('writes a cache on the first run and uses it, unchanged, on the next', async () => {
		const {cache, file} = await primed('reused');
		const first = await stat(file);
		expect(first.size).toBeGreaterThan(100_000);
		expect(await run(cache)).toEqual(expected);
		// V8 took it: a refused cache is written again, as a new file renamed over the old one.
		expect((await stat(file)).ino).toBe(first.ino);
	}, 120_000);

	it('keeps a cache per command: the wizard and plan do not share the list command’s', async () => {
		const {cache, folder} = await primed('per-command');
		expect((await run(cache, ['history', '--json'])).code).not.toBeNull();
		const names = (await readdir(folder)).filter(name => name.endsWith('.v8cache')).sort();
		expect(names).toEqual([
			`program.history.${process.version}-${process.arch}.v8cache`,
			`program.list.${process.version}-${process.arch}.v8cache`,
		]);
	}, 120_000);

	it('runs the command the same with a cache cut short, and writes it whole again', async () => {
		const {cache, file} = await primed('truncated');
		const whole = (await stat(file)).size;
		// V8's cache of the same command varies by a few bytes from run to run (what ran lazily).
		const isWhole = async () => Math.abs((await stat(file)).size - whole) < whole / 10;
		await truncate(file, Math.floor(whole / 3));
		expect(await run(cache)).toEqual(expected);
		expect(await isWhole()).toBe(true);
		// The header alone, cut before any code.
		await truncate(file, 20);
		expect(await run(cache)).toEqual(expected);
		expect(await isWhole()).toBe(true);
	}, 120_000);

	it("ignores a cache another build, or another program, made, and writes this build's", async () => {
		const {cache, file} = await primed('foreign');
		const bytes = await readFile(file);
		const newline = bytes.indexOf(10);
		const header = bytes.subarray(0, newline + 1).toString();
		expect(header).toMatch(new RegExp(`^addon-wizard code cache [0-9a-f]{16} ${process.version} ${process.arch} list\\n$`));
		const headerNow = async () => {
			const now = await readFile(file);
			return now.subarray(0, now.indexOf(10) + 1).toString();
		};

		// Another build's header over this build's code: not this build's, so not read, and replaced.
		await writeFile(
			file,
			Buffer.concat([Buffer.from(header.replace(/ [0-9a-f]{16} /, ' 0123456789abcdef ')), bytes.subarray(newline + 1)]),
		);
		expect(await run(cache)).toEqual(expected);
		expect(await headerNow()).toBe(header);
		// This build's header over another script's code: V8 refuses it.
		const other = execFileSync(process.execPath, [
			'-e',
			"process.stdout.write(new (require('node:vm').Script)('(function () { return 42; })').createCachedData())",
		]);
		await writeFile(file, Buffer.concat([Buffer.from(header), other]));
		expect(await run(cache)).toEqual(expected);
		expect(await headerNow()).toBe(header);
		expect((await stat(file)).size).toBeGreaterThan(bytes.length * 0.9);
	}, 120_000);

	it('runs the command the same when no cache can be written beside the program', async () => {
		const cache = path.join(scratch, 'read-only');
		// Root writes into any folder: then the command runs as another user, owner of its cache folder.
		const uid = process.getuid?.() === 0 ? nobody : undefined;
		await mkdir(cache, {mode: 0o700});
		if (uid !== undefined) {
			await chown(cache, uid, uid);
			await chmod(scratch, 0o755);
		}

		expect(await run(cache, command(), uid)).toEqual(expected);
		const {folder, file} = await listCache(cache);
		await rm(file);
		await chmod(folder, 0o500);
		try {
			expect(await run(cache, command(), uid)).toEqual(expected);
			expect(existsSync(file)).toBe(false);
			expect((await readdir(folder)).filter(name => name.endsWith('.tmp'))).toEqual([]);
		} finally {
			await chmod(folder, 0o700);
		}
	}, 120_000);

	it('hashes a package of 64 MiB or more on its own thread from the bundle: the checksum is the file’s', async () => {
		const big = await buildPackage({
			dir: path.join(scratch, 'big'),
			gzipLevel: 1,
			charts: [{name: 'big', version: '1.0.0', images: [{ref: 'localhost/big:1', layerBytes: 70 * 1024 * 1024}]}],
		});
		expect(big.size).toBeGreaterThanOrEqual(64 * 1024 * 1024);
		for (const round of ['first run, no cache yet', 'second run, from the cache']) {
			const result = await run(path.join(scratch, 'big-cache'), ['inspect', '--json', '--no-cache', '-p', big.path]);
			expect(result.stderr, round).toBe('');
			expect(result.code, round).toBe(0);
			expect(result.stdout, round).toContain(big.sha512);
		}
	}, 300_000);
});
