// One run per clusterConfig.yaml, and a record `addon-wizard attach` can find after an SSH drop.
// An operator sees these as: "another wizard (pid N) is running" (exit 3) instead of two
// installers fighting over one working directory, and no false alarm after a crash or reboot.
import {spawn, type ChildProcess} from 'node:child_process';
import {createHash} from 'node:crypto';
import {existsSync} from 'node:fs';
import {mkdir, mkdtemp, open, readdir, readFile, rm, stat, symlink, utimes, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeEach, describe, expect, it} from 'vitest';
import {
	acquireLock,
	findRecord,
	processIdentity,
	readRecord,
	recordPath,
	writeRecord,
	type RunRecord,
} from '../../../source/adapters/run/run-record.js';
import {storedPlan} from '../../helpers/stored-plan.js';
import {repoRoot} from '../../helpers/cluster-fixture.js';

let root: string;
let state: string;
let config: string;
const children: ChildProcess[] = [];
const roots: string[] = [];

beforeEach(async () => {
	root = await mkdtemp(path.join(tmpdir(), 'run-record-'));
	roots.push(root);
	state = path.join(root, 'state');
	config = path.join(root, 'offline', 'sample', 'clusterConfig.yaml');
	await mkdir(path.dirname(config), {recursive: true});
	await writeFile(config, 'kind: ClusterConfig\n');
});
afterEach(() => {
	for (const child of children.splice(0)) {
		child.kill('SIGKILL');
	}
});
afterAll(async () => {
	await Promise.all(roots.map(async dir => rm(dir, {recursive: true, force: true})));
});

const lockFiles = async () => (await readdir(path.join(state, 'locks')).catch(() => [] as string[])).filter(name => name.endsWith('.lock'));

/** Another addon-wizard: a Node process that takes the lock for `configPath` (and `workdirs`) and reports the result. */
function otherWizard(configPath: string, workdirs: string[] = []): Promise<{child: ChildProcess; result: string}> {
	const module = JSON.stringify(path.join(repoRoot, 'source', 'adapters', 'run', 'run-record.ts'));
	const source = `import {acquireLock} from ${module};
const lock = acquireLock(${JSON.stringify(state)}, ${JSON.stringify(configPath)}, ${JSON.stringify(workdirs)});
console.log('exitCode' in lock ? 'locked ' + lock.message : 'acquired ' + process.pid);
setInterval(() => {}, 1000);
process.on('SIGTERM', () => { if (!('exitCode' in lock)) lock.release(); process.exit(0); });`;
	const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
		cwd: repoRoot,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	children.push(child);
	return new Promise((resolve, reject) => {
		let out = '';
		child.stdout!.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			if (out.includes('\n')) {
				resolve({child, result: out.trim()});
			}
		});
		child.on('exit', code => reject(new Error(`other wizard exited (${code}) before reporting`)));
	});
}

/** The path of the lock file for `configPath`, with nothing in it yet. */
async function lockFileOf(configPath: string): Promise<string> {
	const lock = acquireLock(state, configPath);
	if (!('release' in lock)) {
		throw new Error(lock.message);
	}

	const [name] = await lockFiles();
	lock.release();
	return path.join(state, 'locks', name!);
}

/** A process that lives until the test ends. */
async function liveProcess(): Promise<ChildProcess> {
	const child = spawn('sleep', ['60'], {stdio: 'ignore'});
	children.push(child);
	await new Promise((resolve, reject) => {
		child.once('spawn', resolve);
		child.once('error', reject);
	});
	return child;
}

/** Above Linux's pid_max (2^22): never alive. */
const neverAlive = 4_194_305;

async function exited(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) {
		return;
	}

	await new Promise(resolve => {
		child.once('exit', resolve);
	});
}

describe('acquireLock', () => {
	it('refuses a second run while another wizard holds the lock: kind locked, exit code 3, its pid named', async () => {
		const {child, result} = await otherWizard(config);
		expect(result).toBe(`acquired ${child.pid}`);

		const second = acquireLock(state, config);
		expect(second).toMatchObject({kind: 'locked', exitCode: 3});
		expect('message' in second && second.message).toContain(`pid ${child.pid}`);
		expect('message' in second && second.message).toContain(config);
		expect('hint' in second && second.hint).toContain('addon-wizard attach');

		child.kill('SIGTERM');
		await exited(child);
		const third = acquireLock(state, config);
		expect('release' in third).toBe(true);
		if ('release' in third) {
			third.release();
		}
	});

	it('takes over the lock of a wizard that crashed (dead pid)', async () => {
		const {child} = await otherWizard(config);
		child.kill('SIGKILL');
		await exited(child);
		expect(await lockFiles()).toHaveLength(1);

		const lock = acquireLock(state, config);
		expect('release' in lock).toBe(true);
		const [file] = await lockFiles();
		expect((await readFile(path.join(state, 'locks', file!), 'utf8')).split('\n')[0]).toBe(String(process.pid));
		if ('release' in lock) {
			lock.release();
		}

		expect(await lockFiles()).toEqual([]);
	});

	it('refuses while the installer of a killed wizard still imports, naming that installer, and takes over once it is gone', async () => {
		const {child, result} = await otherWizard(config);
		const wizardPid = Number(result.split(' ')[1]);
		// The installer the killed wizard started, still running in its own process group.
		const installer = spawn('sleep', ['600'], {detached: true, stdio: 'ignore'});
		children.push(installer);
		await writeRecord(
			state,
			record({
				wizardPid,
				installerPid: installer.pid,
				status: 'running',
				endedAt: undefined,
				failure: undefined,
				failedStepIndex: undefined,
			}),
		);
		child.kill('SIGKILL');
		await exited(child);

		const refused = acquireLock(state, config);
		expect(refused).toMatchObject({kind: 'locked', exitCode: 3});
		expect('message' in refused && refused.message).toContain(
			`The installer (pid ${installer.pid}) started by an earlier addon-wizard (pid ${wizardPid}, no longer running)`,
		);

		installer.kill('SIGKILL');
		await exited(installer);
		const lock = acquireLock(state, config);
		expect('release' in lock).toBe(true);
		if ('release' in lock) {
			lock.release();
		}
	});

	it('takes over a lock from before a reboot whose pid now belongs to another program', async () => {
		const unrelated = spawn('sleep', ['30']);
		children.push(unrelated);
		const file = path.join(state, 'locks');
		const first = acquireLock(state, config);
		if (!('release' in first)) {
			throw new Error(first.message);
		}

		const [name] = await lockFiles();
		first.release();
		// Same pid as a live process, but recorded with another boot's identity.
		await writeFile(path.join(file, name!), `${unrelated.pid}\n${config}\nold-boot-id:12345\n`);
		expect(processIdentity(unrelated.pid!)).toBeDefined();

		const lock = acquireLock(state, config);
		expect('release' in lock).toBe(true);
		if ('release' in lock) {
			lock.release();
		}
	});

	it('still honours a lock written without an identity while its pid lives', async () => {
		const unrelated = spawn('sleep', ['30']);
		children.push(unrelated);
		const first = acquireLock(state, config);
		if (!('release' in first)) {
			throw new Error(first.message);
		}

		const [name] = await lockFiles();
		first.release();
		await mkdir(path.join(state, 'locks'), {recursive: true});
		await writeFile(path.join(state, 'locks', name!), `${unrelated.pid}\n${config}\n`);
		expect(acquireLock(state, config)).toMatchObject({kind: 'locked', message: expect.stringContaining(`pid ${unrelated.pid}`) as string});
	});

	it('refuses a second run from the same wizard process until the first releases', () => {
		const first = acquireLock(state, config);
		expect('release' in first).toBe(true);
		expect(acquireLock(state, config)).toMatchObject({kind: 'locked', exitCode: 3});
		if ('release' in first) {
			first.release();
		}

		const again = acquireLock(state, config);
		expect('release' in again).toBe(true);
		if ('release' in again) {
			again.release();
		}
	});

	it('refuses another config in the same working directory, naming the holder and its config; takes none of its locks', async () => {
		const workdir = path.join(root, 'work');
		await mkdir(workdir, {recursive: true});
		const {child, result} = await otherWizard(config, [workdir]);
		expect(result).toBe(`acquired ${child.pid}`);

		const other = path.join(root, 'other', 'clusterConfig.yaml');
		await mkdir(path.dirname(other), {recursive: true});
		await writeFile(other, 'kind: ClusterConfig\n');
		const refused = acquireLock(state, other, [path.join(root, 'x', '..', 'work')]);
		expect(refused).toMatchObject({kind: 'locked', exitCode: 3});
		expect('message' in refused && refused.message).toBe(
			`Another addon-wizard (pid ${child.pid}) is already running in the working directory ${path.join(root, 'x', '..', 'work')} (against ${config}).`,
		);
		expect('hint' in refused && refused.hint).toContain(`addon-wizard attach -c ${config}`);
		// All or nothing: the config lock it took first was given back.
		expect(await lockFiles()).toHaveLength(2);
		const mine = acquireLock(state, other);
		expect('release' in mine).toBe(true);
		if ('release' in mine) {
			mine.release();
		}

		child.kill('SIGTERM');
		await exited(child);
		const now = acquireLock(state, other, [workdir]);
		expect('release' in now).toBe(true);
		if ('release' in now) {
			now.release();
		}
	});

	it('is one lock per file, whichever path leads to it; another config has its own', async () => {
		const linked = path.join(root, 'linked');
		await symlink(path.dirname(config), linked);
		const {child, result} = await otherWizard(path.join(linked, 'clusterConfig.yaml'));
		expect(result).toBe(`acquired ${child.pid}`);
		expect(acquireLock(state, config)).toMatchObject({kind: 'locked'});
		expect(acquireLock(state, path.join(root, 'offline', 'sample', '..', 'sample', 'clusterConfig.yaml'))).toMatchObject({kind: 'locked'});

		const other = path.join(root, 'other', 'clusterConfig.yaml');
		await mkdir(path.dirname(other), {recursive: true});
		await writeFile(other, 'kind: ClusterConfig\n');
		const lock = acquireLock(state, other);
		expect('release' in lock).toBe(true);
		if ('release' in lock) {
			lock.release();
		}
	});

	it('lets exactly one of two wizards replace a stale lock at the same moment', async () => {
		const {child} = await otherWizard(config);
		child.kill('SIGKILL');
		await exited(child);
		const results = await Promise.all([otherWizard(config), otherWizard(config)]);
		expect(results.filter(item => item.result.startsWith('acquired'))).toHaveLength(1);
		expect(results.filter(item => item.result.startsWith('locked'))).toHaveLength(1);
		expect(await lockFiles()).toHaveLength(1);
		// No draft or takeover claim is left behind.
		expect(await readdir(path.join(state, 'locks'))).toHaveLength(1);
	});

	// How two wizards once both won: one had created its lock file (O_EXCL) but not yet written its
	// pid into it; the other read the empty file as the lock of pid 0, judged it stale, removed it
	// and took its own. Here the first wizard is held at that moment: a live process, its lock file
	// created and still empty.
	it('never takes over a lock file another wizard is still writing', async () => {
		const file = await lockFileOf(config);
		const writer = await liveProcess();
		const handle = await open(file, 'wx', 0o600);
		try {
			expect(acquireLock(state, config)).toMatchObject({kind: 'locked', exitCode: 3});
			await handle.writeFile(`${writer.pid}\n${config}\n${processIdentity(writer.pid!) ?? ''}\n`);
		} finally {
			await handle.close();
		}

		// The writer's lock is the one in place, and it holds.
		expect((await readFile(file, 'utf8')).split('\n')[0]).toBe(String(writer.pid));
		const refused = acquireLock(state, config);
		expect('message' in refused && refused.message).toContain(`pid ${writer.pid}`);
	});

	it('takes over an unfinished lock file left long ago by a wizard that died writing it', async () => {
		const file = await lockFileOf(config);
		await writeFile(file, '');
		const longAgo = new Date(Date.now() - 60_000);
		await utimes(file, longAgo, longAgo);
		const lock = acquireLock(state, config);
		expect('release' in lock).toBe(true);
		expect((await readFile(file, 'utf8')).split('\n')[0]).toBe(String(process.pid));
		if ('release' in lock) {
			lock.release();
		}
	});

	// Of three wizards, A took over a stale lock, B (which had judged it stale too) moved A's fresh
	// lock aside and C took the empty place before B could put A's back: A and C both held it. Now a
	// stale lock is removed only under a claim on that very lock, so B waits while A holds it.
	it('leaves a stale lock alone while another live wizard is taking it over', async () => {
		const file = await lockFileOf(config);
		const stale = `${neverAlive}\n${config}\n\n`;
		await writeFile(file, stale);
		const taker = await liveProcess();
		const claim = `${file}.takeover-${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`;
		await writeFile(claim, `${taker.pid}\n${config}\n${processIdentity(taker.pid!) ?? ''}\n`);
		expect(acquireLock(state, config)).toMatchObject({kind: 'locked', exitCode: 3});
		expect(await readFile(file, 'utf8')).toBe(stale);
	});

	it('takes over a stale lock whose takeover claim was left by a wizard that died holding it', async () => {
		const file = await lockFileOf(config);
		const stale = `${neverAlive}\n${config}\n\n`;
		await writeFile(file, stale);
		const claim = `${file}.takeover-${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`;
		await writeFile(claim, `${neverAlive}\n${config}\n\n`);
		const lock = acquireLock(state, config);
		expect('release' in lock).toBe(true);
		expect((await readFile(file, 'utf8')).split('\n')[0]).toBe(String(process.pid));
		if ('release' in lock) {
			lock.release();
		}

		expect(await readdir(path.join(state, 'locks'))).toEqual([]);
	});

	it('never removes a lock that another wizard took over', async () => {
		const first = acquireLock(state, config);
		if (!('release' in first)) {
			throw new Error(first.message);
		}

		const [name] = await lockFiles();
		const file = path.join(state, 'locks', name!);
		const {child} = await otherWizard(config);
		// The other wizard's lock replaced ours (e.g. an operator removed ours by hand).
		await writeFile(file, `${child.pid}\n${config}\n${processIdentity(child.pid!) ?? ''}\n`);
		first.release();
		expect(existsSync(file)).toBe(true);
	});

	it('keeps the lock folder private (0700) and the lock file 0600', async () => {
		const lock = acquireLock(state, config);
		expect((await stat(path.join(state, 'locks'))).mode & 0o777).toBe(0o700);
		const [name] = await lockFiles();
		expect((await stat(path.join(state, 'locks', name!))).mode & 0o777).toBe(0o600);
		if ('release' in lock) {
			lock.release();
		}
	});
});

function record(overrides: Partial<RunRecord> = {}): RunRecord {
	return {
		wizardPid: process.pid,
		installerPid: 4242,
		configPath: config,
		logPath: path.join(state, 'logs', 'run-20261125-113402.log'),
		startedAt: 1_764_000_000_000,
		stepIndex: 1,
		stepId: 'integrate-arm64-1',
		packagePath: '/root/addon-offline-full-package-v0.9.5-arm64.tar.gz',
		status: 'failed',
		endedAt: 1_764_000_100_000,
		failure: {
			kind: 'registry-space-missing',
			space: 'localhost',
			message: 'Registry space "localhost" does not exist in the target registry.',
			hint: 'Create it.',
		},
		failedStepIndex: 1,
		plan: storedPlan(),
		...overrides,
	};
}

describe('run records', () => {
	it('reads back exactly what was written, found by its config path', async () => {
		const written = record();
		await writeRecord(state, written);
		expect(readRecord(recordPath(state, config))).toEqual(written);
		expect(findRecord(state, config)).toEqual(written);
		expect((await stat(recordPath(state, config))).mode & 0o777).toBe(0o600);
	});

	it('keeps one record per config, the latest write winning', async () => {
		await writeRecord(state, record({status: 'running', endedAt: undefined, failure: undefined}));
		await writeRecord(state, record({status: 'ok', failure: undefined, failedStepIndex: undefined}));
		expect(findRecord(state, config)).toMatchObject({status: 'ok'});
		expect(await readdir(path.join(state, 'runs'))).toHaveLength(1);
	});

	it('finds the newest run when no config is named (attach without -c)', async () => {
		const other = path.join(root, 'other.yaml');
		await writeRecord(state, record({startedAt: 1000}));
		await writeRecord(state, record({configPath: other, startedAt: 2000, stepId: 'cluster-create'}));
		expect(findRecord(state)).toMatchObject({configPath: other, stepId: 'cluster-create'});
		expect(findRecord(state, config)).toMatchObject({startedAt: 1000});
	});

	it('returns undefined for no record, and skips a damaged one', async () => {
		expect(findRecord(state)).toBeUndefined();
		expect(findRecord(state, config)).toBeUndefined();
		await writeRecord(state, record({startedAt: 1000}));
		await writeFile(path.join(state, 'runs', 'garbage.json'), '{"wizardPid": 1, trunc');
		expect(readRecord(path.join(state, 'runs', 'garbage.json'))).toBeUndefined();
		expect(findRecord(state)).toMatchObject({startedAt: 1000});
	});
});
