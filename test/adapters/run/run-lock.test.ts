// One run per clusterConfig.yaml and one installer per working directory, for every operator on
// the host. An operator sees these as: "another addon-wizard is already running ... user, pid,
// command, since" (exit 3) instead of two installers fighting over one working directory, no false
// alarm after a crash or reboot, and a line saying a stale lock was taken over. Real processes:
// other wizards are Node processes taking the same locks; installers are scripts named like one.
import {spawn, type ChildProcess} from 'node:child_process';
import {createHash} from 'node:crypto';
import {existsSync} from 'node:fs';
import {chmod, mkdir, mkdtemp, open, readdir, readFile, rm, stat, symlink, utimes, writeFile} from 'node:fs/promises';
import {hostname, tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {afterAll, afterEach, beforeEach, describe, expect, it} from 'vitest';
import {processIdentity} from '../../../source/adapters/host/process-identity.js';
import {configLockFile, holderText, parseHolder, workdirLockFile} from '../../../source/adapters/run/lock-holder-file.js';
import {acquireRunLock, acquireWorkdirLock, type LockOwner} from '../../../source/adapters/run/run-lock.js';
import type {RunRecord} from '../../../source/adapters/run/run-record.js';
import type {LockHolder} from '../../../source/domain/run/lock-holder.js';
import type {Lock} from '../../../source/workflow/ports/run-record-port.js';
import type {WizardError} from '../../../source/domain/shared/wizard-error.js';
import {repoRoot} from '../../helpers/cluster-fixture.js';
import {storedPlan} from '../../helpers/stored-plan.js';

let root: string;
let state: string;
let config: string;
let workdir: string;
const children: ChildProcess[] = [];
const roots: string[] = [];

beforeEach(async () => {
	root = await mkdtemp(path.join(tmpdir(), 'run-lock-'));
	roots.push(root);
	state = path.join(root, 'state');
	config = path.join(root, 'offline', 'sample', 'clusterConfig.yaml');
	workdir = path.join(root, 'work');
	await mkdir(path.dirname(config), {recursive: true});
	await mkdir(workdir, {recursive: true});
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

const owner = (configPath = config): LockOwner => ({
	configPath,
	recordPath: path.join(state, 'runs', 'x.json'),
	command: 'addon-wizard run --yes -c clusterConfig.yaml',
});

function lock(configPath = config, workdirs: string[] = [], mask = (text: string) => text): Lock | WizardError {
	return acquireRunLock({owner: owner(configPath), workdirs, installerNames: ['dce5-installer'], logPath: '/var/log/run.log', mask});
}

function held(result: Lock | WizardError): Lock {
	if ('exitCode' in result) {
		throw new Error(result.message);
	}

	return result;
}

const lockFilesIn = async (dir: string) => (await readdir(dir)).filter(name => name.includes('.lock'));

/** Another addon-wizard: a Node process that takes the locks for `configPath` (and `workdirs`) and reports the result. */
function otherWizard(configPath: string, workdirs: string[] = []): Promise<{child: ChildProcess; result: string}> {
	const module = JSON.stringify(path.join(repoRoot, 'source', 'adapters', 'run', 'run-lock.ts'));
	const request = {owner: owner(configPath), workdirs, installerNames: ['dce5-installer'], logPath: '/var/log/other.log'};
	const source = `import {acquireRunLock} from ${module};
const lock = acquireRunLock({...${JSON.stringify(request)}, mask: text => text});
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

async function liveProcess(command = 'sleep', args = ['60'], cwd?: string): Promise<ChildProcess> {
	const child = spawn(command, args, {stdio: 'ignore', cwd});
	children.push(child);
	await new Promise((resolve, reject) => {
		child.once('spawn', resolve);
		child.once('error', reject);
	});
	return child;
}

/** Above Linux's pid_max (2^22): never alive. */
const neverAlive = 4_194_305;

function holder(overrides: Partial<LockHolder> = {}): LockHolder {
	return {
		pid: neverAlive,
		user: 'alice',
		uid: 1001,
		host: hostname(),
		command: 'addon-wizard run --yes',
		since: Date.now() - 60_000,
		configPath: config,
		recordPath: path.join(root, 'alice', 'runs', 'x.json'),
		...overrides,
	};
}

async function exited(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) {
		return;
	}

	await new Promise(resolve => {
		child.once('exit', resolve);
	});
}

describe('acquireRunLock', () => {
	it('refuses a second run while another wizard holds the lock, naming who, which pid, which command, since when, and what to do', async () => {
		const {child, result} = await otherWizard(config, [workdir]);
		expect(result).toBe(`acquired ${child.pid}`);

		const second = lock(config, [workdir]);
		expect(second).toMatchObject({kind: 'locked', exitCode: 3});
		const {message, hint} = second as WizardError;
		expect(message).toMatch(
			new RegExp(
				`^Another addon-wizard is already running against ${config}: user \\S+ \\(uid \\d+\\), pid ${child.pid} on \\S+, since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC \\(0:0\\d ago\\): addon-wizard run --yes -c clusterConfig.yaml\\.$`,
			),
		);
		expect(hint).toContain(`addon-wizard attach -c ${config}`);
		expect(hint).toContain(`addon-wizard status -c ${config}`);
		expect(hint).toContain('/var/log/other.log');

		child.kill('SIGTERM');
		await exited(child);
		held(lock(config, [workdir])).release();
	});

	it('puts the locks in the working directory and beside the real config, readable by everyone (0644 whatever the umask), naming the run', async () => {
		const previous = process.umask(0o077);
		try {
			const taken = held(lock(config, [workdir], text => text.replaceAll('Harbor12345', '********')));
			expect(await lockFilesIn(workdir)).toEqual(['.addon-wizard.lock']);
			expect(await lockFilesIn(path.dirname(config))).toEqual(['.clusterConfig.yaml.addon-wizard.lock']);
			for (const file of [workdirLockFile(workdir), configLockFile(config)]) {
				expect((await stat(file)).mode & 0o777).toBe(0o644);
				expect(parseHolder(await readFile(file, 'utf8'))).toMatchObject({
					pid: process.pid,
					uid: process.getuid!(),
					configPath: config,
					recordPath: path.join(state, 'runs', 'x.json'),
					logPath: '/var/log/run.log',
				});
			}

			taken.release();
			expect(await lockFilesIn(workdir)).toEqual([]);
			expect(await lockFilesIn(path.dirname(config))).toEqual([]);
		} finally {
			process.umask(previous);
		}
	});

	it('takes over the lock of a wizard that crashed (dead pid) and says whose it was', async () => {
		const {child} = await otherWizard(config, [workdir]);
		child.kill('SIGKILL');
		await exited(child);
		expect(await lockFilesIn(workdir)).toHaveLength(1);

		const taken = held(lock(config, [workdir]));
		expect(taken.notices).toHaveLength(2);
		expect(taken.notices![1]).toMatch(
			new RegExp(
				`^took over the stale lock ${workdirLockFile(workdir)}: its holder is no longer running \\(user \\S+ \\(uid \\d+\\), pid ${child.pid} on `,
			),
		);
		expect(parseHolder(await readFile(workdirLockFile(workdir), 'utf8'))?.pid).toBe(process.pid);
		taken.release();
		expect(await lockFilesIn(workdir)).toEqual([]);
	});

	it('refuses while the installer of a killed wizard still imports, naming that installer, and takes over once it is gone', async () => {
		const {child, result} = await otherWizard(config);
		const wizardPid = Number(result.split(' ')[1]);
		const installer = spawn('sleep', ['600'], {detached: true, stdio: 'ignore'});
		children.push(installer);
		await mkdir(path.join(state, 'runs'), {recursive: true});
		await writeFile(owner().recordPath, JSON.stringify(record({wizardPid, installerPid: installer.pid})));
		child.kill('SIGKILL');
		await exited(child);

		const refused = lock();
		expect(refused).toMatchObject({kind: 'locked', exitCode: 3});
		expect((refused as WizardError).message).toContain(
			`The installer (pid ${installer.pid}) started by an earlier addon-wizard (pid ${wizardPid} of user`,
		);

		installer.kill('SIGKILL');
		await exited(installer);
		held(lock()).release();
	});

	it('refuses while an installer runs in the working directory, found among the host processes, its wizard or lock nowhere', async () => {
		const installer = path.join(root, 'bin', 'dce5-installer');
		await mkdir(path.dirname(installer), {recursive: true});
		await writeFile(installer, '#!/bin/sh\nsleep 60\n');
		await chmod(installer, 0o755);
		const running = await liveProcess(installer, ['import', '-addon'], workdir);

		const refused = lock(config, [workdir]);
		expect(refused).toMatchObject({kind: 'locked', exitCode: 3});
		expect((refused as WizardError).message).toContain(`pid ${running.pid} of user`);
		expect((refused as WizardError).message).toContain(`(works in ${workdir})`);
		expect(await lockFilesIn(workdir)).toEqual([]);
	});

	it('refuses while an installer elsewhere names the same config in its arguments', async () => {
		const installer = path.join(root, 'bin', 'dce5-installer');
		await mkdir(path.dirname(installer), {recursive: true});
		await writeFile(installer, '#!/bin/sh\nsleep 60\n');
		await chmod(installer, 0o755);
		const running = await liveProcess(installer, ['import', '-addon', '-c', config, '--addon-path=/x.tar.gz'], root);

		const refused = lock(config, [workdir]);
		expect((refused as WizardError).message).toContain(`pid ${running.pid} of user`);
		expect((refused as WizardError).message).toContain(`its arguments name ${config}`);
	});

	it('takes over a lock from before a reboot whose pid now belongs to another program', async () => {
		const unrelated = await liveProcess();
		await writeFile(configLockFile(config), holderText(holder({pid: unrelated.pid!, identity: 'old-boot-id:12345'})));
		expect(processIdentity(unrelated.pid!)).toBeDefined();
		const taken = held(lock());
		expect(taken.notices?.[0]).toContain(`pid ${unrelated.pid}`);
		taken.release();
	});

	it('takes over a lock file that is not a lock at all (damaged), saying so', async () => {
		await writeFile(configLockFile(config), 'garbage\n');
		const taken = held(lock());
		expect(taken.notices).toEqual([
			`took over the lock ${configLockFile(config)}: it was left unfinished or unreadable by a wizard that is gone.`,
		]);
		taken.release();
	});

	it('counts a lock written on another host (a shared folder) as held: it cannot be checked from here', async () => {
		await writeFile(workdirLockFile(workdir), holderText(holder({host: 'other-jump-host'})));
		const refused = lock(config, [workdir]);
		expect((refused as WizardError).message).toContain('It runs on another host (other-jump-host)');
	});

	it('refuses a second run from the same wizard process until the first releases', () => {
		const first = held(lock());
		expect(lock()).toMatchObject({kind: 'locked', exitCode: 3});
		first.release();
		held(lock()).release();
	});

	it('refuses another config in the same working directory, naming the holder and its config; takes none of its locks', async () => {
		const {child, result} = await otherWizard(config, [workdir]);
		expect(result).toBe(`acquired ${child.pid}`);
		const other = path.join(root, 'other', 'clusterConfig.yaml');
		await mkdir(path.dirname(other), {recursive: true});
		await writeFile(other, 'kind: ClusterConfig\n');

		const refused = lock(other, [path.join(root, 'x', '..', 'work')]);
		expect((refused as WizardError).message).toMatch(
			new RegExp(
				`^Another addon-wizard is already running in the working directory ${path.join(root, 'x', '..', 'work')} \\(against ${config}\\): user `,
			),
		);
		// All or nothing: the config lock it took first was given back.
		expect(await lockFilesIn(path.dirname(other))).toEqual([]);
		held(lock(other)).release();
	});

	it('is one lock per file, whichever path leads to it', async () => {
		const linked = path.join(root, 'linked');
		await symlink(path.dirname(config), linked);
		const {result} = await otherWizard(path.join(linked, 'clusterConfig.yaml'));
		expect(result).toMatch(/^acquired/);
		expect(lock(config)).toMatchObject({kind: 'locked'});
		expect(lock(path.join(root, 'offline', 'sample', '..', 'sample', 'clusterConfig.yaml'))).toMatchObject({kind: 'locked'});
	});

	it('lets exactly one of two wizards replace a stale lock at the same moment', async () => {
		const {child} = await otherWizard(config, [workdir]);
		child.kill('SIGKILL');
		await exited(child);
		const results = await Promise.all([otherWizard(config, [workdir]), otherWizard(config, [workdir])]);
		expect(results.filter(item => item.result.startsWith('acquired'))).toHaveLength(1);
		expect(results.filter(item => item.result.startsWith('locked'))).toHaveLength(1);
		// No draft or takeover claim is left behind.
		expect(await lockFilesIn(workdir)).toEqual(['.addon-wizard.lock']);
		expect(await lockFilesIn(path.dirname(config))).toEqual(['.clusterConfig.yaml.addon-wizard.lock']);
	});

	// How two wizards once both won: one had created its lock file (O_EXCL) but not yet written
	// into it; the other read the empty file as stale, removed it and took its own.
	it('never takes over a lock file another wizard is still writing', async () => {
		const file = configLockFile(config);
		const writer = await liveProcess();
		const handle = await open(file, 'wx', 0o644);
		try {
			expect(lock()).toMatchObject({kind: 'locked', exitCode: 3});
			await handle.writeFile(holderText(holder({pid: writer.pid!, identity: processIdentity(writer.pid!)})));
		} finally {
			await handle.close();
		}

		expect((lock() as WizardError).message).toContain(`pid ${writer.pid}`);
	});

	it('takes over an unfinished lock file left long ago by a wizard that died writing it', async () => {
		const file = configLockFile(config);
		await writeFile(file, '');
		const longAgo = new Date(Date.now() - 60_000);
		await utimes(file, longAgo, longAgo);
		const taken = held(lock());
		expect(parseHolder(await readFile(file, 'utf8'))?.pid).toBe(process.pid);
		taken.release();
	});

	// Of three wizards, A took over a stale lock, B (which had judged it stale too) moved A's fresh
	// lock aside and C took the empty place: A and C both held it. A stale lock is removed only under
	// a claim on that very lock, so B waits while A holds it.
	it('leaves a stale lock alone while another live wizard is taking it over', async () => {
		const file = configLockFile(config);
		const stale = holderText(holder());
		await writeFile(file, stale);
		const taker = await liveProcess();
		const claim = `${file}.takeover-${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`;
		await writeFile(claim, holderText(holder({pid: taker.pid!, identity: processIdentity(taker.pid!)})));
		expect(lock()).toMatchObject({kind: 'locked', exitCode: 3});
		expect(await readFile(file, 'utf8')).toBe(stale);
	});

	it('takes over a stale lock whose takeover claim was left by a wizard that died holding it', async () => {
		const file = configLockFile(config);
		const stale = holderText(holder());
		await writeFile(file, stale);
		const claim = `${file}.takeover-${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`;
		await writeFile(claim, holderText(holder({user: 'bob'})));
		const taken = held(lock());
		expect(parseHolder(await readFile(file, 'utf8'))?.pid).toBe(process.pid);
		taken.release();
		expect(await lockFilesIn(path.dirname(config))).toEqual([]);
	});

	it('never removes a lock that another wizard took over', async () => {
		const first = held(lock());
		const {child} = await otherWizard(path.join(root, 'elsewhere.yaml'));
		// The other wizard's lock replaced ours (e.g. an operator removed ours by hand).
		await writeFile(configLockFile(config), holderText(holder({pid: child.pid!, identity: processIdentity(child.pid!)})));
		first.release();
		expect(existsSync(configLockFile(config))).toBe(true);
	});

	it('takes the working directory alone for a clean-up, refused while a run holds it', async () => {
		const {child} = await otherWizard(config, [workdir]);
		expect(acquireWorkdirLock(workdir, owner())).toMatchObject({
			kind: 'locked',
			message: expect.stringContaining(`pid ${child.pid}`) as string,
		});
		child.kill('SIGTERM');
		await exited(child);
		held(acquireWorkdirLock(workdir, owner())).release();
	});
});

function record(overrides: Partial<RunRecord>): RunRecord {
	return {
		wizardPid: process.pid,
		configPath: config,
		logPath: path.join(state, 'logs', 'run.log'),
		startedAt: 1_764_000_000_000,
		stepIndex: 0,
		stepId: 'import-amd64-0',
		packagePath: '/root/addon-offline-full-package-v0.9.5-amd64.tar.gz',
		status: 'running',
		plan: storedPlan(),
		...overrides,
	};
}
