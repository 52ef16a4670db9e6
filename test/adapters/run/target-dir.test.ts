// The one directory the wizard deletes. An operator presses r after a failed import: the
// installer's leftover must go (and the retry then work), and nothing else may ever be touched.
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdir, mkdtemp, readdir, readFile, readlink, realpath, rm, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {spawn, type ChildProcess} from 'node:child_process';
import {writerCheck} from '../../../source/adapters/run/live-installers.js';
import {writeRecord} from '../../../source/adapters/run/run-record.js';
import {checkLeftover, cleanupLeftover, measureLeftover, targetDirName} from '../../../source/adapters/run/target-dir.js';
import {storedPlan} from '../../helpers/stored-plan.js';
import {makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';

const roots: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
	for (const child of children.splice(0)) {
		child.kill('SIGKILL');
	}
});
afterAll(async () => {
	await Promise.all(roots.map(async root => rm(root, {recursive: true, force: true})));
});

async function workdir(): Promise<string> {
	const root = await mkdtemp(path.join(tmpdir(), 'target-dir-'));
	roots.push(root);
	const cwd = path.join(root, 'work');
	await mkdir(cwd);
	return cwd;
}

/** Writes `files` (relative path → bytes) under `dir`; returns the sum of their sizes. */
async function tree(dir: string, files: Record<string, number>): Promise<number> {
	let total = 0;
	for (const [name, bytes] of Object.entries(files)) {
		await mkdir(path.dirname(path.join(dir, name)), {recursive: true});
		await writeFile(path.join(dir, name), Buffer.alloc(bytes, 7));
		total += bytes;
	}

	return total;
}

function runSimulator(f: ClusterFixture, knobs: Record<string, string>): Promise<{code: number; stderr: string}> {
	return new Promise(resolve => {
		execFile(
			path.join(f.home, 'dce5-installer'),
			['import', '-addon', '-c', f.configPath, `--addon-path=${f.packages[0]!.path}`],
			{cwd: f.workdir, env: {...f.env, ...knobs}},
			(error, _stdout, stderr) => {
				resolve({code: error ? Number((error as {code?: number}).code ?? 1) : 0, stderr});
			},
		);
	});
}

describe('cleanupLeftover', () => {
	it('removes the leftover of a failed installer run, reports the bytes freed, and the retry then succeeds', async () => {
		const f = await makeClusterFixture({packages: [{arch: 'arm64'}], current: 0});
		roots.push(f.root);
		const failed = await runSimulator(f, {DCE5_SIM_DISK_BUDGET: String(Math.floor(f.packages[0]!.uncompressedBytes * 1.2))});
		expect(failed.stderr).toContain('no space left on device');
		const target = path.join(f.workdir, targetDirName);
		const measured = await measureLeftover({cwd: f.workdir});
		expect(measured?.path).toBe(target);
		expect(measured!.bytes).toBeGreaterThan(f.packages[0]!.uncompressedBytes);
		const blocked = await runSimulator(f, {});
		expect(blocked.stderr).toContain('file exists');

		const before = await readdir(f.workdir);
		const cleaned = await cleanupLeftover({cwd: f.workdir});
		expect(cleaned).toEqual({path: target, freedBytes: measured!.bytes});
		expect(await readdir(f.workdir)).toEqual(before.filter(name => name !== targetDirName));
		expect(await measureLeftover({cwd: f.workdir})).toBeUndefined();
		expect((await runSimulator(f, {})).code).toBe(0);
	});

	it('removes exactly <workdir>/addon-offline-target-package and nothing beside it', async () => {
		const cwd = await workdir();
		const target = path.join(cwd, targetDirName);
		const bytes = await tree(target, {
			'addon-offline-package/metadata.yaml': 30,
			'addon-offline-package/addon/dao-2048-1.4.1.bundle.tar': 10_240,
			'addon-offline-package/addon/dao-2048-1.4.1.bundle/images.tar': 4096,
		});
		await tree(cwd, {
			'clusterConfig.yaml': 100,
			'addon-offline-target-package.bak/keep': 5,
			'other/addon-offline-package/metadata.yaml': 5,
		});
		// A symlink inside the leftover is removed as a link; what it points at stays.
		await symlink(path.join(cwd, 'other'), path.join(target, 'addon-offline-package', 'link-out'));

		expect(await cleanupLeftover({cwd})).toEqual({path: target, freedBytes: bytes});
		expect(existsSync(target)).toBe(false);
		expect((await readdir(cwd)).sort()).toEqual(['addon-offline-target-package.bak', 'clusterConfig.yaml', 'other']);
		expect(existsSync(path.join(cwd, 'other', 'addon-offline-package', 'metadata.yaml'))).toBe(true);
	});

	it('removes an empty leftover (the installer failed right after mkdir)', async () => {
		const cwd = await workdir();
		await mkdir(path.join(cwd, targetDirName));
		expect(await cleanupLeftover({cwd})).toEqual({path: path.join(cwd, targetDirName), freedBytes: 0});
	});

	it('refuses a symlink named addon-offline-target-package: the directory it points at survives', async () => {
		const cwd = await workdir();
		const elsewhere = path.join(path.dirname(cwd), 'precious');
		await tree(elsewhere, {'addon-offline-package/metadata.yaml': 10, 'data.db': 1000});
		await symlink(elsewhere, path.join(cwd, targetDirName));

		const result = await cleanupLeftover({cwd});
		expect(result).toMatchObject({kind: 'cleanup-refused', exitCode: 1});
		expect('message' in result && result.message).toContain('symlink');
		expect(existsSync(path.join(elsewhere, 'data.db'))).toBe(true);
		expect(existsSync(path.join(cwd, targetDirName))).toBe(true);
	});

	it('refuses a regular file of that name, and leaves it', async () => {
		const cwd = await workdir();
		await writeFile(path.join(cwd, targetDirName), 'not a directory');
		const result = await cleanupLeftover({cwd});
		expect(result).toMatchObject({kind: 'cleanup-refused'});
		expect('message' in result && result.message).toContain('a file');
		expect(existsSync(path.join(cwd, targetDirName))).toBe(true);
	});

	it("refuses a directory that does not look like the installer's, and leaves it", async () => {
		const cwd = await workdir();
		const target = path.join(cwd, targetDirName);
		await tree(target, {'notes.txt': 10, 'photos/2024/cat.jpg': 100});
		const result = await cleanupLeftover({cwd});
		expect(result).toMatchObject({kind: 'cleanup-refused'});
		expect('hint' in result && result.hint).toContain('rm -rf');
		expect(existsSync(path.join(target, 'photos', '2024', 'cat.jpg'))).toBe(true);
	});

	it('refuses a workdir path that leads outside the workdir, and leaves the target', async () => {
		const cwd = await workdir();
		const outside = path.join(path.dirname(cwd), 'outside');
		await tree(path.join(outside, targetDirName), {'addon-offline-package/metadata.yaml': 10});
		// A step cwd that climbs out of the workdir through a symlinked parent is still the same real folder…
		await symlink(outside, path.join(cwd, 'via-link'));
		expect(await checkLeftover(path.join(cwd, 'via-link'))).toEqual({path: path.join(cwd, 'via-link', targetDirName)});
		// …but the leftover itself being a link out is refused.
		await symlink(path.join(outside, targetDirName), path.join(cwd, targetDirName));
		expect(await cleanupLeftover({cwd})).toMatchObject({kind: 'cleanup-refused'});
		expect(existsSync(path.join(outside, targetDirName, 'addon-offline-package', 'metadata.yaml'))).toBe(true);
	});

	it('says there is nothing to clean when the directory is absent', async () => {
		const cwd = await workdir();
		expect(await cleanupLeftover({cwd})).toMatchObject({
			kind: 'cleanup-refused',
			message: expect.stringContaining('does not exist') as string,
		});
		expect(await cleanupLeftover({cwd: path.join(cwd, 'missing-workdir')})).toMatchObject({kind: 'cleanup-refused'});
	});
});

describe('measureLeftover', () => {
	it('returns undefined when there is no leftover', async () => {
		expect(await measureLeftover({cwd: await workdir()})).toBeUndefined();
	});

	it('measures the bytes of the files inside, not following links', async () => {
		const cwd = await workdir();
		const target = path.join(cwd, targetDirName);
		const bytes = await tree(target, {'addon-offline-package/a.bundle.tar': 2000, 'addon-offline-package/b/images.tar': 3000});
		await tree(cwd, {'big/blob': 50_000});
		await symlink(path.join(cwd, 'big'), path.join(target, 'link'));
		// Without a package to explain them, every file is named; the link is named, not walked.
		expect(await measureLeftover({cwd})).toEqual({
			path: target,
			bytes,
			unexplained: {paths: ['addon-offline-package/a.bundle.tar', 'addon-offline-package/b/images.tar', 'link'], count: 3},
		});
	});
});

describe('cleanupLeftover with the live-installer check', () => {
	async function leftover(): Promise<{cwd: string; target: string; state: string}> {
		const cwd = await workdir();
		const target = path.join(cwd, targetDirName);
		await tree(target, {'addon-offline-package/addon/dao-2048-1.4.1.bundle.tar': 10_240});
		return {cwd, target, state: path.join(path.dirname(cwd), 'state')};
	}

	/** Whether process `pid` runs `argv` (it has exec'd) and, if `dir` is given, works inside it or has a file open in it. */
	async function inPlace(pid: number, argv: string[], dir: string | undefined): Promise<boolean> {
		const inside = (link: string) => link === dir || link.startsWith(`${dir}${path.sep}`);
		try {
			if ((await readFile(`/proc/${pid}/cmdline`, 'utf8')) !== `${argv.join('\0')}\0`) {
				return false;
			}

			if (dir === undefined) {
				return true;
			}

			const fds = await readdir(`/proc/${pid}/fd`);
			const links = await Promise.all(
				[`/proc/${pid}/cwd`, ...fds.map(fd => `/proc/${pid}/fd/${fd}`)].map(async link => readlink(link).catch(() => '')),
			);
			return links.some(link => inside(link));
		} catch {
			return false;
		}
	}

	/** A process that stays until killed, once /proc shows it has exec'd `argv` and is inside `target` (its working directory or an open file). */
	async function live(argv: string[], cwd: string, target?: string): Promise<ChildProcess> {
		const child = spawn(argv[0]!, argv.slice(1), {cwd, stdio: 'ignore'});
		children.push(child);
		const dir = target === undefined ? undefined : await realpath(target);
		const deadline = Date.now() + 10_000;
		while (!(await inPlace(child.pid!, argv, dir))) {
			if (Date.now() > deadline) {
				throw new Error(`${argv.join(' ')} (pid ${child.pid}) never showed up${dir ? ` inside ${dir}` : ''}`);
			}

			await delay(10);
		}

		return child;
	}

	it.each([
		['works inside it', async (target: string) => live(['sleep', '60'], path.join(target, 'addon-offline-package'), target)],
		[
			'has files open in it',
			async (target: string) =>
				live(['tail', '-f', path.join(target, 'addon-offline-package', 'addon', 'dao-2048-1.4.1.bundle.tar')], tmpdir(), target),
		],
	])('refuses while a process %s, naming it, and removes nothing', async (why, start) => {
		const {cwd, target, state} = await leftover();
		const child = await start(target);
		const result = await cleanupLeftover({cwd}, writerCheck(state, ['dce5-installer'], process.pid));
		expect(result).toMatchObject({kind: 'installer-running', exitCode: 3});
		expect('message' in result && result.message).toContain(`(pid ${child.pid}, ${why})`);
		expect(existsSync(path.join(target, 'addon-offline-package', 'addon', 'dao-2048-1.4.1.bundle.tar'))).toBe(true);

		child.kill('SIGKILL');
		await new Promise(resolve => child.once('exit', resolve));
		expect(await cleanupLeftover({cwd}, writerCheck(state, ['dce5-installer'], process.pid))).toMatchObject({path: target});
	});

	it('refuses while a recorded run of another config still has its installer alive in that folder', async () => {
		const {cwd, target, state} = await leftover();
		const installer = await live(['sleep', '60'], tmpdir());
		const plan = storedPlan([{id: 's', cwd}]);
		await writeRecord(state, {
			wizardPid: 999_999,
			installerPid: installer.pid,
			configPath: '/elsewhere/clusterConfig.yaml',
			logPath: '/l',
			startedAt: 1,
			stepIndex: 0,
			stepId: 's',
			packagePath: '/p',
			status: 'running',
			plan,
		});
		const result = await cleanupLeftover({cwd}, writerCheck(state, ['dce5-installer'], process.pid));
		expect('message' in result && result.message).toContain(
			`dce5-installer (pid ${installer.pid}, started by addon-wizard (pid 999999) for /elsewhere/clusterConfig.yaml)`,
		);
		expect(existsSync(target)).toBe(true);
	});
});
