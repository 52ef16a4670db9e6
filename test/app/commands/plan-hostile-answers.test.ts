// A registry and chart repository that answer, but with nothing the wizard can use: an HTML page
// for one manifest, malformed JSON for another, an endless body for the third, and a chart
// index.yaml of 200 MB generated on the fly. The built CLI runs `plan` against them as a script
// would: every unreadable tag is named with its cause and a next step and never counted as absent,
// the index is not read past its cap (and the CLI's peak memory stays bounded), the charts are
// unknown, and `--require-registry` blocks (exit 3).
import {createServer, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {readFile, rm, writeFile} from 'node:fs/promises';
import process from 'node:process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {planDocumentSchema} from '../../../source/report/contract/plan.js';
import {cliPath, clusterConfigText, makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';
import {runProgram} from '../../helpers/run-program.js';

const manifestType = 'application/vnd.docker.distribution.manifest.v2+json';
const indexBytes = 200 * 1_048_576;
let f: ClusterFixture;
let server: Server;
let base = '';
/** Bytes the server sent of the 200 MB index, per request: the wizard must stop well before the end. */
const indexSent: number[] = [];

/** An endless manifest: chunks until the client goes away. */
function endless(response: ServerResponse): void {
	response.writeHead(200, {'content-type': manifestType});
	const chunk = Buffer.alloc(64 * 1024, 0x20);
	const pump = () => {
		while (!response.destroyed && response.write(chunk)) {
			// Fill the socket's buffer, then wait for it to drain.
		}
	};

	response.on('drain', pump);
	pump();
}

/**
 * A Helm index in the layout Go writes, 200 MB of it made as it is sent: one chart with versions
 * without end, so reading chart by chart does not help; only the caps do.
 */
function hugeIndex(response: ServerResponse): void {
	response.writeHead(200, {'content-type': 'application/x-yaml'});
	let sent = 0;
	let version = 0;
	const slot = indexSent.push(0) - 1;
	const entry = () =>
		`  - apiVersion: v2\n    name: big\n    version: 0.${version++}.0\n    description: ${'d'.repeat(900)}\n    urls:\n    - charts/big.tgz\n`;
	const pump = () => {
		while (!response.destroyed && sent < indexBytes) {
			const text = (sent === 0 ? 'apiVersion: v1\nentries:\n  big:\n' : '') + Array.from({length: 50}, entry).join('');
			sent += text.length;
			indexSent[slot] = sent;
			if (!response.write(text)) {
				return;
			}
		}

		if (!response.destroyed) {
			response.end();
		}
	};

	response.on('drain', pump);
	pump();
}

function hostile(url: string, response: ServerResponse): void {
	if (url === '/v2/') {
		response.writeHead(200, {'content-type': 'application/json', 'docker-distribution-api-version': 'registry/2.0'}).end('{}');
	} else if (url.startsWith('/charts/index.yaml')) {
		hugeIndex(response);
	} else if (url.includes('/metrics-server/manifests/')) {
		response.writeHead(200, {'content-type': 'text/html'}).end('<html><body>Welcome to nginx!</body></html>');
	} else if (url.includes('/dao-2048/manifests/')) {
		response.writeHead(200, {'content-type': manifestType}).end('{"schemaVersion": 2, "config": ');
	} else if (url.includes('/nginx/manifests/')) {
		endless(response);
	} else {
		response.writeHead(404).end();
	}
}

beforeAll(async () => {
	server = createServer((request, response) => {
		hostile(request.url ?? '', response);
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	f = await makeClusterFixture({packages: [{version: 'v0.30.0', arch: 'amd64'}]});
	const block = ['  imagesAndCharts:', '    type: external', `    externalImageRepo: ${base}`, `    externalChartRepo: ${base}/charts`, ''];
	await writeFile(f.configPath, clusterConfigText(undefined, '', block.join('\n')));
}, 120_000);

afterAll(async () => {
	server?.closeAllConnections();
	server?.close();
	await f?.stop();
	await rm(f?.root ?? '/nonexistent', {recursive: true, force: true});
});

/** A command of the built CLI under /usr/bin/time, which reports the child's peak resident memory in KiB. */
async function wizard(command: string, ...extra: string[]) {
	const result = await runProgram(
		'/usr/bin/time',
		['-f', 'maxrss-kib=%M', process.execPath, cliPath, command, '-c', f.configPath, '-p', f.packages[0]!.path, ...extra],
		{
			cwd: f.workdir,
			env: {...f.env, CI: 'true'},
			timeoutMs: 150_000,
		},
	);
	const rss = Number(/maxrss-kib=(\d+)/.exec(result.stderr)?.[1]);
	return {...result, peakMiB: rss / 1024};
}

const plan = async (...extra: string[]) => wizard('plan', ...extra);

describe('plan against a registry and chart repository that answer with nothing usable', () => {
	it('names each unreadable tag with its cause and next step, and never says the registry holds none', async () => {
		const result = await plan();
		expect(result.code).toBe(0);
		const text = result.stdout;
		expect(text).toContain(
			'3 tags could not be read, so they are counted as pending, never as absent (plan --json lists every one with its cause):',
		);
		expect(text).toMatch(/the manifest is not JSON: 2 tags \(/);
		expect(text).toContain(
			'the answer is larger than 4 MiB, more than the wizard reads: 1 tag (docker.m.daocloud.io/bitnami/nginx:1.25.1)',
		);
		expect(text).toContain(
			'next: Inspect the tag (skopeo inspect --raw docker://REPOSITORY:TAG), then push its image again or delete the tag',
		);
		expect(text).toContain('Tags: 3 (0 added, 0 merged, 0 overwritten, 0 unchanged, 3 unreadable)');
		expect(text).not.toContain('holds none');
		// The hazard check cannot vouch for tags it never read, so it says what it covered.
		expect(text).toContain(
			'No version or package-set hazards in what the wizard knows (clusterConfig.yaml, its history, the flags, the tags it read): 3 tags could not be read',
		);
		expect(text).not.toMatch(/\[pass\]\s+No version or package-set hazards\n/);
		expect(text).toContain("the registry's 3 tags of these images could not be read");
		// The charts are unknown too, so the summary names the chart repository first.
		expect(text).toContain('Changes assumed pending: the chart repository was not read');
		expect(text).toContain('Charts: 3 charts in the plan, unknown in the chart repository (it could not be read)');
	}, 180_000);

	it('stops reading the 200 MB index.yaml at its cap with bounded memory, says so, and counts the charts as unknown', async () => {
		const result = await plan('--json');
		const document = planDocumentSchema.parse(JSON.parse(result.stdout));
		expect(document.registry?.charts).toMatchObject({
			checked: false,
			problem: {
				message: `The chart repository's index.yaml at ${base}/charts/index.yaml is larger than 64 MB; not read, so its charts are unknown (counted as pending).`,
			},
		});
		expect(document.changed).toBe(true);
		expect(document.summary).toContain('changes assumed pending: the chart repository was not read');
		// The server could not have sent the whole index: the wizard hung up near its cap.
		expect(Math.max(...indexSent)).toBeLessThan(indexBytes);
		// Before the caps this index took 421 MB and was taken as an empty repository; now about 160 MB.
		expect(result.peakMiB).toBeGreaterThan(0);
		expect(result.peakMiB).toBeLessThan(250);
		expect(document.registry?.unreadableTags?.map(tag => [tag.tag, tag.id, tag.reason])).toEqual([
			['docker.m.daocloud.io/bitnami/nginx:1.25.1', 'registry-protocol', 'the answer is larger than 4 MiB, more than the wizard reads'],
			['docker.m.daocloud.io/metrics-server/metrics-server:v0.6.2', 'registry-protocol', 'the manifest is not JSON'],
			['release.daocloud.io/daocloud/dao-2048:v1.4.1', 'registry-protocol', 'the manifest is not JSON'],
		]);
	}, 180_000);

	it('blocks under --require-registry (exit 3), naming the unreadable tags and the chart repository', async () => {
		const result = await plan('--require-registry');
		expect(result.code).toBe(3);
		expect(result.stdout).toContain('3 tags of the plan could not be read from the registry at');
		expect(result.stdout).toContain('The chart repository at');
		expect(result.stdout).toContain('is larger than 64 MB; not read');
		expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('Plan is BLOCKED: fix the errors above first.');
	}, 180_000);

	it('run --yes --require-registry blocks the same way before anything runs, and leaves clusterConfig.yaml alone', async () => {
		const before = await readFile(f.configPath, 'utf8');
		const result = await wizard('run', '--yes', '--require-registry');
		expect(result.code).toBe(3);
		expect(result.stdout + result.stderr).toContain('3 tags of the plan could not be read from the registry at');
		expect(await readFile(f.configPath, 'utf8')).toBe(before);
	}, 180_000);
});
