import {mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {planConfigEdit, readClusterConfig} from '../../../source/adapters/config/cluster-config.js';
import {diskInfo} from '../../../source/adapters/host/disk-info.js';
import {inspectPackage} from '../../../source/adapters/packages/inspect-package.js';
import {gatherPreflightFacts} from '../../../source/adapters/plan/preflight-facts.js';
import type {FilesystemInfo} from '../../../source/domain/plan/estimate-disk-needs.js';
import type {ClusterConfigInfo, ConfigEdit} from '../../../source/domain/config/config-facts.js';
import type {Plan} from '../../../source/domain/plan/plan.js';
import type {WizardError} from '../../../source/domain/shared/wizard-error.js';
import {retryBlocks} from '../../../source/domain/plan/preflight.js';
import {locateRegistry} from '../../../source/domain/registry/location.js';
import type {RegistryFacts, RegistrySnapshot} from '../../../source/domain/plan/registry-review.js';
import type {TagState} from '../../../source/domain/registry/tag-state.js';
import {buildPlan, recheckPlan, type PlanDeps, type PlanInput, type RecheckDeps} from '../../../source/workflow/plan/build-plan.js';
import type {RegistryFactsQuery} from '../../../source/workflow/plan/registry-facts.js';
import {makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';
import {full, standard, gpu, jenkins, metax} from '../../domain/packages/make-inspection.js';
import {buildPackage} from '../../helpers/build-package.js';

/** A step writes the package unpacked, then each chart bundle unpacked beside it. */
const unpackPeak = (item: {uncompressedBytes: number; charts: Array<{bytes: number}>}) =>
	item.uncompressedBytes + item.charts.reduce((sum, chart) => sum + chart.bytes, 0);

const GB = 1_000_000_000;
const installerPath = '/root/dce5-installer';
const configPath = '/root/offline/sample/clusterConfig.yaml';
const manifestPath = '/root/offline/sample/manifest.yaml';
const workdir = '/root/work';

const isError = (value: unknown): value is WizardError =>
	typeof value === 'object' && value !== null && 'exitCode' in value && !('steps' in value);
const codes = (plan: Plan) => plan.findings.map(finding => finding.code);

function cluster(addonPackagePaths: string[], extra: Partial<ClusterConfigInfo> = {}): ClusterConfigInfo {
	return {
		path: configPath,
		kind: 'ClusterConfig',
		addonPackagePaths,
		addonPathShape: addonPackagePaths.length === 0 ? 'absent' : 'string',
		...extra,
	};
}

function input(overrides: Partial<PlanInput>): PlanInput {
	return {
		packages: [],
		cluster: cluster([]),
		configPath,
		manifestPath,
		installer: {path: installerPath, found: true, executable: true},
		workdir,
		watchPaths: [],
		importCommand: ['import', '-addon'],
		diskMargin: 0.1,
		registrySpaces: [],
		clusterArches: [],
		...overrides,
	};
}

/** A writable working directory with nothing left over in it; the packages' own facts are left out. */
const quietFacts: PlanDeps['preflightFacts'] = async query => ({
	workdir: {path: query.workdir, exists: true, isDirectory: true, writable: true},
	packages: [],
});

/** Fake adapters: every path on one 100 GB filesystem with `freeBytes` free; edits recorded. */
function fakeDeps(freeBytes = 100 * GB, devices: Record<string, string> = {}) {
	const calls = {diskInfo: [] as string[][], planConfigEdit: [] as Array<{path: string; newPaths: string[]}>};
	const deps: PlanDeps = {
		async diskInfo(paths) {
			calls.diskInfo.push(paths);
			return paths.map((item): FilesystemInfo => ({path: item, device: devices[item] ?? 'dev-root', freeBytes, totalBytes: 100 * GB}));
		},
		async planConfigEdit(file, newPaths): Promise<ConfigEdit> {
			calls.planConfigEdit.push({path: file, newPaths});
			return {path: file, newPaths, diff: `-old\n+${newPaths.join(',')}\n`, originalText: 'old', newText: newPaths.join(',')};
		},
		preflightFacts: quietFacts,
	};
	return {deps, calls};
}

async function plan(overrides: Partial<PlanInput>, deps: PlanDeps = fakeDeps().deps): Promise<Plan> {
	const result = await buildPlan(input(overrides), deps);
	if (isError(result)) {
		throw new Error(`unexpected error: ${result.message}`);
	}

	return result;
}

describe('buildPlan with fake adapters', () => {
	const currentAmd64 = '/home/addon-offline-full-package-v0.9.0-amd64.tar.gz';

	it('imports one package with cluster-create after setting addonPackage.path', async () => {
		const pkg = full('v0.9.0', 'amd64', {
			dir: '/home',
			charts: ['a@1.0.0', 'b@2.0.0'],
			images: ['release.daocloud.io/a:1'],
			uncompressedBytes: 5 * GB,
		});
		const {deps, calls} = fakeDeps();
		const result = await plan({packages: [pkg]}, deps);
		expect(result.operation).toBe('single-arch-import');
		expect(result.blocked).toBe(false);
		expect(result.steps).toHaveLength(1);
		const [step] = result.steps;
		expect(step).toMatchObject({
			id: 'cluster-create',
			kind: 'cluster-create',
			title: 'Import addon v0.9.0 (amd64) with cluster-create -j13',
			packagePath: pkg.path,
			arch: 'amd64',
			argv: [installerPath, 'cluster-create', '-c', configPath, '-m', manifestPath, '-d', '-j13'],
			cwd: workdir,
			expectedBytes: unpackPeak(pkg),
			expectedCharts: 2,
			expectedImages: 1,
		});
		expect(calls.planConfigEdit).toEqual([{path: configPath, newPaths: [pkg.path]}]);
		expect(step!.configEdit?.newPaths).toEqual([pkg.path]);
	});

	it('upgrades single-arch: one cluster-create step titled as an upgrade', async () => {
		const pkg = full('v0.11.0', 'amd64', {dir: '/home'});
		const result = await plan({packages: [pkg], cluster: cluster([currentAmd64])});
		expect(result.operation).toBe('single-arch-upgrade');
		expect(result.reason).toContain('v0.9.0 (amd64)');
		expect(result.steps.map(step => step.title)).toEqual(['Upgrade addon to v0.11.0 (amd64) with cluster-create -j13']);
	});

	it('integrates another arch with import -addon and leaves clusterConfig.yaml alone', async () => {
		const arm64 = full('v0.9.0', 'arm64', {dir: '/home', charts: ['a@1.0.0'], images: ['x/a:1', 'x/b:1']});
		const {deps, calls} = fakeDeps();
		const result = await plan({packages: [arm64], cluster: cluster([currentAmd64])}, deps);
		expect(result.operation).toBe('multi-arch-integration');
		expect(calls.planConfigEdit).toEqual([]);
		expect(result.steps).toEqual([
			{
				id: 'integrate-arm64-0',
				kind: 'import-addon',
				title: 'Integrate arm64 images of v0.9.0 with import -addon',
				packagePath: arm64.path,
				arch: 'arm64',
				argv: [installerPath, 'import', '-addon', '-c', configPath, `--addon-path=${arm64.path}`],
				cwd: workdir,
				expectedBytes: unpackPeak(arm64),
				expectedCharts: 1,
				expectedImages: 2,
			},
		]);
	});

	it('upgrades multi-arch: cluster-create with the cluster arch first, then one integration per other arch; only the first edits the config', async () => {
		const amd64 = full('v0.12.0', 'amd64', {dir: '/home'});
		const arm64 = full('v0.12.0', 'arm64', {dir: '/home'});
		const {deps, calls} = fakeDeps();
		const result = await plan({packages: [arm64, amd64], cluster: cluster([currentAmd64]), importCommand: ['import-addon']}, deps);
		expect(result.operation).toBe('multi-arch-upgrade');
		expect(result.steps.map(step => [step.kind, step.arch, step.packagePath])).toEqual([
			['cluster-create', 'amd64', amd64.path],
			['import-addon', 'arm64', arm64.path],
		]);
		expect(result.steps[1]!.argv).toEqual([installerPath, 'import-addon', '-c', configPath, `--addon-path=${arm64.path}`]);
		expect(result.steps[0]!.configEdit?.newPaths).toEqual([amd64.path]);
		expect(result.steps[1]!.configEdit).toBeUndefined();
		expect(calls.planConfigEdit).toEqual([{path: configPath, newPaths: [amd64.path]}]);
		expect(new Set(result.steps.map(step => step.id)).size).toBe(2);
	});

	it('sets both standard and gpu packages in addonPackage.path', async () => {
		const chosen = [standard('v0.19.0', 'amd64', {dir: '/p'}), gpu('v0.19.0', 'amd64', {dir: '/p'})];
		const {deps, calls} = fakeDeps();
		const result = await plan({packages: chosen, cluster: cluster(['/p/standard-addon-offline-package-v0.18.0-amd64.tar.gz'])}, deps);
		expect(result.steps).toHaveLength(1);
		expect(calls.planConfigEdit[0]!.newPaths).toEqual(chosen.map(item => item.path));
		expect(result.steps[0]!.expectedBytes).toBe(unpackPeak(chosen[0]!) + unpackPeak(chosen[1]!));
	});

	it('keeps an awkward package path as one argv element', async () => {
		const pkg = full('v0.9.0', 'arm64', {dir: '/home/my $(odd) packages/下载'});
		const result = await plan({packages: [pkg], cluster: cluster([currentAmd64])});
		expect(result.steps[0]!.argv.at(-1)).toBe(`--addon-path=/home/my $(odd) packages/下载/${pkg.fileName}`);
		expect(result.steps[0]!.argv).toHaveLength(6);
	});

	it('blocks with the shortfall when the workdir filesystem is too small', async () => {
		const pkg = full('v0.11.0', 'amd64', {
			dir: '/home',
			uncompressedBytes: 20 * GB,
			charts: [{name: 'a', version: '1.0.0', bytes: 5 * GB}],
		});
		const result = await plan({packages: [pkg], cluster: cluster([currentAmd64]), diskMargin: 0.2}, fakeDeps(20 * GB).deps);
		expect(result.blocked).toBe(true);
		const short = result.findings.find(finding => finding.code === 'disk-short');
		expect(short?.severity).toBe('error');
		// (20 GB unpacked + 5 GB bundles) * 1.2 = 30 GB needed, 20 GB free.
		expect(short?.details).toMatchObject({neededBytes: 30 * GB, freeBytes: 20 * GB, shortBytes: 10 * GB});
		expect(short?.message).toContain('short by 10.0 GB');
		expect(result.disk).toHaveLength(1);
	});

	it('needs room for the largest step, not the sum: steps run one after another', async () => {
		const amd64 = full('v0.12.0', 'amd64', {dir: '/home', uncompressedBytes: 10 * GB});
		const arm64 = full('v0.12.0', 'arm64', {dir: '/home', uncompressedBytes: 6 * GB});
		const result = await plan({packages: [amd64, arm64], cluster: cluster([currentAmd64]), diskMargin: 0}, fakeDeps(12 * GB).deps);
		expect(result.disk[0]!.neededBytes).toBe(10 * GB);
		expect(result.blocked).toBe(false);
	});

	it('asks about every filesystem involved once: workdir, package folders and watched paths', async () => {
		const {deps, calls} = fakeDeps(100 * GB, {'/mnt/usb': 'dev-usb', '/var/lib/registry': 'dev-reg'});
		const result = await plan(
			{
				packages: [full('v0.12.0', 'amd64', {dir: '/mnt/usb'}), full('v0.12.0', 'arm64', {dir: '/mnt/usb'})],
				watchPaths: ['/var/lib/registry'],
			},
			deps,
		);
		expect(calls.diskInfo).toEqual([[workdir, '/mnt/usb', '/var/lib/registry']]);
		expect(result.disk.map(need => [need.device, need.paths.map(item => item.role)])).toEqual([
			['dev-root', ['workdir']],
			['dev-usb', ['package']],
			['dev-reg', ['watch']],
		]);
	});

	it('blocks when the installer is missing or not executable, and says what to pass', async () => {
		const pkg = full('v0.9.0', 'amd64');
		const missing = await plan({packages: [pkg], installer: {path: installerPath, found: false}});
		expect(missing.blocked).toBe(true);
		expect(missing.findings[0]).toMatchObject({code: 'installer-missing', severity: 'error', hint: expect.stringContaining('--installer')});
		expect(missing.installer).toEqual({path: installerPath, found: false});
		const notExecutable = await plan({packages: [pkg], installer: {path: installerPath, found: true, executable: false}});
		expect(notExecutable.blocked).toBe(true);
		expect(notExecutable.findings[0]).toMatchObject({code: 'installer-missing', hint: `Run chmod +x ${installerPath}.`});
	});

	it('blocks before the run when the installer is a program for another CPU, naming it', async () => {
		const result = await plan({
			packages: [full('v0.9.0', 'amd64')],
			installer: {path: installerPath, found: true, executable: true, cannotRun: 'an aarch64 binary on this x64 machine'},
		});
		expect(result.blocked).toBe(true);
		expect(result.findings[0]).toMatchObject({
			code: 'installer-cannot-run',
			severity: 'error',
			message: `${installerPath} cannot run on this machine: an aarch64 binary on this x64 machine.`,
		});
		expect(result.findings[0]!.hint).toContain('uname -m');
	});

	it('blocks when no package is chosen', async () => {
		const result = await plan({packages: []});
		expect(result.blocked).toBe(true);
		expect(result.findings[0]).toMatchObject({severity: 'error', message: 'No package chosen.'});
		expect(result.steps).toEqual([]);
	});

	it('passes the config error through instead of a plan', async () => {
		const error: WizardError = {
			kind: 'config-malformed',
			message: 'clusterConfig.yaml line 3, column 1: bad',
			hint: 'Fix it.',
			exitCode: 2,
		};
		const deps: PlanDeps = {...fakeDeps().deps, planConfigEdit: async () => error};
		expect(await buildPlan(input({packages: [full('v0.9.0', 'amd64')]}), deps)).toEqual(error);
	});

	it('warns about registry spaces to create before integration, with how', async () => {
		const baseline = full('v0.9.0', 'amd64', {dir: '/home', charts: [{name: 'a', version: '1.0.0', spaces: ['release.daocloud.io']}]});
		const arm64 = full('v0.9.0', 'arm64', {charts: [{name: 'e', version: '0.4.0', spaces: ['localhost', 'release.daocloud.io']}]});
		const result = await plan({packages: [arm64], baseline, cluster: cluster([baseline.path])});
		const missing = result.findings.filter(finding => finding.code === 'registry-space-missing');
		expect(missing).toHaveLength(1);
		expect(missing[0]!.message).toContain('"localhost"');
		expect(missing[0]!.hint).toContain('"project_name":"localhost"');
		expect(result.blocked).toBe(false);
	});

	it('carries the version hazards: an upgrade below 0.12.0 of a multi-arch cluster warns', async () => {
		const result = await plan({
			packages: [full('v0.11.0', 'amd64')],
			cluster: cluster(['/home/addon-offline-full-package-v0.10.0-amd64.tar.gz']),
			clusterArches: ['amd64', 'arm64'],
		});
		expect(codes(result)).toEqual(['arch-conflict-below-0.12']);
		expect(result.blocked).toBe(false);
	});

	it('never puts the config secrets into the plan', async () => {
		const result = await plan({packages: [full('v0.9.0', 'amd64')], cluster: cluster([], {secrets: ['hunter2']})});
		expect(JSON.stringify(result)).not.toContain('hunter2');
	});
});

describe('buildPlan for a release set: v0.44.0, seven files, from a two-entry list', () => {
	const dir = '/root/addon-v0.44.0';
	const v43 = ['/root/standard-addon-offline-package-v0.43.0-amd64.tar.gz', '/root/standard-addon-offline-package-v0.43.0-arm64.tar.gz'];
	const chart = (name: string, version: string, spaces: string[] = ['release.daocloud.io']) => ({name, version, spaces, bytes: 1 * GB});
	const amd64 = [
		standard('v0.44.0', 'amd64', {
			dir,
			uncompressedBytes: 30 * GB,
			charts: [chart('nginx', '15.1.0'), chart('metax-operator', '0.14.2')],
			images: ['release.daocloud.io/kpanda/nginx:1.25.1'],
		}),
		gpu('v0.44.0', 'amd64', {dir, uncompressedBytes: 18 * GB, charts: [chart('gpu-operator', 'v26.3.3+3')]}),
		metax('v0.44.0', 'amd64', {
			dir,
			uncompressedBytes: 4 * GB,
			charts: [chart('metax-operator', '0.9.0'), chart('metax-exporter', '0.4.3')],
		}),
		jenkins('v0.44.0', 'amd64', {dir, uncompressedBytes: 6 * GB, charts: [chart('jenkins-full', '0.7.0')]}),
	];
	const arm64 = [
		standard('v0.44.0', 'arm64', {
			dir,
			uncompressedBytes: 20 * GB,
			charts: [chart('nginx', '15.1.0'), chart('egressgateway', '0.6.9', ['localhost'])],
			images: ['release.daocloud.io/kpanda/nginx:1.25.1'],
		}),
		gpu('v0.44.0', 'arm64', {dir, uncompressedBytes: 11 * GB, charts: [chart('gpu-operator', 'v26.3.3+3')]}),
		jenkins('v0.44.0', 'arm64', {dir, uncompressedBytes: 6 * GB, charts: [chart('jenkins-full', '0.7.0')]}),
	];
	const baselines = [
		standard('v0.43.0', 'amd64', {dir: '/root', charts: [chart('nginx', '15.1.0'), chart('metax-operator', '0.14.1')]}),
		standard('v0.43.0', 'arm64', {dir: '/root', charts: [chart('nginx', '15.1.0')]}),
	];
	// Chosen in the order a directory listing gives; the plan orders them.
	const chosen = [arm64[2]!, amd64[2]!, arm64[0]!, amd64[1]!, amd64[3]!, arm64[1]!, amd64[0]!];

	async function setPlan() {
		const {deps, calls} = fakeDeps(100 * GB);
		const result = await plan({packages: chosen, baselines, cluster: cluster(v43, {addonPathShape: 'list'}), diskMargin: 0}, deps);
		return {result, calls};
	}

	it('imports the four amd64 kinds with ONE cluster-create and writes them as the list, then integrates each arm64 file', async () => {
		const {result, calls} = await setPlan();
		expect(result.operation).toBe('multi-arch-upgrade');
		expect(result.blocked).toBe(false);
		expect(calls.planConfigEdit).toEqual([{path: configPath, newPaths: amd64.map(item => item.path)}]);
		expect(result.steps.map(step => [step.kind, step.title])).toEqual([
			['cluster-create', 'Upgrade addon to v0.44.0 (amd64: standard, gpu, metax, jenkins) with cluster-create -j13'],
			['import-addon', 'Integrate arm64 images of standard v0.44.0 with import -addon'],
			['import-addon', 'Integrate arm64 images of gpu v0.44.0 with import -addon'],
			['import-addon', 'Integrate arm64 images of jenkins v0.44.0 with import -addon'],
		]);
		expect(result.steps.map(step => step.argv)).toEqual([
			[installerPath, 'cluster-create', '-c', configPath, '-m', manifestPath, '-d', '-j13'],
			...arm64.map(item => [installerPath, 'import', '-addon', '-c', configPath, `--addon-path=${item.path}`]),
		]);
		expect(result.steps[0]).toMatchObject({packagePath: amd64[0]!.path, packagePaths: amd64.map(item => item.path), expectedCharts: 6});
		expect(result.steps[0]!.configEdit?.newPaths).toEqual(amd64.map(item => item.path));
		expect(result.steps.slice(1).every(step => step.configEdit === undefined)).toBe(true);
		expect(new Set(result.steps.map(step => step.id)).size).toBe(4);
		expect(result.reason).toBe(
			'Multi-arch upgrade: the cluster has v0.43.0 (amd64: standard) + v0.43.0 (arm64: standard); v0.44.0 (amd64: standard, gpu, metax, jenkins) is upgraded with cluster-create, then v0.44.0 (arm64: standard, gpu, jenkins) is integrated.',
		);
	});

	it('names the dropped arm64 entry with why, notes that metax stays amd64-only, and has no other hazard', async () => {
		const {result} = await setPlan();
		expect(codes(result)).toEqual(['config-entry-dropped', 'kind-stays-single-arch', 'registry-space-missing']);
		const [dropped, note] = result.findings;
		// Nothing is lost (the plan integrates arm64 again): information, not a hazard to accept.
		expect(dropped).toMatchObject({severity: 'info', details: {path: v43[1]}});
		expect(dropped!.message).toBe(
			`spec.addonPackage.path no longer names ${v43[1]}: cluster-create imports the amd64 files only; arm64 is integrated by this plan's import -addon steps instead.`,
		);
		expect(note).toMatchObject({
			severity: 'info',
			message: expect.stringMatching(
				/^metax charts stay amd64-only: metax is published for amd64 from v0\.28\.0, so no arm64 step brings them/,
			),
		});
	});

	it('computes disk, spaces and charts over the whole set', async () => {
		const {result} = await setPlan();
		// The cluster-create step unpacks four packages (58 GB + 6 GB of bundles); each arm64 step one.
		expect(result.steps.map(step => step.expectedBytes / GB)).toEqual([64, 22, 12, 7]);
		expect(result.disk[0]!.neededBytes).toBe(64 * GB);
		expect(result.diffs.registrySpaces).toEqual({mustExist: ['localhost'], alreadyUsed: ['release.daocloud.io']});
		expect(result.diffs.charts.map(change => [change.name, change.change, change.to])).toEqual([
			['egressgateway', 'added', '0.6.9'],
			['gpu-operator', 'added', 'v26.3.3+3'],
			['jenkins-full', 'added', '0.7.0'],
			['metax-exporter', 'added', '0.4.3'],
			['metax-operator', 'upgraded', '0.14.2'],
			['nginx', 'unchanged', '15.1.0'],
		]);
		expect(result.diffs.chartVersionSkew).toEqual([
			{
				name: 'metax-operator',
				versions: [
					{version: '0.14.2', kinds: ['standard']},
					{version: '0.9.0', kinds: ['metax']},
				],
			},
		]);
		expect(result.diffs.multiArchImages).toEqual([{ref: 'release.daocloud.io/kpanda/nginx:1.25.1', arches: ['amd64', 'arm64']}]);
		expect(result.baselines).toEqual(baselines);
	});

	it('blocks a set that mixes two releases for one arch', async () => {
		const result = await plan({packages: [amd64[0]!, gpu('v0.43.0', 'amd64', {dir})], cluster: cluster(v43, {addonPathShape: 'list'})});
		expect(result.blocked).toBe(true);
		expect(result.findings.find(finding => finding.code === 'release-versions-mixed')?.severity).toBe('error');
	});

	it('warns below 0.12.0 when the configured list names two arches (the arm64 entry used to be ignored)', async () => {
		const list = ['/home/addon-offline-full-package-v0.10.0-amd64.tar.gz', '/home/addon-offline-full-package-v0.10.0-arm64.tar.gz'];
		const result = await plan({packages: [full('v0.11.0', 'amd64', {dir: '/home'})], cluster: cluster(list, {addonPathShape: 'list'})});
		expect(codes(result)).toEqual(['arch-conflict-below-0.12', 'config-entry-dropped']);
		expect(result.findings[0]!.hint).toBe('Choose the v0.11.0 arm64 package too, so the plan integrates it right after the upgrade.');
	});
});

describe('buildPlan with real packages and clusterConfig.yaml', () => {
	let fixture: ClusterFixture;

	beforeAll(async () => {
		fixture = await makeClusterFixture({
			packages: [
				{version: 'v0.9.5', arch: 'amd64'},
				{version: 'v0.12.5', arch: 'amd64'},
				{
					version: 'v0.12.5',
					arch: 'arm64',
					charts: [
						{name: 'dao-2048', version: '1.4.1', repo: 'addon', images: [{ref: 'release.daocloud.io/daocloud/dao-2048:v1.4.1'}]},
						{name: 'egressgateway', version: '0.4.0', repo: 'addon', images: [{ref: 'localhost/egressgateway:v0.4.0'}]},
					],
				},
			],
			current: 0,
		});
	});

	afterAll(async () => rm(fixture.root, {recursive: true, force: true}));

	it('plans a multi-arch upgrade end to end: real inspections, real config edit, real disk', async () => {
		const cacheDir = path.join(fixture.root, 'cache');
		const [baseline, amd64, arm64] = await Promise.all(fixture.packages.map(async item => inspectPackage(item.path, {cacheDir})));
		const info = await readClusterConfig(fixture.configPath);
		expect(isError(info)).toBe(false);
		const original = await readFile(fixture.configPath, 'utf8');
		const installer = path.join(fixture.home, 'dce5-installer');
		const result = await buildPlan(
			{
				...input({}),
				packages: [amd64!, arm64!],
				baseline,
				cluster: info as ClusterConfigInfo,
				configPath: fixture.configPath,
				manifestPath: fixture.manifestPath,
				installer: {path: installer, found: true, executable: true},
				workdir: fixture.workdir,
			},
			{diskInfo, planConfigEdit, preflightFacts: gatherPreflightFacts},
		);
		if (isError(result)) {
			throw new Error(result.message);
		}

		expect(result.operation).toBe('multi-arch-upgrade');
		expect(result.reason).toContain('v0.9.5 (amd64)');
		expect(result.steps.map(step => step.argv)).toEqual([
			[installer, 'cluster-create', '-c', fixture.configPath, '-m', fixture.manifestPath, '-d', '-j13'],
			[installer, 'import', '-addon', '-c', fixture.configPath, `--addon-path=${arm64!.path}`],
		]);
		expect(result.steps.map(step => step.cwd)).toEqual([fixture.workdir, fixture.workdir]);
		const inspected = result.packages.find(item => item.path === fixture.packages[1]!.path)!;
		expect(result.steps[0]!.expectedBytes).toBe(unpackPeak(inspected));
		expect(result.steps[0]!.expectedBytes).toBeGreaterThan(fixture.packages[1]!.uncompressedBytes);
		expect(result.steps[0]!.expectedCharts).toBe(3);
		expect(result.steps[1]!.expectedImages).toBe(2);

		const edit = result.steps[0]!.configEdit!;
		expect(edit.newText).toBe(original.replace(fixture.packages[0]!.path, fixture.packages[1]!.path));
		expect(edit.diff).toContain(`+    path: "${fixture.packages[1]!.path}"   # set by hand last time`);
		expect(result.steps[1]!.configEdit).toBeUndefined();
		expect(await readFile(fixture.configPath, 'utf8')).toBe(original);

		// All fixture folders live on one filesystem: counted once, with the larger step's size.
		expect(result.disk).toHaveLength(1);
		const peak = Math.max(
			...[amd64!, arm64!].map(item => item.uncompressedBytes + item.charts.reduce((sum, chart) => sum + chart.bytes, 0)),
		);
		expect(result.disk[0]!.neededBytes).toBe(Math.ceil(peak * 1.1));
		expect(result.disk[0]!.paths.map(item => item.role)).toEqual(['workdir', 'package']);

		expect(result.diffs.registrySpaces.mustExist).toEqual(['localhost']);
		expect(result.diffs.multiArchImages.map(image => image.ref)).toContain('release.daocloud.io/daocloud/dao-2048:v1.4.1');
		expect(codes(result)).toEqual(['registry-space-missing']);
		expect(result.blocked).toBe(false);
	});

	it('blocks a real plan whose installer is missing', async () => {
		const cacheDir = path.join(fixture.root, 'cache');
		const arm64 = await inspectPackage(fixture.packages[2]!.path, {cacheDir});
		const info = (await readClusterConfig(fixture.configPath)) as ClusterConfigInfo;
		const result = (await buildPlan(
			{
				...input({}),
				packages: [arm64],
				cluster: info,
				configPath: fixture.configPath,
				manifestPath: fixture.manifestPath,
				installer: {path: path.join(fixture.root, 'nope', 'dce5-installer'), found: false, executable: false},
				workdir: fixture.workdir,
			},
			{diskInfo, planConfigEdit, preflightFacts: gatherPreflightFacts},
		)) as Plan;
		expect(result.operation).toBe('multi-arch-integration');
		expect(result.blocked).toBe(true);
		expect(codes(result)).toContain('installer-missing');
	});
});

describe('buildPlan for a real v0.44.0 download folder and a list clusterConfig.yaml', () => {
	let root = '';

	afterAll(async () => rm(root, {recursive: true, force: true}));

	it('writes the four amd64 files as the new list, keeps the rest of the file, and blocks on generated files that are not the published ones', async () => {
		const fixture = await makeClusterFixture({packages: []});
		root = fixture.root;
		const kinds: Array<[string, string]> = [
			['standard', 'amd64'],
			['standard', 'arm64'],
			['gpu', 'amd64'],
			['gpu', 'arm64'],
			['metax', 'amd64'],
			['jenkins', 'amd64'],
			['jenkins', 'arm64'],
		];
		const built = [];
		for (const [kind, arch] of kinds) {
			built.push(
				await buildPackage({
					dir: fixture.packagesDir,
					kind,
					version: 'v0.44.0',
					arch,
					charts: [{name: `${kind}-chart`, version: '1.0.0', images: [{ref: `release.daocloud.io/${kind}/app:1`}]}],
				}),
			);
		}

		const old = ['/root/standard-addon-offline-package-v0.43.0-amd64.tar.gz', '/root/standard-addon-offline-package-v0.43.0-arm64.tar.gz'];
		const original = (await readFile(fixture.configPath, 'utf8')).replace(
			'  addonPackage:\n    # path: "/root/addon-offline-full-package-v0.4.8-amd64.tar.gz"\n',
			`  addonPackage:\n    path:\n      - "${old[0]}"\n      - "${old[1]}"\n`,
		);
		await writeFile(fixture.configPath, original);
		const info = (await readClusterConfig(fixture.configPath)) as ClusterConfigInfo;
		expect(info.addonPackagePaths).toEqual(old);
		const cacheDir = path.join(fixture.root, 'cache');
		const inspections = await Promise.all(built.map(async item => inspectPackage(item.path, {cacheDir})));
		const result = (await buildPlan(
			{
				...input({}),
				packages: inspections,
				cluster: info,
				configPath: fixture.configPath,
				manifestPath: fixture.manifestPath,
				installer: {path: path.join(fixture.home, 'dce5-installer'), found: true, executable: true},
				workdir: fixture.workdir,
			},
			{diskInfo, planConfigEdit, preflightFacts: gatherPreflightFacts},
		)) as Plan;

		const amd64Paths = built.filter(item => item.fileName.endsWith('-amd64.tar.gz')).map(item => item.path);
		const edit = result.steps[0]!.configEdit!;
		expect(edit.newPaths).toEqual(amd64Paths);
		const rewritten = path.join(fixture.root, 'rewritten.yaml');
		await writeFile(rewritten, edit.newText);
		expect(((await readClusterConfig(rewritten)) as ClusterConfigInfo).addonPackagePaths).toEqual(amd64Paths);
		expect(edit.newText).toContain('  # Offline resources\n');
		expect(edit.newText).not.toContain(old[1]);
		expect(await readFile(fixture.configPath, 'utf8')).toBe(original);
		expect(result.steps.map(step => step.kind)).toEqual(['cluster-create', 'import-addon', 'import-addon', 'import-addon']);

		// Generated content under published names: each file is (rightly) not the published one.
		expect(result.blocked).toBe(true);
		expect(result.findings.filter(finding => finding.code === 'checksum-mismatch')).toHaveLength(7);
		expect(codes(result).filter(code => code !== 'checksum-mismatch')).toEqual(['config-entry-dropped', 'kind-stays-single-arch']);
	});
});

describe('buildPlan: the pre-flight checklist, from real files', () => {
	let fixture: ClusterFixture;
	let amd64: Awaited<ReturnType<typeof inspectPackage>>;
	let info: ClusterConfigInfo;
	const leftover = () => path.join(fixture.workdir, 'addon-offline-target-package');

	beforeAll(async () => {
		fixture = await makeClusterFixture({packages: [{version: 'v0.12.5', arch: 'amd64'}]});
		amd64 = await inspectPackage(fixture.packages[0]!.path, {cacheDir: path.join(fixture.root, 'cache')});
		info = (await readClusterConfig(fixture.configPath)) as ClusterConfigInfo;
	});

	afterAll(async () => rm(fixture.root, {recursive: true, force: true}));

	const realDeps: PlanDeps = {diskInfo, planConfigEdit, preflightFacts: gatherPreflightFacts};

	async function realPlan(overrides: Partial<PlanInput> = {}): Promise<Plan> {
		return buildPlan(
			{
				...input({}),
				packages: [amd64],
				cluster: info,
				configPath: fixture.configPath,
				manifestPath: fixture.manifestPath,
				installer: {path: path.join(fixture.home, 'dce5-installer'), found: true, executable: true},
				workdir: fixture.workdir,
				...overrides,
			},
			realDeps,
		) as Promise<Plan>;
	}

	it('passes every check for a clean working directory, and the plan carries the facts it was built from', async () => {
		const result = await realPlan();
		expect(result.preflight!.filter(check => check.status !== 'pass')).toEqual([]);
		expect(result.blocked).toBe(false);
		expect(result.preflightFacts).toMatchObject({
			workdir: {path: fixture.workdir, writable: true},
			fromStep: 1,
			packages: [{path: amd64.path, sizeNow: amd64.size}],
		});
		expect(result.preflightFacts!.leftover).toBeUndefined();
	});

	it('blocks on a leftover in the working directory, naming its size, before clusterConfig.yaml is touched', async () => {
		await mkdir(path.join(leftover(), 'addon-offline-package'), {recursive: true});
		await writeFile(path.join(leftover(), 'addon-offline-package', 'metadata.yaml'), 'x'.repeat(2500));
		try {
			const result = await realPlan();
			expect(result.blocked).toBe(true);
			expect(result.preflight!.find(check => check.id === 'leftover')).toMatchObject({
				status: 'block',
				message: expect.stringContaining(`${leftover()} (2.50 KB) from an earlier run`) as string,
			});

			// --cleanup: the run removes it first; the disk check counts what that frees.
			const cleaning = await realPlan({removeLeftover: true});
			expect(cleaning.blocked).toBe(false);
			expect(cleaning.removeLeftover).toEqual({path: leftover(), bytes: 2500});
			expect(cleaning.disk.find(need => need.paths.some(item => item.role === 'workdir'))?.reclaimableBytes).toBe(2500);
		} finally {
			await rm(leftover(), {recursive: true, force: true});
		}
	});

	it('blocks --from-step outside the plan, and an installer that cannot start', async () => {
		expect((await realPlan({fromStep: 99})).preflight!.find(check => check.id === 'from-step')).toMatchObject({
			status: 'block',
			message: "--from-step 99 is outside the plan's 1 step.",
		});
		const script = path.join(fixture.root, 'bin', 'dce5-installer');
		await mkdir(path.dirname(script), {recursive: true});
		await writeFile(script, '#!/opt/no-such/python9\n', {mode: 0o755});
		const result = await realPlan({installer: {path: script, found: true, executable: true, missingInterpreter: '/opt/no-such/python9'}});
		expect(result.blocked).toBe(true);
		expect(codes(result)).toContain('installer-cannot-run');
	});

	it("blocks a package with a download tool's partial file beside it", async () => {
		await writeFile(`${amd64.path}.crdownload`, '');
		try {
			const result = await realPlan();
			expect(result.preflight!.find(check => check.id === 'download')).toMatchObject({
				status: 'block',
				message: `${amd64.fileName}.crdownload lies beside ${amd64.fileName}: a download may still be writing it.`,
			});
		} finally {
			await rm(`${amd64.path}.crdownload`);
		}
	});

	it('rechecks the whole pre-flight for a retry: fresh free space, leftover, installer and packages', async () => {
		const plan = await realPlan();
		const probed: string[] = [];
		const deps: RecheckDeps = {
			async installer(file) {
				probed.push(file);
				return {path: file, found: true, executable: true};
			},
			// The filesystem filled up since the plan was made.
			diskInfo: async paths => paths.map(item => ({path: item, device: 'dev-1', freeBytes: 0, totalBytes: 100 * GB})),
			preflightFacts: gatherPreflightFacts,
		};
		// What the installer unpacked from the package: explained, so the clean-up would take it.
		await mkdir(path.join(leftover(), 'addon-offline-package'), {recursive: true});
		await writeFile(path.join(leftover(), 'addon-offline-package', 'metadata.yaml'), Buffer.alloc(1000));
		try {
			const rechecked = await recheckPlan(plan, {fromStep: 1, removeLeftover: true}, deps);
			expect(probed).toEqual([plan.installer.path]);
			expect(rechecked.blocked).toBe(true);
			expect(retryBlocks(rechecked).map(check => check.id)).toEqual(['disk']);
			expect(retryBlocks(rechecked)[0]!.message).toContain('+ 1.00 KB the leftover frees, short by');
			expect(rechecked.preflight!.find(check => check.id === 'leftover')).toMatchObject({status: 'warn'});
			expect(rechecked.steps).toEqual(plan.steps);

			const roomy = await recheckPlan(plan, {fromStep: 1, removeLeftover: true}, {...deps, diskInfo});
			expect(retryBlocks(roomy)).toEqual([]);
			expect(roomy.blocked).toBe(false);
		} finally {
			await rm(leftover(), {recursive: true, force: true});
		}
	});
});

describe('buildPlan with the registry section (facts from a fake registry)', () => {
	const currentAmd64 = '/home/addon-offline-full-package-v0.10.0-amd64.tar.gz';
	const refs = ['release.daocloud.io/kpanda/a:v1', 'docker.m.daocloud.io/b:v1'];
	const multiArch: TagState = {
		kind: 'list',
		images: [
			{arch: 'amd64', os: 'linux', configDigest: `sha256:${'1'.repeat(64)}`},
			{arch: 'arm64', os: 'linux', configDigest: `sha256:${'2'.repeat(64)}`},
		],
	};
	const located = locateRegistry({document: undefined, flags: {registry: 'http://127.0.0.1:5000', chartRepo: 'http://127.0.0.1:8081'}}) as {
		location: RegistryFacts['location'];
	};
	const snapshot = (
		spaces: RegistrySnapshot['spaces'] = {kind: 'none', reason: 'http://127.0.0.1:5000 has no projects.'},
	): RegistrySnapshot => ({
		tags: new Map(refs.map(ref => [ref, multiArch])),
		spaces,
		neighbours: new Map(),
		auth: 'basic',
		harbor: spaces.kind === 'harbor',
		tls: 'plain HTTP',
		elapsedMs: 5,
		requests: 4,
	});
	const upgrade = () => full('v0.11.0', 'amd64', {dir: '/home', images: refs, charts: ['kpanda@0.21.0']});

	function withFacts(facts: Omit<RegistryFacts, 'location'>) {
		const queries: RegistryFactsQuery[] = [];
		const deps: PlanDeps = {
			...fakeDeps().deps,
			registryFacts: async query => (queries.push(query), {location: located.location, ...facts}),
		};
		return {deps, queries};
	}

	it("judges the <0.12.0 hazard from the registry's lists with no flag, and compares the charts with index.yaml", async () => {
		const {deps, queries} = withFacts({
			registry: snapshot(),
			charts: {charts: new Map([['kpanda', ['0.20.1']]]), url: 'http://127.0.0.1:8081/index.yaml', bytes: 10},
			history: [],
		});
		const controller = new AbortController();
		const result = await plan(
			{
				packages: [upgrade()],
				cluster: cluster([currentAmd64], {clusterName: 'c1'}),
				configRealPath: '/etc/real.yaml',
				registryRead: {signal: controller.signal},
			},
			deps,
		);
		expect(queries[0]).toMatchObject({
			cluster: {configPath: '/etc/real.yaml', clusterName: 'c1'},
			signal: controller.signal,
			steps: [{stepId: 'cluster-create', push: {kind: 'cluster-create', version: 'v0.11.0'}, arch: 'amd64'}],
		});
		expect(result.registry?.checked).toBe(true);
		expect(codes(result)).toEqual(['arch-conflict-below-0.12']);
		expect(result.findings[0]!.message).toContain('turns 2 multi-arch tags in the registry into amd64-only images');
		expect(result.diffs.charts).toEqual([{name: 'kpanda', from: '0.20.1', to: '0.21.0', change: 'upgraded'}]);
		expect(result.diffs.chartsAgainst).toEqual({source: 'repository', url: 'http://127.0.0.1:8081/index.yaml'});
		expect(result.diffs.multiArchImages).toEqual([]);
		expect(result.preflight?.find(check => check.id === 'registry-spaces')).toMatchObject({
			status: 'pass',
			message: 'Registry spaces: none needed (http://127.0.0.1:5000 has no projects)',
		});
		expect(result.blocked).toBe(false);
	});

	it('blocks on Harbor projects the registry lacks, with c and --create-spaces as the next step', async () => {
		const {deps} = withFacts({
			registry: snapshot({kind: 'harbor', existing: ['release.daocloud.io'], missing: ['docker.m.daocloud.io']}),
			history: [],
		});
		const result = await plan({packages: [upgrade()], cluster: cluster([currentAmd64])}, deps);
		expect(result.preflight?.find(check => check.id === 'registry-spaces')).toMatchObject({
			status: 'block',
			message: 'Registry spaces missing in http://127.0.0.1:5000: docker.m.daocloud.io: pushing into them fails.',
			then: {key: 'c', flag: '--create-spaces'},
		});
		expect(result.preflightFacts?.registrySpaces).toEqual({
			required: ['docker.m.daocloud.io', 'release.daocloud.io'],
			missing: ['docker.m.daocloud.io'],
			checkedAgainst: 'http://127.0.0.1:5000',
		});
		expect(result.blocked).toBe(true);
	});

	it("falls back on the wizard's history when the registry cannot be read, and blocks only with --require-registry", async () => {
		const refused = {
			kind: 'registry-unreachable',
			message: 'Cannot reach the registry at http://127.0.0.1:5000: connection refused (ECONNREFUSED).',
			hint: 'Check that the registry runs and listens there.',
			exitCode: 3,
		};
		const history = [
			{
				at: 1,
				stepKind: 'import-addon' as const,
				outcome: 'ok',
				packages: [{fileName: 'addon-offline-full-package-v0.10.0-arm64.tar.gz', version: 'v0.10.0', arch: 'arm64'}],
			},
		];
		const {deps} = withFacts({registry: refused, charts: refused, history});
		const result = await plan({packages: [upgrade()], cluster: cluster([currentAmd64])}, deps);
		expect(result.registry).toMatchObject({
			checked: false,
			problem: {message: refused.message},
			clusterArches: {arches: ['amd64', 'arm64'], sources: ['history', 'config']},
		});
		// The guess, now with the arm64 the wizard integrated itself.
		expect(codes(result)).toEqual(['arch-conflict-below-0.12']);
		expect(result.findings[0]!.hint).toBe('Choose the v0.11.0 arm64 package too, so the plan integrates it right after the upgrade.');
		expect(result.diffs.chartsAgainst).toEqual({source: 'packages', files: [], problem: refused.message});
		expect(result.blocked).toBe(false);

		const required = await plan(
			{packages: [upgrade()], cluster: cluster([currentAmd64]), requireRegistry: true},
			withFacts({registry: refused, history}).deps,
		);
		expect(required.blocked).toBe(true);
		expect(required.preflight?.find(check => check.code === 'registry-unchecked')).toMatchObject({status: 'block', hint: refused.hint});
	});

	it('notes a kind that stays single-arch on a cluster only the registry shows is multi-arch', async () => {
		const set = [
			standard('v0.44.0', 'amd64', {dir: '/home', images: refs, charts: ['nginx@15.1.1']}),
			metax('v0.44.0', 'amd64', {dir: '/home', charts: ['metax-operator@0.9.0']}),
		];
		const configured = cluster(['/home/standard-addon-offline-package-v0.43.0-amd64.tar.gz']);
		const unread = await plan({packages: set, cluster: configured});
		expect(codes(unread)).not.toContain('kind-stays-single-arch');
		const read = await plan({packages: set, cluster: configured}, withFacts({registry: snapshot(), history: []}).deps);
		expect(read.findings.find(finding => finding.code === 'kind-stays-single-arch')?.message).toMatch(
			/^metax charts stay amd64-only: metax is published for amd64/,
		);
	});

	it('asks nothing of the registry for a plan without steps', async () => {
		const {deps, queries} = withFacts({registry: snapshot(), history: []});
		const result = await plan({packages: []}, deps);
		expect(queries).toEqual([]);
		expect(result.registry).toBeUndefined();
	});
});
