// Registry diff and verification at 100, 1,000 and 5,000 images against a local docker-registry
// (`npx tsx scripts/bench-registry.ts [--runs N] [--sizes 100,1000,5000] [--concurrency 8] [--auth none|basic|bearer] [--index-mb 10,30] [--profile DIR]`).
//
// The registry is filled once with 5,000 distinct tags, 10 per repository: 80 % are two-arch
// Docker lists (amd64 + arm64, each child with its own config), 20 % single amd64 images. Every
// image has its own config, so no read is served by the client's digest cache. The "package" is
// amd64: per tag its config digest is the registry's (same) for half, another for the rest, and 10 %
// of its tags do not exist. Each measurement runs in a child process of its own, so its peak RSS
// (process.resourceUsage().maxRSS) is its own: diff = read every tag through the registry port +
// diffRegistry; verify = read again + verifyStep.
import {Agent, request} from 'undici';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import os, {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {readChartIndex} from '../source/adapters/registry/chart-repo-client.js';
import {createRegistryPort} from '../source/adapters/registry/registry-port.js';
import {diffRegistry, plannedPushes, readTargetsOf, type PushImage} from '../source/domain/registry/push-diff.js';
import {locateRegistry} from '../source/domain/registry/location.js';
import {manifestAccept} from '../source/domain/registry/manifest.js';
import {isWizardError} from '../source/domain/shared/wizard-error.js';
import {verifyStep} from '../source/domain/registry/verify-step.js';
import type {RegistryRead} from '../source/workflow/ports/registry-port.js';
import {startTokenServer} from '../test/helpers/registry-fixtures.js';
import {startRegistry} from '../test/helpers/registry.js';
import {bundleBench} from './bench-bundle.js';
import {measureInChild} from './bench-child.js';

import {configOf, populate, pushTokens, repositoryOf, sha, tagOf, type Filler} from './bench-registry-fill.js';

// ---- one measurement (child process) -------------------------------------------------------------
function packageImages(count: number): PushImage[] {
	return Array.from({length: count}, (_, index) => ({
		registry: 'release.daocloud.io',
		repository: repositoryOf(index).slice('release.daocloud.io/'.length),
		tag: tagOf(index),
		architecture: 'amd64',
		configDigest: index % 2 === 0 ? sha(configOf(index, 'amd64')) : sha(`new ${index}`),
	}));
}

type Phase = 'diff' | 'verify' | 'raw' | 'index';
type Measured = {
	phase: Phase;
	size: number;
	seconds: number;
	cpuSeconds: number;
	requests: number;
	maxRSSMiB: number;
	baselineRSSMiB: number;
	losingArch?: number;
	verified?: boolean;
	counts?: unknown;
};
type Job = {
	url: string;
	username: string;
	password: string;
	size: number;
	phase: Phase;
	concurrency: number;
	auth: string;
	recordFile: string;
};

function finish(
	job: Job,
	started: number,
	cpu: NodeJS.CpuUsage,
	baselineRSSMiB: number,
	result: Pick<Measured, 'requests' | 'losingArch' | 'verified' | 'counts'>,
): Measured {
	const used = process.cpuUsage(cpu);
	return {
		phase: job.phase,
		size: job.size,
		seconds: (performance.now() - started) / 1000,
		cpuSeconds: (used.user + used.system) / 1e6,
		maxRSSMiB: process.resourceUsage().maxRSS / 1024,
		baselineRSSMiB,
		...result,
	};
}

/** diff: read + diffRegistry; verify: read + verifyStep. The diff records every request it sent for `raw`. */
async function measure(job: Job): Promise<Measured> {
	const baselineRSSMiB = process.resourceUsage().maxRSS / 1024;
	const located = locateRegistry({
		document: undefined,
		flags: {registry: job.url},
		env: job.auth === 'none' ? {} : {registryUser: job.username, registryPassword: job.password},
	});
	if (isWizardError(located)) {
		throw new Error(located.message);
	}

	const sent: string[] = [];
	const onRequest =
		job.phase === 'diff'
			? (event: {phase: string; method: string; url: string; attempt: number}) => {
					if (event.phase === 'start' && event.attempt === 0) {
						sent.push(`${event.method} ${event.url}`);
					}
				}
			: undefined;
	const port = createRegistryPort({location: located.location, secrets: located.secrets, http: {concurrency: job.concurrency, onRequest}});
	const pushes = plannedPushes(packageImages(job.size), {pathPrefix: ''}, 'amd64');
	const started = performance.now();
	const cpu = process.cpuUsage();
	const state = await port.readRegistryState(readTargetsOf(pushes));
	if (isWizardError(state)) {
		throw new Error(state.message);
	}

	const read = state as RegistryRead;
	let result: Measured;
	if (job.phase === 'diff') {
		const diff = diffRegistry({
			pushes,
			step: {kind: 'cluster-create', version: 'v0.11.0'},
			now: read.tags,
			spaces: read.spaces,
			neighbours: read.neighbours,
		});
		result = finish(job, started, cpu, baselineRSSMiB, {requests: read.requests, losingArch: diff.losingArch.length, counts: diff.counts});
		await writeFile(job.recordFile, sent.join('\n'));
	} else {
		const verification = verifyStep(
			{
				step: {kind: 'cluster-create', version: 'v0.12.0'},
				purpose: 'upgrade',
				package: {kind: 'standard', arch: 'amd64', version: 'v0.12.0'},
				pushes,
				before: read.tags,
				clusterArches: ['amd64', 'arm64'],
			},
			read.tags,
		);
		result = finish(job, started, cpu, baselineRSSMiB, {
			requests: read.requests,
			losingArch: verification.lostArch.count,
			verified: verification.verified,
		});
	}

	await port.close();
	return result;
}

/**
 * The floor: the diff's own requests replayed by bare undici at the same concurrency, nothing
 * parsed, no order between a list and its children (so it is a little kinder than any real read).
 */
async function replay(job: Job): Promise<Measured> {
	const baselineRSSMiB = process.resourceUsage().maxRSS / 1024;
	const lines = (await readFile(job.recordFile, 'utf8')).split('\n').filter(Boolean);
	const agent = new Agent({connections: job.concurrency});
	const authorization = job.auth === 'basic' ? `Basic ${Buffer.from(`${job.username}:${job.password}`).toString('base64')}` : undefined;
	const started = performance.now();
	const cpu = process.cpuUsage();
	let next = 0;
	await Promise.all(
		Array.from({length: job.concurrency}, async () => {
			while (next < lines.length) {
				const [method, url] = lines[next++]!.split(' ') as ['GET' | 'HEAD', string];
				const response = await request(url, {
					dispatcher: agent,
					method,
					headers: {accept: manifestAccept, ...(authorization ? {authorization} : {})},
				});
				await response.body.text();
			}
		}),
	);
	const result = finish(job, started, cpu, baselineRSSMiB, {requests: lines.length});
	await agent.close();
	return result;
}

/** A Go-style index.yaml of about `megabytes` MB: 40 versions per chart, 300-byte descriptions. */
function indexText(megabytes: number): string {
	const lines = ['apiVersion: v1', 'entries:'];
	let bytes = 0;
	for (let chart = 0; bytes < megabytes * 1e6; chart++) {
		lines.push(`  chart-${chart}:`);
		for (let version = 0; version < 40; version++) {
			const entry = [
				`  - apiVersion: v2`,
				`    name: chart-${chart}`,
				`    version: 1.${version}.0`,
				`    appVersion: "1.${version}"`,
				`    created: "2026-12-01T00:00:00Z"`,
				`    description: ${'d'.repeat(300)}`,
				`    digest: ${'e'.repeat(64)}`,
				'    urls:',
				`    - charts/chart-${chart}-1.${version}.0.tgz`,
			];
			bytes += entry.reduce((sum, line) => sum + line.length + 1, 0);
			lines.push(...entry);
		}
	}

	return `${lines.join('\n')}\ngenerated: "2026-12-01T00:00:00Z"\n`;
}

/** index: the chart repository client reads an index of `size` MB from a local HTTP server. */
async function measureIndex(job: Job): Promise<Measured> {
	const baselineRSSMiB = process.resourceUsage().maxRSS / 1024;
	const started = performance.now();
	const cpu = process.cpuUsage();
	const located = locateRegistry({document: undefined, flags: {registry: 'http://127.0.0.1:1', chartRepo: job.url}});
	if (isWizardError(located) || isWizardError(located.location.chartRepo)) {
		throw new Error('locate');
	}

	const read = await readChartIndex(located.location.chartRepo, undefined);
	if (isWizardError(read)) {
		throw new Error(read.message);
	}

	return finish(job, started, cpu, baselineRSSMiB, {requests: 1, counts: {charts: read.charts.size, bytes: read.bytes}});
}

async function serveIndex(megabytes: number): Promise<{url: string; close(): Promise<void>}> {
	const body = Buffer.from(indexText(megabytes));
	const server = createServer((_request, response) => {
		response.writeHead(200, {'content-type': 'application/x-yaml', 'content-length': body.length});
		response.end(body);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		close: async () => new Promise(resolve => server.close(() => resolve())),
	};
}

async function inChild(script: string, job: Job, profileDir?: string): Promise<Measured> {
	const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
	return measureInChild<Measured>(script, profile, job);
}

// ---- main ------------------------------------------------------------------------------------------
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function option(name: string, fallback: string): string {
	const index = process.argv.indexOf(name);
	return index === -1 ? fallback : (process.argv[index + 1] ?? fallback);
}

/** `floor`: the raw replay of the same rounds; the ratio is the median of per-round ratios, so a change in load between rounds cancels out. */
function row(phase: Phase, size: number, results: Measured[], floor?: Measured[]): string {
	const seconds = median(results.map(result => result.seconds));
	const cpuSeconds = median(results.map(result => result.cpuSeconds));
	const rss = Math.max(...results.map(result => result.maxRSSMiB));
	const baseline = median(results.map(result => result.baselineRSSMiB));
	const ratio = floor?.length ? `${median(results.map((result, round) => result.seconds / floor[round]!.seconds)).toFixed(2)}×` : '';
	return `${phase.padEnd(6)}  ${String(size).padStart(6)}  ${seconds.toFixed(3).padStart(8)}  ${((seconds * 1000) / size).toFixed(2).padStart(8)}  ${ratio.padStart(7)}  ${cpuSeconds.toFixed(3).padStart(12)}  ${String(results[0]!.requests).padStart(8)}  ${rss.toFixed(0).padStart(12)}  ${baseline.toFixed(0).padStart(13)}  ${results.map(result => result.seconds.toFixed(3)).join(' ')}\n`;
}

async function main() {
	if (process.argv.includes('--child')) {
		const job = JSON.parse(process.argv[process.argv.indexOf('--child') + 1]!) as Job;
		const run = {raw: replay, index: measureIndex, diff: measure, verify: measure}[job.phase];
		process.stdout.write(JSON.stringify(await run(job)));
		return;
	}

	const runs = Number(option('--runs', '3'));
	const sizes = option('--sizes', '100,1000,5000').split(',').map(Number);
	const concurrency = Number(option('--concurrency', '8'));
	const auth = option('--auth', 'none');
	const profileDir = process.argv.includes('--profile') ? option('--profile', '') : undefined;
	const script = await bundleBench(import.meta.filename, 'bench-registry');
	const scratch = await mkdtemp(path.join(tmpdir(), 'bench-registry-'));
	const tokens =
		auth === 'bearer' ? await startTokenServer(scratch, {username: 'tester', password: 'S3cret-pass', expiresIn: 300}) : undefined;
	const registry = await startRegistry(
		tokens
			? {tokenAuth: {realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertBundle: tokens.certPath}}
			: {auth: auth === 'basic'},
	);
	try {
		const basic = `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`;
		const filler: Filler = {registry, auth: tokens ? pushTokens(tokens) : async () => (auth === 'basic' ? basic : undefined)};
		const fillSeconds = await populate(filler, Math.max(...sizes), 16);
		process.stdout.write(
			`registry (auth: ${auth}) filled with ${Math.max(...sizes)} tags in ${fillSeconds.toFixed(1)} s; load ${os.loadavg()[0]!.toFixed(2)}; concurrency ${concurrency}; ${runs} interleaved rounds\n\n`,
		);
		process.stdout.write('phase   images  median s  ms/image  vs raw  client CPU s  requests  peak RSS MiB  (code loaded)  runs (s)\n');
		// Bearer replays would need the tokens the client fetched: the floor is measured without auth only.
		const phases: Phase[] = auth === 'bearer' ? ['diff', 'verify'] : ['diff', 'verify', 'raw'];
		for (const size of sizes) {
			const results = new Map<Phase, Measured[]>(phases.map(phase => [phase, []]));
			for (let run = 0; run < runs; run++) {
				for (const phase of phases) {
					const job: Job = {
						url: registry.url,
						username: registry.username,
						password: registry.password,
						size,
						phase,
						concurrency,
						auth,
						recordFile: path.join(scratch, `requests-${size}.txt`),
					};
					results.get(phase)!.push(await inChild(script, job, profileDir));
				}
			}

			for (const phase of phases) {
				process.stdout.write(row(phase, size, results.get(phase)!, phase === 'raw' ? undefined : results.get('raw')));
			}

			const first = results.get('diff')![0]!;
			process.stdout.write(
				`        (diff counts: ${JSON.stringify(first.counts)}, tags losing arm64: ${first.losingArch}; load now ${os.loadavg()[0]!.toFixed(2)})\n`,
			);
		}

		for (const megabytes of option('--index-mb', '10,30').split(',').map(Number).filter(Boolean)) {
			const served = await serveIndex(megabytes);
			const results: Measured[] = [];
			for (let run = 0; run < runs; run++) {
				results.push(
					await inChild(script, {
						url: served.url,
						username: '',
						password: '',
						size: megabytes,
						phase: 'index',
						concurrency: 1,
						auth: 'none',
						recordFile: '',
					}),
				);
			}

			await served.close();
			process.stdout.write(
				`index.yaml ${megabytes} MB (${JSON.stringify(results[0]!.counts)}): median ${median(results.map(result => result.seconds)).toFixed(3)} s, client CPU ${median(results.map(result => result.cpuSeconds)).toFixed(3)} s, peak RSS ${Math.max(...results.map(result => result.maxRSSMiB)).toFixed(0)} MiB (code loaded ${median(results.map(result => result.baselineRSSMiB)).toFixed(0)}); runs ${results.map(result => result.seconds.toFixed(3)).join(' ')}\n`,
			);
		}
	} finally {
		await registry.stop();
		await tokens?.stop();
		await rm(scratch, {recursive: true, force: true});
	}
}

await main();
