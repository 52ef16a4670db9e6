// The installer as a real child process: what reaches it, what comes back, and how it is stopped.
// Each case is something an operator would see: a package path that arrives mangled, a wrong
// failure cause, an installer (or its helper) still running after "stopped", lost output lines.
import {execFile, spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {openCaptureReader} from '../../../source/adapters/run/capture-tail.js';
import {removeCapture, spawnInstaller} from '../../../source/adapters/run/installer-process.js';
import {processControl} from '../../../source/adapters/host/process-control.js';
import {pumpCapture} from '../../../source/workflow/run/watch/step-monitor.js';
import type {InstallerProcess, ProcessExit} from '../../../source/workflow/ports/installer-port.js';
import {classifyFailure} from '../../../source/domain/run/installer-output.js';
import {makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';

type Captured = {lines: Array<{stream: 'stdout' | 'stderr'; line: string}>; batches: number};

let dir: string;
beforeAll(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'installer-process-'));
});
afterAll(async () => {
	await rm(dir, {recursive: true, force: true});
});

/** A Node script with a shebang and the x bit: the "installer" for one test. */
async function script(name: string, body: string): Promise<string> {
	const file = path.join(dir, name);
	await mkdir(path.dirname(file), {recursive: true});
	await writeFile(file, `#!${process.execPath}\n'use strict';\n${body}\n`);
	await chmod(file, 0o755);
	return file;
}

type StartOptions = {
	cwd?: string;
	env?: Record<string, string | undefined>;
	captureDir?: string;
	pollMs?: number;
	graceMs?: number;
	onLines?(stream: 'stdout' | 'stderr', lines: string[]): void;
};

type Started = {pid?: number; exited: Promise<ProcessExit>; stop(): Promise<void>};

/**
 * The installer as the run starts and reads it: spawned into capture files, both files pumped the
 * way the step monitor pumps them, the capture removed once read, stopped by the one group stopper.
 */
function start(argv: string[], options: StartOptions = {}): Started & Captured {
	const captured: Captured = {lines: [], batches: 0};
	const onLines =
		options.onLines ??
		((stream: 'stdout' | 'stderr', lines: string[]) => {
			captured.batches++;
			captured.lines.push(...lines.map(line => ({stream, line})));
		});
	const child: InstallerProcess = spawnInstaller({
		argv,
		cwd: options.cwd ?? dir,
		env: options.env,
		captureDir: options.captureDir ?? path.join(dir, 'capture'),
	});
	let exited = child.exited;
	if (child.capture) {
		const files = child.capture;
		const readers = (['stdout', 'stderr'] as const).map(stream =>
			openCaptureReader(files[stream], stream, lines => onLines(stream, lines)),
		);
		const pump = pumpCapture(readers, () => performance.now(), options.pollMs);
		exited = child.exited.then(async exit => {
			await pump.stop();
			removeCapture(files);
			return exit;
		});
	}

	let done = false;
	void exited.then(() => {
		done = true;
	});
	return Object.assign(captured, {
		pid: child.pid,
		exited,
		async stop() {
			if (child.pid !== undefined && !done) {
				await processControl.stopGroup(child.pid, options.graceMs ?? 200);
			}
		},
	});
}

const text = (captured: Captured, stream: 'stdout' | 'stderr' = 'stdout') =>
	captured.lines.filter(item => item.stream === stream).map(item => item.line);

/** Live (non-zombie) members of process group `pgid`; a reparented orphan may linger as a zombie. */
async function liveInGroup(pgid: number): Promise<string[]> {
	const out = await new Promise<string>(resolve => {
		execFile('ps', ['-o', 'pid=,stat=,args=', '-g', String(pgid)], (_error, stdout) => resolve(stdout));
	});
	return out
		.split('\n')
		.map(line => line.trim())
		.filter(line => line !== '' && !/^\d+ Z/.test(line));
}

async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
	const deadline = Date.now() + ms;
	while (!(await check())) {
		if (Date.now() > deadline) {
			throw new Error('timed out waiting');
		}

		await delay(20);
	}
}

describe('spawnInstaller: arguments', () => {
	it('hands every argument to the installer byte for byte, with no shell in between', async () => {
		const marker = path.join(dir, 'shell-ran');
		const out = path.join(dir, 'argv.json');
		const installer = await script(
			'dir with spaces/dce5 installer',
			`require('node:fs').writeFileSync(process.env.ARGV_OUT, JSON.stringify({argv: process.argv.slice(2), cwd: process.cwd()}));`,
		);
		const args = [
			'cluster-create',
			'-c',
			'/root/my offline/clusterConfig.yaml',
			`--addon-path=/root/it's "quoted"/pkg.tar.gz`,
			`$(touch ${marker})`,
			`\`touch ${marker}\``,
			`; touch ${marker}`,
			'软件包-v0.9.5-amd64.tar.gz',
			'line one\nline two',
			'*',
			'',
			'  leading and trailing  ',
			'$HOME',
		];
		const child = start([installer, ...args], {env: {ARGV_OUT: out}});
		expect(await child.exited).toEqual({exitCode: 0, signal: undefined});
		expect(JSON.parse(await readFile(out, 'utf8'))).toEqual({argv: args, cwd: dir});
		expect(existsSync(marker)).toBe(false);
	});

	it("gives the installer exactly the environment passed, nothing of the wizard's", async () => {
		const installer = await script('env', 'console.log(JSON.stringify(process.env));');
		const child = start([installer], {env: {ONLY: 'this', PATH: '/usr/bin:/bin'}});
		await child.exited;
		const env = JSON.parse(text(child).join('')) as Record<string, string>;
		expect(env['ONLY']).toBe('this');
		expect(env['HOME']).toBeUndefined();
	});

	it('closes stdin so a prompt can never wait for input', async () => {
		const installer = await script(
			'prompt',
			`process.stdout.write('Continue? [y/N] ');
process.stdin.on('data', () => {}).on('end', () => { console.log('stdin closed'); });`,
		);
		const child = start([installer]);
		expect(await child.exited).toEqual({exitCode: 0, signal: undefined});
		expect(text(child)).toEqual(['Continue? [y/N] stdin closed']);
	});
});

describe('spawnInstaller: exit', () => {
	it.each([0, 1, 2, 42, 255])('reports exit status %i exactly', async code => {
		const installer = await script(`exit-${code}`, `process.exitCode = ${code};`);
		expect(await start([installer]).exited).toEqual({exitCode: code, signal: undefined});
	});

	it.each(['SIGTERM', 'SIGKILL', 'SIGSEGV'])('reports death by %s as the signal, not a status', async signal => {
		const installer = await script(`die-${signal}`, `console.log('about to die'); process.kill(process.pid, '${signal}');`);
		const child = start([installer]);
		expect(await child.exited).toEqual({exitCode: undefined, signal});
		expect(text(child)).toEqual(['about to die']);
	});

	it('delivers the last line even without a final newline, and splits CRLF and both streams', async () => {
		const installer = await script(
			'lines',
			`process.stdout.write('one\\r\\ntwo\\n');
process.stderr.write('[Error]:[Error] import addon failed\\n');
process.stdout.write('no newline at the end');`,
		);
		const child = start([installer]);
		await child.exited;
		expect(text(child)).toEqual(['one', 'two', 'no newline at the end']);
		expect(text(child, 'stderr')).toEqual(['[Error]:[Error] import addon failed']);
	});

	it('keeps a UTF-8 character whole when it is split between two pipe chunks', async () => {
		const installer = await script(
			'utf8',
			`const bytes = Buffer.from('镜像推送完成 ✓\\n');
process.stdout.write(bytes.subarray(0, 4));
setTimeout(() => process.stdout.write(bytes.subarray(4)), 100);`,
		);
		const child = start([installer]);
		await child.exited;
		expect(text(child)).toEqual(['镜像推送完成 ✓']);
	});
});

describe('spawnInstaller: an installer that cannot start', () => {
	const cause = (exit: Awaited<InstallerProcess['exited']>, installerPath: string) =>
		classifyFailure({...exit, installerPath, cwd: dir, errorLines: []});

	it('reports a missing installer as ENOENT: "installer-missing"', async () => {
		const missing = path.join(dir, 'nowhere', 'dce5-installer');
		const child = start([missing, 'cluster-create']);
		const exit = await child.exited;
		expect(exit).toMatchObject({spawnError: 'ENOENT'});
		expect(cause(exit, missing)).toMatchObject({kind: 'installer-missing', path: missing});
	});

	it('reports an installer without the x bit as EACCES: "installer-not-executable" with chmod +x', async () => {
		const installer = path.join(dir, 'no-x-bit');
		await writeFile(installer, `#!${process.execPath}\nconsole.log('ran')\n`);
		await chmod(installer, 0o644);
		const child = start([installer]);
		const exit = await child.exited;
		expect(exit).toMatchObject({spawnError: 'EACCES'});
		expect(child.lines).toEqual([]);
		const failure = cause(exit, installer);
		expect(failure).toMatchObject({kind: 'installer-not-executable', path: installer});
		expect(failure.hint).toContain(`chmod +x ${installer}`);
	});

	const foreign = process.arch === 'arm64' ? {machine: 62, name: 'x86_64'} : {machine: 183, name: 'aarch64'};
	it.each([
		// Would run `touch <marker>` if handed to /bin/sh, as Node does with an ENOEXEC file.
		[
			'garbage bytes',
			(marker: string) => Buffer.concat([Buffer.from([0x01, 0x02, 0xff, 0xfe, 0x0a]), Buffer.from(`touch ${marker}\n`)]),
			'not a program',
		],
		// /bin/sh would run an empty script and exit 0: a failed download would "succeed".
		['an empty file', () => Buffer.alloc(0), 'not a program'],
		// An ELF header for a CPU this host is not: what a wrong-arch download of dce5-installer looks like.
		[
			'a binary for another CPU',
			(marker: string) => Buffer.concat([elfHeader(foreign.machine), Buffer.from(`\ntouch ${marker}\n`)]),
			`an ${foreign.name} binary on this ${process.arch} machine`,
		],
	])('reports %s with the x bit as ENOEXEC ("wrong architecture"), never running it through /bin/sh', async (name, bytes, detail) => {
		const installer = path.join(dir, `noexec-${name.replaceAll(' ', '-')}`);
		const marker = `${installer}.shell-ran`;
		await writeFile(installer, bytes(marker));
		await chmod(installer, 0o755);
		const child = start([installer, 'cluster-create']);
		const exit = await child.exited;
		expect(exit).toEqual({spawnError: 'ENOEXEC', spawnDetail: expect.stringContaining(detail) as string});
		expect(child.pid).toBeUndefined();
		expect(child.lines).toEqual([]);
		expect(existsSync(marker)).toBe(false);
		const failure = cause(exit, installer);
		expect(failure.kind).toBe('installer-cannot-run');
		expect(failure.message).toContain('wrong architecture');
		expect(failure.message).toContain(detail);
		expect(failure.hint).toContain('uname -m');
	});

	it('checks a relative installer path from the working directory the installer runs in', async () => {
		await mkdir(path.join(dir, 'sub'), {recursive: true});
		await writeFile(path.join(dir, 'sub', 'garbage'), Buffer.from([0x01, 0x02, 0x0a]));
		await chmod(path.join(dir, 'sub', 'garbage'), 0o755);
		const exit = await start(['./garbage'], {cwd: path.join(dir, 'sub')}).exited;
		expect(exit).toMatchObject({spawnError: 'ENOEXEC'});
	});

	it('still runs an ELF binary built for this machine', async () => {
		const child = start([process.execPath, '-e', 'console.log(process.arch)']);
		expect(await child.exited).toEqual({exitCode: 0, signal: undefined});
		expect(text(child)).toEqual([process.arch]);
	});

	it('still runs a script whose shebang names its interpreter', async () => {
		const installer = await script('shebang-ok', 'console.log("fine")');
		const child = start([installer]);
		expect(await child.exited).toEqual({exitCode: 0, signal: undefined});
		expect(text(child)).toEqual(['fine']);
	});
});

/** 64-byte little-endian ELF64 header with e_machine `machine`. */
function elfHeader(machine: number): Buffer {
	const header = Buffer.alloc(64);
	header.write('\u007FELF', 0, 'latin1');
	header[4] = 2; // ELFCLASS64
	header[5] = 1; // little-endian
	header[6] = 1;
	header.writeUInt16LE(2, 16); // ET_EXEC
	header.writeUInt16LE(machine, 18);
	return header;
}

describe('spawnInstaller: stop()', () => {
	it('escalates SIGINT, SIGTERM, SIGKILL for an installer (and its helper) that ignore the first two', async () => {
		const helper = await script(
			'stubborn-helper',
			`process.on('SIGINT', () => {}); process.on('SIGTERM', () => {});
console.log('helper ' + process.pid); setInterval(() => {}, 1000);`,
		);
		const installer = await script(
			'stubborn',
			`for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => console.log('got ' + signal));
const helper = require('node:child_process').spawn(${JSON.stringify(helper)}, {stdio: ['ignore', 'inherit', 'inherit']});
setInterval(() => {}, 1000);`,
		);
		const child = start([installer]);
		await waitFor(() => text(child).some(line => line.startsWith('helper ')));
		const helperPid = Number(
			text(child)
				.find(line => line.startsWith('helper '))!
				.split(' ')[1],
		);
		expect(await liveInGroup(child.pid!)).toHaveLength(2);

		const began = Date.now();
		await child.stop();
		const took = Date.now() - began;
		expect(await child.exited).toEqual({exitCode: undefined, signal: 'SIGKILL'});
		expect(text(child).filter(line => line.startsWith('got '))).toEqual(['got SIGINT', 'got SIGTERM']);
		expect(took).toBeGreaterThanOrEqual(2 * 200 - 20);
		expect(took).toBeLessThan(5000);
		expect(await liveInGroup(child.pid!)).toEqual([]);
		await waitFor(async () => (await liveInGroup(helperPid)).length === 0 && !(await isLive(helperPid)));
	});

	it('leaves no process of the group behind when the installer obeys SIGINT but its helper would not be told', async () => {
		const {child, members} = await simulatorWithHelper();
		expect(members.some(line => line.endsWith('sleep 600'))).toBe(true);

		await child.stop();
		expect(await child.exited).toEqual({exitCode: undefined, signal: 'SIGINT'});
		await waitFor(async () => (await liveInGroup(child.pid!)).length === 0, 5000);
		for (const line of members) {
			expect(await isLive(Number(line.split(' ')[0]))).toBe(false);
		}
	});

	it('kills the helpers a dead installer left behind, even without stop()', async () => {
		const {child, members} = await simulatorWithHelper();
		expect(members).toHaveLength(2);
		// Something outside the wizard (the OOM killer, an operator's kill) takes only the leader down.
		process.kill(child.pid!, 'SIGKILL');
		expect(await child.exited).toEqual({exitCode: undefined, signal: 'SIGKILL'});
		await waitFor(async () => (await liveInGroup(child.pid!)).length === 0, 5000);
	});

	it('returns at once for an installer that already exited', async () => {
		const installer = await script('quick', 'console.log("done")');
		const child = start([installer]);
		await child.exited;
		const began = Date.now();
		await child.stop();
		expect(Date.now() - began).toBeLessThan(150);
	});
});

describe('spawnInstaller: heavy output', () => {
	it('delivers all 200 000 lines of a flooding installer, in order, in batches', async () => {
		const f = await simulatorFixture();
		const lines = 200_000;
		let flood = 0;
		let outOfOrder = 0;
		let batches = 0;
		const child = start(
			[path.join(f.home, 'dce5-installer'), 'import', '-addon', '-c', f.configPath, `--addon-path=${f.packages[0]!.path}`],
			{
				cwd: f.workdir,
				env: {...f.env, DCE5_SIM_FLOOD: String(lines)},
				onLines(_stream, batch) {
					batches++;
					for (const line of batch) {
						const match = / flood line for throughput measurement \.+ (\d+)$/.exec(line);
						if (match) {
							outOfOrder += Number(match[1]) === flood ? 0 : 1;
							flood++;
						}
					}
				},
			},
		);
		expect(await child.exited).toEqual({exitCode: 0, signal: undefined});
		expect(flood).toBe(lines);
		expect(outOfOrder).toBe(0);
		expect(batches).toBeGreaterThan(10);
		expect(batches).toBeLessThan(lines / 10);
	});
});

describe('spawnInstaller: a backlog left when the installer exits', () => {
	it('is worked off a few MB per turn, so the screen keeps drawing while the last lines come in', async () => {
		// 32 MB written at once, then exit: all of it is read after the installer has gone.
		const installer = await script(
			'burst-then-exit.js',
			`
const line = 'I1125 17:05:06.964000    21430 sync.go:120] burst line for the backlog test ...............\\n';
process.stdout.write(line.repeat(Math.ceil((32 << 20) / line.length)));`,
		);
		let turns = 0;
		const ticker = setInterval(() => {
			turns++;
		}, 1);
		const turnOfBatch: number[] = [];
		try {
			const child = start([installer], {
				onLines() {
					turnOfBatch.push(turns);
				},
			});
			expect(await child.exited).toEqual({exitCode: 0, signal: undefined});
		} finally {
			clearInterval(ticker);
		}

		// Read in one go, every batch would land within one turn of the event loop.
		expect(new Set(turnOfBatch).size).toBeGreaterThanOrEqual(3);
	});
});

describe('spawnInstaller: output capture', () => {
	it('sends output to private capture files (0600) while it runs and removes them once read', async () => {
		const captureDir = path.join(dir, 'capture-private');
		const file = await script(
			'slow-talker.js',
			`console.log('first'); console.error('oops'); setTimeout(() => console.log('second'), 300);`,
		);
		const child = start([file], {captureDir, pollMs: 10});
		await waitFor(() => child.lines.length >= 2);
		const files = await readdir(captureDir);
		expect(files.sort().map(name => name.replace(/^installer-\d+-[\da-f]+/, 'X'))).toEqual(['X.err', 'X.out']);
		for (const name of files) {
			expect((await stat(path.join(captureDir, name))).mode & 0o777).toBe(0o600);
		}

		expect((await stat(captureDir)).mode & 0o777).toBe(0o700);
		expect(await child.exited).toEqual({exitCode: 0, signal: undefined});
		expect(text(child)).toEqual(['first', 'second']);
		expect(text(child, 'stderr')).toEqual(['oops']);
		expect(await readdir(captureDir)).toEqual([]);
	});

	it("removes capture files a dead wizard left a day ago, but not a live wizard's, nor a recent one an orphan installer may still write", async () => {
		const captureDir = path.join(dir, 'capture-stale');
		await mkdir(captureDir, {recursive: true});
		// pid 2^22+1 is above Linux's pid_max: never alive.
		const stale = path.join(captureDir, 'installer-4194305-abcdef.out');
		const recent = path.join(captureDir, 'installer-4194305-fedcba.out');
		const live = path.join(captureDir, `installer-${process.pid}-abcdef.out`);
		await writeFile(stale, 'old output');
		await writeFile(recent, 'an installer whose wizard died an hour ago');
		await writeFile(live, 'a run in progress');
		const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
		await utimes(stale, dayAgo, dayAgo);
		const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
		await utimes(recent, hourAgo, hourAgo);
		const file = await script('quiet.js', '');
		const child = start([file], {captureDir});
		await child.exited;
		expect(existsSync(stale)).toBe(false);
		expect(existsSync(recent)).toBe(true);
		expect(existsSync(live)).toBe(true);
	});

	it('keeps the installer running to the end when the wizard is killed mid-run (no SIGPIPE)', async () => {
		const f = await simulatorFixture();
		const wizardLike = await script(
			'wizard-like.mjs',
			`
			const {spawnInstaller} = await import(${JSON.stringify(path.resolve('source/adapters/run/installer-process.ts'))});
			const child = spawnInstaller({argv: process.argv.slice(2), cwd: ${JSON.stringify(f.workdir)}, captureDir: ${JSON.stringify(path.join(dir, 'capture-killed'))}});
			console.log('installer-pid', child.pid);
			setInterval(() => {}, 1000);
		`,
		);
		// One process (not the tsx wrapper, whose child would outlive the kill) plays the wizard.
		const wizard = spawn(
			process.execPath,
			[
				'--import',
				'tsx',
				wizardLike,
				path.join(f.home, 'dce5-installer'),
				'import',
				'-addon',
				'-c',
				f.configPath,
				`--addon-path=${f.packages[0]!.path}`,
			],
			{
				env: {...process.env, ...f.env, DCE5_SIM_DELAY_MS: '150', DCE5_SIM_FLOOD: '20000'},
				stdio: ['ignore', 'pipe', 'inherit'],
			},
		);
		const installerPid = await new Promise<number>(resolve => {
			wizard.stdout.on('data', (chunk: Buffer) => {
				const match = /installer-pid (\d+)/.exec(chunk.toString());
				if (match) {
					resolve(Number(match[1]));
				}
			});
		});
		// Killed while the installer writes output: it must keep writing once its reader is gone.
		const captureDir = path.join(dir, 'capture-killed');
		await waitFor(async () => {
			const names = await readdir(captureDir).catch(() => [] as string[]);
			const out = names.find(name => name.endsWith('.out'));
			return out !== undefined && (await stat(path.join(captureDir, out))).size > 0;
		});
		wizard.kill('SIGKILL');
		// The installer goes on writing its output and finishes the import: it removes its unpack on success.
		await waitFor(async () => !(await isLive(installerPid)), 30_000);
		expect(existsSync(path.join(f.workdir, 'addon-offline-target-package'))).toBe(false);
		const captured = await readdir(path.join(dir, 'capture-killed'));
		const output = captured.find(name => name.endsWith('.out'));
		expect(captured, 'the capture files stay until the next wizard starts').toHaveLength(2);
		expect(await readFile(path.join(dir, 'capture-killed', output!), 'utf8')).toContain('import addon finished');
	});
});

/** The simulator mid-import with its helper child (`sleep 600`) running, and its process group's members. */
async function simulatorWithHelper(): Promise<{child: Started & Captured; members: string[]}> {
	const f = await simulatorFixture();
	const child = start(
		[path.join(f.home, 'dce5-installer'), 'import', '-addon', '-c', f.configPath, `--addon-path=${f.packages[0]!.path}`],
		{
			cwd: f.workdir,
			env: {...f.env, DCE5_SIM_DELAY_MS: '2000', DCE5_SIM_HELPER: '1'},
		},
	);
	await waitFor(() => text(child).some(line => line.startsWith('[info] import image')));
	return {child, members: await liveInGroup(child.pid!)};
}

async function isLive(pid: number): Promise<boolean> {
	const stat = await new Promise<string>(resolve => {
		execFile('ps', ['-o', 'stat=', '-p', String(pid)], (_error, stdout) => resolve(stdout.trim()));
	});
	return stat !== '' && !stat.startsWith('Z');
}

const fixtures: ClusterFixture[] = [];
afterAll(async () => {
	await Promise.all(fixtures.map(async f => rm(f.root, {recursive: true, force: true})));
});

async function simulatorFixture(): Promise<ClusterFixture> {
	const f = await makeClusterFixture({packages: [{arch: 'arm64'}], current: 0});
	fixtures.push(f);
	return f;
}
