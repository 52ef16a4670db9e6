// The verification pass after every step, against real parts: the test bed's docker-registry
// (plain HTTP with basic auth; HTTPS with a test CA), the installer simulator doing real pushes.
// The multi-arch story of the seed's "Architecture Conflict": v0.10.3 amd64 imported, v0.10.3
// arm64 integrated, v0.11.2 amd64 upgraded alone (the simulator's charts-syncer below 0.12.0
// turns every list back into an amd64 image), then the chained integration of v0.11.2 arm64.
import {mkdir, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {findRecord} from '../../../source/adapters/run/run-record.js';
import {compose} from '../../../source/app/compose.js';
import {historyPort, makeAttachDeps, makeRunDeps} from '../../../source/app/compose-run.js';
import {environmentFor, type Environment} from '../../../source/app/environment.js';
import {exitCodes, type WizardError} from '../../../source/domain/shared/wizard-error.js';
import type {Plan} from '../../../source/domain/plan/plan.js';
import type {RunEvent, RunOutcome, StepVerification} from '../../../source/domain/run/run-events.js';
import {attachRun} from '../../../source/workflow/run/attach/attach-run.js';
import {collect} from '../../../source/workflow/run/event-channel.js';
import {outcomeExitCode} from '../../../source/workflow/run/outcome-exit-code.js';
import {startRun} from '../../../source/workflow/run/run-plan.js';
import {initialWizardState, wizardReducer} from '../../../source/workflow/wizard/wizard-reducer.js';
import {createPlainReporter} from '../../../source/report/run/run-reporter.js';
import {bumpedCharts, seedUpgradePackages} from '../../helpers/build-package.js';
import {makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';
import {inspectTag, skopeoRaw, type TagContents} from '../../helpers/registry.js';
import {parsed} from '../../helpers/services.js';
import {patchDeps} from '../../helpers/fake-ports.js';
import {startTestBed, type TestBed} from '../../helpers/test-bed.js';

const images = [
	'release.daocloud.io/daocloud/dao-2048:v1.4.1',
	'docker.m.daocloud.io/metrics-server/metrics-server:v0.6.2',
	'docker.m.daocloud.io/bitnami/nginx:1.25.1',
];
const split = (ref: string) => ({repo: ref.slice(0, ref.lastIndexOf(':')), tag: ref.slice(ref.lastIndexOf(':') + 1)});

type Run = {plan: Plan; events: RunEvent[]; outcome: RunOutcome; environment: Environment; lines: string[]};

function unwrap<T extends object>(value: T | WizardError): T {
	if ('exitCode' in value && 'hint' in value) {
		throw new Error(`unexpected error: ${(value as WizardError).message}`);
	}

	return value as T;
}

/** A run as `addon-wizard run --yes` makes it: flags, the composition root's ports and run deps, the plain reporter. */
async function runPackages(f: ClusterFixture, packages: string[], flags: string[] = [], env: Record<string, string> = {}): Promise<Run> {
	const options = parsed(['run', '--yes', '-c', f.configPath, ...packages.flatMap(file => ['-p', file]), ...flags]);
	const environment = environmentFor({cwd: f.workdir, env: {...f.env, DCE5_SIM_DELAY_MS: '0', ...env}});
	const context = unwrap(await compose(options, environment, {stdout: () => undefined, stderr: () => undefined}).cluster());
	const inspections = [];
	for (const file of packages) {
		inspections.push(await context.ports.inspectPackage(file));
	}

	const plan = unwrap(await context.ports.buildPlan(inspections));
	expect(plan.blocked, JSON.stringify(plan.preflight?.filter(row => row.status === 'block'))).toBe(false);
	const deps = patchDeps(makeRunDeps(options, environment, context.cluster, context.configPath), {settings: {sampleMs: 20}});
	const events = await collect(startRun(plan, 0, deps, new AbortController().signal));
	const text: string[] = [];
	const reporter = createPlainReporter({stdout: chunk => text.push(chunk), stderr: () => undefined});
	for (const event of events) {
		reporter.report(event);
	}

	reporter.flush();
	const end = events.at(-1) as Extract<RunEvent, {type: 'run-end'}>;
	expect(end.type).toBe('run-end');
	return {plan, events, outcome: end.outcome, environment, lines: text.join('').split('\n')};
}

const verifications = (events: RunEvent[]) => events.flatMap(event => (event.type === 'step-verified' ? [event.verification] : []));
const stepEnds = (events: RunEvent[]) =>
	events.filter((event): event is Extract<RunEvent, {type: 'step-end'}> => event.type === 'step-end');
const shapes = (contents: TagContents[]) =>
	contents.map(item =>
		item.kind === 'list' ? `list ${[...item.platforms].sort().join('+')}` : item.kind === 'image' ? `image ${item.arch}` : 'missing',
	);

function resultOf(verification: StepVerification | undefined) {
	if (!verification || !('result' in verification)) {
		throw new Error(`no verification result: ${JSON.stringify(verification)}`);
	}

	return verification;
}

describe('the verification after every step, against a real registry (plain HTTP, basic auth)', () => {
	let bed: TestBed;
	let f: ClusterFixture;
	let paths: {oldAmd: string; oldArm: string; newAmd: string; newArm: string; nextAmd: string; nextArm: string};
	const tags = async () => Promise.all(images.map(async ref => inspectTag(bed.image, split(ref).repo, split(ref).tag)));

	beforeAll(async () => {
		bed = await startTestBed();
		f = await makeClusterFixture({
			packages: [
				...seedUpgradePackages(),
				{version: 'v0.11.3', arch: 'amd64', charts: bumpedCharts('amd64', 2)},
				{version: 'v0.11.3', arch: 'arm64', charts: bumpedCharts('arm64', 2)},
			],
			testBed: bed,
		});
		const [oldAmd, oldArm, newAmd, newArm, nextAmd, nextArm] = f.packages.map(item => item.path) as [
			string,
			string,
			string,
			string,
			string,
			string,
		];
		paths = {oldAmd, oldArm, newAmd, newArm, nextAmd, nextArm};
	}, 120_000);

	afterAll(async () => {
		await f?.stop();
		await bed?.stop();
		await rm(f?.root ?? '/nonexistent', {recursive: true, force: true});
	});

	it("a clean import is verified: every image at its tag with the package's config digest; n of m tags said as they are read", async () => {
		const run = await runPackages(f, [paths.oldAmd]);
		expect(run.outcome).toEqual({ok: true});
		const [verification] = verifications(run.events);
		expect(verification).toMatchObject({state: 'verified', registry: bed.image.url, tagArches: ['amd64'], chain: []});
		expect(resultOf(verification).result.message).toMatch(
			/^All 3 images of the v0\.10\.3 amd64 package are in the registry; tags carry amd64\. All 3 chart versions are in the chart repository http:\/\/127\.0\.0\.1:\d+\.$/,
		);
		// Counted from the reads before and after the step, not from the installer's lines.
		expect(resultOf(verification).counts?.images).toMatchObject({pushed: 3, alreadyThere: 0, missing: 0});
		expect(resultOf(verification).counts?.charts?.uploaded).toHaveLength(3);
		// Read before the step (all absent) and after it, each saying how far it got.
		const phases = run.events.flatMap(event => (event.type === 'verify-start' ? [`${event.phase} ${event.tags}`] : []));
		expect(phases).toEqual(['before 3', 'after 3']);
		expect(run.events.filter(event => event.type === 'verify-progress').at(-1)).toMatchObject({phase: 'after', done: 3, total: 3});
		// The verification comes before the step's end, whose status it decided.
		const order = run.events.map(event => event.type).filter(type => type === 'step-verified' || type === 'step-end');
		expect(order).toEqual(['step-verified', 'step-end']);
		expect(stepEnds(run.events)[0]).toMatchObject({status: 'done'});
		// What a client the project did not write sees: the package's own image (same config digest).
		const dao = f.packages[0]!;
		const tag = await inspectTag(bed.image, split(images[0]!).repo, split(images[0]!).tag);
		expect(tag.kind).toBe('image');
		const inspected = run.plan.packages[0]!.images.find(image => image.ref === images[0])!;
		expect(tag.kind === 'image' && tag.configDigest).toBe(inspected.configDigest);
		expect(dao.images).toContain(images[0]);
		expect(run.lines).toEqual(
			expect.arrayContaining([
				`addon-wizard: step cluster-create: verifying against the registry ${bed.image.url} (3 tags)…`,
				'addon-wizard: verifying 3 of 3 tags',
				`addon-wizard: step cluster-create: Verified against ${bed.image.url}: all 3 images of the v0.10.3 amd64 package are in the registry; tags carry amd64. All 3 chart versions are in the chart repository ${bed.chartRepo!.url}.`,
				'addon-wizard: step cluster-create done',
			]),
		);
	});

	it('an integration is verified when every tag it pushed carries every cluster arch', async () => {
		const run = await runPackages(f, [paths.oldArm]);
		expect(run.outcome).toEqual({ok: true});
		const verification = resultOf(verifications(run.events)[0]);
		expect(verification).toMatchObject({state: 'verified', tagArches: ['amd64', 'arm64']});
		expect(verification.result.message).toMatch(
			/^All 3 images of the v0\.10\.3 arm64 package are in the registry; tags carry amd64, arm64\. All 3 chart versions are in the chart repository http:\/\/127\.0\.0\.1:\d+\.$/,
		);
		expect(shapes(await tags())).toEqual(['list amd64+arm64', 'list amd64+arm64', 'list amd64+arm64']);
	});

	it('upgrading to v0.11.2 with the amd64 package alone: verification names the tags that lost arm64, the <0.12.0 cause and the next step; never done', async () => {
		const run = await runPackages(f, [paths.newAmd]);
		expect(run.plan.operation).toBe('single-arch-upgrade');
		// The simulator really converted them (skopeo's view).
		expect(shapes(await tags())).toEqual(['image amd64', 'image amd64', 'image amd64']);
		const verification = resultOf(verifications(run.events)[0]);
		expect(verification.state).toBe('failed');
		expect(verification.result.lostArch.count).toBe(3);
		expect(verification.result.lostArch.first.map(item => item.lost)).toEqual([['arm64'], ['arm64'], ['arm64']]);
		expect(verification.result.cause?.kind).toBe('below-0.12-conversion');
		expect(verification.result.message).toMatch(
			/^3 tag\(s\) lost arm64 \(.+\)\. v0\.11\.2 is below 0\.12\.0: its charts-syncer replaced their multi-arch lists with amd64-only images\. All 3 chart versions are in the chart repository http:\/\/127\.0\.0\.1:\d+\.$/,
		);
		expect(verification.chain).toEqual([
			{
				version: 'v0.11.2',
				arch: 'arm64',
				kinds: ['full'],
				fileNames: ['addon-offline-full-package-v0.11.2-arm64.tar.gz'],
				reason: 'tags lost arm64',
			},
		]);
		// The installer exited 0, and the step is still not done.
		const [end] = stepEnds(run.events);
		expect(end).toMatchObject({exitCode: 0, status: 'failed', failure: {kind: 'verification-failed', cause: 'below-0.12-conversion'}});
		expect(run.outcome).toEqual({ok: false, failedStepIndex: 0, interrupted: false, verificationFailed: true});
		expect(outcomeExitCode(run.outcome)).toBe(exitCodes.verificationFailed);
		expect(run.lines).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^ {2}3 tag\(s\) lost an arch: .+ \(arm64\), .+ \(arm64\), .+ \(arm64\)$/),
				'  next: Integrate the v0.11.2 arm64 package (import -addon) to restore them.',
				expect.stringMatching(/^addon-wizard: import finished, but the registry does not hold what it should after \d+:\d\d$/),
			]),
		);
	});

	it('attach replays the verification: the Result attach rebuilds names the lost tags and offers the chained step', async () => {
		const environment = environmentFor({cwd: f.workdir, env: f.env});
		const record = findRecord(environment.paths.state)!;
		expect(record.status).toBe('failed');
		expect(record.failure?.kind).toBe('verification-failed');
		const deps = patchDeps(makeAttachDeps(parsed(['attach']), environment, record, []), {settings: {pollMs: 20}});
		const events = await collect(attachRun(record, deps, new AbortController().signal));
		const [replayed] = verifications(events);
		expect(resultOf(replayed).result.lostArch.count).toBe(3);
		expect(events.at(-1)).toMatchObject({type: 'run-end', outcome: {verificationFailed: true}});
		const state = [{type: 'run-events' as const, events}].reduce(wizardReducer, initialWizardState({attachPlan: record.plan}));
		expect(state.screen).toBe('result');
		expect(state.run?.verifications[0]).toEqual(replayed);
		expect(state.run?.status).toEqual(['failed']);
	});

	it('the chained integration of the v0.11.2 arm64 package makes every tag a two-arch list again, and is verified', async () => {
		const run = await runPackages(f, [paths.newArm]);
		// The plan read the config as the upgrade left it: the cluster has v0.11.2 amd64 now.
		expect(run.plan.operation).toBe('multi-arch-integration');
		expect(run.plan.reason).toContain('v0.11.2 (amd64)');
		expect(run.outcome).toEqual({ok: true});
		expect(resultOf(verifications(run.events)[0])).toMatchObject({state: 'verified', tagArches: ['amd64', 'arm64'], chain: []});
		for (const ref of images) {
			const raw = JSON.parse((await skopeoRaw(bed.image, ref))!) as {manifests?: Array<{platform: {architecture: string}}>};
			expect(raw.manifests?.map(item => item.platform.architecture).sort(), ref).toEqual(['amd64', 'arm64']);
		}
	});

	it('every finished step is in the run history, with its installer and what verification found', async () => {
		const environment = environmentFor({cwd: f.workdir, env: f.env});
		const entries = await historyPort(environment).read({configPath: f.configPath, clusterName: 'my-cluster'});
		expect(
			entries.map(
				entry =>
					`${entry.stepKind} ${entry.packages.map(item => `${item.version} ${item.arch}`).join()} ${entry.outcome} ${entry.verdict} ${entry.verification?.state}`,
			),
		).toEqual([
			'cluster-create v0.10.3 amd64 ok done verified',
			'import-addon v0.10.3 arm64 ok done verified',
			'cluster-create v0.11.2 amd64 ok failed failed',
			'import-addon v0.11.2 arm64 ok done verified',
		]);
		expect(entries[2]).toMatchObject({
			cluster: {configPath: f.configPath, clusterName: 'my-cluster'},
			installer: {path: path.join(f.home, 'dce5-installer'), version: 'dce5-installer v0.27.0 (simulator)'},
			packages: [{fileName: path.basename(paths.newAmd), path: paths.newAmd, kind: 'full'}],
			verification: {verified: false, lostArch: 3, missing: 0, cause: 'below-0.12-conversion', tagArches: ['amd64']},
		});
		expect(entries[2]!.packages[0]!.sha512).toMatch(/^[\da-f]{128}$/);
		expect(entries.every(entry => entry.logPath.startsWith(path.join(environment.paths.logs)))).toBe(true);
	});

	it('both arches in one plan below 0.12.0: step 1 loses arm64 as expected (the plan integrates it next), step 2 puts it back; the run is done', async () => {
		const run = await runPackages(f, [paths.nextAmd, paths.nextArm]);
		expect(run.plan.operation).toBe('multi-arch-upgrade');
		const [first, second] = verifications(run.events);
		expect(first).toMatchObject({state: 'deferred', laterStepId: run.plan.steps[1]!.id, chain: []});
		expect(resultOf(first).result.lostArch.count).toBe(3);
		expect(resultOf(second)).toMatchObject({state: 'verified', tagArches: ['amd64', 'arm64']});
		expect(stepEnds(run.events).map(event => event.status)).toEqual(['done', 'done']);
		expect(run.outcome).toEqual({ok: true});
		expect(run.lines).toEqual(
			expect.arrayContaining([
				`addon-wizard: step cluster-create: 3 tag(s) lost arm64, as a version below 0.12.0 does; step 2 (${run.plan.steps[1]!.id}) of this plan is to integrate arm64 again.`,
			]),
		);
		expect(shapes(await tags())).toEqual(['list amd64+arm64', 'list amd64+arm64', 'list amd64+arm64']);
	});
});

describe('a registry that cannot be read after the step', () => {
	let f: ClusterFixture;
	afterAll(async () => {
		await f?.stop();
		await rm(f?.root ?? '/nonexistent', {recursive: true, force: true});
	});

	it('stopped mid-run (after the installer pushed): "finished, not verified" with the cause, exit 7, never done', async () => {
		f = await makeClusterFixture({packages: [{version: 'v0.12.1', arch: 'amd64'}], testBed: {}});
		// An installer that pushes for real, then waits while the test stops the registry under it.
		const handshake = path.join(f.root, 'handshake');
		await mkdir(handshake);
		const wrapper = path.join(f.root, 'installer-then-wait.sh');
		await writeFile(
			wrapper,
			`#!/bin/sh\n"${path.join(f.home, 'dce5-installer')}" "$@"\ncode=$?\ntouch "${handshake}/pushed"\nwhile [ ! -e "${handshake}/stopped" ]; do sleep 0.05; done\nexit $code\n`,
			{mode: 0o755},
		);
		const stopper = (async () => {
			const {existsSync} = await import('node:fs');
			const deadline = Date.now() + 120_000;
			while (!existsSync(path.join(handshake, 'pushed'))) {
				if (Date.now() > deadline) {
					throw new Error('the installer never reported that it pushed');
				}

				await delay(50);
			}

			await f.testBed!.registry.stop();
			await writeFile(path.join(handshake, 'stopped'), '');
		})();
		const run = await runPackages(f, [f.packages[0]!.path], ['--installer', wrapper]);
		await stopper;
		const [verification] = verifications(run.events);
		expect(verification).toMatchObject({state: 'unreadable', registry: f.testBed!.image.url, error: {kind: 'registry-unreachable'}});
		expect(verification!.state === 'unreadable' && verification!.error.message).toBe(
			`Cannot reach the registry at ${f.testBed!.image.url}: connection refused (ECONNREFUSED).`,
		);
		const [end] = stepEnds(run.events);
		expect(end).toMatchObject({exitCode: 0, status: 'unverified', failure: {kind: 'not-verified', cause: 'registry-unreachable'}});
		expect(end!.failure!.message).toBe(
			`The installer exited cleanly, but the registry ${f.testBed!.image.url} could not be read after the step, so what it left is not known: Cannot reach the registry at ${f.testBed!.image.url}: connection refused (ECONNREFUSED).`,
		);
		expect(run.outcome).toEqual({ok: false, failedStepIndex: 0, interrupted: false, unverified: true});
		expect(outcomeExitCode(run.outcome)).toBe(exitCodes.notVerified);
		expect(run.lines).toEqual(
			expect.arrayContaining([
				`addon-wizard: step cluster-create: Finished, not verified: Cannot reach the registry at ${f.testBed!.image.url}: connection refused (ECONNREFUSED).`,
				'addon-wizard: step cluster-create finished, not verified (the installer exited 0; what the registry showed is above)',
				expect.stringMatching(/^addon-wizard: import finished, not verified after /),
			]),
		);
		expect(run.lines.some(line => /step cluster-create done/.test(line))).toBe(false);
		// The history keeps the step and says why it was not verified.
		const [entry] = await historyPort(run.environment).read({configPath: f.configPath, clusterName: 'my-cluster'});
		expect(entry).toMatchObject({outcome: 'ok', verdict: 'unverified', notVerified: {kind: 'registry-unreachable'}});
		expect(entry!.verification).toBeUndefined();
	});

	it('--no-verify: the operator chose not to check; the step is judged by the installer alone and says so', async () => {
		const g = await makeClusterFixture({packages: [{version: 'v0.12.1', arch: 'amd64'}], testBed: {}});
		try {
			const run = await runPackages(g, [g.packages[0]!.path], ['--no-verify']);
			expect(run.outcome).toEqual({ok: true});
			expect(verifications(run.events)).toEqual([{state: 'skipped', reason: 'you chose not to check (--no-verify)'}]);
			expect(run.events.some(event => event.type === 'verify-start')).toBe(false);
			expect(run.lines).toContain(
				'addon-wizard: step cluster-create: Not checked against the registry: you chose not to check (--no-verify).',
			);
		} finally {
			await g.stop();
			await rm(g.root, {recursive: true, force: true});
		}
	});
});

describe('over HTTPS with the test CA', () => {
	let f: ClusterFixture;
	beforeAll(async () => {
		f = await makeClusterFixture({packages: [{version: 'v0.12.1', arch: 'amd64'}], testBed: {tls: true}});
	}, 60_000);

	afterAll(async () => {
		await f?.stop();
		await rm(f?.root ?? '/nonexistent', {recursive: true, force: true});
	});

	it('with --registry-ca the import is verified; without it the certificate is refused and the step is "finished, not verified" saying so', async () => {
		const unknownCa = await runPackages(f, [f.packages[0]!.path]);
		expect(unknownCa.outcome).toMatchObject({ok: false, unverified: true});
		expect(verifications(unknownCa.events)[0]).toMatchObject({state: 'unreadable', error: {kind: 'registry-tls'}});

		// The same step again (the chart is synced now, so nothing is pushed): the registry is read with the CA.
		const withCa = await runPackages(f, [f.packages[0]!.path], ['--registry-ca', f.testBed!.registry.caPath!]);
		expect(withCa.outcome).toEqual({ok: true});
		expect(resultOf(verifications(withCa.events)[0])).toMatchObject({state: 'verified', registry: f.testBed!.image.url});
	});
});
