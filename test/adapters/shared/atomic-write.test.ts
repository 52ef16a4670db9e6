import {chmod, chown, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {writeFileAtomic} from '../../../source/adapters/shared/atomic-write.js';

const isRoot = process.getuid?.() === 0;

describe('writeFileAtomic', () => {
	let dir = '';
	let savedUmask = 0;
	beforeEach(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'atomic-write-'));
		savedUmask = process.umask();
	});
	afterEach(async () => {
		process.umask(savedUmask);
		await rm(dir, {recursive: true, force: true});
	});

	const leftovers = async (folder: string) => (await readdir(folder)).filter(name => name.includes('.tmp') || name.startsWith('.'));

	it.each([
		['a relative link beside it', async (real: string, link: string) => symlink(path.basename(real), link)],
		['an absolute link', async (real: string, link: string) => symlink(real, link)],
	])('writes through %s: the link stays a link and its target gets the new text', async (_name, makeLink) => {
		const real = path.join(dir, 'real.yaml');
		const link = path.join(dir, 'clusterConfig.yaml');
		await writeFile(real, 'old\n');
		await makeLink(real, link);
		const before = await readlink(link);

		await writeFileAtomic(link, 'new\n');

		expect((await lstat(link)).isSymbolicLink()).toBe(true);
		expect(await readlink(link)).toBe(before);
		expect(await readFile(real, 'utf8')).toBe('new\n');
		expect(await leftovers(dir)).toEqual([]);
	});

	it('writes through a relative link into another directory, through a chain of links, and leaves the temp file beside the real one', async () => {
		const etc = path.join(dir, 'etc', 'dce');
		const sample = path.join(dir, 'offline', 'sample');
		await mkdir(etc, {recursive: true});
		await mkdir(sample, {recursive: true});
		const real = path.join(etc, 'real.yaml');
		await writeFile(real, 'old\n');
		await symlink(path.join('..', 'etc', 'dce', 'real.yaml'), path.join(dir, 'offline', 'hop.yaml'));
		const link = path.join(sample, 'clusterConfig.yaml');
		await symlink(path.join('..', 'hop.yaml'), link);

		await writeFileAtomic(link, 'new\n');

		expect((await lstat(link)).isSymbolicLink()).toBe(true);
		expect((await lstat(path.join(dir, 'offline', 'hop.yaml'))).isSymbolicLink()).toBe(true);
		expect(await readFile(real, 'utf8')).toBe('new\n');
		expect((await readdir(sample)).sort()).toEqual(['clusterConfig.yaml']);
		expect((await readdir(etc)).sort()).toEqual(['real.yaml']);
	});

	it.runIf(isRoot)('keeps the owner and group of the file it replaces', async () => {
		const file = path.join(dir, 'clusterConfig.yaml');
		await writeFile(file, 'old\n', {mode: 0o640});
		await chown(file, 12_345, 12_345);

		await writeFileAtomic(file, 'new\n');

		const info = await stat(file);
		expect([info.uid, info.gid]).toEqual([12_345, 12_345]);
		expect(info.mode & 0o7777).toBe(0o640);
		expect(await readFile(file, 'utf8')).toBe('new\n');
	});

	it.runIf(isRoot)("keeps the owner of the real file behind a symlink, not the link's", async () => {
		const real = path.join(dir, 'real.yaml');
		const link = path.join(dir, 'clusterConfig.yaml');
		await writeFile(real, 'old\n');
		await chown(real, 12_345, 23_456);
		await symlink(real, link);

		await writeFileAtomic(link, 'new\n');

		const info = await stat(real);
		expect([info.uid, info.gid]).toEqual([12_345, 23_456]);
		expect(await readFile(real, 'utf8')).toBe('new\n');
		expect((await lstat(link)).isSymbolicLink()).toBe(true);
	});

	it.each([
		['0640', '022'],
		['0600', '022'],
		['0600', '077'],
		['0664', '077'],
		['0755', '027'],
	])('a %s file keeps its mode under umask %s', async (modeText, umaskText) => {
		const [mode, umask] = [Number.parseInt(modeText, 8), Number.parseInt(umaskText, 8)];
		const file = path.join(dir, 'clusterConfig.yaml');
		await writeFile(file, 'old\n');
		await chmod(file, mode);
		process.umask(umask);

		await writeFileAtomic(file, 'new\n');

		expect((await stat(file)).mode & 0o7777).toBe(mode);
		expect(await readFile(file, 'utf8')).toBe('new\n');
	});

	it('gives a new file the mode asked for whatever the umask, and an existing file the mode asked for', async () => {
		process.umask(0o077);
		const fresh = path.join(dir, 'record.json');
		await writeFileAtomic(fresh, '{}', {mode: 0o644});
		expect((await stat(fresh)).mode & 0o7777).toBe(0o644);

		await writeFileAtomic(fresh, '{"a":1}', {mode: 0o600});
		expect((await stat(fresh)).mode & 0o7777).toBe(0o600);
		expect(await readFile(fresh, 'utf8')).toBe('{"a":1}');
	});

	it('writes a new file through a dangling symlink to where the link points', async () => {
		const link = path.join(dir, 'clusterConfig.yaml');
		await symlink('later.yaml', link);

		await writeFileAtomic(link, 'new\n');

		expect((await lstat(link)).isSymbolicLink()).toBe(true);
		expect(await readFile(path.join(dir, 'later.yaml'), 'utf8')).toBe('new\n');
	});

	it('leaves the old content and no temp file when the write fails', async () => {
		const file = path.join(dir, 'clusterConfig.yaml');
		await writeFile(file, 'old\n');
		// A directory where the file should be cannot be renamed over: the write must fail cleanly.
		const blocker = path.join(dir, 'sub');
		await mkdir(path.join(blocker, 'clusterConfig.yaml'), {recursive: true});
		await writeFile(path.join(blocker, 'clusterConfig.yaml', 'keep'), 'x');

		await expect(writeFileAtomic(path.join(blocker, 'clusterConfig.yaml'), 'new\n')).rejects.toThrow();

		expect(await readFile(file, 'utf8')).toBe('old\n');
		expect((await readdir(blocker)).sort()).toEqual(['clusterConfig.yaml']);
	});
});
