// Undo of N tags against reading those N tags, against a local docker-registry
// (`npx tsx scripts/bench-undo.ts [--runs N] [--sizes 100,1000] [--concurrency 8] [--live-heap]
// [--profile DIR]`).
//
// The registry is filled as scripts/bench-registry.ts fills it (lists and single images, 10 %
// absent). The snapshot is taken once per size, through the restore port, as a run takes it before
// a step. Each round, the parent then "runs the step": every present tag is overwritten by a
// single-arch manifest (the <0.12.0 clobber; an annotation makes each round's digest new), writes
// the snapshot file as a run does, and three children measure, one after the other:
// - undo: reading the snapshot file (schema-checked) + previewUndo + applyUndo, what
//   `addon-wizard undo --yes` does (HEAD every tag, HEAD what each saved manifest points to, PUT
//   the saved bytes, HEAD back);
// - save: the snapshot's own read of the same tags (GET each manifest), as before a step;
// - verify: the registry port's read of the same tags, as verify after a step reads them.
// Each child is its own process, so its peak RSS (process.resourceUsage().maxRSS) is its own; the
// registry's CPU per child comes from /proc. `--live-heap` runs undo with --expose-gc and prints
// the heap left after a full GC at each phase (slower: not for timing); `--profile DIR` writes the
// undo child's CPU and heap profiles there.
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import os, {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {getHeapStatistics} from 'node:v8';
import {createRegistryPort} from '../source/adapters/registry/registry-port.js';
import {createRestorePort} from '../source/adapters/registry/registry-snapshot.js';
import {runSnapshots} from '../source/adapters/run/run-snapshots.js';
import {plannedPushes, readTargetsOf, type PushImage} from '../source/domain/registry/push-diff.js';
import {locateRegistry} from '../source/domain/registry/location.js';
import {mediaTypes} from '../source/domain/registry/manifest.js';
import {savedTagOf, type SavedTag, type StepSnapshot} from '../source/domain/registry/tag-snapshot.js';
import {isWizardError} from '../source/domain/shared/wizard-error.js';
import type {RestorePort} from '../source/workflow/ports/snapshot-port.js';
import {applyUndo, previewUndo} from '../source/workflow/run/undo/undo-step.js';
import {startRegistry} from '../test/helpers/registry.js';
import {bundleBench} from './bench-bundle.js';
import {measureInChild} from './bench-child.js';
import {call, configOf, isAbsent, populate, putBlob, repositoryOf, sha, tagOf, type Filler} from './bench-registry-fill.js';

type Phase = 'undo' | 'save' | 'verify';
type Job = {url: string; size: number; phase: Phase; concurrency: number; stateDir: string};
/** `registryCpuSeconds`: what the registry process spent answering this child (from /proc). */
type Measured = {
	phase: Phase;
	size: number;
	seconds: number;
	cpuSeconds: number;
	maxRSSMiB: number;
	/** Highest V8 heap in use, sampled every 20 ms: what the code holds, apart from how V8 sizes its spaces. */
	peakHeapMiB: number;
	baselineRSSMiB: number;
	requests: number;
	registryCpuSeconds?: number;
	liveHeap?: Array<{at: string; mib: number}>;
	restored?: number;
	verified?: boolean;
};

const images = (count: number): PushImage[] =>
	Array.from({length: count}, (_, index) => ({
		registry: 'release.daocloud.io',
		repository: repositoryOf(index).slice('release.daocloud.io/'.length),
		tag: tagOf(index),
		architecture: 'amd64',
		configDigest: sha(configOf(index, 'amd64')),
	}));

function located(url: string) {
	const found = locateRegistry({document: undefined, flags: {registry: url}, env: {}});
	if (isWizardError(found)) {
		throw new Error(found.message);
	}

	return found;
}

const targetsOf = (size: number) => readTargetsOf(plannedPushes(images(size), {pathPrefix: ''}, 'amd64'));

// ---- one measurement (child process) -------------------------------------------------------------
/** Live heap (after a full GC) at each phase boundary of undo; only with `--live-heap` (it slows undo). */
const liveHeap: Array<{at: string; mib: number}> = [];
function liveHeapProbe(port: RestorePort): RestorePort {
	const gc = (globalThis as {gc?: () => void}).gc;
	if (!gc) {
		return port;
	}

	const probe = (at: string) => {
		gc();
		liveHeap.push({at, mib: Math.round(process.memoryUsage().heapUsed / 104857.6) / 10});
	};

	let puts = 0;
	return {
		...port,
		async digests(targets, signal) {
			probe(`before digests(${targets.length})`);
			const result = await port.digests(targets, signal);
			probe('after digests');
			return result;
		},
		async put(target, manifest, signal) {
			if (puts++ % 300 === 0) {
				probe(`put ${puts}`);
			}

			return port.put(target, manifest, signal);
		},
	};
}

async function measure(job: Job): Promise<Measured> {
	const {location, secrets} = located(job.url);
	const baselineRSSMiB = process.resourceUsage().maxRSS / 1024;
	let peakHeap = 0;
	const sampler = setInterval(() => {
		peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
	}, 20);
	const started = performance.now();
	const cpu = process.cpuUsage();
	let requests = 0;
	const http = {
		onRequest(event: {phase: string; attempt: number}) {
			requests += event.phase === 'start' && event.attempt === 0 ? 1 : 0;
		},
	};
	let extra: Pick<Measured, 'restored' | 'verified'> = {};
	if (job.phase === 'undo') {
		// Read as `addon-wizard undo` reads it (validated against its schema), inside the measure.
		const snapshots = await runSnapshots(job.stateDir).read('bench');
		if (isWizardError(snapshots)) {
			throw new Error(snapshots.message);
		}

		const snapshot = snapshots[0]!;
		const port = liveHeapProbe(createRestorePort({location, secrets, http, concurrency: job.concurrency}));
		const preview = await previewUndo(snapshot, port, {force: false, removeAdded: false});
		if (isWizardError(preview)) {
			throw new Error(preview.message);
		}

		const done = await applyUndo(preview, port);
		if (isWizardError(done)) {
			throw new Error(done.message);
		}

		extra = {restored: done.tags.filter(tag => tag.result === 'restored').length, verified: done.verified};
		await port.close();
	} else if (job.phase === 'save') {
		const port = createRestorePort({location, secrets, http, concurrency: job.concurrency});
		const saved = await port.save(targetsOf(job.size));
		if (isWizardError(saved)) {
			throw new Error(saved.message);
		}

		await port.close();
	} else {
		const port = createRegistryPort({location, secrets, http: {...http, concurrency: job.concurrency}});
		const read = await port.readRegistryState(targetsOf(job.size));
		if (isWizardError(read)) {
			throw new Error(read.message);
		}

		await port.close();
	}

	const used = process.cpuUsage(cpu);
	clearInterval(sampler);
	return {
		peakHeapMiB: peakHeap / 1048576,
		phase: job.phase,
		size: job.size,
		seconds: (performance.now() - started) / 1000,
		cpuSeconds: (used.user + used.system) / 1e6,
		maxRSSMiB: process.resourceUsage().maxRSS / 1024,
		baselineRSSMiB,
		requests,
		...(liveHeap.length > 0 ? {liveHeap} : {}),
		...extra,
	};
}

// ---- the parent: snapshot, clobber, children -------------------------------------------------------
/** The snapshot a run would write before the step, through the same port. */
async function takeSnapshot(url: string, size: number): Promise<StepSnapshot> {
	const {location, secrets} = located(url);
	const port = createRestorePort({location, secrets});
	const targets = targetsOf(size);
	const saved = await port.save(targets);
	await port.close();
	if (isWizardError(saved)) {
		throw new Error(saved.message);
	}

	// As a run saves it: with the images the step pushes, whose configs name their arch.
	const tags: SavedTag[] = targets.map((target, at) => savedTagOf(target, saved[at]!));
	return {runId: 'bench', stepIndex: 0, stepId: 'bench', configPath: '', registry: url, takenAt: Date.now(), tags};
}

/** The step: every present tag becomes a single amd64 image; `after` in the snapshot is its digest. */
async function clobber(filler: Filler, snapshot: StepSnapshot, round: number, concurrency: number): Promise<StepSnapshot> {
	const layers = new Map<string, Promise<{digest: string; size: number}>>();
	let next = 0;
	const tags = [...snapshot.tags];
	await Promise.all(
		Array.from({length: concurrency}, async () => {
			while (next < tags.length) {
				const at = next++;
				const saved = tags[at]!;
				const index = Number(saved.tag.slice(1));
				if (saved.before === 'absent' || isAbsent(index)) {
					continue;
				}

				const repository = saved.repository;
				layers.set(repository, layers.get(repository) ?? putBlob(filler, repository, 'layer'));
				const config = configOf(index, 'amd64');
				const manifest = JSON.stringify({
					schemaVersion: 2,
					mediaType: mediaTypes.dockerManifest,
					config: {mediaType: 'application/vnd.docker.container.image.v1+json', digest: sha(config), size: Buffer.byteLength(config)},
					layers: [{mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', ...(await layers.get(repository)!)}],
					annotations: {round: String(round)},
				});
				await call(filler, 'PUT', `/v2/${repository}/manifests/${saved.tag}`, manifest, mediaTypes.dockerManifest);
				tags[at] = {...saved, after: sha(manifest)};
			}
		}),
	);
	return {...snapshot, tags};
}

/** CPU seconds the process has used so far (utime + stime, clock ticks of 1/100 s on Linux). */
async function cpuOf(pid: number): Promise<number> {
	const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** `--profile DIR`: the undo child writes a CPU profile and a heap profile there. */
async function inChild(script: string, job: Job, registryPid: number): Promise<Measured> {
	const profile = option('--profile', '');
	const flags = [
		...(profile && job.phase === 'undo' ? ['--cpu-prof', '--heap-prof', `--diagnostic-dir=${profile}`] : []),
		...(process.argv.includes('--live-heap') ? ['--expose-gc'] : []),
	];
	const registryBefore = await cpuOf(registryPid);
	const measured = await measureInChild<Measured>(script, flags, job);
	return {...measured, registryCpuSeconds: (await cpuOf(registryPid)) - registryBefore};
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const option = (name: string, fallback: string) =>
	process.argv.includes(name) ? (process.argv[process.argv.indexOf(name) + 1] ?? fallback) : fallback;

/** The ratio is the median of per-round ratios, so a change in load between rounds cancels out. */
function row(results: Measured[], against: Record<string, Measured[]>): string {
	const ratios = Object.entries(against)
		.map(([name, floor]) => `${median(results.map((result, round) => result.seconds / floor[round]!.seconds)).toFixed(2)}× ${name}`)
		.join(', ');
	const {phase, size} = results[0]!;
	return `${phase.padEnd(6)}  ${String(size).padStart(5)}  ${median(results.map(result => result.seconds))
		.toFixed(3)
		.padStart(8)}  ${median(results.map(result => result.cpuSeconds))
		.toFixed(3)
		.padStart(7)}  ${median(results.map(result => result.registryCpuSeconds ?? 0))
		.toFixed(3)
		.padStart(7)}  ${String(results[0]!.requests).padStart(8)}  ${Math.max(...results.map(result => result.maxRSSMiB))
		.toFixed(0)
		.padStart(8)}  ${Math.max(...results.map(result => result.peakHeapMiB))
		.toFixed(0)
		.padStart(9)}  ${median(results.map(result => result.baselineRSSMiB))
		.toFixed(0)
		.padStart(
			6,
		)}  ${results.map(result => result.seconds.toFixed(3)).join(' ')}${ratios ? `   undo = ${ratios}` : ''}${results[0]!.restored === undefined ? '' : ` (restored ${results[0]!.restored}, verified ${results.every(result => result.verified)})`}\n`;
}

async function main() {
	if (process.argv.includes('--child')) {
		process.stdout.write(JSON.stringify(await measure(JSON.parse(process.argv[process.argv.indexOf('--child') + 1]!) as Job)));
		return;
	}

	const runs = Number(option('--runs', '5'));
	const sizes = option('--sizes', '100,1000').split(',').map(Number);
	const concurrency = Number(option('--concurrency', '8'));
	const script = await bundleBench(import.meta.filename, 'bench-undo');
	const scratch = await mkdtemp(path.join(tmpdir(), 'bench-undo-'));
	const registry = await startRegistry({auth: false});
	try {
		const filler: Filler = {registry, auth: async () => undefined};
		const fillSeconds = await populate(filler, Math.max(...sizes), 16);
		process.stdout.write(
			`undo bench: registry filled with ${Math.max(...sizes)} tags in ${fillSeconds.toFixed(1)} s; load ${os
				.loadavg()
				.map(load => load.toFixed(2))
				.join(' ')}; concurrency ${concurrency}; ${runs} interleaved rounds\n\n`,
		);
		process.stdout.write('phase    tags  median s   CPU s  reg CPU  requests  peak RSS  peak heap  (code)  runs (s)\n');
		for (const size of sizes) {
			const snapshot = await takeSnapshot(registry.url, size);
			const stateDir = path.join(scratch, String(size));
			const results: Record<Phase, Measured[]> = {undo: [], save: [], verify: []};
			let snapshotMiB = 0;
			for (let round = 0; round < runs; round++) {
				const written = await runSnapshots(stateDir).write(await clobber(filler, snapshot, round, 16), 'bench.log');
				snapshotMiB = written.bytes / 1048576;
				for (const phase of ['undo', 'save', 'verify'] as const) {
					results[phase].push(await inChild(script, {url: registry.url, size, phase, concurrency, stateDir}, registry.pid));
				}
			}

			process.stdout.write(row(results.undo, {save: results.save, verify: results.verify}));
			for (const result of results.undo.filter(item => item.liveHeap)) {
				process.stdout.write(`        live heap MiB: ${result.liveHeap!.map(point => `${point.at} ${point.mib}`).join(', ')}\n`);
			}

			process.stdout.write(row(results.save, {}));
			process.stdout.write(row(results.verify, {}));
			process.stdout.write(
				`        (load now ${os
					.loadavg()
					.map(load => load.toFixed(2))
					.join(' ')}; snapshot file ${snapshotMiB.toFixed(2)} MiB)\n`,
			);
		}
	} finally {
		await registry.stop();
		await rm(scratch, {recursive: true, force: true});
	}
}

await main();
