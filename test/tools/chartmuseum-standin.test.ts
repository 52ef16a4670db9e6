// The ChartMuseum stand-in as curl meets it: ChartMuseum's upload API (raw body and multipart field
// `chart`), its answers (201 saved, 409 exists, 404, 401), and a real Helm repository: an index.yaml
// whose entries point at the archives it stores, with their sha256 digests.
import {execFile} from 'node:child_process';
import {createHash} from 'node:crypto';
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {create as createTar} from 'tar';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import YAML from 'yaml';
import {startChartRepo, type TestChartRepo} from '../helpers/chart-repo.js';

const run = promisify(execFile);
let repo: TestChartRepo;
let scratch: string;

beforeAll(async () => {
	repo = await startChartRepo();
	scratch = await mkdtemp(path.join(tmpdir(), 'chartmuseum-standin-test-'));
});

afterAll(async () => {
	await repo?.stop();
	await rm(scratch, {recursive: true, force: true});
});

/** A chart archive as `helm package` makes one: `<name>/Chart.yaml` inside a gzip'd tar. */
async function chartArchive(name: string, version: string, appVersion = '1.0'): Promise<string> {
	const dir = path.join(scratch, `${name}-${version}-src`, name);
	await mkdir(dir, {recursive: true});
	await writeFile(path.join(dir, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: ${version}\nappVersion: "${appVersion}"\n`);
	await writeFile(path.join(dir, 'values.yaml'), 'replicaCount: 1\n');
	const file = path.join(scratch, `${name}-${version}.tgz`);
	await createTar({file, gzip: true, cwd: path.dirname(dir), portable: true}, [name]);
	return file;
}

async function curl(args: string[]): Promise<{status: number; body: string}> {
	const {stdout} = await run('curl', ['-s', '-w', '\n%{http_code}', ...args]);
	const cut = stdout.lastIndexOf('\n');
	return {status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut)};
}

const auth = () => ['-u', `${repo.username}:${repo.password}`];
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('ChartMuseum stand-in', () => {
	it('refuses every route but /health without Basic credentials', async () => {
		expect(await curl([`${repo.url}/index.yaml`])).toEqual({status: 401, body: '{"error":"unauthorized"}'});
		expect(await curl(['-u', 'rootuser:wrong', `${repo.url}/api/charts`])).toMatchObject({status: 401});
		expect(await curl([`${repo.url}/health`])).toEqual({status: 200, body: '{"healthy":true}'});
	});

	it('takes a raw upload (201), refuses it again (409 file already exists), and a multipart one of the same chart (409)', async () => {
		const archive = await chartArchive('dao-2048', '1.4.1', '1.4.1');
		expect(await curl([...auth(), '--data-binary', `@${archive}`, `${repo.url}/api/charts`])).toEqual({
			status: 201,
			body: '{"saved":true}',
		});
		expect(await curl([...auth(), '--data-binary', `@${archive}`, `${repo.url}/api/charts`])).toEqual({
			status: 409,
			body: '{"error":"file already exists"}',
		});
		expect(await curl([...auth(), '-F', `chart=@${archive}`, `${repo.url}/api/charts`])).toEqual({
			status: 409,
			body: '{"error":"chart already exists"}',
		});
		expect(await curl([...auth(), '-F', `chart=@${await chartArchive('dao-2048', '1.5.0')}`, `${repo.url}/api/charts`])).toEqual({
			status: 201,
			body: '{"saved":true}',
		});
	});

	it('serves a Helm index.yaml (apiVersion v1) whose entries point at the stored archives with their digests', async () => {
		const archive = await chartArchive('metrics-server', '3.8.3', '0.6.2');
		expect((await curl([...auth(), '--data-binary', `@${archive}`, `${repo.url}/api/charts`])).status).toBe(201);
		type Entry = {name: string; version: string; appVersion: string; digest: string; urls: string[]; created: string};
		const served = (await curl([...auth(), `${repo.url}/index.yaml`])).body;
		const index = YAML.parse(served) as {apiVersion: string; entries: Record<string, Entry[]>};
		expect(index.apiVersion).toBe('v1');
		const [entry] = index.entries['metrics-server']!;
		expect(entry).toMatchObject({
			name: 'metrics-server',
			version: '3.8.3',
			appVersion: '0.6.2',
			urls: ['charts/metrics-server-3.8.3.tgz'],
			digest: sha256(await readFile(archive)),
		});
		expect(Number.isNaN(Date.parse(entry!.created))).toBe(false);
		// Newest version first, as Helm sorts entries.
		expect(index.entries['dao-2048']!.map(item => item.version)).toEqual(['1.5.0', '1.4.1']);
		// The archive itself, byte for byte, and the index written to the storage folder.
		const {stdout} = await run('curl', ['-s', ...auth(), `${repo.url}/${entry!.urls[0]}`], {encoding: 'buffer'});
		expect(sha256(stdout)).toBe(entry!.digest);
		expect(
			(YAML.parse(await readFile(path.join(repo.storageDir, 'index.yaml'), 'utf8')) as {entries: Record<string, unknown>}).entries,
		).toHaveProperty('metrics-server');
		expect(existsSync(path.join(repo.storageDir, 'metrics-server-3.8.3.tgz'))).toBe(true);
	});

	it('answers GET /api/charts, /api/charts/<name> and /api/charts/<name>/<version>, with 404s as ChartMuseum words them', async () => {
		const all = JSON.parse((await curl([...auth(), `${repo.url}/api/charts`])).body) as Record<string, Array<{version: string}>>;
		expect(Object.keys(all)).toEqual(expect.arrayContaining(['dao-2048', 'metrics-server']));
		expect(
			(JSON.parse((await curl([...auth(), `${repo.url}/api/charts/dao-2048`])).body) as Array<{version: string}>).map(item => item.version),
		).toEqual(['1.5.0', '1.4.1']);
		expect(JSON.parse((await curl([...auth(), `${repo.url}/api/charts/dao-2048/1.4.1`])).body)).toMatchObject({
			name: 'dao-2048',
			version: '1.4.1',
		});
		expect(await curl([...auth(), `${repo.url}/api/charts/nothing`])).toEqual({status: 404, body: '{"error":"chart not found"}'});
		expect(await curl([...auth(), `${repo.url}/api/charts/dao-2048/9.9.9`])).toEqual({
			status: 404,
			body: '{"error":"no chart version found for dao-2048-9.9.9"}',
		});
	});

	it('deletes a chart version (200 deleted) from storage and index; uploading something that is not a chart fails', async () => {
		expect(await curl([...auth(), '-X', 'DELETE', `${repo.url}/api/charts/dao-2048/1.5.0`])).toEqual({
			status: 200,
			body: '{"deleted":true}',
		});
		expect(existsSync(path.join(repo.storageDir, 'dao-2048-1.5.0.tgz'))).toBe(false);
		const index = YAML.parse((await curl([...auth(), `${repo.url}/index.yaml`])).body) as {
			entries: Record<string, Array<{version: string}>>;
		};
		expect(index.entries['dao-2048']!.map(item => item.version)).toEqual(['1.4.1']);
		const junk = path.join(scratch, 'junk.tgz');
		await writeFile(junk, 'not a chart');
		const refused = await curl([...auth(), '--data-binary', `@${junk}`, `${repo.url}/api/charts`]);
		expect(refused.status).toBe(500);
		expect(JSON.parse(refused.body)).toHaveProperty('error');
	});
});
