#!/usr/bin/env node
// Stands in for the proprietary `dce5-installer` in tests: same command lines, same working
// directory behaviour, same output and failure wording as docs/installer-contract.md records.
// It really unpacks the package into ./addon-offline-target-package, really pushes its images to the
// registry clusterConfig.yaml names and really uploads its charts to the chart repository; what the
// registry or the repository refuses is what fails. Knobs are environment variables (tools/README.md),
// among them DCE5_SIM_NO_CHART_UPLOAD=1: say "Syncing" for every chart and push every image, but
// upload no chart (the installer that claims charts it never put in the repository).
// DCE5_SIM_ORPHAN=<seconds>: after unpacking, start `sleep <seconds>` as a shell with job control
// starts `helper &` (a process group of its own, in the simulator's session), never wait for it and
// never kill it: it outlives the simulator, whether that exits 0 or is stopped.
// DCE5_SIM_RETRY_FAIL=N fails the first image push N times over, each
// attempt with its own error (the first `… Patch "…/blobs/uploads/": EOF`, then `… 503 Service
// Unavailable`, the last `… context deadline exceeded`), then `[Error]:[Error] import addon failed`:
// a retry loop whose first error differs from its last.
// Runs from the repository: `tar` and `yaml` come from its node_modules.
import {spawn} from 'node:child_process';
import {appendFileSync, createReadStream, existsSync, mkdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {createGunzip} from 'node:zlib';
import {findBundles, readBundle} from './sim/bundle.mjs';
import {chartRepoClient, noChartRepo, packChart} from './sim/chart-sync.mjs';
import {readConfig, requireTargets} from './sim/config.mjs';
import {mergeImage, syncImage} from './sim/image-push.mjs';
import {err, Fatal, fail, klog, out} from './sim/log.mjs';
import {registryClient} from './sim/registry-client.mjs';
import {targetOf} from './sim/target-ref.mjs';
import {diskBudget, extractTar} from './sim/unpack.mjs';

const env = process.env;
const delayMs = Number(env.DCE5_SIM_DELAY_MS ?? 0);
const budget = diskBudget(env.DCE5_SIM_DISK_BUDGET ? Number(env.DCE5_SIM_DISK_BUDGET) : Infinity);
const dryRun = env.DCE5_SIM_NO_REGISTRY === '1';
const noChartUpload = env.DCE5_SIM_NO_CHART_UPLOAD === '1';
const retryFailures = Number(env.DCE5_SIM_RETRY_FAIL ?? 0);
const targetDir = path.resolve('addon-offline-target-package');

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const pace = async () => {
	if (delayMs > 0) await sleep(delayMs);
};

// ---- arguments -------------------------------------------------------------------------------
function parse(argv) {
	const args = {flags: new Map(), positional: []};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const eq = arg.indexOf('=');
		if (arg.startsWith('--') && eq > 0) args.flags.set(arg.slice(0, eq), arg.slice(eq + 1));
		else if (['-c', '-m', '--addon-path'].includes(arg)) args.flags.set(arg, argv[++i]);
		else if (arg.startsWith('-')) args.flags.set(arg, true);
		else args.positional.push(arg);
	}
	return args;
}

/** Version and arch from the package's file name (`…-v0.10.3-amd64.tar.gz`); arch defaults to amd64. */
function packageIdentity(packagePath) {
	const match = /-v?(\d+)\.(\d+)\.(\d+)[^/]*?-(amd64|arm64)\.tar\.gz$/.exec(path.basename(packagePath));
	const arch = /-(amd64|arm64)\.tar\.gz$/.exec(packagePath)?.[1] ?? 'amd64';
	// Its own charts-syncer before v0.0.17 (addon < 0.12.0) pushed without looking (reference §4.3).
	const forcePush = match ? Number(match[1]) === 0 && Number(match[2]) < 12 : false;
	return {arch, forcePush};
}

// ---- the import itself ------------------------------------------------------------------------
async function unpackPackage(packagePath) {
	if (existsSync(targetDir)) fail(`failed to unpack addon package: mkdir ${targetDir}: file exists`);
	let size;
	try {
		size = statSync(packagePath).size;
	} catch {
		fail(`failed to unpack addon package: open ${packagePath}: no such file or directory`);
	}
	mkdirSync(targetDir);
	out(`[Info]: unpacking addon package ${packagePath} (${size} bytes) to ${targetDir}`);
	try {
		await extractTar(createReadStream(packagePath).pipe(createGunzip()), targetDir, budget);
	} catch (error) {
		if (error instanceof Fatal) throw error;
		fail(`failed to unpack addon package: ${error.message}`);
	}
}

let helper;
function startHelper() {
	// The real installer runs charts-syncer and skopeo as children; one child proves process-group handling.
	if (env.DCE5_SIM_HELPER === '1') helper = spawn('sleep', ['600'], {stdio: 'ignore'});
}

function startOrphan() {
	const seconds = Number(env.DCE5_SIM_ORPHAN ?? 0);
	// `set -m` puts the background job in a group of its own, out of reach of a signal to the installer's group.
	if (seconds > 0) spawn('bash', ['-c', `set -m; sleep ${seconds} &`], {stdio: 'ignore'}).unref();
}

async function floodIfAsked() {
	const lines = Number(env.DCE5_SIM_FLOOD ?? 0);
	if (!lines) return;
	const started = performance.now();
	const line = klog('sync.go:120', 'flood line for throughput measurement ......................................');
	const write = async text => {
		if (!process.stdout.write(text)) await new Promise(resolve => process.stdout.once('drain', resolve));
	};
	let chunk = '';
	for (let i = 0; i < lines; i++) {
		chunk += `${line} ${i}\n`;
		if (chunk.length > 1 << 16) {
			await write(chunk);
			chunk = '';
		}
	}
	await write(chunk);
	// How long the flood took the installer itself: a reader that does not keep up makes the writes wait.
	if (env.DCE5_SIM_FLOOD_REPORT) writeFileSync(env.DCE5_SIM_FLOOD_REPORT, `${(performance.now() - started).toFixed(3)}\n`);
}

/** Where this run writes: the real registry and repository, or nothing at all under DCE5_SIM_NO_REGISTRY=1. */
function destinations(config) {
	if (dryRun) {
		const nothing = async () => undefined;
		return {
			registry: {getManifest: nothing, getBlob: nothing, hasBlob: async () => true, uploadBlob: nothing, putManifest: nothing},
			charts: noChartRepo,
		};
	}
	return {registry: registryClient(config.registry), charts: chartRepoClient(config.charts)};
}

/** DCE5_SIM_RETRY_FAIL: every attempt at a push fails, each with its own error; the first is the one that matters. */
function failRetries(target, registryUrl) {
	for (let attempt = 1; attempt <= retryFailures; attempt++) {
		const cause =
			attempt === 1
				? `Patch "${registryUrl}/v2/${target.repo}/blobs/uploads/": EOF`
				: attempt === retryFailures
					? 'context deadline exceeded'
					: 'unexpected status code 503 Service Unavailable';
		err(`Error: failed to push image ${target.ref} (attempt ${attempt}/${retryFailures}): ${cause}`);
	}
	fail('import addon failed');
}

/** Runs one registry or repository operation; its failure ends the import the way charts-syncer reports it. */
async function orFail(operation, describe) {
	try {
		return await operation();
	} catch (error) {
		if (error instanceof Fatal) throw error;
		err(`Error: ${describe}: ${error.message}`);
		fail('import addon failed');
	}
}

async function importPackage(packagePath, config, mode) {
	await unpackPackage(packagePath);
	const {arch, forcePush} = packageIdentity(packagePath);
	await floodIfAsked();
	startHelper();
	startOrphan();
	const {registry, charts} = destinations(config);
	const synced = await orFail(() => charts.synced(), `failed to sync charts to ${charts.url}`);
	for (const bundlePath of findBundles(targetDir)) {
		const bundle = await readBundle(bundlePath, budget);
		const id = `${bundle.name}_${bundle.version}`;
		const chartThere = synced.has(id);
		const chartLine = () =>
			err(chartThere ? klog('index.go:80', `Skipping "${id}" chart: Already synced`) : klog('sync.go:66', `Syncing "${id}" chart...`));
		// charts-syncer drops a chart version the repository has before moving anything, images included.
		if (mode === 'cluster-create') chartLine();
		if (mode === 'import-addon' || !chartThere) {
			for (const image of bundle.images) {
				await pace();
				const target = targetOf(image.ref, config.registry);
				if (retryFailures > 0) failRetries(target, config.registry.url ?? `https://${target.host}`);
				const push =
					mode === 'cluster-create'
						? () => syncImage(registry, {bundle, image, ...target, forcePush, arch, say: out})
						: () => mergeImage(registry, {bundle, image, ...target, arch: image.arch, say: out});
				await orFail(push, `failed to push image ${mode === 'cluster-create' ? target.ref : `${target.ref}-${image.arch}`}`);
			}
		}
		if (mode === 'import-addon') chartLine();
		if (!chartThere && !noChartUpload) {
			await orFail(async () => charts.upload(await packChart(bundle)), `failed to upload "${id}" chart to ${charts.url}`);
			synced.add(id);
		}
		await pace();
	}
	rmSync(targetDir, {recursive: true, force: true});
	budget.reset();
	out(`[Info]: addon offline package ${path.basename(packagePath)} imported (${arch})`);
}

function config(args) {
	const read = readConfig(args.flags.get('-c'), env, {dryRun});
	if (!dryRun) requireTargets(read);
	return read;
}

async function main() {
	// A test proves the installer did (or did not) start by this line, not by the absence of output.
	if (env.DCE5_SIM_TRACE)
		appendFileSync(env.DCE5_SIM_TRACE, `${JSON.stringify({pid: process.pid, argv: process.argv.slice(2), cwd: process.cwd()})}\n`);
	// Lets a test put a known string (e.g. a registry password) into the installer's output.
	if (env.DCE5_SIM_ECHO !== undefined) out(env.DCE5_SIM_ECHO.replace(/\r?\n/g, ' '));
	// Lets a test see which variables reached the installer (names only: values may be secrets).
	if (env.DCE5_SIM_ENV_REPORT)
		appendFileSync(env.DCE5_SIM_ENV_REPORT, `${process.argv.slice(2).join(' ')}\n${Object.keys(env).sort().join('\n')}\n--\n`);
	const [command, ...rest] = process.argv.slice(2);
	if (command === '--version' || command === 'version') {
		out('dce5-installer v0.27.0 (simulator)');
		return;
	}
	const args = parse(rest);
	if (command === 'cluster-create') {
		const read = readConfig(args.flags.get('-c'), env, {dryRun});
		if (!args.flags.get('-m') || !existsSync(args.flags.get('-m')))
			fail(`read manifest ${args.flags.get('-m') ?? ''}: no such file or directory`);
		if (read.paths.length === 0) fail('invalid ClusterConfig: spec.addonPackage.path is empty');
		if (!dryRun) requireTargets(read);
		const total = 13;
		for (let step = 1; step < total; step++) {
			out(`[Info]: Step ${step}/${total}: ${step === 1 ? 'check cluster config' : `reconcile cluster (${step})`}`);
			await pace();
		}
		out(`[Info]: Step ${total}/${total}: import addon offline package`);
		for (const packagePath of read.paths) await importPackage(packagePath, read, 'cluster-create');
		out('[Info]: cluster-create finished');
		return;
	}
	if ((command === 'import' && args.positional[0] === undefined && args.flags.has('-addon')) || command === 'import-addon') {
		const read = config(args);
		const packagePath = args.flags.get('--addon-path');
		if (!packagePath) fail('import addon: --addon-path is required');
		out('[Info]: Step 1/1: import addon offline package (multi-arch)');
		await importPackage(packagePath, read, 'import-addon');
		out('[Info]: import addon finished');
		return;
	}
	err(`Error: unknown command "${[command, ...rest].join(' ')}" for "dce5-installer"`);
	process.exitCode = 1;
}

try {
	await main();
} catch (error) {
	helper?.kill();
	if (!(error instanceof Fatal)) throw error;
	err(`[Error]:[Error] ${error.message}`);
	process.exitCode = 1;
}
helper?.kill();
