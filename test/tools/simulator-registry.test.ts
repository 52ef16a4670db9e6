// What the simulator leaves in a real registry and chart repository, read back with clients the
// project did not write (skopeo inspect --raw, curl): the manifests and lists the real procedure
// leaves, the <0.12.0 conversion of multi-arch tags to single-arch ones, Harbor refusing a push into
// a missing project, and the failures a part produces (a registry that is down).
import {execFile} from 'node:child_process';
import {createHash} from 'node:crypto';
import {existsSync} from 'node:fs';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {promisify} from 'node:util';
import {list as listTar} from 'tar';
import {afterEach, describe, expect, it} from 'vitest';
import YAML from 'yaml';
import {bumpedCharts, type FixtureChart, type FixturePackageOptions} from '../helpers/build-package.js';
import {clusterConfigText, makeClusterFixture, type ClusterFixture, type ClusterFixtureOptions} from '../helpers/cluster-fixture.js';
import {inspectTag, type TagContents} from '../helpers/registry.js';

const curl = async (args: string[]) =>
	(await promisify(execFile)('curl', ['-sf', ...args], {encoding: 'buffer', maxBuffer: 16 << 20})).stdout;
type Result = {code: number | null; stdout: string; stderr: string};

const fixtures: ClusterFixture[] = [];
afterEach(async () => {
	const {rm} = await import('node:fs/promises');
	for (const f of fixtures.splice(0)) {
		await f.stop();
		await rm(f.root, {recursive: true, force: true});
	}
});

async function fixture(
	options: Omit<ClusterFixtureOptions, 'testBed'> & {testBed?: ClusterFixtureOptions['testBed']},
): Promise<ClusterFixture> {
	const made = await makeClusterFixture({testBed: {}, ...options});
	fixtures.push(made);
	return made;
}

function run(f: ClusterFixture, args: string[]): Promise<Result> {
	return new Promise(resolve => {
		execFile(path.join(f.home, 'dce5-installer'), args, {cwd: f.workdir, env: f.env}, (error, stdout, stderr) => {
			resolve({code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr});
		});
	});
}

const lines = (text: string) => text.split('\n').filter(Boolean);
const images = [
	'release.daocloud.io/daocloud/dao-2048:v1.4.1',
	'docker.m.daocloud.io/metrics-server/metrics-server:v0.6.2',
	'docker.m.daocloud.io/bitnami/nginx:1.25.1',
];
const split = (ref: string) => ({repo: ref.slice(0, ref.lastIndexOf(':')), tag: ref.slice(ref.lastIndexOf(':') + 1)});

/** Points clusterConfig.yaml at `pkg` (the wizard's edit) and runs cluster-create -j13. */
async function clusterCreate(f: ClusterFixture, pkg: string): Promise<Result> {
	await writeFile(f.configPath, clusterConfigText(pkg, '', f.testBed!.imagesAndChartsYaml('external')));
	return run(f, ['cluster-create', '-c', f.configPath, '-m', f.manifestPath, '-d', '-j13']);
}

const importAddon = async (f: ClusterFixture, pkg: string) => run(f, ['import', '-addon', '-c', f.configPath, `--addon-path=${pkg}`]);

async function tags(f: ClusterFixture, suffix = ''): Promise<TagContents[]> {
	return Promise.all(images.map(async ref => inspectTag(f.testBed!.image, split(ref).repo, `${split(ref).tag}${suffix}`)));
}

const shapes = (contents: TagContents[]) =>
	contents.map(item =>
		item.kind === 'list' ? `list ${item.platforms.join('+')}` : item.kind === 'image' ? `image ${item.arch}` : 'missing',
	);

/** Import one version for amd64, integrate arm64, upgrade to the next version for amd64 alone, integrate arm64 again. */
async function upgradeCycle(from: string, to: string) {
	const packages: Array<Omit<FixturePackageOptions, 'dir'>> = [
		{version: from, arch: 'amd64'},
		{version: from, arch: 'arm64'},
		{version: to, arch: 'amd64', charts: bumpedCharts('amd64')},
		{version: to, arch: 'arm64', charts: bumpedCharts('arm64')},
	];
	const f = await fixture({packages});
	const [oldAmd, oldArm, newAmd, newArm] = f.packages.map(item => item.path) as [string, string, string, string];
	const results: Result[] = [];
	const seen: string[][] = [];
	for (const step of [
		async () => clusterCreate(f, oldAmd),
		async () => importAddon(f, oldArm),
		async () => clusterCreate(f, newAmd),
		async () => importAddon(f, newArm),
	]) {
		const result = await step();
		expect(result.stderr).not.toContain('[Error]');
		expect(result.code).toBe(0);
		results.push(result);
		seen.push(shapes(await tags(f)));
	}

	return {f, results, seen};
}

describe('the simulator writes a real registry', () => {
	it('below 0.12.0 an amd64-only upgrade turns every multi-arch tag back into a single-arch image; integrating arm64 makes lists again', async () => {
		const {f, results, seen} = await upgradeCycle('v0.10.3', 'v0.11.2');
		expect(seen).toEqual([
			['image amd64', 'image amd64', 'image amd64'],
			['list amd64+arm64', 'list amd64+arm64', 'list amd64+arm64'],
			['image amd64', 'image amd64', 'image amd64'],
			['list amd64+arm64', 'list amd64+arm64', 'list amd64+arm64'],
		]);
		// The v0.11 upgrade force-pushed over the lists, and said so.
		expect(lines(results[2]!.stdout).filter(line => line.startsWith('Pushing '))).toEqual(
			images.map(ref => `Pushing ${f.testBed!.image.host}/${ref}...`),
		);
		// cluster-create writes Docker schema2 images; the merge writes OCI indexes over per-arch tags.
		const list = (await tags(f))[0]!;
		expect(list).toMatchObject({kind: 'list', mediaType: 'application/vnd.oci.image.index.v1+json'});
		expect(shapes(await tags(f, '-amd64'))).toEqual(['image amd64', 'image amd64', 'image amd64']);
		expect(shapes(await tags(f, '-arm64'))).toEqual(['image arm64', 'image arm64', 'image arm64']);
		expect(lines(results[1]!.stdout)).toEqual(
			expect.arrayContaining([
				`[info] import image from oci:offline-images:${images[0]} to ${f.testBed!.image.host}/${images[0]}-arm64`,
				`[info] image retag from ${f.testBed!.image.host}/${images[0]} to ${f.testBed!.image.host}/${images[0]}-amd64`,
			]),
		);
	});

	it('from 0.12.0 the amd64 upgrade skips tags that exist, so the lists stay, and integrating arm64 again skips them', async () => {
		const {f, results, seen} = await upgradeCycle('v0.12.1', 'v0.13.0');
		expect(seen).toEqual([
			['image amd64', 'image amd64', 'image amd64'],
			['list amd64+arm64', 'list amd64+arm64', 'list amd64+arm64'],
			['list amd64+arm64', 'list amd64+arm64', 'list amd64+arm64'],
			['list amd64+arm64', 'list amd64+arm64', 'list amd64+arm64'],
		]);
		expect(lines(results[2]!.stdout).filter(line => line.startsWith('Image '))).toEqual(
			images.map(ref => `Image ${f.testBed!.image.host}/${ref} already exists, skip pushing...`),
		);
		expect(results[2]!.stdout).not.toContain('Pushing');
		expect(lines(results[3]!.stdout).filter(line => line === '[warn] skipping to push since it already exists in remote')).toHaveLength(3);
	});

	it("pushes to the builtin registry the simulator's knobs name, over HTTPS with a self-signed certificate", async () => {
		const f = await fixture({packages: [{arch: 'arm64'}], current: 0, testBed: {tls: true}, imagesAndCharts: 'builtin'});
		expect(f.env['DCE5_SIM_BUILTIN_REGISTRY']).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
		const result = await run(f, ['cluster-create', '-c', f.configPath, '-m', f.manifestPath, '-d', '-j13']);
		expect(result.stderr).not.toContain('[Error]');
		expect(shapes(await tags(f))).toEqual(['image arm64', 'image arm64', 'image arm64']);
	});

	it('skips a chart version the repository has, and its images with it, on a second cluster-create', async () => {
		const f = await fixture({packages: [{arch: 'amd64', version: 'v0.12.1'}]});
		expect((await clusterCreate(f, f.packages[0]!.path)).code).toBe(0);
		const again = await clusterCreate(f, f.packages[0]!.path);
		expect(again.code).toBe(0);
		expect(lines(again.stderr).map(line => line.replace(/^I\d{4} [\d:.]+ +\d+ /, ''))).toEqual([
			'index.go:80] Skipping "dao-2048_1.4.1" chart: Already synced',
			'index.go:80] Skipping "metrics-server_3.8.3" chart: Already synced',
			'index.go:80] Skipping "nginx_15.1.0" chart: Already synced',
		]);
		expect(again.stdout).not.toMatch(/Pushing|already exists/);
	});
});

describe('the simulator uploads charts', () => {
	it("uploads each chart as <name>-<version>.tgz; the repository's index.yaml lists it with the archive's digest", async () => {
		const charts: FixtureChart[] = [
			{name: 'nested-chart', version: '1.0.0', images: []},
			{name: 'flat-chart', version: '2.1.0', layout: 'flat', images: []},
			{name: 'packed-chart', version: '0.3.0', packaged: true, images: []},
		];
		const f = await fixture({packages: [{arch: 'amd64', charts}]});
		const result = await clusterCreate(f, f.packages[0]!.path);
		expect(result.stderr).not.toContain('[Error]');
		expect(result.code).toBe(0);
		const {url, username, password} = f.testBed!.chart;
		const auth = ['-u', `${username}:${password}`];
		type Index = {
			apiVersion: string;
			entries: Record<string, Array<{name: string; version: string; digest: string; urls: string[]; description: string}>>;
		};
		const index = YAML.parse((await curl([...auth, `${url}/index.yaml`])).toString('utf8')) as Index;
		expect(index.apiVersion).toBe('v1');
		expect(Object.keys(index.entries).sort()).toEqual(['flat-chart', 'nested-chart', 'packed-chart']);
		for (const chart of charts) {
			const [entry] = index.entries[chart.name]!;
			expect(entry).toMatchObject({name: chart.name, version: chart.version, urls: [`charts/${chart.name}-${chart.version}.tgz`]});
			const archive = await curl([...auth, `${url}/${entry!.urls[0]}`]);
			expect(createHash('sha256').update(archive).digest('hex')).toBe(entry!.digest);
			const file = path.join(f.root, `${chart.name}.tgz`);
			await writeFile(file, archive);
			const names: string[] = [];
			await listTar({file, onReadEntry: item => names.push(item.path)});
			expect(names).toContain(`${chart.name}/Chart.yaml`);
		}

		// A packaged chart in the bundle is uploaded as it is, not packed again.
		expect(index.entries['packed-chart']![0]!.description).toBe('fixture chart (packaged)');
	});

	it("uploads to Harbor's chart repository (/api/chartrepo/<project>/charts) when externalChartRepoType is harbor", async () => {
		const f = await fixture({
			packages: [{arch: 'amd64'}],
			testBed: {harbor: {projects: ['release.daocloud.io', 'docker.m.daocloud.io']}, charts: 'harbor'},
		});
		expect(f.testBed!.chart).toMatchObject({type: 'harbor', url: `${f.testBed!.harbor!.url}/chartrepo/library`});
		expect((await clusterCreate(f, f.packages[0]!.path)).code).toBe(0);
		const index = YAML.parse((await curl(['-u', 'admin:Harbor12345', `${f.testBed!.chart.url}/index.yaml`])).toString('utf8')) as {
			entries: Record<string, unknown>;
		};
		expect(Object.keys(index.entries).sort()).toEqual(['dao-2048', 'metrics-server', 'nginx']);
	});
});

describe('failures come from the parts', () => {
	it("a push into a Harbor project that does not exist fails with Harbor's wording; after creating the project it succeeds", async () => {
		const f = await fixture({packages: [{arch: 'arm64'}], testBed: {harbor: {projects: ['release.daocloud.io']}}});
		const host = f.testBed!.image.host;
		const failed = await importAddon(f, f.packages[0]!.path);
		expect(failed.code).toBe(1);
		// Bundles go in path order: dao-2048 (release.daocloud.io) is pushed, metrics-server is not.
		expect(failed.stdout).toContain(`[info] import image from oci:offline-images:${images[0]} to ${host}/${images[0]}-arm64`);
		expect(lines(failed.stderr).filter(line => !line.includes('chart'))).toEqual([
			`Error: failed to push image ${host}/${images[1]}-arm64: unauthorized: project not found, name: docker.m.daocloud.io: project not found, name: docker.m.daocloud.io`,
			'[Error]:[Error] import addon failed',
		]);
		expect(existsSync(path.join(f.workdir, 'addon-offline-target-package'))).toBe(true);

		expect(await f.testBed!.harbor!.createProject('docker.m.daocloud.io')).toBe(201);
		const {rm} = await import('node:fs/promises');
		await rm(path.join(f.workdir, 'addon-offline-target-package'), {recursive: true});
		const retried = await importAddon(f, f.packages[0]!.path);
		expect(retried.stderr).not.toContain('[Error]');
		expect(retried.code).toBe(0);
		expect(shapes(await tags(f))).toEqual(['list arm64', 'list arm64', 'list arm64']);
	});

	it("a registry that is down fails the push with Go's connection-refused wording", async () => {
		const f = await fixture({packages: [{arch: 'amd64'}]});
		await f.testBed!.registry.stop();
		const {host, url} = f.testBed!.image;
		const result = await clusterCreate(f, f.packages[0]!.path);
		expect(result.code).toBe(1);
		expect(lines(result.stdout)).toContain(`Pushing ${host}/${images[0]}...`);
		expect(lines(result.stderr).filter(line => !line.includes('chart'))).toEqual([
			`Error: failed to push image ${host}/${images[0]}: Get "${url}/v2/": dial tcp ${host}: connect: connection refused`,
			'[Error]:[Error] import addon failed',
		]);
	});

	it('imports each file of a spec.addonPackage.path list in order and stops at a missing one with the real wording', async () => {
		const f = await fixture({packages: [{arch: 'amd64'}, {arch: 'arm64', version: 'v0.9.6'}]});
		const [first, last] = f.packages.map(item => item.path) as [string, string];
		const missing = path.join(f.packagesDir, 'gpu-addon-offline-package-v0.9.5-amd64.tar.gz');
		await writeFile(
			f.configPath,
			clusterConfigText(undefined, '', f.testBed!.imagesAndChartsYaml('external')).replace(
				/ {2}addonPackage:\n.*\n/,
				`  addonPackage:\n    path:\n      - "${first}"\n      - "${missing}"\n      - "${last}"\n`,
			),
		);
		const result = await run(f, ['cluster-create', '-c', f.configPath, '-m', f.manifestPath, '-d', '-j13']);
		expect(result.code).toBe(1);
		expect(lines(result.stdout).filter(line => line.includes(' imported ('))).toEqual([
			`[Info]: addon offline package ${path.basename(first)} imported (amd64)`,
		]);
		expect(lines(result.stderr).at(-1)).toBe(`[Error]:[Error] failed to unpack addon package: open ${missing}: no such file or directory`);
		expect(existsSync(path.join(f.workdir, 'addon-offline-target-package'))).toBe(false);
		// The first package's images are in the registry; the last package never ran.
		expect(shapes(await tags(f))).toEqual(['image amd64', 'image amd64', 'image amd64']);
	});
});
