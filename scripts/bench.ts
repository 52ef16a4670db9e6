// Throughput benchmarks (`npm run bench`, or `tsx scripts/bench.ts [--only inspect|flood] [--runs N]`).
//
// Part A, inspection: one read of a ~1 GB package (sha512 + gunzip + tar walk) against the system
// tools that do a part of that work each: the inspection should cost about one `gzip -dc`
// (target: inspection/gzip <= 1.15). Peak RSS comes from a separate process (scripts/bench-inspect.ts).
// Part B, heavy output: the installer simulator printing DCE5_SIM_FLOOD lines, alone (stdout to a
// file, and to /dev/null for reference) and under `addon-wizard run --yes` (which parses and logs
// every line), and both again in a tmux pane; the installer's own time, target <= 1.10. Each also runs with no flood, to tell the fixed start-up from the
// cost of the output itself.
import {spawn, type StdioOptions} from 'node:child_process';
import {closeSync, existsSync, openSync} from 'node:fs';
import {mkdir, mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {inspectPackage} from '../source/adapters/packages/inspect-package.js';
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
	const line = (cells: string[]) =>
		cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
	return [line(header), widths.map(width => '-'.repeat(width)).join('  '), ...rows.map(row => line(row))].join('\n');
}

type Exit = {code: number | null; signal: NodeJS.Signals | null; seconds: number; stderr: string; stdout: string};

/**
 * Runs a command with an argument array and times it from spawn to exit. `stdout: 'null'` sends it to
 * /dev/null through a real file descriptor (the cheapest sink, as a shell redirect would).
 */
async function timed(
	command: string,
	args: string[],
	options: {cwd?: string; env?: NodeJS.ProcessEnv; stdout?: 'null' | 'pipe'; timeoutMs?: number} = {},
): Promise<Exit> {
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
		images: Array.from({length: 4}, (_image, i) => ({
			ref: `release.daocloud.io/bench/chart${c}-image${i}:v1.${c}.${i}`,
			layerBytes: 31_250_000,
		})),
	})),
};

type CachedPackage = {spec: typeof bigPackageSpec; built: Omit<BuiltPackage, 'charts'>};

async function benchPackage(): Promise<Omit<BuiltPackage, 'charts'>> {
	const dir = path.join(benchDir, 'inspect-1gb');
	const marker = path.join(dir, 'built.json');
	const cached = await readFile(marker, 'utf8')
		.then(text => JSON.parse(text) as CachedPackage)
		.catch(() => undefined);
	if (cached && JSON.stringify(cached.spec) === JSON.stringify(bigPackageSpec)) {
		const size = await stat(cached.built.path)
			.then(info => info.size)
			.catch(() => -1);
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
		const names = [
			'inspectPackage (sha512+gunzip+tar walk)',
			'gzip -dc FILE > /dev/null',
			'sha512sum FILE',
			'tar -tzf FILE > /dev/null',
		] as const;
		const times: number[][] = names.map(() => []);
		for (let round = 0; round < runs; round++) {
			times[0]!.push(
				await timeAsync(async () => {
					const inspection = await inspectPackage(file, {useCache: false, cacheDir});
					if (!inspection.complete || inspection.sha512 !== built.sha512) {
						throw new Error(
							`inspection of ${file} went wrong: complete=${inspection.complete}, sha512 ${inspection.sha512 === built.sha512 ? 'matches' : 'differs'}`,
						);
					}
				}),
			);
			times[1]!.push((await mustSucceed('gzip', ['-dc', file], {stdout: 'null'})).seconds);
			times[2]!.push((await mustSucceed('sha512sum', [file], {stdout: 'null'})).seconds);
			times[3]!.push((await mustSucceed('tar', ['-tzf', file], {stdout: 'null'})).seconds);
			console.log(`  round ${round + 1}/${runs}: ${times.map(list => fixed(list.at(-1)!)).join(' s, ')} s`);
		}

		const medians = times.map(list => median(list));
		const gzip = medians[1]!;
		console.log(
			`\nFile: ${file}\n      ${fixed(mb(built.size), 0)} MB compressed, ${fixed(mb(built.uncompressedBytes), 0)} MB tar stream; median of ${runs} runs, page cache warm; MB/s = compressed MB / s\n`,
		);
		console.log(
			table(
				['step', 'median s', 'MB/s', 'vs gzip', 'runs (s)'],
				names.map((name, index) => [
					name,
					fixed(medians[index]!),
					fixed(mb(built.size) / medians[index]!, 0),
					`${fixed(medians[index]! / gzip)}x`,
					times[index]!.map(value => fixed(value)).join(' '),
				]),
			),
		);
		const ratio = medians[0]! / gzip;
		console.log(`\ninspection/gzip = ${fixed(ratio)} (target <= 1.15): ${verdict(ratio, 1.15)}`);

		const child = await mustSucceed(tsxBin, [path.join(repoRoot, 'scripts', 'bench-inspect.ts'), file], {stdout: 'pipe', cwd: repoRoot});
		const measured = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as InspectChild;
		const mib = (kib: number) => fixed(kib / 1024, 0);
		console.log(
			`peak RSS of the inspection (separate process, ${fixed(measured.seconds)} s): ${mib(measured.maxRSSKiB)} MiB ` +
				`(${mib(measured.baselineMaxRSSKiB)} MiB before reading; +${mib(measured.maxRSSKiB - measured.baselineMaxRSSKiB)} MiB for a ${fixed(mb(built.size), 0)} MB file)` +
				(measured.complete && measured.sha512 === built.sha512 ? '' : ' [result WRONG]'),
		);
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

/**
 * One way of running the import: returns seconds, or why it could not be measured. `baseline` names
 * the run of the simulator alone it is judged against: the same place for the output to go.
 */
type Contender = {name: string; baseline: string; run(lines: number): Promise<number | string>};

type Measured = {
	contender: Contender;
	flood: number[];
	quiet: number[];
	/** The simulator's own time for the flood, in ms. */ self: number[];
	skipped?: string;
};

/**
 * Each contender runs with DCE5_SIM_FLOOD lines and with none; the ratio of the differences (flood
 * minus quiet) is the cost of the output alone, without the fixed start-up (node, the bundle,
 * inspecting the package, the plan) that no line count changes. Rounds are interleaved, contender
 * after contender, so a change in the machine's load falls on all of them alike.
 */
async function measure(contenders: Contender[], runs: number, selfReport: string): Promise<Measured[]> {
	const results: Measured[] = contenders.map(contender => ({contender, flood: [], quiet: [], self: []}));
	for (let round = 0; round < runs; round++) {
		for (const result of results.filter(candidate => !candidate.skipped)) {
			for (const lines of [floodLines, 0]) {
				await rm(selfReport, {force: true});
				const seconds = await result.contender.run(lines);
				if (typeof seconds === 'string') {
					result.skipped = seconds;
					break;
				}

				(lines > 0 ? result.flood : result.quiet).push(seconds);
				if (lines === 0) continue;
				const reported = Number(await readFile(selfReport, 'utf8').catch(() => Number.NaN));
				if (!Number.isFinite(reported)) {
					result.skipped = 'the simulator did not report its flood time';
					break;
				}

				result.self.push(reported);
			}
		}
	}

	return results;
}

async function partFlood(runs: number, useTmux: boolean): Promise<void> {
	console.log(`\n== Part B: installer printing ${floodLines} extra lines (DCE5_SIM_FLOOD) ==`);
	const fixture = await floodFixture();
	const scratch = await mkdtemp(path.join(tmpdir(), 'bench-flood-'));
	try {
		const installer = path.join(fixture.home, 'dce5-installer');
		const arm64 = fixture.packages[1]!.path;
		const targetDir = path.join(fixture.workdir, 'addon-offline-target-package');
		const selfReport = path.join(scratch, 'flood-ms');
		const envFor = (lines: number) => ({...fixture.env, DCE5_SIM_FLOOD: String(lines), DCE5_SIM_FLOOD_REPORT: selfReport});
		const logFile = path.join(scratch, 'run.log');
		const installerArgs = ['import', '-addon', '-c', fixture.configPath, `--addon-path=${arm64}`];
		const wizardArgs = [
			cliPath,
			'run',
			'--yes',
			'-c',
			fixture.configPath,
			'-p',
			arm64,
			'--installer',
			installer,
			'--log-file',
			logFile,
			'--no-verify',
		];
		/** Every run starts from the same state: no leftover directory, no log (the fixture pushes nowhere: DCE5_SIM_NO_REGISTRY=1). */
		const reset = async () => {
			await Promise.all([targetDir, logFile].map(async target => rm(target, {recursive: true, force: true})));
		};

		// Without a terminal, the simulator alone keeps its output the way an operator's unattended run
		// does (`nohup` writes nohup.out, or `> install.log 2>&1`): in a file. The wizard must keep the
		// output too (the log), so that is what it is judged against. /dev/null, which keeps nothing, is
		// measured as well, to show what landing the output anywhere costs the writer.
		const toNullName = 'simulator alone (stdout > /dev/null)';
		const toFileName = 'simulator alone (stdout > file)';
		const inTmuxName = 'simulator alone in tmux';
		const alone: Contender = {
			name: toNullName,
			baseline: toNullName,
			async run(lines) {
				await reset();
				return (await mustSucceed(installer, installerArgs, {cwd: fixture.workdir, env: envFor(lines), stdout: 'null', timeoutMs: 300_000}))
					.seconds;
			},
		};
		const toFile: Contender = {
			name: toFileName,
			baseline: toFileName,
			async run(lines) {
				await reset();
				const out = path.join(scratch, 'alone.out');
				const result = await mustSucceed('sh', ['-c', '"$0" "$@" > "$OUT"', installer, ...installerArgs], {
					cwd: fixture.workdir,
					env: {...envFor(lines), OUT: out},
					stdout: 'null',
					timeoutMs: 300_000,
				});
				await rm(out, {force: true});
				return result.seconds;
			},
		};
		// A pipe drained by a reader that keeps nothing: the floor for a wizard reading pipes.
		const piped: Contender = {
			name: 'simulator | cat > /dev/null',
			baseline: toNullName,
			async run(lines) {
				await reset();
				return (
					await mustSucceed('sh', ['-c', '"$0" "$@" | cat', installer, ...installerArgs], {
						cwd: fixture.workdir,
						env: envFor(lines),
						stdout: 'null',
						timeoutMs: 300_000,
					})
				).seconds;
			},
		};
		const wizard: Contender = {
			name: 'addon-wizard run --yes (no terminal)',
			baseline: toFileName,
			async run(lines) {
				await reset();
				const result = await timed(process.execPath, wizardArgs, {
					cwd: fixture.workdir,
					env: envFor(lines),
					stdout: 'null',
					timeoutMs: 300_000,
				});
				const problem =
					result.code === 0 ? await logProblem(logFile, lines) : `exit ${result.signal ?? result.code}: ${lastLine(result.stderr)}`;
				return problem ?? result.seconds;
			},
		};
		const inTmux = (name: string, argv: string[]): Contender => ({
			name,
			baseline: inTmuxName,
			async run(lines) {
				await reset();
				return tmuxRun(fixture, argv, envFor(lines));
			},
		});

		const contenders = [alone, toFile, piped];
		const missing = await wizardUnavailable();
		if (!missing) contenders.push(wizard);
		const tmuxMissing = useTmux ? await tmuxUnavailable() : 'not asked for (--no-tmux)';
		if (!tmuxMissing) {
			contenders.push(inTmux(inTmuxName, [installer, ...installerArgs]));
			if (!missing) {
				contenders.push(inTmux('addon-wizard run --yes in tmux', [process.execPath, ...wizardArgs]));
				// The Ink screens with -p and --yes: picker skipped, runs at once, exits after the Result.
				const interactiveArgs = [
					cliPath,
					'-c',
					fixture.configPath,
					'-p',
					arm64,
					'--yes',
					'--installer',
					installer,
					'--log-file',
					logFile,
					'--no-verify',
				];
				contenders.push(inTmux('addon-wizard screens (Ink) in tmux', [process.execPath, ...interactiveArgs]));
			}
		}

		const results = await measure(contenders, runs, selfReport);
		const finished = results.filter(result => !result.skipped);
		const byName = (name: string) => finished.find(result => result.contender.name === name);
		const selfRatio = (result: Measured, name: string) => {
			const base = byName(name);
			return base ? median(result.self) / median(base.self) : Number.NaN;
		};

		const shown = (ratio: number) => (Number.isNaN(ratio) ? '-' : `${fixed(ratio)}x`);
		const rows = finished.map(result => {
			const base = byName(result.contender.baseline);
			const total = base ? median(result.flood) / median(base.flood) : Number.NaN;
			const marginal = base ? (median(result.flood) - median(result.quiet)) / (median(base.flood) - median(base.quiet)) : Number.NaN;
			return [
				result.contender.name,
				fixed(median(result.self)),
				shown(selfRatio(result, result.contender.baseline)),
				result.contender.baseline.replace('simulator alone ', ''),
				shown(selfRatio(result, toNullName)),
				shown(selfRatio(result, toFileName)),
				fixed(median(result.flood)),
				fixed(median(result.quiet)),
				shown(total),
				shown(marginal),
			];
		});
		console.log(
			`\nPackage: ${fixture.packages[1]!.fileName} (${fixture.packages[1]!.size} bytes); median of ${runs} interleaved rounds. "installer ms" is the simulator's own time to write the flood (a slow reader makes its writes wait). "vs alone" compares it with the simulator alone keeping its output in the same kind of place ("alone" names which); the next two columns with the simulator writing to /dev/null and to a file. Wall-clock ratios are against the same "alone".\n`,
		);
		console.log(
			table(
				[
					'run',
					'installer ms',
					'vs alone',
					'alone',
					'vs > /dev/null',
					'vs > file',
					`wall s, ${floodLines} lines`,
					'wall s, 0 lines',
					'wall ratio',
					'wall ratio, output only',
				],
				rows,
			),
		);
		const notes = [
			...(missing ? [`wizard runs: skipped: ${missing}`] : []),
			...(tmuxMissing ? [`tmux runs: skipped: ${tmuxMissing}`] : []),
			...results.filter(result => result.skipped).map(result => `${result.contender.name}: skipped: ${result.skipped}`),
		];
		for (const note of notes) console.log(`\n${note}`);
		for (const result of finished.filter(candidate => candidate.contender.name.startsWith('addon-wizard'))) {
			const slowdown = selfRatio(result, result.contender.baseline);
			console.log(
				`\n${result.contender.name}: the installer's own time for the flood is ${fixed(slowdown)}x the ${result.contender.baseline} (target <= 1.10): ${verdict(slowdown, 1.1)}. Against the simulator writing to /dev/null, which keeps nothing: ${shown(selfRatio(result, toNullName))}.`,
			);
		}

		console.log('\ntmux times are taken by polling the pane every 100 ms, so they are +-0.1 s.');
	} finally {
		await rm(scratch, {recursive: true, force: true});
		await rm(fixture.root, {recursive: true, force: true});
	}
}

const lastLine = (text: string) => text.trim().split('\n').at(-1)?.trim() || '(no output)';

/** Why the wizard cannot be benchmarked at all, or undefined when the bundle is there. */
async function wizardUnavailable(): Promise<string | undefined> {
	// Whether `run` works at all shows on the first run (a non-zero exit there becomes the reason).
	return existsSync(cliPath)
		? undefined
		: `${path.relative(repoRoot, cliPath)} is missing (run \`npm run build\`, or use \`npm run bench\`)`;
}

/** A wizard run that exits 0 but never ran the installer's flood is not a measurement. */
async function logProblem(logFile: string, lines: number): Promise<string | undefined> {
	const log = await readFile(logFile, 'utf8').catch(() => undefined);
	if (log === undefined) return `exit 0 but no log at ${logFile}`;
	if (!log.includes('import addon finished')) return "exit 0 but the log lacks the installer's output (did it run `import -addon`?)";
	if (lines > 0 && !log.includes(`flood line for throughput measurement ...................................... ${lines - 1}`))
		return 'exit 0 but the log lacks the last flood line';
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
