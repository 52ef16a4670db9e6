// The installer simulator as the wizard meets it: a real child process (through the `dce5-installer`
// symlink in the fixture HOME), in the fixture's working directory, against real packages. Every
// assertion here is a line or exit status docs/installer-contract.md promises.
import {execFile, spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {create as createTar, list as listTar} from 'tar';
import {afterAll, describe, expect, it} from 'vitest';
import {makeClusterFixture, type ClusterFixture} from '../helpers/cluster-fixture.js';
import {inspectTag} from '../helpers/registry.js';
import type {TestBedOptions} from '../helpers/test-bed.js';

type Result = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string};

const made: ClusterFixture[] = [];
afterAll(async () => {
	for (const f of made) {
		await f.stop();
		await rm(f.root, {recursive: true, force: true});
	}
});

/**
 * A jump host whose clusterConfig points at the amd64 package, with an arm64 one beside it. Without
 * `real`, nothing stands behind the registry address (DCE5_SIM_NO_REGISTRY=1); with it, a real
 * docker-registry and chart repository do (Harbor's stand-in in front when `real.harbor`).
 */
async function fixture(real?: TestBedOptions): Promise<ClusterFixture> {
	const f = await makeClusterFixture({packages: [{arch: 'amd64'}, {arch: 'arm64'}], current: 0, testBed: real});
	made.push(f);
	return f;
}

const installer = (f: ClusterFixture) => path.join(f.home, 'dce5-installer');
const target = (f: ClusterFixture) => path.join(f.workdir, 'addon-offline-target-package');
const lines = (text: string) => text.split('\n').filter(Boolean);
const clusterCreate = (f: ClusterFixture) => ['cluster-create', '-c', f.configPath, '-m', f.manifestPath, '-d', '-j13'];
const importAddon = (f: ClusterFixture, pkg = f.packages[1]!.path) => ['import', '-addon', '-c', f.configPath, `--addon-path=${pkg}`];

function run(f: ClusterFixture, args: string[], knobs: Record<string, string> = {}): Promise<Result> {
	return new Promise(resolve => {
		execFile(installer(f), args, {cwd: f.workdir, env: {...f.env, ...knobs}, maxBuffer: 64 << 20}, (error, stdout, stderr) => {
			const failure = error as (Error & {code?: number | string; signal?: NodeJS.Signals | null}) | null;
			resolve({
				code: failure ? (typeof failure.code === 'number' ? failure.code : null) : 0,
				signal: failure?.signal ?? null,
				stdout,
				stderr,
			});
		});
	});
}

/** Files of a tar.gz in archive order with their sizes, as the simulator meets them. */
async function tarFiles(file: string): Promise<Array<{path: string; size: number}>> {
	const files: Array<{path: string; size: number}> = [];
	await listTar({
		file,
		onReadEntry: entry => {
			if (entry.type === 'File') files.push({path: entry.path, size: entry.size});
		},
	});
	return files;
}

describe('dce5-installer simulator', () => {
	it('cluster-create syncs charts, pushes images and removes its working directory', async () => {
		const f = await fixture();
		const result = await run(f, clusterCreate(f));
		expect(result.code).toBe(0);
		expect(result.stderr).toMatch(/^I\d{4} \d\d:\d\d:\d\d\.\d{6} {4}\d+ sync\.go:66] Syncing "dao-2048_1\.4\.1" chart\.\.\.$/m);
		expect(result.stderr).toContain('sync.go:66] Syncing "metrics-server_3.8.3" chart...');
		expect(result.stderr).toContain('sync.go:66] Syncing "nginx_15.1.0" chart...');
		const out = lines(result.stdout);
		expect(out).toContain('[Info]: Step 13/13: import addon offline package');
		expect(out).toEqual(
			expect.arrayContaining([
				'Pushing 10.6.135.222/release.daocloud.io/daocloud/dao-2048:v1.4.1...',
				'Pushing 10.6.135.222/docker.m.daocloud.io/metrics-server/metrics-server:v0.6.2...',
				'Pushing 10.6.135.222/docker.m.daocloud.io/bitnami/nginx:1.25.1...',
			]),
		);
		expect(out.at(-2)).toBe(`[Info]: addon offline package ${f.packages[0]!.fileName} imported (amd64)`);
		expect(out.at(-1)).toBe('[Info]: cluster-create finished');
		expect(existsSync(target(f))).toBe(false);
	});

	it.each([
		['import -addon', (f: ClusterFixture) => importAddon(f)],
		['import-addon', (f: ClusterFixture) => ['import-addon', '-c', f.configPath, '--addon-path', f.packages[1]!.path]],
	])('%s merges every image under <tag>-<arch> into an empty registry, then syncs the charts', async (_name, argv) => {
		const f = await fixture({});
		const registry = f.testBed!.image.host;
		const result = await run(f, argv(f));
		expect(result.code).toBe(0);
		expect(lines(result.stderr).map(line => line.replace(/^I\d{4} [\d:.]+ +\d+ /, ''))).toEqual([
			'sync.go:66] Syncing "dao-2048_1.4.1" chart...',
			'sync.go:66] Syncing "metrics-server_3.8.3" chart...',
			'sync.go:66] Syncing "nginx_15.1.0" chart...',
		]);
		const merged = (ref: string) => [
			`[info] import image from oci:offline-images:${ref} to ${registry}/${ref}-arm64`,
			`[info] ${registry}/${ref} not found in registry ${registry}`,
		];
		expect(lines(result.stdout)).toEqual([
			'[Info]: Step 1/1: import addon offline package (multi-arch)',
			`[Info]: unpacking addon package ${f.packages[1]!.path} (${f.packages[1]!.size} bytes) to ${target(f)}`,
			...merged('release.daocloud.io/daocloud/dao-2048:v1.4.1'),
			...merged('docker.m.daocloud.io/metrics-server/metrics-server:v0.6.2'),
			...merged('docker.m.daocloud.io/bitnami/nginx:1.25.1'),
			`[Info]: addon offline package ${f.packages[1]!.fileName} imported (arm64)`,
			'[Info]: import addon finished',
		]);
		expect(existsSync(target(f))).toBe(false);
	});

	it('pushes to the registry named by imagesAndCharts.externalImageRepo', async () => {
		const f = await fixture({});
		const {host} = f.testBed!.image;
		expect(await readFile(f.configPath, 'utf8')).toContain(`    externalImageRepo: http://${host}\n`);
		const result = await run(f, importAddon(f));
		expect(result.code).toBe(0);
		expect(result.stdout).toContain(`to ${host}/release.daocloud.io/daocloud/dao-2048:v1.4.1-arm64`);
		for (const [repo, tag] of [
			['release.daocloud.io/daocloud/dao-2048', 'v1.4.1'],
			['docker.m.daocloud.io/metrics-server/metrics-server', 'v0.6.2'],
			['docker.m.daocloud.io/bitnami/nginx', '1.25.1'],
		] as const) {
			expect(await inspectTag(f.testBed!.image, repo, `${tag}-arm64`)).toMatchObject({kind: 'image', arch: 'arm64'});
			expect(await inspectTag(f.testBed!.image, repo, tag)).toMatchObject({kind: 'list', platforms: ['arm64']});
		}
	});

	it('without a registry (DCE5_SIM_NO_REGISTRY=1) prints what it would push to the address the config names', async () => {
		const f = await fixture();
		await writeFile(
			f.configPath,
			(await readFile(f.configPath, 'utf8')).replace(
				'    type: builtin\n',
				'    type: external\n    externalImageRepo: "https://harbor.example.com:8443"\n',
			),
		);
		const result = await run(f, importAddon(f));
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('to harbor.example.com:8443/release.daocloud.io/daocloud/dao-2048:v1.4.1-arm64');
	});

	it('refuses to run over a leftover addon-offline-target-package', async () => {
		const f = await fixture();
		await mkdir(path.join(target(f), 'addon-offline-package'), {recursive: true});
		const result = await run(f, importAddon(f));
		expect(result.code).toBe(1);
		expect(lines(result.stderr)).toEqual([`[Error]:[Error] failed to unpack addon package: mkdir ${target(f)}: file exists`]);
		expect(result.stdout).not.toContain('unpacking');
		expect(existsSync(target(f))).toBe(true);
	});

	it('runs out of DCE5_SIM_DISK_BUDGET with the real "no space left on device" line and leaves the directory', async () => {
		const f = await fixture();
		const budget = 1000;
		// The write that fails is the one in the file where the running total first passes the budget.
		let sum = 0;
		const full = (await tarFiles(f.packages[1]!.path)).find(file => (sum += file.size) > budget)!;
		const result = await run(f, importAddon(f), {DCE5_SIM_DISK_BUDGET: String(budget)});
		expect(result.code).toBe(1);
		expect(result.signal).toBeNull();
		expect(lines(result.stderr)).toEqual([
			`[Error]:[Error] failed to unpack addon package: write ${path.join(target(f), full.path)}: no space left on device`,
		]);
		expect(result.stdout).not.toContain('[info] import image');
		expect(existsSync(target(f))).toBe(true);
	});

	it('counts the bundles unpacked beside themselves against the disk budget too', async () => {
		const f = await fixture();
		const outer = (await tarFiles(f.packages[1]!.path)).reduce((total, file) => total + file.size, 0);
		const result = await run(f, importAddon(f), {DCE5_SIM_DISK_BUDGET: String(outer + 100)});
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/^\[Error]:\[Error] failed to unpack addon package: write \S+\.bundle\/\S+: no space left on device$/m);
		expect(existsSync(target(f))).toBe(true);
	});

	// A push into a missing Harbor project: test/tools/simulator-registry.test.ts ("failures come from the parts").

	it('dies by SIGTERM while DCE5_SIM_DELAY_MS slows it, leaving the directory', async () => {
		const f = await fixture();
		const child = spawn(installer(f), importAddon(f), {
			cwd: f.workdir,
			env: {...f.env, DCE5_SIM_DELAY_MS: '2000'},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>(resolve => {
			child.on('exit', (code, signal) => resolve({code, signal}));
		});
		await new Promise<void>(resolve => {
			child.stdout.on('data', (chunk: Buffer) => {
				stdout += chunk.toString();
				if (stdout.includes('[info] import image')) resolve();
			});
		});
		child.kill('SIGTERM');
		expect(await exited).toEqual({code: null, signal: 'SIGTERM'});
		expect(stdout).not.toContain('import addon finished');
		expect(existsSync(target(f))).toBe(true);
	});

	it('DCE5_SIM_HELPER=1 starts a child that only a process-group kill takes down', async () => {
		const f = await fixture();
		const child = spawn(installer(f), importAddon(f), {
			cwd: f.workdir,
			env: {...f.env, DCE5_SIM_DELAY_MS: '2000', DCE5_SIM_HELPER: '1'},
			stdio: ['ignore', 'pipe', 'ignore'],
			detached: true,
		});
		const exited = new Promise(resolve => {
			child.on('exit', resolve);
		});
		await new Promise<void>(resolve => {
			child.stdout.on('data', (chunk: Buffer) => {
				if (chunk.toString().includes('[info] import image')) resolve();
			});
		});
		const children = async (pid: number) =>
			new Promise<string>(resolve => {
				execFile('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], (_error, stdout) => resolve(stdout.trim()));
			});
		const helper = await children(child.pid!);
		expect(helper).toMatch(/^\d+ sleep 600$/);
		process.kill(-child.pid!, 'SIGTERM');
		await exited;
		const helperPid = helper.split(' ')[0]!;
		// Gone, or a zombie when the orphan's new parent (a container's PID 1) does not reap it.
		const state = async () =>
			new Promise<string>(resolve => {
				execFile('ps', ['-o', 'stat=', '-p', helperPid], (_error, stdout) => resolve(stdout.trim()));
			});
		const deadline = Date.now() + 5000;
		while (!['', 'Z'].includes((await state()).slice(0, 1)) && Date.now() < deadline) {
			await delay(50);
		}

		expect(['', 'Z']).toContain((await state()).slice(0, 1));
	});

	it('skips what it already holds on a second import', async () => {
		const f = await fixture({});
		const registry = f.testBed!.image.host;
		expect((await run(f, clusterCreate(f))).code).toBe(0);
		const again = await run(f, clusterCreate(f));
		expect(again.code).toBe(0);
		expect(again.stderr).toMatch(/ index\.go:80] Skipping "dao-2048_1\.4\.1" chart: Already synced$/m);
		expect(again.stderr).not.toContain('Syncing');
		// charts-syncer drops a synced chart version before moving anything, its images with it.
		expect(again.stdout).not.toContain('Pushing');

		expect((await run(f, importAddon(f))).code).toBe(0);
		const merged = await run(f, importAddon(f));
		expect(merged.code).toBe(0);
		const out = lines(merged.stdout);
		const first = out.findIndex(line => line.startsWith('[info] import image'));
		expect(out.slice(first, first + 3)).toEqual([
			`[info] import image from oci:offline-images:release.daocloud.io/daocloud/dao-2048:v1.4.1 to ${registry}/release.daocloud.io/daocloud/dao-2048:v1.4.1-arm64`,
			'[info] original manifest arch: [amd64 arm64]',
			'[warn] skipping to push since it already exists in remote',
		]);
		expect(out.filter(line => line === '[warn] skipping to push since it already exists in remote')).toHaveLength(3);
	});

	it('DCE5_SIM_FLOOD prints that many klog lines on stdout', async () => {
		const f = await fixture();
		const result = await run(f, importAddon(f), {DCE5_SIM_FLOOD: '5000'});
		expect(result.code).toBe(0);
		const flood = lines(result.stdout).filter(line => line.includes('flood line for throughput measurement'));
		expect(flood).toHaveLength(5000);
		expect(flood[4999]).toMatch(/^I\d{4} [\d:.]+ {4}\d+ sync\.go:120] flood line .* 4999$/);
	});

	it.each([
		[
			'a config of another kind',
			(f: ClusterFixture) => ['import', '-addon', '-c', f.manifestPath, '--addon-path=x'],
			'[Error]:[Error] invalid ClusterConfig: kind must be ClusterConfig',
		],
		[
			'a missing config',
			() => ['import', '-addon', '-c', '/nonexistent/clusterConfig.yaml'],
			'[Error]:[Error] read ClusterConfig /nonexistent/clusterConfig.yaml: no such file or directory',
		],
		[
			'no --addon-path',
			(f: ClusterFixture) => ['import', '-addon', '-c', f.configPath],
			'[Error]:[Error] import addon: --addon-path is required',
		],
		[
			'a missing package',
			(f: ClusterFixture) => importAddon(f, '/nonexistent.tar.gz'),
			'[Error]:[Error] failed to unpack addon package: open /nonexistent.tar.gz: no such file or directory',
		],
		[
			'a missing manifest',
			(f: ClusterFixture) => ['cluster-create', '-c', f.configPath, '-m', '/nonexistent.yaml'],
			'[Error]:[Error] read manifest /nonexistent.yaml: no such file or directory',
		],
		['an unknown command', () => ['upgrade', '-x'], 'Error: unknown command "upgrade -x" for "dce5-installer"'],
	])('rejects %s with exit 1', async (_name, argv, line) => {
		const f = await fixture();
		const result = await run(f, argv(f));
		expect(result.code).toBe(1);
		expect(lines(result.stderr)).toEqual([line]);
		expect(existsSync(target(f))).toBe(false);
	});

	it('notices a tar stream cut short inside a complete gzip stream, with Go\'s "unexpected EOF"', async () => {
		const f = await fixture();
		const {gunzipSync, gzipSync} = await import('node:zlib');
		const tarBytes = gunzipSync(await readFile(f.packages[1]!.path));
		const cut = path.join(f.packagesDir, 'addon-offline-full-package-v0.9.5-arm64-cut.tar.gz');
		// Cut inside the first bundle's data, well before the end-of-archive blocks.
		await writeFile(cut, gzipSync(tarBytes.subarray(0, 4096 + 700)));
		const result = await run(f, importAddon(f, cut));
		expect(result.code).toBe(1);
		expect(lines(result.stderr)).toEqual(['[Error]:[Error] failed to unpack addon package: unexpected EOF']);
		expect(existsSync(target(f))).toBe(true);
	});

	it('refuses a real run with nowhere to push, naming the knob that stands for the bootstrap node', async () => {
		const f = await fixture();
		const {DCE5_SIM_NO_REGISTRY: _dry, ...real} = f.env;
		const result = await new Promise<Result>(resolve => {
			execFile(installer(f), clusterCreate(f), {cwd: f.workdir, env: real}, (error, stdout, stderr) => {
				resolve({code: error ? 1 : 0, signal: null, stdout, stderr});
			});
		});
		expect(result.code).toBe(1);
		expect(lines(result.stderr)).toEqual([
			"[Error]:[Error] invalid ClusterConfig: no image registry: set DCE5_SIM_BUILTIN_REGISTRY (the bootstrap node's registry)",
		]);
		expect(result.stdout).toBe('');
	});

	it('cluster-create with an empty addonPackage.path fails as a bad config', async () => {
		const f = await fixture();
		await writeFile(f.configPath, (await readFile(f.configPath, 'utf8')).replace(/ {4}path: .*\n/, '    # path: ""\n'));
		const result = await run(f, clusterCreate(f));
		expect(result.code).toBe(1);
		expect(lines(result.stderr)).toEqual(['[Error]:[Error] invalid ClusterConfig: spec.addonPackage.path is empty']);
	});

	it('imports either package alone within twice its tar stream of DCE5_SIM_DISK_BUDGET (premise of the next test)', async () => {
		const f = await fixture();
		const budget = 2 * Math.max(f.packages[0]!.uncompressedBytes, f.packages[1]!.uncompressedBytes);
		for (const pkg of f.packages) {
			await writeFile(f.configPath, `kind: ClusterConfig\nspec:\n  addonPackage:\n    path: ${pkg.path}\n`);
			const result = await run(f, clusterCreate(f), {DCE5_SIM_DISK_BUDGET: String(budget)});
			expect(result.code).toBe(0);
		}
	});

	// Fixed simulator bugs (tools/README.md, "Fixed bugs").
	it("gives the disk budget back when a package's directory is removed (cluster-create with two paths)", async () => {
		const f = await fixture();
		const amd64 = f.packages[0]!;
		const arm64 = f.packages[1]!;
		await writeFile(f.configPath, `kind: ClusterConfig\nspec:\n  addonPackage:\n    path:\n      - ${amd64.path}\n      - ${arm64.path}\n`);
		// Enough for either package alone (outer unpack + bundles, each below 2× the tar stream).
		const budget = 2 * Math.max(amd64.uncompressedBytes, arm64.uncompressedBytes);
		const result = await run(f, clusterCreate(f), {DCE5_SIM_DISK_BUDGET: String(budget)});
		expect(result.stderr).not.toContain('no space left on device');
		expect(result.code).toBe(0);
		expect(lines(result.stdout).filter(line => / imported \((amd64|arm64)\)$/.test(line))).toEqual([
			`[Info]: addon offline package ${amd64.fileName} imported (amd64)`,
			`[Info]: addon offline package ${arm64.fileName} imported (arm64)`,
		]);
	});

	it('still runs out of the budget inside one package when both paths share it', async () => {
		const f = await fixture();
		const amd64 = f.packages[0]!;
		await writeFile(
			f.configPath,
			`kind: ClusterConfig\nspec:\n  addonPackage:\n    path:\n      - ${amd64.path}\n      - ${f.packages[1]!.path}\n`,
		);
		const result = await run(f, clusterCreate(f), {DCE5_SIM_DISK_BUDGET: String(Math.floor(amd64.uncompressedBytes / 2))});
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/^\[Error]:\[Error] failed to unpack addon package: write \S+: no space left on device$/m);
		expect(result.stdout).not.toContain('imported');
	});

	/** An uncompressed tar of `files` (name → content), written to `file`; no files: end-of-archive blocks only. */
	async function tarOf(file: string, files: Record<string, string | Buffer>): Promise<void> {
		const names = Object.keys(files);
		if (names.length === 0) {
			await writeFile(file, Buffer.alloc(10_240));
			return;
		}

		const dir = `${file}.d`;
		for (const [name, content] of Object.entries(files)) {
			await mkdir(path.dirname(path.join(dir, name)), {recursive: true});
			await writeFile(path.join(dir, name), content);
		}

		await createTar({file, cwd: dir, portable: true}, names);
		await rm(dir, {recursive: true});
	}

	/** A package whose only bundle holds `files`, as a broken build would produce it. */
	async function brokenPackage(f: ClusterFixture, files: Record<string, string | Buffer>): Promise<{path: string; bundle: string}> {
		const root = path.join(f.root, 'broken');
		const repoDir = path.join(root, 'addon-offline-package', 'addon');
		await mkdir(repoDir, {recursive: true});
		await tarOf(path.join(repoDir, 'broken-1.0.0.bundle.tar'), files);
		const pkg = path.join(f.packagesDir, 'addon-offline-full-package-v0.9.5-arm64-broken.tar.gz');
		await createTar({file: pkg, cwd: root, gzip: true, portable: true}, ['addon-offline-package']);
		return {path: pkg, bundle: path.join(target(f), 'addon-offline-package', 'addon', 'broken-1.0.0.bundle.tar')};
	}

	const chartYaml = {'original-chart/broken/Chart.yaml': 'name: broken\nversion: 1.0.0\n'};
	it.each([
		['without original-chart/', async () => ({}), /ENOENT: no such file or directory, scandir '.*\/original-chart'$/],
		[
			'without Chart.yaml',
			async () => ({'original-chart/broken/values.yaml': ''}),
			/ENOENT: no such file or directory, open '.*\/original-chart\/broken\/Chart\.yaml'$/,
		],
		[
			'with a non-JSON manifest.json in images.tar',
			async (f: ClusterFixture) => {
				const images = path.join(f.root, 'images.tar');
				await tarOf(images, {'manifest.json': '{not json'});
				return {...chartYaml, 'images.tar': await readFile(images)};
			},
			/JSON/,
		],
	])('ends a bundle %s in one [Error]:[Error] line and exit 1, not a stack trace', async (_name, files, cause) => {
		const f = await fixture();
		const broken = await brokenPackage(f, await files(f));
		const result = await run(f, importAddon(f, broken.path));
		expect(result.code).toBe(1);
		expect(result.signal).toBeNull();
		const errors = lines(result.stderr);
		expect(errors).toHaveLength(1);
		expect(errors[0]!.startsWith(`[Error]:[Error] import addon failed: read bundle ${broken.bundle}: `)).toBe(true);
		expect(errors[0]).toMatch(cause);
		expect(result.stderr).not.toContain('    at ');
		expect(result.stdout).not.toContain('import addon finished');
		expect(existsSync(target(f))).toBe(true);
	});

	it.each([
		['double-quoted with escapes', 'a "quoted"\nfolder', (file: string) => `    path: ${JSON.stringify(file)}   # set by the wizard\n`],
		// A line break inside '…' folds into a space in YAML, so no line break here.
		['single-quoted', "it's # a folder", (file: string) => `    path: '${file.replaceAll("'", "''")}'\n`],
		[
			'a |- block scalar',
			"it's a\nfolder",
			(file: string) =>
				`    path: |-\n${file
					.split('\n')
					.map(line => `      ${line}`)
					.join('\n')}\n`,
		],
		['a list of one double-quoted item', 'list\nfolder', (file: string) => `    path:\n      - ${JSON.stringify(file)}\n`],
	])('reads spec.addonPackage.path written %s, as a YAML parser would', async (_name, folder, yaml) => {
		const f = await fixture();
		const odd = path.join(f.root, folder, f.packages[0]!.fileName);
		await mkdir(path.dirname(odd), {recursive: true});
		await writeFile(odd, await readFile(f.packages[0]!.path));
		await writeFile(f.configPath, `kind: ClusterConfig\nspec:\n  addonPackage:\n${yaml(odd)}`);
		const result = await run(f, clusterCreate(f));
		expect(result.stderr).not.toContain('[Error]');
		expect(result.code).toBe(0);
		expect(result.stdout).toContain(`[Info]: unpacking addon package ${odd} (`);
	});

	it('prints DCE5_SIM_ECHO as the first stdout line, on one line', async () => {
		const f = await fixture();
		const result = await run(f, importAddon(f), {DCE5_SIM_ECHO: 'registry password: Harbor12345\nsecond part'});
		expect(result.code).toBe(0);
		const out = lines(result.stdout);
		expect(out[0]).toBe('registry password: Harbor12345 second part');
		expect(out[1]).toBe('[Info]: Step 1/1: import addon offline package (multi-arch)');
		expect(out.filter(line => line.includes('Harbor12345'))).toHaveLength(1);
		const plain = await run(f, importAddon(f));
		expect(lines(plain.stdout)[0]).toBe('[Info]: Step 1/1: import addon offline package (multi-arch)');
	});

	it('appends one DCE5_SIM_TRACE line per start, with its argv and working directory', async () => {
		const f = await fixture();
		const trace = path.join(f.root, 'trace.jsonl');
		await run(f, ['--version'], {DCE5_SIM_TRACE: trace});
		const result = await run(f, importAddon(f), {DCE5_SIM_TRACE: trace});
		expect(result.code).toBe(0);
		const starts = lines(await readFile(trace, 'utf8')).map(line => JSON.parse(line) as {pid: number; argv: string[]; cwd: string});
		expect(starts.map(start => [start.argv, start.cwd])).toEqual([
			[['--version'], f.workdir],
			[importAddon(f), f.workdir],
		]);
		expect(starts.every(start => Number.isInteger(start.pid))).toBe(true);
	});
});
