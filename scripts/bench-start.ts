// Start-up and the hash bound (`npm run bench`, or `tsx scripts/bench-start.ts [--runs N] [--only start|frame|inspect]`).
//
// start: `node -e 0`, `addon-wizard --version`, `--help` and `plan` of a small cached package whose
// cluster registry refuses the connection, each spawned in turn, round after round, so a change in
// the machine's load falls on all alike. Targets: --version and --help <= 1.3x `node -e 0`, plan <= 1.6x.
// frame: the wizard started in a tmux pane; the time from the shell's launch stamp to the first
// frame on the screen (target <= 0.35 s), and to the package list.
// inspect: `addon-wizard inspect --no-cache` of the ~1 GB package of scripts/bench.ts (the whole
// process, Node's start-up included) against `openssl dgst -sha512` of the same file, interleaved;
// target <= 1.10x, peak RSS (GNU time's %M) <= 150 MiB.
import {execFile, spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {setTimeout as delay} from 'node:timers/promises';
import {promisify} from 'node:util';
import {cliPath, makeClusterFixture, repoRoot} from '../test/helpers/cluster-fixture.js';

const run = promisify(execFile);
type Part = 'start' | 'frame' | 'inspect';

function parseArgs(argv: string[]): {parts: Part[]; runs: number} {
	let parts: Part[] = ['start', 'frame', 'inspect'];
	let runs = 15;
	for (let index = 0; index < argv.length; index++) {
		if (argv[index] === '--only') {
			parts = [argv[++index] as Part];
		} else if (argv[index] === '--runs') {
			runs = Number(argv[++index]);
		} else {
			process.stderr.write('usage: tsx scripts/bench-start.ts [--runs N] [--only start|frame|inspect]\n');
			process.exit(2);
		}
	}

	return {parts, runs};
}

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const load = async () => (await readFile('/proc/loadavg', 'utf8')).split(' ')[0];

/** Spawn to exit, in seconds; the output goes to /dev/null as a script's would to a file. */
async function timed(argv: string[], env: NodeJS.ProcessEnv): Promise<{seconds: number; code: number | null; stderr: string}> {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn(argv[0]!, argv.slice(1), {env, stdio: ['ignore', 'ignore', 'pipe']});
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => {
			stderr = (stderr + chunk.toString()).slice(-4096);
		});
		child.on('error', reject);
		child.on('close', code => resolve({seconds: (performance.now() - started) / 1000, code, stderr}));
	});
}

function report(names: string[], times: number[][], base: number, targets: Array<number | undefined>): void {
	for (const [index, name] of names.entries()) {
		const ratio = median(times[index]!) / base;
		const target = targets[index];
		const verdict = target === undefined ? '' : ` (target <= ${target}): ${ratio <= target ? 'PASS' : 'FAIL'}`;
		console.log(
			`${name.padEnd(44)} median ${(median(times[index]!) * 1000).toFixed(0).padStart(6)} ms  ${ratio.toFixed(2)}x${verdict}  runs ${times[index]!.map(value => (value * 1000).toFixed(0)).join(' ')}`,
		);
	}
}

async function partStart(runs: number, env: NodeJS.ProcessEnv, planArgs: string[]): Promise<void> {
	console.log(`\n== start-up: ${runs} interleaved rounds, load ${await load()} ==`);
	const contenders: Array<[string, string[], number | undefined]> = [
		['node -e 0', [process.execPath, '-e', '0'], undefined],
		['addon-wizard --version', [process.execPath, cliPath, '--version'], 1.3],
		['addon-wizard --help', [process.execPath, cliPath, '--help'], 1.3],
		['addon-wizard plan (cached package, registry refused)', [process.execPath, cliPath, ...planArgs], 1.6],
	];
	// Once each first: the bundle unpacks its chunks, the plan fills the inspection cache.
	for (const [name, argv] of contenders) {
		const first = await timed(argv, env);
		if (first.code !== 0) {
			throw new Error(`${name} failed (exit ${first.code}): ${first.stderr}`);
		}
	}

	const times: number[][] = contenders.map(() => []);
	for (let round = 0; round < runs; round++) {
		for (const [index, [, argv]] of contenders.entries()) {
			times[index]!.push((await timed(argv, env)).seconds);
		}
	}

	report(
		contenders.map(([name]) => name),
		times,
		median(times[0]!),
		contenders.map(([, , target]) => target),
	);
	console.log(`load at the end ${await load()}`);
}

/** CPU seconds (user + system) process `pid` has used so far, from /proc: what load does not stretch. */
async function cpuSeconds(pid: number): Promise<number | undefined> {
	const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
	// Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
	const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
	return fields ? (Number(fields[11]) + Number(fields[12])) / 100 : undefined;
}

/** The pane's text, once tmux has it. */
async function capture(socket: string): Promise<string> {
	const {stdout} = await run('tmux', ['-L', socket, 'capture-pane', '-p', '-t', 'bench']);
	return stdout.trim();
}

async function partFrame(runs: number, env: NodeJS.ProcessEnv, wizardArgs: string[], scratch: string): Promise<void> {
	console.log(`\n== the wizard's first frame in tmux: ${runs} runs, load ${await load()} ==`);
	const first: number[] = [];
	const list: number[] = [];
	const cpuAtFirst: number[] = [];
	const nodeAlone: number[] = [];
	const quote = (value: string) => `'${value.replaceAll("'", String.raw`'\''`)}'`;
	// Another build's bundle, to compare (BENCH_FRAME_CLI=/elsewhere/dist/addon-wizard.mjs).
	const frameCli = process.env['BENCH_FRAME_CLI'] ?? cliPath;
	for (let round = 0; round < runs; round++) {
		const socket = `fast-bench-${process.pid}-${round}`;
		const stamp = path.join(scratch, `launch-${round}`);
		const exports = Object.entries({...env, CI: 'false', TERM: 'xterm-256color', LANG: 'C.UTF-8'})
			.filter(([, value]) => value !== undefined)
			.map(([key, value]) => `export ${key}=${quote(value!)};`)
			.join(' ');
		// The stamp is taken by the pane's shell the instant before it execs node: launch is that instant.
		const command = `${exports} date +%s%N > ${quote(stamp)}; exec ${[process.execPath, frameCli, ...wizardArgs].map(quote).join(' ')}`;
		// The load's yardstick, in the same rounds: Node starting and doing nothing.
		nodeAlone.push((await timed([process.execPath, '-e', '0'], env)).seconds);
		await run('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'bench', '-x', '100', '-y', '30', command], {
			env: {...process.env, TMUX: ''},
		});
		try {
			// The pane's shell execs node: the pane's process is the wizard.
			const pid = Number((await run('tmux', ['-L', socket, 'display-message', '-p', '-t', 'bench', '#{pane_pid}'])).stdout.trim());
			// Wall-clock milliseconds, sub-millisecond: the same clock as the shell's `date +%s%N`.
			const wall = () => performance.timeOrigin + performance.now();
			let seenFirst: number | undefined;
			for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
				const screen = await capture(socket);
				const seen = wall();
				if (screen !== '' && seenFirst === undefined) {
					seenFirst = seen;
					const cpu = await cpuSeconds(pid);
					if (cpu !== undefined) {
						cpuAtFirst.push(cpu);
					}
				}

				if (screen.includes('v0.12.5')) {
					const launched = Number((await readFile(stamp, 'utf8')).trim()) / 1e6;
					first.push((seenFirst! - launched) / 1000);
					list.push((seen - launched) / 1000);
					break;
				}

				await delay(2);
			}
		} finally {
			await run('tmux', ['-L', socket, 'kill-server']).catch(() => undefined);
		}
	}

	console.log(
		`first frame   median ${median(first).toFixed(3)} s (target <= 0.35): ${median(first) <= 0.35 ? 'PASS' : 'FAIL'}  runs ${first.map(value => value.toFixed(3)).join(' ')}`,
	);
	console.log(`package list  median ${median(list).toFixed(3)} s  runs ${list.map(value => value.toFixed(3)).join(' ')}`);
	// CPU is what a quiet machine turns into wall time; /proc counts it in 10 ms ticks.
	console.log(
		`CPU used by the first frame  median ${median(cpuAtFirst).toFixed(2)} s  runs ${cpuAtFirst.map(value => value.toFixed(2)).join(' ')}`,
	);
	console.log(`node -e 0     median ${median(nodeAlone).toFixed(3)} s (same rounds)  load at the end ${await load()}`);
}

async function partInspect(runs: number, env: NodeJS.ProcessEnv): Promise<void> {
	const marker = path.join(repoRoot, '.bench', 'inspect-1gb', 'built.json');
	if (!existsSync(marker)) {
		console.log('\n== inspection vs openssl: skipped, run `tsx scripts/bench.ts --only inspect` once to build the 1 GB package ==');
		return;
	}

	const built = (JSON.parse(await readFile(marker, 'utf8')) as {built: {path: string}}).built;
	console.log(
		`\n== inspection of ${path.basename(built.path)} vs openssl dgst -sha512: ${runs} interleaved rounds, load ${await load()} ==`,
	);
	await run('cat', [built.path], {maxBuffer: 1, encoding: 'buffer'}).catch(() => undefined); // warm the page cache
	const contenders: Array<[string, string[]]> = [
		['openssl dgst -sha512 FILE', ['openssl', 'dgst', '-sha512', built.path]],
		[
			'addon-wizard inspect -p FILE --no-cache',
			['/usr/bin/time', '-f', '%M', process.execPath, cliPath, 'inspect', '-p', built.path, '--no-cache'],
		],
	];
	const times: number[][] = contenders.map(() => []);
	const peaks: number[] = [];
	for (let round = 0; round < runs; round++) {
		for (const [index, [, argv]] of contenders.entries()) {
			const result = await timed(argv, env);
			times[index]!.push(result.seconds);
			if (index === 1) {
				peaks.push(Number(result.stderr.trim().split('\n').at(-1)) / 1024);
			}
		}
	}

	report(
		contenders.map(([name]) => name),
		times,
		median(times[0]!),
		[undefined, 1.1],
	);
	const peak = Math.max(...peaks);
	console.log(`peak RSS of the inspection: ${peak.toFixed(0)} MiB (target <= 150): ${peak <= 150 ? 'PASS' : 'FAIL'}`);
	console.log(`load at the end ${await load()}`);
}

const {parts, runs} = parseArgs(process.argv.slice(2));
const scratch = await mkdtemp(path.join(tmpdir(), 'bench-start-'));
const fixture = await makeClusterFixture({
	packages: [
		{version: 'v0.9.5', arch: 'amd64'},
		{version: 'v0.12.5', arch: 'amd64'},
	],
	current: 0,
});
try {
	const env = {...process.env, ...fixture.env};
	const installer = path.join(fixture.home, 'dce5-installer');
	const planArgs = ['plan', '-c', fixture.configPath, '-p', fixture.packages[1]!.path, '--installer', installer];
	if (parts.includes('start')) {
		await partStart(runs, env, planArgs);
	}

	if (parts.includes('frame')) {
		await partFrame(Math.min(runs, 9), env, ['-c', fixture.configPath, '--search', fixture.packagesDir, '--installer', installer], scratch);
	}

	if (parts.includes('inspect')) {
		await partInspect(Math.min(runs, 5), env);
	}
} finally {
	await rm(scratch, {recursive: true, force: true});
	await rm(fixture.root, {recursive: true, force: true});
}
