// Throughput benchmarks (`npm run bench`, or `tsx scripts/bench.ts [--only inspect|flood] [--runs N]`).
//
// Part A, inspection: one read of a ~1 GB package (sha512 + gunzip + tar walk) against the system
// tools that do a part of that work each: the inspection should cost about one `gzip -dc`
// (target: inspection/gzip <= 1.15). Peak RSS comes from a separate process (scripts/bench-inspect.ts).
// Part B, heavy output: the installer simulator printing DCE5_SIM_FLOOD lines, alone (stdout to
// /dev/null) and under `addon-wizard run --yes` (which parses and logs every line), and both again in
// a tmux pane; target <= 1.10. Each also runs with no flood, to tell the fixed start-up from the
// cost of the output itself.
import {spawn, type StdioOptions} from 'node:child_process';
import {closeSync, existsSync, openSync} from 'node:fs';
import {mkdir, mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {inspectPackage} from '../source/adapters/inspect-package.js';
import {buildPackage, type BuiltPackage, type FixtureChart} from '../test/helpers/build-package.js';
import {cliPath, makeClusterFixture, repoRoot, type ClusterFixture} from '../test/helpers/cluster-fixture.js';

type Part = 'inspect' | 'flood';

// ---- arguments ------------------------------------------------------------------------------------
function parseArgs(argv: string[]): {parts: Part[]; runs: number; tmux: boolean} {
	let parts: Part[] = ['inspect', 'flood'];
	let runs = 3;
	let tmux = true;
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
		const value = () => inline ?? argv[++i];
		if (flag === '--only') {
			const part = value();
			if (part !== 'inspect' && part !== 'flood') usage(`--only takes inspect or flood, got "${part ?? ''}"`);
			parts = [part];
		} else if (flag === '--runs') {
			runs = Number(value());
			if (!Number.isInteger(runs) || runs < 1) usage('--runs takes a whole number >= 1');
		} else if (flag === '--no-tmux') {
			tmux = false;
		} else if (flag === '-h' || flag === '--help') {
			usage();
		} else {
			usage(`unknown argument "${argv[i]}"`);
		}
	}

	return {parts, runs, tmux};
}

function usage(problem?: string): never {
	const text = 'usage: tsx scripts/bench.ts [--only inspect|flood] [--runs N] [--no-tmux]\n';
	process[problem ? 'stderr' : 'stdout'].write(problem ? `bench: ${problem}\n${text}` : text);
	process.exit(problem ? 2 : 0);
}

// ---- helpers ----------------------------------------------------------------------------------------
const benchDir = path.join(repoRoot, '.bench');
const tsxBin = path.join(repoRoot, 'node_modules', '.bin', 'tsx');

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const mb = (bytes: number) => bytes / 1e6;
const fixed = (value: number, digits = 2) => value.toFixed(digits);
const verdict = (ratio: number, target: number) => (ratio <= target ? 'PASS' : 'FAIL');

function table(header: string[], rows: string[][]): string {
	const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map(row => row[column]?.length ?? 0)));
	const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
	return [line(header), widths.map(width => '-'.repeat(width)).join('  '), ...rows.map(row => line(row))].join('\n');
}

type Exit = {code: number | null; signal: NodeJS.Signals | null; seconds: number; stderr: string; stdout: string};

/**
 * Runs a command with an argument array and times it from spawn to exit. `stdout: 'null'` sends it to
 * /dev/null through a real file descriptor (the cheapest sink, as a shell redirect would).
 */
async function timed(command: string, args: string[], options: {cwd?: string; env?: NodeJS.ProcessEnv; stdout?: 'null' | 'pipe'; timeoutMs?: number} = {}): Promise<Exit> {
	const devNull = openSync('/dev/null', 'w');
	const stdio: StdioOptions = ['ignore', options.stdout === 'pipe' ? 'pipe' : devNull, 'pipe'];
	try {
		return await new Promise<Exit>((resolve, reject) => {
			const started = performance.now();
			const child = spawn(command, args, {cwd: options.cwd, env: options.env, stdio});
			let stdout = '';
			let stderr = '';
			child.stdout?.on('data', (chunk: Buffer) => {
				stdout += chunk.toString();
			});
			child.stderr?.on('data', (chunk: Buffer) => {
				// Keep the tail only: an error is at the end, and a chatty child must not fill memory.
				stderr = (stderr + chunk.toString()).slice(-8192);
			});
			const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
			child.on('error', error => {
				clearTimeout(timer);
				reject(error);
			});
			child.on('close', (code, signal) => {
				clearTimeout(timer);
				resolve({code, signal, seconds: (performance.now() - started) / 1000, stderr, stdout});
			});
		});
	} finally {
		closeSync(devNull);
	}
}

async function mustSucceed(command: string, args: string[], options: Parameters<typeof timed>[2] = {}): Promise<Exit> {
	const result = await timed(command, args, options);
	if (result.code !== 0) {
		throw new Error(`${command} ${args.join(' ')} failed (${result.signal ?? `exit ${result.code}`}): ${result.stderr.trim()}`);
	}

	return result;
}

async function timeAsync(work: () => Promise<unknown>): Promise<number> {
	const started = performance.now();
	await work();
	return (performance.now() - started) / 1000;
}

// ---- Part A: inspection ---------------------------------------------------------------------------------
/** 8 charts x 4 images x 31.25 MB of random layer data = 1.000 GB that gzip cannot shrink. */
const bigPackageSpec = {
	version: 'v0.9.5',
	arch: 'amd64',
	gzipLevel: 1,
	charts: Array.from({length: 8}, (_chart, c): FixtureChart => ({
		name: `bench-chart-${c}`,
		version: `1.${c}.0`,
		repo: c % 2 ? 'community' : 'addon',
		images: Array.from({length: 4}, (_image, i) => ({ref: `release.daocloud.io/bench/chart${c}-image${i}:v1.${c}.${i}`, layerBytes: 31_250_000})),
	})),
};

type CachedPackage = {spec: typeof bigPackageSpec; built: Omit<BuiltPackage, 'charts'>};

async function benchPackage(): Promise<Omit<BuiltPackage, 'charts'>> {
	const dir = path.join(benchDir, 'inspect-1gb');
	const marker = path.join(dir, 'built.json');
	const cached = await readFile(marker, 'utf8').then(text => JSON.parse(text) as CachedPackage).catch(() => undefined);
	if (cached && JSON.stringify(cached.spec) === JSON.stringify(bigPackageSpec)) {
		const size = await stat(cached.built.path).then(info => info.size).catch(() => -1);
		if (size === cached.built.size) {
			console.log(`Reusing ${path.relative(repoRoot, cached.built.path)} (${fixed(mb(size), 0)} MB; delete .bench/ to rebuild)`);
			return cached.built;
		}
	}

	await rm(dir, {recursive: true, force: true});
	await mkdir(dir, {recursive: true});
	console.log('Generating a ~1 GB package of incompressible layers under .bench/ (once) ...');
	const started = performance.now();
	const {charts: _charts, ...built} = await buildPackage({...bigPackageSpec, dir});
	console.log(`  built ${built.fileName}: ${fixed(mb(built.size), 0)} MB in ${fixed((performance.now() - started) / 1000, 1)} s`);
	// Written last: a half-built package has no marker and is rebuilt next time.
	await writeFile(marker, JSON.stringify({spec: bigPackageSpec, built} satisfies CachedPackage, null, 2));
	return built;
}

type InspectChild = {seconds: number; maxRSSKiB: number; baselineMaxRSSKiB: number; complete: boolean; sha512: string};

async function partInspect(runs: number): Promise<void> {
	console.log('\n== Part A: inspection of one ~1 GB package ==');
	const built = await benchPackage();
	const file = built.path;
	const cacheDir = await mkdtemp(path.join(tmpdir(), 'bench-inspect-cache-'));
	try {
		await mustSucceed('cat', [file]); // warm the page cache: every contender then reads from memory
		const names = ['inspectPackage (sha512+gunzip+tar walk)', 'gzip -dc FILE > /dev/null', 'sha512sum FILE', 'tar -tzf FILE > /dev/null'] as const;
		const times: number[][] = names.map(() => []);
		for (let round = 0; round < runs; round++) {
			times[0]!.push(await timeAsync(async () => {
				const inspection = await inspectPackage(file, {useCache: false, cacheDir});
				if (!inspection.complete || inspection.sha512 !== built.sha512) {
					throw new Error(`inspection of ${file} went wrong: complete=${inspection.complete}, sha512 ${inspection.sha512 === built.sha512 ? 'matches' : 'differs'}`);
				}
			}));
			times[1]!.push((await mustSucceed('gzip', ['-dc', file], {stdout: 'null'})).seconds);
			times[2]!.push((await mustSucceed('sha512sum', [file], {stdout: 'null'})).seconds);
			times[3]!.push((await mustSucceed('tar', ['-tzf', file], {stdout: 'null'})).seconds);
			console.log(`  round ${round + 1}/${runs}: ${times.map(list => fixed(list.at(-1)!)).join(' s, ')} s`);
		}

		const medians = times.map(list => median(list));
		const gzip = medians[1]!;
		console.log(`\nFile: ${file}\n      ${fixed(mb(built.size), 0)} MB compressed, ${fixed(mb(built.uncompressedBytes), 0)} MB tar stream; median of ${runs} runs, page cache warm; MB/s = compressed MB / s\n`);
		console.log(table(
			['step', 'median s', 'MB/s', 'vs gzip', 'runs (s)'],
			names.map((name, index) => [name, fixed(medians[index]!), fixed(mb(built.size) / medians[index]!, 0), `${fixed(medians[index]! / gzip)}x`, times[index]!.map(value => fixed(value)).join(' ')]),
		));
		const ratio = medians[0]! / gzip;
		console.log(`\ninspection/gzip = ${fixed(ratio)} (target <= 1.15): ${verdict(ratio, 1.15)}`);

		const child = await mustSucceed(tsxBin, [path.join(repoRoot, 'scripts', 'bench-inspect.ts'), file], {stdout: 'pipe', cwd: repoRoot});
		const measured = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as InspectChild;
		const mib = (kib: number) => fixed(kib / 1024, 0);
		console.log(`peak RSS of the inspection (separate process, ${fixed(measured.seconds)} s): ${mib(measured.maxRSSKiB)} MiB `
			+ `(${mib(measured.baselineMaxRSSKiB)} MiB before reading; +${mib(measured.maxRSSKiB - measured.baselineMaxRSSKiB)} MiB for a ${fixed(mb(built.size), 0)} MB file)`
			+ (measured.complete && measured.sha512 === built.sha512 ? '' : ' [result WRONG]'));
	} finally {
		await rm(cacheDir, {recursive: true, force: true});
	}
}

// ---- Part B: heavy installer output ----------------------------------------------------------------------
const floodLines = 200_000;

async function floodFixture(): Promise<ClusterFixture> {
	// clusterConfig already points at the amd64 package, so the arm64 one is a multi-arch integration (`import -addon`).
	return makeClusterFixture({packages: [{arch: 'amd64'}, {arch: 'arm64'}], current: 0});
}

/** One way of running the import: returns seconds, or why it could not be measured. */
type Contender = {name: string; sink: 'null' | 'tmux'; run(lines: number): Promise<number | string>};

type Measured = {name: string; sink: 'null' | 'tmux'; flood: number[]; quiet: number[]; /** The simulator's own time for the flood, in ms. */ self: number[]} | {name: string; skipped: string};

/**
 * Each contender runs with DCE5_SIM_FLOOD lines and with none. The ratio of the totals is the stated
 * target; the ratio of the differences (flood minus quiet) is the cost of the output alone, without
 * the fixed start-up (node, the bundle, inspecting the package, the plan) that no line count changes.
 */
async function measure(contender: Contender, runs: number, selfReport: string): Promise<Measured> {
	const flood: number[] = [];
	const quiet: number[] = [];
	const self: number[] = [];
	for (let round = 0; round < runs; round++) {
		for (const [lines, list] of [[floodLines, flood], [0, quiet]] as const) {
			await rm(selfReport, {force: true});
			const result = await contender.run(lines);
			if (typeof result === 'string') return {name: contender.name, skipped: result};
			list.push(result);
			if (lines > 0) {
				const reported = Number(await readFile(selfReport, 'utf8').catch(() => Number.NaN));
				if (!Number.isFinite(reported)) return {name: contender.name, skipped: 'the simulator did not report its flood time'};
				self.push(reported);
			}
		}
	}

	return {name: contender.name, sink: contender.sink, flood, quiet, self};
}

async function partFlood(runs: number, useTmux: boolean): Promise<void> {
	console.log(`\n== Part B: installer printing ${floodLines} extra lines (DCE5_SIM_FLOOD) ==`);
	const fixture = await floodFixture();
	const scratch = await mkdtemp(path.join(tmpdir(), 'bench-flood-'));
	try {
		const installer = path.join(fixture.home, 'dce5-installer');
		const arm64 = fixture.packages[1]!.path;
		const targetDir = path.join(fixture.workdir, 'addon-offline-target-package');
		const statePath = path.join(scratch, 'registry.json');
		const selfReport = path.join(scratch, 'flood-ms');
		const envFor = (lines: number) => ({...fixture.env, DCE5_SIM_FLOOD: String(lines), DCE5_SIM_STATE: statePath, DCE5_SIM_FLOOD_REPORT: selfReport});
		const logFile = path.join(scratch, 'run.log');
		const installerArgs = ['import', '-addon', '-c', fixture.configPath, `--addon-path=${arm64}`];
		const wizardArgs = [cliPath, 'run', '--yes', '-c', fixture.configPath, '-p', arm64, '--installer', installer, '--log-file', logFile];
		/** Every run starts from the same state: no leftover directory, an empty registry, no log. */
		const reset = async () => {
			await Promise.all([targetDir, statePath, logFile].map(async target => rm(target, {recursive: true, force: true})));
		};

		const alone: Contender = {name: 'simulator alone (stdout > /dev/null)', sink: 'null', async run(lines) {
			await reset();
			return (await mustSucceed(installer, installerArgs, {cwd: fixture.workdir, env: envFor(lines), stdout: 'null', timeoutMs: 300_000})).seconds;
		}};
		// Where the wizard has the installer write (its capture file), with nobody reading: what the
		// output costs the installer itself under the wizard, before the wizard does anything.
		const toFile: Contender = {name: 'simulator alone (stdout > file)', sink: 'null', async run(lines) {
			await reset();
			const out = path.join(scratch, 'alone.out');
			const result = await mustSucceed('sh', ['-c', '"$0" "$@" > "$OUT"', installer, ...installerArgs], {cwd: fixture.workdir, env: {...envFor(lines), OUT: out}, stdout: 'null', timeoutMs: 300_000});
			await rm(out, {force: true});
			return result.seconds;
		}};
		// What any reader of the pipe costs: the floor for a wizard that reads every line.
		const piped: Contender = {name: 'simulator | cat > /dev/null', sink: 'null', async run(lines) {
			await reset();
			return (await mustSucceed('sh', ['-c', '"$0" "$@" | cat', installer, ...installerArgs], {cwd: fixture.workdir, env: envFor(lines), stdout: 'null', timeoutMs: 300_000})).seconds;
		}};
		const wizard: Contender = {name: 'addon-wizard run --yes (no terminal)', sink: 'null', async run(lines) {
			await reset();
			const result = await timed(process.execPath, wizardArgs, {cwd: fixture.workdir, env: envFor(lines), stdout: 'null', timeoutMs: 300_000});
			const problem = result.code === 0 ? await logProblem(logFile, lines) : `exit ${result.signal ?? result.code}: ${lastLine(result.stderr)}`;
			return problem ?? result.seconds;
		}};
		const inTmux = (name: string, argv: string[]): Contender => ({name, sink: 'tmux', async run(lines) {
			await reset();
			return tmuxRun(fixture, argv, envFor(lines));
		}});

		const contenders = [alone, toFile, piped];
		const missing = await wizardUnavailable();
		if (!missing) contenders.push(wizard);
		const tmuxMissing = useTmux ? await tmuxUnavailable() : 'not asked for (--no-tmux)';
		if (!tmuxMissing) {
			contenders.push(inTmux('simulator alone in tmux', [installer, ...installerArgs]));
			if (!missing) {
				contenders.push(inTmux('addon-wizard run --yes in tmux', [process.execPath, ...wizardArgs]));
				// The Ink screens with -p and --yes: picker skipped, runs at once, exits after the Result.
				const interactiveArgs = [cliPath, '-c', fixture.configPath, '-p', arm64, '--yes', '--installer', installer, '--log-file', logFile];
				contenders.push(inTmux('addon-wizard screens (Ink) in tmux', [process.execPath, ...interactiveArgs]));
			}
		}

		const results: Measured[] = [];
		for (const contender of contenders) {
			results.push(await measure(contender, runs, selfReport));
		}

		type Done = Extract<Measured, {sink: string}>;
		const finished = results.filter((result): result is Done => 'sink' in result);
		const baseOf = (sink: 'null' | 'tmux') => finished.find(result => result.sink === sink && result.name.startsWith('simulator'));
		// Whether the wizard slows the installer down: the simulator's own time for the flood, against
		// the simulator writing to /dev/null (the fastest sink there is).
		const selfBase = median(baseOf('null')!.self);
		const fileBase = finished.find(result => result.name === toFile.name);
		const rows = finished.map(result => {
			const base = baseOf(result.sink)!;
			const total = median(result.flood) / median(base.flood);
			const marginal = (median(result.flood) - median(result.quiet)) / (median(base.flood) - median(base.quiet));
			const versusFile = fileBase ? `${fixed(median(result.self) / median(fileBase.self))}x` : '-';
			const versusSink = `${fixed(median(result.self) / median(base.self))}x`;
			return [result.name, fixed(median(result.self)), versusSink, `${fixed(median(result.self) / selfBase)}x`, versusFile, fixed(median(result.flood)), fixed(median(result.quiet)), `${fixed(total)}x`, `${fixed(marginal)}x`];
		});
		console.log(`\nPackage: ${fixture.packages[1]!.fileName} (${fixture.packages[1]!.size} bytes); median of ${runs} runs. "installer ms" is the simulator's own time to write the flood (a slow reader makes its writes wait). "vs alone" compares it with the simulator alone with the same sink (/dev/null, or a tmux pane); the next two columns with the simulator writing to /dev/null and to a file. Wall-clock ratios are against the simulator alone with the same sink.\n`);
		console.log(table(['run', 'installer ms', 'vs alone', 'vs > /dev/null', 'vs > file', `wall s, ${floodLines} lines`, 'wall s, 0 lines', 'wall ratio', 'wall ratio, output only'], rows));
		const notes = [
			...(missing ? [`wizard runs: skipped: ${missing}`] : []),
			...(tmuxMissing ? [`tmux runs: skipped: ${tmuxMissing}`] : []),
			...results.filter((result): result is Extract<Measured, {skipped: string}> => 'skipped' in result).map(result => `${result.name}: skipped: ${result.skipped}`),
		];
		for (const note of notes) console.log(`\n${note}`);
		for (const row of rows.filter(candidate => candidate[0]!.startsWith('addon-wizard'))) {
			const slowdown = Number(row[2]!.slice(0, -1));
			const wall = Number(row[7]!.slice(0, -1));
			console.log(`\n${row[0]}: the installer's own time is ${fixed(slowdown)}x the simulator alone with the same sink (target <= 1.10): ${verdict(slowdown, 1.1)}; ${row[3]} of it writing to /dev/null, ${row[4]} of it writing to a file; wall-clock ${fixed(wall)}x (includes the wizard's start-up: node, bundle, inspection, plan)`);
		}

		console.log('tmux times are taken by polling the pane every 100 ms, so they are +-0.1 s.');
	} finally {
		await rm(scratch, {recursive: true, force: true});
		await rm(fixture.root, {recursive: true, force: true});
	}
}

const lastLine = (text: string) => text.trim().split('\n').at(-1)?.trim() || '(no output)';

/** Why the wizard cannot be benchmarked at all, or undefined when the bundle is there. */
async function wizardUnavailable(): Promise<string | undefined> {
	// Whether `run` works at all shows on the first run (a non-zero exit there becomes the reason).
	return existsSync(cliPath) ? undefined : `${path.relative(repoRoot, cliPath)} is missing (run \`npm run build\`, or use \`npm run bench\`)`;
}

/** A wizard run that exits 0 but never ran the installer's flood is not a measurement. */
async function logProblem(logFile: string, lines: number): Promise<string | undefined> {
	const log = await readFile(logFile, 'utf8').catch(() => undefined);
	if (log === undefined) return `exit 0 but no log at ${logFile}`;
	if (!log.includes('import addon finished')) return 'exit 0 but the log lacks the installer\'s output (did it run `import -addon`?)';
	if (lines > 0 && !log.includes(`flood line for throughput measurement ...................................... ${lines - 1}`)) return 'exit 0 but the log lacks the last flood line';
	return undefined;
}

async function tmuxUnavailable(): Promise<string | undefined> {
	return (await timed('tmux', ['-V']).catch(() => undefined))?.code === 0 ? undefined : 'tmux is not installed';
}

async function tmuxRun(fixture: ClusterFixture, argv: string[], env: Record<string, string>): Promise<number | string> {
	const {startTmux} = await import('../test/helpers/tmux.js');
	const started = performance.now();
	const session = await startTmux({argv, cwd: fixture.workdir, env: {...env, CI: 'false'}});
	try {
		const status = await session.waitForExit(300_000);
		const seconds = (performance.now() - started) / 1000;
		return status === 0 ? seconds : `exit ${status}: ${lastLine((await session.capture()).replace(/\[exit:\d+][\s\S]*$/, ''))}`;
	} finally {
		await session.kill();
	}
}

// ---- main ---------------------------------------------------------------------------------------------------
const {parts, runs, tmux} = parseArgs(process.argv.slice(2));
if (parts.includes('inspect')) await partInspect(runs);
if (parts.includes('flood')) await partFlood(runs, tmux);
