// What a leftover holds that its package does not explain, read from a real package and a real
// unpack: the package's entries and each bundle's own (unpacked beside it) are explained, anything
// else is named, and consent must cover every name at the moment of the removal.
import {existsSync} from 'node:fs';
import {mkdir, mkdtemp, rm, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {unexplainedInLeftover} from '../../../source/adapters/run/leftover-contents.js';
import {cleanupLeftover, targetDirName} from '../../../source/adapters/run/target-dir.js';
import {buildPackage, type BuiltPackage} from '../../helpers/build-package.js';

let root: string;
let built: BuiltPackage;

beforeAll(async () => {
	root = await mkdtemp(path.join(tmpdir(), 'leftover-contents-'));
	built = await buildPackage({dir: root, version: 'v0.13.9', arch: 'amd64'});
});

afterAll(async () => {
	await rm(root, {recursive: true, force: true});
});

/** The package unpacked as the installer does: the tar, then one bundle beside itself. */
async function unpacked(name: string): Promise<{cwd: string; target: string}> {
	const cwd = path.join(root, name);
	const target = path.join(cwd, targetDirName);
	await mkdir(target, {recursive: true});
	const {extract} = await import('tar');
	await extract({file: built.path, cwd: target});
	const bundle = path.join(target, 'addon-offline-package', 'addon', 'dao-2048-1.4.1.bundle.tar');
	await mkdir(bundle.slice(0, -'.tar'.length));
	await extract({file: bundle, cwd: bundle.slice(0, -'.tar'.length)});
	return {cwd, target};
}

describe('the leftover against its package', () => {
	it('explains everything the installer unpacked, bundles and the chart it packs included', async () => {
		const {target} = await unpacked('clean');
		// charts-syncer packs the chart beside the unpacked bundle, as the simulator does.
		await writeFile(path.join(target, 'addon-offline-package', 'addon', 'dao-2048-1.4.1.bundle', 'dao-2048-1.4.1.tgz'), 'x');
		expect(await unexplainedInLeftover(target, [built.path])).toEqual({paths: [], count: 0});
	});

	it('names a note, a file inside an unpacked bundle and a link, and says when the package cannot be read', async () => {
		const {target} = await unpacked('notes');
		await mkdir(path.join(target, 'my-notes'));
		await writeFile(path.join(target, 'my-notes', 'precious.txt'), 'x');
		await writeFile(path.join(target, 'addon-offline-package', 'addon', 'dao-2048-1.4.1.bundle', 'mine.txt'), 'x');
		await symlink(root, path.join(target, 'to-root'));
		expect(await unexplainedInLeftover(target, [built.path])).toEqual({
			paths: ['addon-offline-package/addon/dao-2048-1.4.1.bundle/mine.txt', 'my-notes/precious.txt', 'to-root'],
			count: 3,
		});
		const unread = await unexplainedInLeftover(target, [path.join(root, 'gone.tar.gz')]);
		expect(unread.why).toBe('gone.tar.gz could not be read (ENOENT)');
		expect(unread.count).toBeGreaterThan(3);
	});

	it('removes only with consent naming every file, read again at the removal', async () => {
		const {cwd, target} = await unpacked('consent');
		await mkdir(path.join(target, 'my-notes'));
		await writeFile(path.join(target, 'my-notes', 'precious.txt'), 'x');
		const step = {cwd, packagePath: built.path};

		expect(await cleanupLeftover(step, undefined, {})).toMatchObject({
			kind: 'cleanup-refused',
			exitCode: 3,
			message: expect.stringContaining('holds 1 file the package does not explain: my-notes/precious.txt. Nothing was deleted.'),
			hint: expect.stringContaining('--cleanup-unexplained'),
		});
		expect(existsSync(path.join(target, 'my-notes', 'precious.txt'))).toBe(true);

		// Confirmed by name, then another file appears before the removal: it was never named.
		await writeFile(path.join(target, 'my-notes', 'later.txt'), 'x');
		expect(await cleanupLeftover(step, undefined, {consent: ['my-notes/precious.txt']})).toMatchObject({
			kind: 'cleanup-refused',
			message: expect.stringContaining('my-notes/later.txt'),
		});
		expect(existsSync(path.join(target, 'my-notes', 'precious.txt'))).toBe(true);

		expect(await cleanupLeftover(step, undefined, {consent: ['my-notes/later.txt', 'my-notes/precious.txt']})).toMatchObject({
			path: target,
		});
		expect(existsSync(target)).toBe(false);
	});
});
