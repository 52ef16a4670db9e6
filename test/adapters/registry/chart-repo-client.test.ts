// index.yaml from a Helm repository served over HTTP with basic auth: a static server is a real
// Helm repository (§9.5); ChartMuseum and Harbor's chartrepo serve the same file.
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {stringify} from 'yaml';
import {readChartIndex} from '../../../source/adapters/registry/chart-repo-client.js';
import {locateRegistry, type RegistryEnvValues} from '../../../source/domain/registry/location.js';
import type {RegistryAccessError} from '../../../source/domain/registry/tag-state.js';
import {isWizardError} from '../../../source/domain/shared/wizard-error.js';

const user = 'rootuser';
const password = 'rootpass123';

function bigIndex(charts: number, versions: number): string {
	const entries: Record<string, unknown[]> = {};
	for (let chart = 0; chart < charts; chart++) {
		entries[`chart-${chart}`] = Array.from({length: versions}, (_, version) => ({
			apiVersion: 'v2',
			name: `chart-${chart}`,
			version: `0.${version}.0`,
			digest: 'f'.repeat(64),
			created: '2026-12-01T00:00:00Z',
			description: 'd'.repeat(200),
			urls: [`charts/chart-${chart}-0.${version}.0.tgz`],
		}));
	}

	return stringify({apiVersion: 'v1', entries, generated: '2026-12-01T00:00:00Z'}, {indentSeq: false, lineWidth: 0});
}

describe('chart repository index.yaml', () => {
	let server: Server;
	let base = '';
	const files = new Map<string, string>();

	beforeAll(async () => {
		files.set(
			'/addon/index.yaml',
			stringify(
				{
					apiVersion: 'v1',
					entries: {
						'metrics-server': [
							{name: 'metrics-server', version: '3.8.3'},
							{name: 'metrics-server', version: '3.8.2'},
						],
						'dao-2048': [{name: 'dao-2048', version: '1.4.1'}],
					},
				},
				{indentSeq: false},
			),
		);
		files.set('/big/index.yaml', bigIndex(300, 60));
		server = createServer((request, response) => {
			if (request.headers.authorization !== `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`) {
				response.writeHead(401, {'www-authenticate': 'Basic realm="chartmuseum"'}).end();
				return;
			}

			const body = files.get(request.url ?? '');
			if (body === undefined) {
				response.writeHead(404).end('not found');
				return;
			}

			// Chunks of 64 KiB, as a real server streams a large file.
			response.writeHead(200, {'content-type': 'application/x-yaml'});
			const data = Buffer.from(body);
			for (let offset = 0; offset < data.length; offset += 65_536) {
				response.write(data.subarray(offset, offset + 65_536));
			}

			response.end();
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});

	afterAll(
		async () =>
			new Promise<void>(resolve => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	);

	async function readFrom(repoPath: string, env: RegistryEnvValues = {chartUser: user, chartPassword: password}, maxBytes?: number) {
		const located = locateRegistry({document: undefined, flags: {registry: 'http://127.0.0.1:1', chartRepo: `${base}${repoPath}`}, env});
		if (isWizardError(located) || isWizardError(located.location.chartRepo)) {
			throw new Error('locate failed');
		}

		return readChartIndex(located.location.chartRepo, located.secrets.chartPassword, {maxBytes});
	}

	it('reads chart name → versions with basic auth', async () => {
		const result = await readFrom('/addon');
		expect(isWizardError(result)).toBe(false);
		expect(!isWizardError(result) && result.charts).toEqual(
			new Map([
				['metrics-server', ['3.8.3', '3.8.2']],
				['dao-2048', ['1.4.1']],
			]),
		);
	});

	it('streams a large index chart by chart', async () => {
		const result = await readFrom('/big');
		expect(!isWizardError(result) && [result.charts.size, result.charts.get('chart-299')?.length, result.layout, result.bytes]).toEqual([
			300,
			60,
			'streamed',
			Buffer.byteLength(files.get('/big/index.yaml')!),
		]);
	});

	it('refuses an index larger than the cap instead of reading it all', async () => {
		const result = await readFrom('/big', undefined, 1_048_576);
		expect(result).toMatchObject({kind: 'registry-protocol', cause: 'too-large'});
		expect((result as RegistryAccessError).message).toBe(
			`The chart repository's index.yaml at ${base}/big/index.yaml is larger than 1 MB; not read, so its charts are unknown (counted as pending).`,
		);
		expect((result as RegistryAccessError).hint).toContain('remove old chart versions');
	});

	it('a wrong password names the user; a wrong path says there is no index.yaml', async () => {
		const refused = (await readFrom('/addon', {chartUser: user, chartPassword: 'nope'})) as RegistryAccessError;
		expect(refused).toMatchObject({kind: 'registry-auth', status: 401});
		expect(refused.message).toBe(`The chart repository at ${base}/addon/index.yaml refused the login of user "rootuser" (401).`);
		expect(refused.hint).toContain('ADDON_WIZARD_CHART_REPO_USER / ADDON_WIZARD_CHART_REPO_PASSWORD');
		const missing = (await readFrom('/nothing')) as RegistryAccessError;
		expect(missing.message).toBe(`There is no index.yaml at ${base}/nothing/index.yaml (404).`);
	});
});
