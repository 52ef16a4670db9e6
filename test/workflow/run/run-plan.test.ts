// A whole run as the operator starts it: the plan built from real packages, the real adapters of
// makeRunDeps() (log, lock, record, config edit, process), and the installer simulator in a jump-host
// fixture. Each case is a run an operator would recognise: it worked, or it stopped with the
// cause and the step that failed, or it refused to start and changed nothing.
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {appendFile, chmod, mkdir, readdir, readFile, rm, utimes, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {afterAll, describe, expect, it} from 'vitest';
import {readClusterConfig} from '../../../source/adapters/config/cluster-config.js';
import {findRecord, writeRecord} from '../../../source/adapters/run/run-record.js';
import {cleanupLeftover} from '../../../source/adapters/run/target-dir.js';
import {compose} from '../../../source/app/compose.js';
import {makeAttachDeps, makeRunDeps} from '../../../source/app/compose-run.js';
import {environmentFor, type Environment} from '../../../source/app/environment.js';
import type {FailureCause, RunEvent, RunOutcome, StopReason} from '../../../source/domain/run/run-events.js';
import type {Plan} from '../../../source/domain/plan/plan.js';
import type {WizardError} from '../../../source/domain/shared/wizard-error.js';
import {attachRun} from '../../../source/workflow/run/attach/attach-run.js';
import {collect} from '../../../source/workflow/run/event-channel.js';
import type {RunDeps} from '../../../source/workflow/ports/run-deps.js';
import type {RunRecord} from '../../../source/workflow/ports/run-record-port.js';
import {patchDeps, waitUntil, type DepsPatch} from '../../helpers/fake-ports.js';
import {startRun} from '../../../source/workflow/run/run-plan.js';
import {initialWizardState, wizardReducer} from '../../../source/workflow/wizard/wizard-reducer.js';
import {buildPackage, defaultCharts, type FixturePackageOptions} from '../../helpers/build-package.js';
import {clusterConfigText, makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';
import {parsed} from '../../helpers/services.js';
import {inspectTag} from '../../helpers/registry.js';
import type {TestBed, TestBedOptions} from '../../helpers/test-bed.js';

const roots: string[] = [];
const fixtures: ClusterFixture[] = [];
afterAll(async () => {
	for (const f of fixtures) {
		await f.stop();
	}

	await Promise.all(roots.map(async root => rm(root, {recursive: true, force: true})));
});

type Prepared = {
	f: ClusterFixture;
	plan: Plan;
	/** The run's dependencies exactly as the composition root builds them, with the sampler sped up. */
	deps: RunDeps;
	env: Record<string, string>;
	environment: Environment;
	stateDir: string;
	target: string;
	/** The registry and chart repository behind the run, when the setup asked for them. */
	testBed?: TestBed;
};

type Setup = {
	packages?: Array<Omit<FixturePackageOptions, 'dir'>>;
	current?: number;
	/** Indexes into packages chosen with -p (default: all). */
	chosen?: number[];
	knobs?: Record<string, string>;
	flags?: string[];
	configText?: (f: ClusterFixture) => string;
	/** Packages built elsewhere (e.g. a folder with a line break in its name). */
	extraPackages?: (f: ClusterFixture) => Promise<string[]>;
	/** A real registry and chart repository under the fixture (Harbor's stand-in in front when asked). */
	testBed?: TestBedOptions;
};

function unwrap<T extends object>(value: T | WizardError): T {
	if ('exitCode' in value && 'hint' in value) {
		throw new Error(`unexpected error: ${(value as WizardError).message}`);
	}

	return value as T;
}

async function prepare(setup: Setup = {}): Promise<Prepared> {
	const f = await makeClusterFixture({packages: setup.packages ?? [{arch: 'amd64'}], current: setup.current, testBed: setup.testBed});
	roots.push(f.root);
	fixtures.push(f);
	if (setup.configText) {
		await writeFile(f.configPath, setup.configText(f));
	}

	const env = {...f.env, DCE5_SIM_DELAY_MS: '0', ...setup.knobs};
	const chosen = [
		...(setup.chosen ?? f.packages.map((_item, index) => index)).map(index => f.packages[index]!.path),
		...((await setup.extraPackages?.(f)) ?? []),
	];
	// With no registry behind the fixture there is nothing to read back: its steps are judged by the
	// installer alone, as --no-verify says (the registry verification has its own tests).
	const noRegistry = setup.testBed ? [] : ['--no-verify'];
	const options = parsed([
		'run',
		'--yes',
		'--no-cache',
		'-c',
		f.configPath,
		'--stop-grace',
		'0.2',
		...chosen.flatMap(item => ['-p', item]),
		...noRegistry,
		...(setup.flags ?? []),
	]);
	const environment = environmentFor({cwd: f.workdir, env});
	const io = {stdout: () => undefined, stderr: () => undefined};
	const context = unwrap(await compose(options, environment, io).cluster());
	const inspections = [];
	for (const item of options.packages) {
		inspections.push(await context.ports.inspectPackage(item, {useCache: false}));
	}

	const plan = unwrap(await context.ports.buildPlan(inspections));
	expect(plan.blocked).toBe(false);
	const deps = patchDeps(makeRunDeps(options, environment, context.cluster, context.configPath), {settings: {sampleMs: 20}});
	return {
		f,
		plan,
		deps,
		env,
		environment,
		stateDir: environment.paths.state,
		target: path.join(context.workdir, 'addon-offline-target-package'),
		testBed: f.testBed,
	};
}

type Run = {outcome: RunOutcome; events: RunEvent[]};

const outcomeOf = (events: RunEvent[]): RunOutcome => {
	const end = events.at(-1);
	expect(end?.type, 'a run stream ends with run-end').toBe('run-end');
	return (end as Extract<RunEvent, {type: 'run-end'}>).outcome;
};

async function run(
	prepared: Prepared,
	options: {fromStep?: number; deps?: DepsPatch<RunDeps>; onEvent?: (event: RunEvent, stop: (reason?: StopReason) => void) => void} = {},
): Promise<Run> {
	const events: RunEvent[] = [];
	const controller = new AbortController();
	const stop = (reason: StopReason = 'user') => controller.abort(reason);
	for await (const event of startRun(prepared.plan, options.fromStep ?? 0, patchDeps(prepared.deps, options.deps), controller.signal)) {
		events.push(event);
		options.onEvent?.(event, stop);
	}

	const start = events.find((event): event is Extract<RunEvent, {type: 'run-start'}> => event.type === 'run-start');
	if (start) {
		expect(start.logPath).toBe(prepared.deps.settings.logPath);
	}

	return {outcome: outcomeOf(events), events};
}

/** `attach` as the CLI builds it, following the recorded run. */
async function attach(prepared: Prepared, record: RunRecord): Promise<Run> {
	const deps = patchDeps(makeAttachDeps(parsed(['attach']), prepared.environment, record, []), {
		settings: {pollMs: 20, replayLines: 100_000},
	});
	const events = await collect(attachRun(record, deps, new AbortController().signal));
	return {outcome: outcomeOf(events), events};
}

const types = (events: RunEvent[]) => events.map(event => event.type).filter((type, index, all) => type !== all[index - 1]);
const outputLines = (events: RunEvent[]) => events.flatMap(event => (event.type === 'output' ? [event.line] : []));
const stepEnds = (events: RunEvent[]) =>
	events.filter((event): event is Extract<RunEvent, {type: 'step-end'}> => event.type === 'step-end');
const failureOf = (events: RunEvent[]): FailureCause | undefined => stepEnds(events).at(-1)?.failure;
const runErrorOf = (events: RunEvent[]) =>
	events.find((event): event is Extract<RunEvent, {type: 'run-error'}> => event.type === 'run-error')?.error;

/** Repositories in the test bed's registry and chart versions in its chart repository (curl). */
async function registryContents(testBed: TestBed): Promise<{repositories: string[]; charts: string[]}> {
	const curl = async (args: string[]) =>
		new Promise<string>((resolve, reject) => {
			execFile('curl', ['-sf', ...args], (error, stdout) => (error ? reject(error) : resolve(stdout)));
		});
	const {url, username, password} = testBed.registry;
	const catalog = JSON.parse(await curl(['-u', `${username}:${password}`, `${url}/v2/_catalog`])) as {repositories: string[]};
	const index = await curl(['-u', `${testBed.chart.username}:${testBed.chart.password}`, `${testBed.chart.url}/index.yaml`]);
	return {repositories: catalog.repositories, charts: [...index.matchAll(/^ {2}(\S+):$/gm)].map(match => match[1]!)};
}

/** What proves the installer never ran: no step, no output, no unpack, nothing in the registry. */
async function expectInstallerNeverStarted(prepared: Prepared, result: Run): Promise<void> {
	expect(result.events.some(event => event.type === 'step-start' || event.type === 'output')).toBe(false);
	expect(existsSync(prepared.target)).toBe(false);
	if (prepared.testBed) {
		expect(await registryContents(prepared.testBed)).toEqual({repositories: [], charts: []});
	}
}

describe('startRun with the real adapters and the simulator', () => {
	it('imports one package with cluster-create: config edited with a backup, every event in order, outcome ok', async () => {
		const prepared = await prepare({packages: [{arch: 'amd64'}]});
		const {f, plan} = prepared;
		expect(plan.operation).toBe('single-arch-import');
		const before = await readFile(f.configPath, 'utf8');

		const result = await run(prepared);
		expect(result.outcome).toEqual({ok: true});
		expect(types(result.events)).toEqual(
			expect.arrayContaining(['run-start', 'config-written', 'step-start', 'output', 'progress', 'step-end', 'run-end']),
		);
		const order = ['run-start', 'config-written', 'step-start', 'step-end', 'run-end'];
		expect(result.events.filter(event => order.includes(event.type)).map(event => event.type)).toEqual(order);
		expect(result.events.at(-1)).toMatchObject({type: 'run-end', ok: true});
		expect(stepEnds(result.events)).toEqual([expect.objectContaining({stepId: 'cluster-create', exitCode: 0, failure: undefined})]);

		// The config now names the package; the backup holds the file as it was.
		const written = result.events.find((event): event is Extract<RunEvent, {type: 'config-written'}> => event.type === 'config-written')!;
		expect(written.path).toBe(f.configPath);
		expect(await readFile(written.backupPath, 'utf8')).toBe(before);
		expect(unwrap(await readClusterConfig(f.configPath)).addonPackagePaths).toEqual([f.packages[0]!.path]);

		// Output arrives as lines, progress counts what the package holds.
		expect(outputLines(result.events)).toEqual(
			expect.arrayContaining(['[Info]: Step 13/13: import addon offline package', '[Info]: cluster-create finished']),
		);
		const progress = result.events
			.filter((event): event is Extract<RunEvent, {type: 'progress'}> => event.type === 'progress')
			.at(-1)!.progress;
		expect(progress).toMatchObject({chartsSeen: 3, expectedCharts: 3, imagesSeen: 3, expectedImages: 3});

		// The log, the record and the working directory afterwards.
		const log = await readFile(prepared.deps.settings.logPath, 'utf8');
		expect(log).toMatch(/ cluster-create out\| \[Info]: cluster-create finished$/m);
		expect(log).toMatch(/ wizard \| run ended: ok$/m);
		expect(findRecord(prepared.stateDir, f.configPath)).toMatchObject({
			status: 'ok',
			stepId: 'cluster-create',
			logPath: prepared.deps.settings.logPath,
		});
		expect(existsSync(prepared.target)).toBe(false);
	});

	it('counts every chart and image while the unpack is measured on a slow disk, and never goes backwards', async () => {
		const prepared = await prepare({knobs: {DCE5_SIM_DELAY_MS: '15'}});
		const slowDirSize = async (dir: string) => {
			await delay(40);
			return prepared.deps.files.dirSize(dir);
		};

		const result = await run(prepared, {deps: {files: {dirSize: slowDirSize}, settings: {sampleMs: 1}}});
		expect(result.outcome).toEqual({ok: true});
		const progress = result.events.flatMap(event => (event.type === 'progress' ? [event.progress] : []));
		expect(progress.length).toBeGreaterThan(3);
		expect(progress.at(-1)).toMatchObject({chartsSeen: 3, imagesSeen: 3});
		for (const [index, item] of progress.entries()) {
			const previous = progress[index - 1];
			expect(item.chartsSeen).toBeGreaterThanOrEqual(previous?.chartsSeen ?? 0);
			expect(item.imagesSeen).toBeGreaterThanOrEqual(previous?.imagesSeen ?? 0);
		}
	});

	it('runs a multi-step plan in order: cluster-create for amd64, then import -addon for arm64', async () => {
		const prepared = await prepare({packages: [{arch: 'amd64'}, {arch: 'arm64'}], testBed: {}});
		const {f, plan} = prepared;
		const registry = prepared.testBed!.image;
		expect(plan.steps.map(step => step.kind)).toEqual(['cluster-create', 'import-addon']);

		const result = await run(prepared);
		expect(result.outcome).toEqual({ok: true});
		expect(result.events.filter(event => event.type === 'step-start').map(event => (event as {stepId: string}).stepId)).toEqual(
			plan.steps.map(step => step.id),
		);
		expect(stepEnds(result.events).map(event => [event.stepId, event.exitCode])).toEqual(plan.steps.map(step => [step.id, 0]));
		expect(outputLines(result.events)).toContain(
			`[info] import image from oci:offline-images:release.daocloud.io/daocloud/dao-2048:v1.4.1 to ${registry.host}/release.daocloud.io/daocloud/dao-2048:v1.4.1-arm64`,
		);
		expect(await inspectTag(registry, 'release.daocloud.io/daocloud/dao-2048', 'v1.4.1')).toMatchObject({
			kind: 'list',
			platforms: ['amd64', 'arm64'],
		});
		expect(await inspectTag(registry, 'release.daocloud.io/daocloud/dao-2048', 'v1.4.1-arm64')).toMatchObject({
			kind: 'image',
			arch: 'arm64',
		});
		// `attach` finds the step the run ended on, not the one it started with.
		expect(findRecord(prepared.stateDir, f.configPath)).toMatchObject({status: 'ok', stepIndex: 1, stepId: plan.steps[1]!.id});
	});

	describe("the leftover chosen for removal on Review (plan.removeLeftover), removed inside the run's locks", () => {
		async function withLeftover(contents: 'installer' | 'notes' | 'none') {
			const prepared = await prepare();
			if (contents === 'installer') {
				// A bundle the package holds (an empty tar: two zero blocks), as the unpack leaves it.
				await mkdir(path.join(prepared.target, 'addon-offline-package', 'addon'), {recursive: true});
				await writeFile(path.join(prepared.target, 'addon-offline-package', 'addon', 'dao-2048-1.4.1.bundle.tar'), Buffer.alloc(2048));
			} else if (contents === 'notes') {
				// Not the installer's: nothing in it that the installer writes.
				await mkdir(path.join(prepared.target, 'my-notes'), {recursive: true});
				await writeFile(path.join(prepared.target, 'my-notes', 'todo.txt'), 'keep me');
			}

			return {...prepared, plan: {...prepared.plan, removeLeftover: {path: prepared.target, bytes: 2048}}};
		}

		it('removes it before the first step starts, says what it freed, and the import then succeeds', async () => {
			const prepared = await withLeftover('installer');
			const result = await run(prepared);
			expect(result.outcome).toMatchObject({ok: true});
			const cleanup = result.events.findIndex(event => event.type === 'cleanup');
			expect(result.events[cleanup]).toMatchObject({type: 'cleanup', path: prepared.target, freedBytes: 2048});
			expect(cleanup).toBeLessThan(result.events.findIndex(event => event.type === 'step-start'));
			// In the log, so attach replays it.
			expect(await readFile(prepared.deps.settings.logPath, 'utf8')).toMatch(/wizard event\| \{"type":"cleanup"/);
		});

		it('starts the run as planned when the leftover is already gone', async () => {
			const prepared = await withLeftover('none');
			const result = await run(prepared);
			expect(result.outcome).toMatchObject({ok: true});
			expect(result.events.some(event => event.type === 'cleanup')).toBe(false);
		});

		it('ends the run before any installer starts when the clean-up refuses, keeping what is there', async () => {
			const prepared = await withLeftover('notes');
			const result = await run(prepared);
			expect(result.outcome).toMatchObject({ok: false, error: {kind: 'cleanup-refused'}});
			expect(runErrorOf(result.events)).toMatchObject({kind: 'cleanup-refused'});
			expect(result.events.some(event => event.type === 'step-start')).toBe(false);
			expect(existsSync(path.join(prepared.target, 'my-notes', 'todo.txt'))).toBe(true);
		});
	});

	it('fails on a leftover addon-offline-target-package, naming it, in a workdir whose path has a space', async () => {
		// The working directory exists when the plan is made: the pre-flight checks that it does.
		const prepared = await prepare({
			flags: ['--workdir', 'my work'],
			extraPackages: async f => mkdir(path.join(f.workdir, 'my work')).then(() => []),
		});
		const workdir = path.join(prepared.f.workdir, 'my work');
		expect(prepared.target).toBe(path.join(workdir, 'addon-offline-target-package'));
		await mkdir(path.join(prepared.target, 'addon-offline-package'), {recursive: true});

		const result = await run(prepared);
		expect(result.outcome).toEqual({ok: false, failedStepIndex: 0, interrupted: false});
		expect(failureOf(result.events)).toMatchObject({kind: 'leftover-target', path: prepared.target});
		expect(result.events.at(-1)).toMatchObject({type: 'run-end', ok: false});
		expect(findRecord(prepared.stateDir, prepared.f.configPath)).toMatchObject({
			status: 'failed',
			failedStepIndex: 0,
			failure: {kind: 'leftover-target'},
		});
	});

	it('fails the second step on a missing registry space, naming the space; cleanup and a retry from that step then succeed', async () => {
		const arm64Charts = [
			...defaultCharts('arm64'),
			{name: 'kube-bench', version: '0.6.8', repo: 'addon', images: [{ref: 'localhost/aquasec/kube-bench:v0.6.8'}]},
		];
		// The plan could not ask Harbor (it would block on the missing project), nor could the steps'
		// checks (--no-verify): the installer's own run finds out.
		const prepared = await prepare({
			packages: [{arch: 'amd64'}, {arch: 'arm64', charts: arm64Charts}],
			testBed: {harbor: {projects: ['release.daocloud.io', 'docker.m.daocloud.io']}},
			flags: ['--registry', 'http://127.0.0.1:1', '--no-verify'],
		});
		const result = await run(prepared);
		expect(result.outcome).toEqual({ok: false, failedStepIndex: 1, interrupted: false});
		expect(stepEnds(result.events).map(event => event.exitCode)).toEqual([0, 1]);
		const failure = failureOf(result.events);
		expect(failure).toMatchObject({kind: 'registry-space-missing', space: 'localhost'});
		expect(failure?.hint).toContain('"localhost"');
		expect(existsSync(prepared.target)).toBe(true);

		// The operator creates the project, presses r: cleanup, then the failed step again.
		expect(await prepared.testBed!.harbor!.createProject('localhost')).toBe(201);
		expect(await cleanupLeftover(prepared.plan.steps[1]!)).toMatchObject({path: prepared.target});
		const retry = await run(prepared, {fromStep: 1});
		expect(retry.outcome).toEqual({ok: true});
		expect(retry.events.filter(event => event.type === 'step-start')).toHaveLength(1);
		expect(retry.events.some(event => event.type === 'config-written')).toBe(false);
	});

	it('fails with no-space when the disk fills during the unpack, naming the file being written', async () => {
		const prepared = await prepare({knobs: {DCE5_SIM_DISK_BUDGET: '20000'}});
		const result = await run(prepared);
		expect(result.outcome).toMatchObject({ok: false, failedStepIndex: 0});
		const failure = failureOf(result.events);
		expect(failure?.kind).toBe('no-space');
		expect(failure && 'path' in failure ? failure.path : '').toMatch(new RegExp(`^${prepared.target}/`));
		expect(failure?.hint).toContain('Free space');
	});

	it.each([
		['deleted', async (file: string) => rm(file)],
		['grown', async (file: string) => appendFile(file, 'x')],
		['rewritten in place (same size, new time)', async (file: string) => utimes(file, new Date(), new Date(Date.now() + 60_000))],
	])(
		'refuses to run a package %s after it was inspected: run-error package-changed, installer never started, config untouched',
		async (_name, change) => {
			const prepared = await prepare({testBed: {}});
			const before = await readFile(prepared.f.configPath, 'utf8');
			await change(prepared.plan.steps[0]!.packagePath);

			const result = await run(prepared);
			expect(result.outcome).toMatchObject({ok: false, failedStepIndex: 0, error: {kind: 'package-changed', exitCode: 2}});
			expect(runErrorOf(result.events)?.message).toContain(path.basename(prepared.plan.steps[0]!.packagePath));
			await expectInstallerNeverStarted(prepared, result);
			expect(await readFile(prepared.f.configPath, 'utf8')).toBe(before);
		},
	);

	it('refuses a working directory the installer cannot write (also as root): installer never started', async () => {
		const prepared = await prepare({testBed: {}});
		const before = await readFile(prepared.f.configPath, 'utf8');
		await chmod(prepared.f.workdir, 0o555);
		try {
			const result = await run(prepared);
			expect(result.outcome).toMatchObject({ok: false, failedStepIndex: 0, error: {kind: 'workdir-not-writable', exitCode: 2}});
			expect(runErrorOf(result.events)?.message).toContain(prepared.f.workdir);
			await expectInstallerNeverStarted(prepared, result);
			expect(await readFile(prepared.f.configPath, 'utf8')).toBe(before);
		} finally {
			await chmod(prepared.f.workdir, 0o755);
		}
	});

	it('refuses a read-only clusterConfig.yaml: unchanged, no backup, installer never started', async () => {
		const prepared = await prepare({testBed: {}});
		const {f} = prepared;
		const before = await readFile(f.configPath, 'utf8');
		await chmod(f.configPath, 0o444);
		const result = await run(prepared);
		expect(result.outcome).toMatchObject({ok: false, failedStepIndex: 0, error: {kind: 'config-not-writable'}});
		expect(runErrorOf(result.events)?.hint).toContain('chmod u+w');
		await expectInstallerNeverStarted(prepared, result);
		expect(await readFile(f.configPath, 'utf8')).toBe(before);
		expect(await readdir(path.dirname(f.configPath))).toEqual(['clusterConfig.yaml', 'manifest.yaml']);
	});

	it('never lets a registry password from clusterConfig.yaml reach the log or the screen, even when the installer prints it', async () => {
		const password = 'Harbor12345-s3cret';
		const prepared = await prepare({
			configText: () =>
				clusterConfigText(undefined).replace(
					'    type: builtin',
					[
						'    type: external',
						'    externalImageRepo: https://harbor.example.com',
						'    externalImageRepoUsername: admin',
						`    externalImageRepoPassword: "${password}"`,
					].join('\n'),
				),
			knobs: {DCE5_SIM_ECHO: `login https://admin:${password}@harbor.example.com (password=${password})`},
		});
		const result = await run(prepared);
		expect(result.outcome).toEqual({ok: true});
		const log = await readFile(prepared.deps.settings.logPath, 'utf8');
		expect(log).toContain('cluster-create out| login https://admin:********@harbor.example.com (password=********)');
		expect(log).not.toContain(password);
		expect(JSON.stringify(result.events)).not.toContain(password);
		expect(outputLines(result.events)[0]).toBe('login https://admin:********@harbor.example.com (password=********)');
		expect(outputLines(result.events)).toContain('Pushing harbor.example.com/release.daocloud.io/daocloud/dao-2048:v1.4.1...');
		// The run record attach reads keeps no password; the operator's own file keeps it.
		const record = findRecord(prepared.stateDir, prepared.f.configPath)!;
		expect(JSON.stringify(record)).not.toContain(password);
		expect(await readFile(prepared.f.configPath, 'utf8')).toContain(password);
		// A run re-opened from that record (attach, then r) sees the edit already in the file by its digest.
		const again = await run({...prepared, plan: record.plan});
		expect(again.outcome).toEqual({ok: true});
		expect(again.events.some(event => event.type === 'config-written')).toBe(false);
	});

	it('imports packages whose paths contain a line break, through the config edit and --addon-path', async () => {
		const odd = async (f: ClusterFixture) => {
			const dir = path.join(f.root, 'odd\nfolder');
			const amd = await buildPackage({dir, arch: 'amd64'});
			const arm = await buildPackage({dir, arch: 'arm64'});
			return [amd.path, arm.path];
		};

		const prepared = await prepare({packages: [], extraPackages: odd});
		const [amd, arm] = prepared.plan.packages.map(item => item.path);
		expect(amd).toContain('\n');
		expect(prepared.plan.steps.map(step => step.packagePath)).toEqual([amd, arm]);

		const result = await run(prepared);
		expect(result.outcome).toEqual({ok: true});
		expect(unwrap(await readClusterConfig(prepared.f.configPath)).addonPackagePaths).toEqual([amd]);
		expect(outputLines(result.events)).toEqual(
			expect.arrayContaining([
				`[Info]: addon offline package ${path.basename(amd!)} imported (amd64)`,
				`[Info]: addon offline package ${path.basename(arm!)} imported (arm64)`,
			]),
		);
		// Each log record stays on one line.
		const log = (await readFile(prepared.deps.settings.logPath, 'utf8')).split('\n').slice(0, -1);
		expect(log.every(line => /^\d{4}-\d\d-\d\dT[\d:.]+Z \S+ (out|err|event|)\| /.test(line))).toBe(true);
	});

	it('stops the installer and its helper when the operator stops: outcome interrupted, cause "you stopped it", no process left', async () => {
		const prepared = await prepare({knobs: {DCE5_SIM_DELAY_MS: '200', DCE5_SIM_HELPER: '1'}});
		let pid: number | undefined;
		let stopped = false;
		const result = await run(prepared, {
			onEvent(event, stop) {
				if (event.type === 'step-start') {
					pid = event.pid;
				}

				if (event.type === 'output' && event.line.startsWith('Pushing') && !stopped) {
					stopped = true;
					void stop('user');
				}
			},
		});
		expect(result.outcome).toEqual({ok: false, failedStepIndex: 0, interrupted: true});
		expect(failureOf(result.events)).toMatchObject({kind: 'killed', signal: 'SIGINT'});
		expect(failureOf(result.events)?.message).toContain('you stopped it');
		expect(await liveInGroup(pid!)).toEqual([]);
		expect(findRecord(prepared.stateDir, prepared.f.configPath)).toMatchObject({status: 'interrupted'});
	});

	it('starts no further step once stopped between steps', async () => {
		const prepared = await prepare({packages: [{arch: 'amd64'}, {arch: 'arm64'}]});
		const result = await run(prepared, {
			onEvent(event, stop) {
				if (event.type === 'step-end') {
					void stop('user');
				}
			},
		});
		expect(result.outcome).toEqual({ok: false, failedStepIndex: 1, interrupted: true});
		expect(result.events.filter(event => event.type === 'step-start')).toHaveLength(1);
	});

	it('refuses a second run against the same clusterConfig.yaml while one runs: locked, exit code 3', async () => {
		const prepared = await prepare({knobs: {DCE5_SIM_DELAY_MS: '500'}});
		const controller = new AbortController();
		const stream = startRun(prepared.plan, 0, prepared.deps, controller.signal)[Symbol.asyncIterator]();
		// The first run holds the lock from its first event on.
		const firstEvent = await stream.next();
		const first = (async () => {
			const events: RunEvent[] = firstEvent.done ? [] : [firstEvent.value];
			for (let next = await stream.next(); !next.done; next = await stream.next()) {
				events.push(next.value);
			}

			return events;
		})();
		const second = await run(prepared);
		expect(second.outcome).toMatchObject({ok: false, error: {kind: 'locked', exitCode: 3}});
		expect(second.outcome.error?.message).toContain(`pid ${process.pid}`);
		await expectInstallerNeverStarted({...prepared, target: path.join(prepared.f.root, 'nothing-here'), testBed: undefined}, second);
		controller.abort('user');
		expect(outcomeOf(await first).interrupted).toBe(true);
	});

	it('lets `attach` follow a live log whose growth ends inside a multi-byte character, keeping the character whole', async () => {
		const prepared = await prepare({knobs: {DCE5_SIM_ECHO: '镜像推送开始 ✓'}});
		const result = await run(prepared);
		expect(result.outcome.ok).toBe(true);
		const state = prepared.stateDir;
		const finished = findRecord(state)!;
		// Replay the finished run as if it were still running: the log cut one byte into 镜 first.
		const full = await readFile(finished.logPath);
		const cut = full.indexOf(Buffer.from('镜像')) + 1;
		expect(cut).toBeGreaterThan(0);
		await writeFile(finished.logPath, full.subarray(0, cut));
		await writeRecord(state, {...finished, status: 'running', wizardPid: process.pid, endedAt: undefined});
		const attachDeps = makeAttachDeps(parsed(['attach']), prepared.environment, finished, []);
		// Counts the journal reads, to know when the reader has read past a given moment.
		const reads = {started: 0, finished: 0};
		const deps = patchDeps(attachDeps, {
			settings: {pollMs: 20, replayLines: 100_000},
			log: {
				openJournal(file: string) {
					const journal = attachDeps.log.openJournal(file);
					return {
						async read() {
							reads.started++;
							const read = await journal.read();
							reads.finished++;
							return read;
						},
						close: async () => journal.close(),
					};
				},
			},
		});
		const stream = attachRun(finished, deps, new AbortController().signal)[Symbol.asyncIterator]();
		const events: RunEvent[] = [];
		const pull = async (until: (event: RunEvent) => boolean) => {
			for (let next = await stream.next(); !next.done; next = await stream.next()) {
				events.push(next.value);
				if (until(next.value)) {
					return;
				}
			}
		};

		// step-start is journalled just before the line that was cut: once it is out, the reader
		// has read up to the cut, one byte into 镜.
		await pull(event => event.type === 'step-start');
		expect(outputLines(events)).toEqual([]);
		// The second byte of 镜 alone: wait until a read that began after it has ended, so the
		// reader has really seen the file end two bytes into the character.
		await appendFile(finished.logPath, full.subarray(cut, cut + 1));
		const afterAppend = reads.started + 1;
		await waitUntil(() => (reads.finished >= afterAppend ? true : undefined), 'a journal read after the first append');
		await appendFile(finished.logPath, full.subarray(cut + 1));
		await writeRecord(state, finished);
		await pull(() => false);
		const outcome = outcomeOf(events);
		expect(outcome.ok).toBe(true);
		expect(outputLines(events)).toEqual(outputLines(result.events));
		expect(outputLines(events).join('\n')).not.toContain('\uFFFD');
	});

	it('lets `attach` replay a finished multi-step run from its log and record: same lines, ending on the last step', async () => {
		const prepared = await prepare({packages: [{arch: 'amd64'}, {arch: 'arm64'}], knobs: {DCE5_SIM_ECHO: '镜像推送开始 ✓'}});
		const result = await run(prepared);
		expect(result.outcome.ok).toBe(true);

		const record = findRecord(prepared.stateDir)!;
		const {outcome, events} = await attach(prepared, record);
		// The outcome the live run ended with, rebuilt from the log's journal.
		expect(outcome).toEqual(result.outcome);
		expect(outputLines(events)).toEqual(outputLines(result.events));
		expect(outputLines(events).filter(line => line === '镜像推送开始 ✓')).toHaveLength(2);
		expect(stepEnds(events).at(-1)?.stepId).toBe(prepared.plan.steps[1]!.id);
		expect(events.at(-1)).toMatchObject({type: 'run-end', ok: true});
	});

	it('lets `attach` end a run whose journal lost its last events (a full disk) as the record says, step and run agreeing', async () => {
		const prepared = await prepare();
		const result = await run(prepared);
		expect(result.outcome.ok).toBe(true);
		const record = findRecord(prepared.stateDir)!;
		// The journal's step-end and run-end never reached the disk.
		const log = await readFile(record.logPath, 'utf8');
		await writeFile(
			record.logPath,
			log
				.split('\n')
				.filter(line => !/"type":"(step-end|run-end)"/.test(line))
				.join('\n'),
		);

		const {outcome, events} = await attach(prepared, record);
		expect(outcome).toMatchObject({ok: true});
		expect(stepEnds(events)).toEqual([expect.objectContaining({stepId: prepared.plan.steps[0]!.id, status: 'done'})]);
		// What the Result screen folds from them: a done step under a done run, never ✘ under ✔.
		const state = [{type: 'run-events' as const, events}].reduce(wizardReducer, initialWizardState({attachPlan: prepared.plan}));
		expect(state.run?.outcome?.ok).toBe(true);
		expect(state.run?.status).toEqual(['done']);
	});

	it('reports an installer that is not there as installer-missing, with its path', async () => {
		const prepared = await prepare();
		await rm(path.join(prepared.f.home, 'dce5-installer'));
		const result = await run(prepared);
		expect(result.outcome).toEqual({ok: false, failedStepIndex: 0, interrupted: false});
		expect(failureOf(result.events)).toMatchObject({kind: 'installer-missing', path: path.join(prepared.f.home, 'dce5-installer')});
	});
});

async function liveInGroup(pgid: number): Promise<string[]> {
	const out = await new Promise<string>(resolve => {
		execFile('ps', ['-o', 'pid=,stat=,args=', '-g', String(pgid)], (_error, stdout) => resolve(stdout));
	});
	return out
		.split('\n')
		.map(line => line.trim())
		.filter(line => line !== '' && !/^\d+ Z/.test(line));
}
