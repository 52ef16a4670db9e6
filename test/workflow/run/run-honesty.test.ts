// A run never lies and never destroys: the real adapters of makeRunDeps(), real child processes
// (the simulator, and small installers written for each case), real files, a real registry.
// Each case is something an operator at 2 a.m. would lose time or trust over.
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, describe, expect, it} from 'vitest';
import {readClusterConfig} from '../../../source/adapters/config/cluster-config.js';
import {compose} from '../../../source/app/compose.js';
import {makeRunDeps} from '../../../source/app/compose-run.js';
import {environmentFor} from '../../../source/app/environment.js';
import type {FailureCause, RunEvent, RunOutcome, StopReason} from '../../../source/domain/run/run-events.js';
import type {Plan} from '../../../source/domain/plan/plan.js';
import type {WizardError} from '../../../source/domain/shared/wizard-error.js';
import {summarizeTallies, wordSummary} from '../../../source/domain/run/run-tally.js';
import {collect} from '../../../source/workflow/run/event-channel.js';
import {outcomeExitCode} from '../../../source/workflow/run/outcome-exit-code.js';
import type {RunOptions} from '../../../source/workflow/ports/ports.js';
import type {RunDeps} from '../../../source/workflow/ports/run-deps.js';
import {patchDeps, type DepsPatch} from '../../helpers/fake-ports.js';
import {startRun} from '../../../source/workflow/run/run-plan.js';
import {defaultCharts, type FixturePackageOptions} from '../../helpers/build-package.js';
import {makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';
import {parsed} from '../../helpers/services.js';
import {sessionMembers} from '../../helpers/proc-session.js';
import type {TestBedOptions} from '../../helpers/test-bed.js';

const sh = promisify(execFile);
const fixtures: ClusterFixture[] = [];
afterAll(async () => {
	for (const f of fixtures) {
		await f.stop();
		await rm(f.root, {recursive: true, force: true});
	}
});

type Prepared = {f: ClusterFixture; plan: Plan; deps: RunDeps; target: string};

function unwrap<T extends object>(value: T | WizardError): T {
	if ('exitCode' in value && 'hint' in value) {
		throw new Error(`unexpected error: ${(value as WizardError).message}`);
	}

	return value as T;
}

/** An installer written for the case: a shell script named like the real one, in the fixture's HOME. */
async function scriptInstaller(f: ClusterFixture, body: string): Promise<string> {
	const dir = path.join(f.home, 'fake');
	await mkdir(dir, {recursive: true});
	const file = path.join(dir, 'dce5-installer');
	await writeFile(file, `#!/bin/sh\n${body}\n`);
	await chmod(file, 0o755);
	return file;
}

type Setup = {
	packages?: Array<Omit<FixturePackageOptions, 'dir'>>;
	current?: number;
	knobs?: Record<string, string>;
	flags?: string[];
	testBed?: TestBedOptions;
	installer?: (f: ClusterFixture) => Promise<string>;
};

async function prepare(setup: Setup = {}): Promise<Prepared> {
	const f = await makeClusterFixture({packages: setup.packages ?? [{arch: 'amd64'}], current: setup.current, testBed: setup.testBed});
	fixtures.push(f);
	const installer = setup.installer ? ['--installer', await setup.installer(f)] : [];
	const env = {...f.env, DCE5_SIM_DELAY_MS: '0', ...setup.knobs};
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
		...f.packages.flatMap(item => ['-p', item.path]),
		...installer,
		...noRegistry,
		...(setup.flags ?? []),
	]);
	const environment = environmentFor({cwd: f.workdir, env});
	const context = unwrap(await compose(options, environment, {stdout: () => undefined, stderr: () => undefined}).cluster());
	const inspections = [];
	for (const item of options.packages) {
		inspections.push(await context.ports.inspectPackage(item, {useCache: false}));
	}

	const plan = unwrap(await context.ports.buildPlan(inspections));
	expect(plan.blocked).toBe(false);
	const deps = patchDeps(makeRunDeps(options, environment, context.cluster, context.configPath), {settings: {sampleMs: 20, pollMs: 20}});
	return {f, plan, deps, target: path.join(context.workdir, 'addon-offline-target-package')};
}

type Run = {outcome: RunOutcome; events: RunEvent[]};

async function run(
	prepared: Prepared,
	options: {deps?: DepsPatch<RunDeps>; run?: RunOptions; onEvent?: (event: RunEvent, stop: (reason?: StopReason) => void) => void} = {},
): Promise<Run> {
	const events: RunEvent[] = [];
	const controller = new AbortController();
	for await (const event of startRun(prepared.plan, 0, patchDeps(prepared.deps, options.deps), controller.signal, options.run)) {
		events.push(event);
		options.onEvent?.(event, (reason: StopReason = 'user') => controller.abort(reason));
	}

	const end = events.at(-1) as Extract<RunEvent, {type: 'run-end'}>;
	expect(end.type).toBe('run-end');
	return {outcome: end.outcome, events};
}

const stepEnds = (events: RunEvent[]) =>
	events.filter((event): event is Extract<RunEvent, {type: 'step-end'}> => event.type === 'step-end');
const failureOf = (events: RunEvent[]): FailureCause | undefined => stepEnds(events).at(-1)?.failure;
const of = <T extends RunEvent['type']>(events: RunEvent[], type: T) =>
	events.filter((event): event is Extract<RunEvent, {type: T}> => event.type === type);

describe('exit 0 after error lines is not success', () => {
	it('an installer that prints [Error] lines and exits 0 "finished with errors": its own status, cause and exit code 5', async () => {
		const prepared = await prepare({
			installer: async f =>
				scriptInstaller(
					f,
					[
						'echo "[Info]: Step 13/13: import addon offline package"',
						'echo "[Error]:[Error] sync chart insight failed: 500 Internal Server Error" >&2',
						'echo "[Info]: cluster-create finished"',
						'exit 0',
					].join('\n'),
				),
		});
		const result = await run(prepared);
		expect(result.outcome).toEqual({ok: false, failedStepIndex: 0, interrupted: false, withErrors: true});
		expect(outcomeExitCode(result.outcome)).toBe(5);
		expect(stepEnds(result.events)).toEqual([
			expect.objectContaining({
				exitCode: 0,
				status: 'errors',
				failure: expect.objectContaining({
					kind: 'finished-with-errors',
					lastErrors: ['[Error]:[Error] sync chart insight failed: 500 Internal Server Error'],
				}),
			}),
		]);
		expect(await readFile(prepared.deps.settings.logPath, 'utf8')).toMatch(/run ended: failed \(finished with errors\)$/m);
	});

	it('GNU tar running out of space under exit 0 is finished with errors, likely the disk', async () => {
		const prepared = await prepare({
			installer: async f =>
				scriptInstaller(
					f,
					[
						'echo "tar: ./addon-offline-package/addon/dao-2048-1.4.1.bundle.tar: Wrote only 9728 of 10240 bytes" >&2',
						'echo "tar: Exiting with failure status due to previous errors" >&2',
						'exit 0',
					].join('\n'),
				),
		});
		const result = await run(prepared);
		expect(result.outcome.withErrors).toBe(true);
		expect(failureOf(result.events)).toMatchObject({kind: 'finished-with-errors', likely: 'no-space'});
	});
});

describe('failure causes from the state as well as the wording', () => {
	it('a leftover that was there before the installer started is named as such, whatever the installer said', async () => {
		const prepared = await prepare({
			installer: async f =>
				scriptInstaller(f, 'echo "[Error]:[Error] addon-offline-target-package already exists, please remove it first" >&2\nexit 1'),
		});
		await mkdir(path.join(prepared.target, 'addon-offline-package'), {recursive: true});
		const result = await run(prepared);
		expect(failureOf(result.events)).toMatchObject({kind: 'leftover-target', path: prepared.target});
	});

	it('a registry that refuses connections is named, with how to check it', async () => {
		const prepared = await prepare({testBed: {}});
		const registry = prepared.f.testBed!.registry;
		await registry.stop();
		const result = await run(prepared);
		const failure = failureOf(result.events);
		expect(failure).toMatchObject({kind: 'registry-unreachable', address: registry.host});
		expect(failure?.message).toBe(`The registry at ${registry.url} refused the connection.`);
	});
});

describe('counts from what happened', () => {
	it('counts the same charts in two arches once, and each tag once with both arches', async () => {
		const prepared = await prepare({packages: [{arch: 'amd64'}, {arch: 'arm64'}], testBed: {}});
		const result = await run(prepared);
		expect(result.outcome).toEqual({ok: true});
		const tallies = stepEnds(result.events).map(event => event.tally);
		expect(tallies.every(Boolean)).toBe(true);
		const summary = summarizeTallies(tallies);
		const charts = defaultCharts('amd64');
		expect(summary.charts).toEqual({synced: charts.length, skipped: 0});
		expect(summary.images.tags).toBe(charts.flatMap(chart => chart.images).length);
		expect(summary.images.byArch.map(item => item.arch)).toEqual(['amd64', 'arm64']);
		expect(wordSummary(summary)[0]).toMatch(/^Charts: 3 charts synced\. Images: 3 images pushed \(3 for amd64, 3 for arm64\)\.$/);
	});

	it('an installer that says nothing about charts or images is not credited with any', async () => {
		const prepared = await prepare({installer: async f => scriptInstaller(f, 'echo "[Info]: cluster-create finished"\nexit 0')});
		const result = await run(prepared);
		expect(result.outcome).toEqual({ok: true});
		const summary = summarizeTallies(stepEnds(result.events).map(event => event.tally));
		expect(summary).toMatchObject({charts: {synced: 0, skipped: 0}, images: {tags: 0}, silentSteps: 1});
	});
});

describe('an installer that leaves processes running in its group', () => {
	it('is not done while they run: names them, follows their output, and shows their late error', async () => {
		const prepared = await prepare({
			installer: async f =>
				scriptInstaller(
					f,
					[
						'echo "[Info]: Step 1/1: import addon offline package"',
						// A helper it does not wait for, in its process group, writing to the same output.
						'( sleep 1; echo "Pushing 10.6.135.222/release.daocloud.io/daocloud/dao-2048:v1.4.1..."; sleep 0.5; echo "[Error]:[Error] push failed after the installer exited" >&2 ) &',
						'echo "[Info]: cluster-create finished"',
						'exit 0',
					].join('\n'),
				),
		});
		const result = await run(prepared);
		const lingering = of(result.events, 'lingering');
		expect(lingering[0]?.processes.length).toBeGreaterThan(0);
		expect(lingering[0]?.processes.map(item => item.command)).toContain('sh dce5-installer');
		expect(lingering.at(-1)?.processes).toEqual([]);
		const types = result.events.map(event => (event.type === 'output' ? event.line : event.type));
		const late = types.indexOf('[Error]:[Error] push failed after the installer exited');
		expect(late).toBeGreaterThan(types.indexOf('lingering'));
		expect(late).toBeLessThan(types.indexOf('step-end'));
		expect(stepEnds(result.events)[0]).toMatchObject({exitCode: 0, status: 'errors', failure: {kind: 'finished-with-errors'}});
		// The helper's push was followed, but the error after it leaves it unconfirmed: not counted as done.
		expect(types).toContain('Pushing 10.6.135.222/release.daocloud.io/daocloud/dao-2048:v1.4.1...');
		expect(stepEnds(result.events)[0]?.tally?.images.pushed).toEqual([]);
	});

	it('ends the step when the operator stops what is left, and leaves no process behind', async () => {
		// The short wait lets the background child exec sleep before the installer exits: on a busy
		// machine the group's first sample could otherwise still show the forked shell.
		const prepared = await prepare({
			installer: async f => scriptInstaller(f, 'sleep 600 &\nsleep 0.3\necho "[Info]: cluster-create finished"\nexit 0'),
		});
		let pgid: number | undefined;
		const result = await run(prepared, {
			onEvent(event, stop) {
				if (event.type === 'lingering' && event.processes.length > 0) {
					pgid = event.leaderPid;
					stop('user');
				}
			},
		});
		expect(result.outcome).toMatchObject({ok: false, interrupted: true});
		expect(failureOf(result.events)).toMatchObject({kind: 'killed'});
		expect(failureOf(result.events)?.message).toContain('sleep (pid');
		const {stdout} = await sh('ps', ['-o', 'pid=,stat=', '-g', String(pgid)]).catch(() => ({stdout: ''}));
		expect(stdout.split('\n').filter(line => line.trim() && !/ Z/.test(line))).toEqual([]);
	});
});

describe('an installer that exits 0 and leaves a process of its own behind', () => {
	it('waits a bounded time, then names it (pid and command) and ends the step not clean: exit code 5', async () => {
		// The simulator's orphan takes a process group of its own (a script's `set -m; helper &`).
		const prepared = await prepare({knobs: {DCE5_SIM_ORPHAN: '300'}});
		let installerPid: number | undefined;
		const result = await run(prepared, {
			deps: {settings: {lingerGraceMs: 300, lingerBoundMs: 1500, pollMs: 50}},
			onEvent(event) {
				if (event.type === 'step-start') {
					installerPid = event.pid;
				}
			},
		});
		const orphans = await sessionMembers(installerPid!);
		try {
			expect(orphans.map(item => item.command)).toEqual(['sleep']);
			const orphan = orphans[0]!.pid;
			expect(stepEnds(result.events)[0]).toMatchObject({exitCode: 0, status: 'errors', failure: {kind: 'finished-with-errors'}});
			expect(failureOf(result.events)?.message).toContain(`left sleep (pid ${orphan}) running`);
			expect(failureOf(result.events)?.hint).toContain(`kill -TERM ${orphan}`);
			expect(outcomeExitCode(result.outcome)).toBe(5);
			expect(of(result.events, 'lingering')[0]).toMatchObject({processes: [{pid: orphan, command: 'sleep'}]});
		} finally {
			for (const item of orphans) {
				process.kill(item.pid, 'SIGKILL');
			}
		}
	}, 60_000);
});

describe('silence', () => {
	it('says once per quiet spell how long the installer has been silent, and journals it for attach', async () => {
		const prepared = await prepare({
			installer: async f => scriptInstaller(f, 'echo "[Info]: starting"\nsleep 1.2\necho "[Info]: cluster-create finished"\nexit 0'),
		});
		const result = await run(prepared, {deps: {settings: {silentAfterMs: 500}}});
		const silent = of(result.events, 'silent');
		expect(silent).toHaveLength(1);
		expect(silent[0]!.at - silent[0]!.since).toBeGreaterThanOrEqual(500);
		expect(await readFile(prepared.deps.settings.logPath, 'utf8')).toContain('"type":"silent"');
	});
});

describe('putting clusterConfig.yaml back after a failed step (--restore-config-on-failure)', () => {
	it('restores the backup after the failure and keeps what the run wrote beside it', async () => {
		const prepared = await prepare({
			installer: async f =>
				scriptInstaller(
					f,
					'echo "[Error]:[Error] invalid ClusterConfig: maybe the binaries.externalRepoURLs cannot be connected" >&2\nexit 1',
				),
		});
		const before = await readFile(prepared.f.configPath, 'utf8');
		const result = await run(prepared, {run: {restoreConfigOnFailure: true}});
		expect(result.outcome).toMatchObject({ok: false, failedStepIndex: 0});
		const written = of(result.events, 'config-written')[0]!;
		const restored = of(result.events, 'config-restored')[0];
		expect(restored).toMatchObject({path: prepared.f.configPath, backupPath: written.backupPath});
		expect(await readFile(prepared.f.configPath, 'utf8')).toBe(before);
		expect(await readFile(restored!.replacedCopyPath, 'utf8')).toContain(prepared.f.packages[0]!.path);
		// The order an operator reads: the failure, then the file put back, then the end.
		const order = result.events.map(event => event.type).filter(type => ['step-end', 'config-restored', 'run-end'].includes(type));
		expect(order).toEqual(['step-end', 'config-restored', 'run-end']);
	});

	it('leaves the file alone after a success', async () => {
		const prepared = await prepare();
		const result = await run(prepared, {run: {restoreConfigOnFailure: true}});
		expect(result.outcome).toEqual({ok: true});
		expect(of(result.events, 'config-restored')).toEqual([]);
		expect(unwrap(await readClusterConfig(prepared.f.configPath)).addonPackagePaths).toEqual([prepared.f.packages[0]!.path]);
	});
});

describe('the working directory is locked, not only the config', () => {
	it('refuses a second run with another clusterConfig.yaml in the same working directory, naming the holder', async () => {
		const prepared = await prepare({knobs: {DCE5_SIM_DELAY_MS: '300'}});
		const otherConfig = path.join(prepared.f.root, 'other', 'clusterConfig.yaml');
		await mkdir(path.dirname(otherConfig), {recursive: true});
		await writeFile(otherConfig, await readFile(prepared.f.configPath, 'utf8'));
		const controller = new AbortController();
		const stream = startRun(prepared.plan, 0, prepared.deps, controller.signal)[Symbol.asyncIterator]();
		// The first run takes the config and working-directory locks before its first event.
		const firstEvent = await stream.next();
		expect(firstEvent.value).toMatchObject({type: 'run-start'});
		const first = collect({[Symbol.asyncIterator]: () => stream});
		const otherPlan: Plan = {
			...prepared.plan,
			cluster: {...prepared.plan.cluster, path: otherConfig},
			steps: prepared.plan.steps.map(step => ({...step, configEdit: undefined})),
		};
		const otherDeps = makeRunDeps(
			parsed(['run', '--yes', '-c', otherConfig]),
			environmentFor({cwd: prepared.f.workdir, env: prepared.f.env}),
			{...prepared.plan.cluster, path: otherConfig},
			otherConfig,
		);
		const second = await collect(
			startRun(
				otherPlan,
				0,
				patchDeps(otherDeps, {settings: {logPath: path.join(prepared.f.root, 'second.log')}}),
				new AbortController().signal,
			),
		);
		const end = second.at(-1) as Extract<RunEvent, {type: 'run-end'}>;
		expect(end.outcome.error).toMatchObject({kind: 'locked', exitCode: 3});
		expect(end.outcome.error?.message).toBe(
			// Both runs are this test's process: the lock says the run is its own.
			`This addon-wizard (pid ${process.pid}) already runs in the working directory ${prepared.f.workdir}.`,
		);
		expect(second.some(event => event.type === 'step-start')).toBe(false);
		controller.abort('user');
		await first;
	});
});

// A filesystem too small for the unpack: a tmpfs. Mounting needs root and CAP_SYS_ADMIN (CI and
// this project's containers have both); elsewhere the case is skipped, saying why.
async function tmpfsMountable(): Promise<boolean> {
	if (process.getuid?.() !== 0) {
		return false;
	}

	const probe = await mkdtemp(path.join(tmpdir(), 'run-honesty-tmpfs-probe-'));
	const mounted = await sh('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).then(
		() => true,
		() => false,
	);
	if (mounted) {
		await sh('umount', [probe]);
	}

	await rm(probe, {recursive: true, force: true});
	return mounted;
}

const canMount = await tmpfsMountable();

describe('a filesystem that fills up', () => {
	it.skipIf(!canMount)(
		'names the filesystem (mount point, type) and how much to free (skipped where mount -t tmpfs is not permitted)',
		async () => {
			const prepared = await prepare({
				packages: [
					{
						arch: 'amd64',
						charts: defaultCharts('amd64').map(chart => ({...chart, images: chart.images.map(image => ({...image, layerBytes: 200_000}))})),
					},
				],
			});
			const small = path.join(prepared.f.root, 'small');
			await mkdir(small);
			await sh('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', small]);
			try {
				const plan = {...prepared.plan, steps: prepared.plan.steps.map(step => ({...step, cwd: small}))};
				const result = await run({...prepared, plan});
				const failure = failureOf(result.events);
				expect(failure).toMatchObject({kind: 'no-space', filesystem: {mountPoint: small, fsType: 'tmpfs', source: 'tmpfs'}});
				expect(failure?.message).toMatch(
					new RegExp(
						`^No space left on ${small} \\(tmpfs on tmpfs\\) while writing ${small}/addon-offline-target-package/.*: [\\d.]+ K?B free of 262\\.1 KB\\.$`,
					),
				);
				const toFree = failure && 'toFreeBytes' in failure ? (failure.toFreeBytes ?? -1) : -1;
				expect(toFree).toBeGreaterThan(0);
				expect(failure?.hint).toContain(`more on ${small}`);
				expect(existsSync(path.join(small, 'addon-offline-target-package'))).toBe(true);
				expect(await readdir(small)).toEqual(['addon-offline-target-package']);
			} finally {
				await sh('umount', ['-l', small]).catch(() => undefined);
			}
		},
	);
});
