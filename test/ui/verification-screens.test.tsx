// What the Run and Result screens say about the registry read back after a step: the read as it
// goes ("n of m tags"), a verification that found the <0.12.0 conversion with its cause and the
// chained integration on `i` (found on this host, or which file to download), the chained run
// after the steps already run, and a registry that could not be read ("finished, not verified").
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {plannedPushes} from '../../source/domain/registry/push-diff.js';
import type {TagState} from '../../source/domain/registry/tag-state.js';
import {verifyStep} from '../../source/domain/registry/verify-step.js';
import type {FailureCause, RunEvent, StepVerification} from '../../source/domain/run/run-events.js';
import type {Plan} from '../../source/domain/plan/plan.js';
import {resultExitCode} from '../../source/workflow/wizard/wizard-reducer.js';
import {full} from '../domain/packages/make-inspection.js';
import {discoveredFrom, frameLines, makePlan, makeStep, onRun, unwrap, type FakeRun, type WizardHarness} from '../helpers/fake-ports.js';
import {settleKeys} from '../helpers/settle-keys.js';

afterEach(() => {
	cleanup();
});

const refs = [
	'release.daocloud.io/daocloud/dao-2048:v1.4.1',
	'docker.m.daocloud.io/metrics-server/metrics-server:v0.6.2',
	'docker.m.daocloud.io/bitnami/nginx:1.25.1',
];
const config = (arch: string, ref: string) => `sha256:${`${arch}${ref.length}`.padEnd(64, '0')}`;
const upgrade = full('v0.11.2', 'amd64', {images: refs.map(ref => ({ref, configDigest: config('amd64', ref)}))});
const other = full('v0.11.2', 'arm64', {images: refs.map(ref => ({ref, configDigest: config('arm64', ref)}))});
const registry = 'https://10.6.135.222';
const key = (ref: string) => ref;

const plan: Plan = makePlan({
	operation: 'single-arch-upgrade',
	packages: [upgrade],
	steps: [
		makeStep(0, {
			id: 'cluster-create',
			kind: 'cluster-create',
			title: 'Upgrade addon to v0.11.2 (amd64) with cluster-create -j13',
			packagePath: upgrade.path,
			packagePaths: [upgrade.path],
			argv: ['/root/dce5-installer', 'cluster-create', '-c', '/root/offline/sample/clusterConfig.yaml'],
		}),
	],
});
const chained: Plan = makePlan({
	operation: 'multi-arch-integration',
	packages: [other],
	steps: [
		makeStep(0, {
			id: 'integrate-arm64-0',
			kind: 'import-addon',
			title: 'Integrate arm64 images of v0.11.2 with import -addon',
			packagePath: other.path,
			arch: 'arm64',
		}),
	],
});

/** What the registry shows after the amd64-only upgrade: the lists the v0.10.3 integration made are single amd64 images. */
function conversion(): StepVerification {
	const pushes = plannedPushes(upgrade.images, {pathPrefix: ''}, 'amd64');
	const list = (ref: string): TagState => ({
		kind: 'list',
		images: [
			{arch: 'amd64', os: 'linux', configDigest: 'sha256:old'},
			{arch: 'arm64', os: 'linux', configDigest: config('arm64', ref)},
		],
	});
	const before = new Map(refs.map(ref => [key(ref), list(ref)]));
	const after = new Map<string, TagState>(
		refs.map(ref => [key(ref), {kind: 'image', image: {arch: 'amd64', os: 'linux', configDigest: config('amd64', ref)}}]),
	);
	const result = verifyStep(
		{
			step: {kind: 'cluster-create', version: 'v0.11.2'},
			purpose: 'upgrade',
			package: {arch: 'amd64', version: 'v0.11.2'},
			pushes,
			before,
			clusterArches: ['amd64', 'arm64'],
		},
		after,
	);
	return {
		state: 'failed',
		registry,
		result,
		chain: [{version: 'v0.11.2', arch: 'arm64', kinds: ['full'], fileNames: [other.fileName], reason: 'tags lost arm64'}],
		tagArches: ['amd64'],
	};
}

const verificationFailure = (verification: StepVerification): FailureCause => ({
	kind: 'verification-failed',
	message: verification.state === 'failed' ? verification.result.message : '',
	hint: 'Integrate the v0.11.2 arm64 package (import -addon) to put the lost architecture back.',
	cause: 'below-0.12-conversion',
});

function started(run: FakeRun, steps = plan.steps): RunEvent {
	return {type: 'run-start', at: Date.now() - 65_000, logPath: run.logPath, steps: steps.map(({id, title, argv}) => ({id, title, argv}))};
}

async function upgraded(packages = [upgrade, other]): Promise<{harness: WizardHarness; run: FakeRun}> {
	const {harness, run} = await onRun(plan, {
		rows: 40,
		fake: {
			packages: packages.map(item => discoveredFrom(item)),
			inspections: packages,
			plan: inspections => (inspections[0]?.path === other.path ? chained : plan),
		},
	});
	const verification = conversion();
	run.emit(
		started(run),
		{type: 'step-start', at: Date.now(), stepId: 'cluster-create', argv: plan.steps[0]!.argv, cwd: '/root/work'},
		{type: 'verify-start', at: Date.now(), stepId: 'cluster-create', phase: 'after', registry, tags: 3},
		{type: 'verify-progress', at: Date.now(), stepId: 'cluster-create', phase: 'after', done: 2, total: 3},
	);
	await harness.waitForFrame(`Verifying against the registry ${registry}… 2 of 3 tags`);
	run.emit(
		{type: 'step-verified', at: Date.now(), stepId: 'cluster-create', verification},
		{type: 'step-end', at: Date.now(), stepId: 'cluster-create', exitCode: 0, status: 'failed', failure: verificationFailure(verification)},
	);
	const outcome = {ok: false, failedStepIndex: 0, interrupted: false, verificationFailed: true};
	run.emit({type: 'run-end', at: Date.now(), ok: false, outcome});
	run.finish(outcome);
	await harness.waitForFrame('RESULT');
	return {harness, run};
}

const footer = (frame: string) => frameLines(frame).filter(Boolean).at(-1) ?? '';

describe('the Result after a verification that found the <0.12.0 conversion', () => {
	it("names the tags that lost arm64, the cause, and offers i for the same version's arm64 package found on this host; r is not offered", async () => {
		const {harness} = await upgraded();
		const frame = harness.frame();
		const text = unwrap(frame);
		expect(text).toMatch(
			/✘ Not verified after 1:0\d at step 1 of 1: the installer exited cleanly, but the registry does not hold what the step should have left\./,
		);
		expect(text).toContain(
			'3 tag(s) lost an arch: release.daocloud.io/daocloud/dao-2048:v1.4.1 (arm64), docker.m.daocloud.io/metrics-server/metrics-server:v0.6.2 (arm64), docker.m.daocloud.io/bitnami/nginx:1.25.1 (arm64)',
		);
		expect(text).toContain(
			'Cause: 3 tag(s) lost arm64: v0.11.2 is below 0.12.0: its charts-syncer replaced their multi-arch lists with amd64-only images.',
		);
		expect(text).toContain(`i integrates the v0.11.2 arm64 package now (import -addon, pre-flight first): ${other.path}`);
		expect(footer(frame)).toContain('i integrate the other arch');
		expect(footer(frame)).not.toContain('r clean up');
		expect(text).not.toContain('r removes the installer');
		expect(harness.exitCodes).toEqual([]);
		// r does nothing here: running the upgrade again would only lose the arch again.
		harness.press('r');
		await settleKeys(harness);
		expect(harness.ports.rechecks.count).toBe(0);
		expect(harness.ports.measures.count).toBe(0);
	});

	it('i plans the integration (pre-flight included) and runs it after the upgrade; its verification shows the lists back', async () => {
		const {harness} = await upgraded();
		harness.press('i');
		const second = await harness.ports.run(1);
		// Planned from the arm64 package the host has, already read: no second read of it.
		expect(harness.ports.plans.calls.at(-1)?.args.map(item => item.path)).toEqual([other.path]);
		expect(harness.ports.inspect.calls.filter(call => call.args.path === other.path)).toHaveLength(1);
		expect(second.fromStep).toBe(1);
		expect(second.plan.steps.map(step => step.id)).toEqual(['cluster-create', 'integrate-arm64-0']);
		const running = await harness.waitForFrame('RUN');
		expect(frameLines(running)).toContain('✘ 1. Upgrade addon to v0.11.2 (amd64) with cluster-create -j13');
		const pushes = plannedPushes(other.images, {pathPrefix: ''}, 'arm64');
		const lists = new Map<string, TagState>(
			refs.map(ref => [
				key(ref),
				{
					kind: 'list',
					images: [
						{arch: 'amd64', os: 'linux', configDigest: config('amd64', ref)},
						{arch: 'arm64', os: 'linux', configDigest: config('arm64', ref)},
					],
				},
			]),
		);
		const result = verifyStep(
			{
				step: {kind: 'import-addon'},
				purpose: 'integration',
				package: {arch: 'arm64', version: 'v0.11.2'},
				pushes,
				clusterArches: ['amd64', 'arm64'],
			},
			lists,
		);
		second.emit(
			started(second, second.plan.steps),
			{type: 'step-start', at: Date.now(), stepId: 'integrate-arm64-0', argv: chained.steps[0]!.argv, cwd: '/root/work'},
			{
				type: 'step-verified',
				at: Date.now(),
				stepId: 'integrate-arm64-0',
				verification: {state: 'verified', registry, result, chain: [], tagArches: ['amd64', 'arm64']},
			},
			{type: 'step-end', at: Date.now(), stepId: 'integrate-arm64-0', exitCode: 0, status: 'done'},
			{type: 'run-end', at: Date.now(), ok: true, outcome: {ok: true}},
		);
		second.finish({ok: true});
		const done = unwrap(await harness.waitForFrame('Done in'));
		expect(done).toContain(
			`✔ Verified against ${registry}: all 3 images of the v0.11.2 arm64 package are in the registry; tags carry amd64, arm64.`,
		);
		expect(done).toContain('⚠ 3 tag(s) lost arm64 (v0.11.2 is below 0.12.0); step 2 integrated arm64 again.');
		expect(done).not.toContain('i integrates');
		expect(footer(harness.frame())).not.toContain('i integrate');
	});

	it('says which file to download when the arm64 package is not on this host; i searches again and says it is still not there', async () => {
		const {harness} = await upgraded([upgrade]);
		expect(unwrap(harness.frame())).toContain(
			`The v0.11.2 arm64 package is not on this host: download ${other.fileName} from the Download Center, then press i.`,
		);
		await harness.pressAndWait('i', frame => unwrap(frame).includes(`Not found on this host: ${other.fileName}.`));
		expect(harness.ports.discover.count).toBe(2);
		expect(harness.ports.runs).toHaveLength(1);
	});
});

describe('a registry that could not be read after the step', () => {
	it("Result: finished, not verified, with the registry's cause and what to do; never Done; exit 7", async () => {
		const {harness, run} = await onRun(plan, {rows: 40, fake: {packages: [discoveredFrom(upgrade)], inspections: [upgrade], plan}});
		const error = {
			kind: 'registry-unreachable',
			message: `Cannot reach the registry at ${registry}: connection refused (ECONNREFUSED).`,
			hint: 'Check that the registry runs and listens there.',
		};
		run.emit(
			started(run),
			{type: 'step-start', at: Date.now(), stepId: 'cluster-create', argv: plan.steps[0]!.argv, cwd: '/root/work'},
			{type: 'step-verified', at: Date.now(), stepId: 'cluster-create', verification: {state: 'unreadable', registry, error}},
			{
				type: 'step-end',
				at: Date.now(),
				stepId: 'cluster-create',
				exitCode: 0,
				status: 'unverified',
				failure: {
					kind: 'not-verified',
					cause: error.kind,
					message: `The installer exited cleanly, but the registry ${registry} could not be read after the step, so what it left is not known: ${error.message}`,
					hint: 'Check that the registry runs and listens there; then check what the step left with addon-wizard verify',
				},
			},
		);
		const outcome = {ok: false, failedStepIndex: 0, interrupted: false, unverified: true};
		run.finish(outcome);
		const text = unwrap(await harness.waitForFrame('RESULT'));
		expect(text).toMatch(
			/⚠ Finished, not verified after \d+:\d\d at step 1 of 1: the registry could not be read after the step, so what it left is not known\./,
		);
		expect(text).toContain(`⚠ 1. ${plan.steps[0]!.title}`);
		expect(text).toContain('connection refused (ECONNREFUSED)');
		expect(text).toContain('Next: Check that the registry runs and listens there; then check what the step left with addon-wizard verify');
		expect(text).not.toContain('Done in');
		// The import went through: re-running it is not how to check it.
		expect(text).toContain('The step finished: to check what it left, quit and run addon-wizard verify with the flag named above');
		expect(text).not.toContain('re-runs the failed step');
	});
});

describe('the exit code of a Result', () => {
	it('6 for a verification that failed, 7 for one that could not be made', async () => {
		const {harness} = await upgraded();
		harness.press('q');
		await harness.waitForFrame(() => harness.exitCodes.length > 0);
		expect(harness.exitCodes).toEqual([6]);
		expect(resultExitCode({run: {outcome: {ok: false, unverified: true}}} as never)).toBe(7);
	});
});
