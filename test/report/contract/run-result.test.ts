// The RunResult built from a run's own events: every document validates against its schema, and
// says what the events said (which steps ran, how each ended, what the registry read showed).
import {describe, expect, it} from 'vitest';
import type {RunEvent} from '../../../source/domain/run/run-events.js';
import {foldRunFacts, noRunFacts, type RunFacts} from '../../../source/report/contract/run-facts.js';
import {buildRunResult, runResultSchema, type RunResultInput} from '../../../source/report/contract/run-result.js';

const steps = [
	{id: 'cluster-create', title: 'Upgrade addon to v0.11.2 (amd64) with cluster-create -j13'},
	{id: 'integrate-arm64-1', title: 'Integrate arm64 images of v0.11.2 with import -addon'},
];
const base: RunResultInput = {
	config: '/root/offline/sample/clusterConfig.yaml',
	steps,
	fromStep: 0,
	pending: {changed: true, summary: 'changes pending: 3 tags to overwrite'},
	hazards: [{id: 'below-0.12-single-arch', code: 'arch-conflict-below-0.12', message: 'Upgrading to v0.11.2 …', accepted: true}],
	exitCode: 0,
};
const logPath = '/home/op/.local/state/addon-wizard/logs/run-20261207-170000-123.log';

function fold(events: RunEvent[]): RunFacts {
	return events.reduce(foldRunFacts, noRunFacts);
}

const start: RunEvent = {type: 'run-start', at: 1, logPath, steps: steps.map(step => ({...step, argv: ['dce5-installer']}))};
const verified = (stepId: string, state: 'verified' | 'failed'): RunEvent => ({
	type: 'step-verified',
	at: 3,
	stepId,
	verification: {state, registry: 'http://127.0.0.1:5000', result: {} as never, chain: [], tagArches: ['amd64']},
});

describe('buildRunResult', () => {
	it('says both steps done and verified, the run id from its log, and the hazards as accepted', () => {
		const run = fold([
			start,
			{type: 'step-start', at: 2, stepId: 'cluster-create', argv: [], cwd: '/root'},
			{type: 'step-end', at: 3, stepId: 'cluster-create', exitCode: 0, status: 'done'},
			{type: 'step-start', at: 4, stepId: 'integrate-arm64-1', argv: [], cwd: '/root'},
			verified('integrate-arm64-1', 'verified'),
			{type: 'step-end', at: 5, stepId: 'integrate-arm64-1', exitCode: 0, status: 'done'},
			{type: 'run-end', at: 6, ok: true, outcome: {ok: true}},
		]);
		const result = runResultSchema.parse(buildRunResult({...base, run}));
		expect(result).toEqual({
			apiVersion: 'addon-wizard/v1',
			kind: 'RunResult',
			outcome: 'succeeded',
			exitCode: 0,
			changed: true,
			summary: 'import finished: 2 of 2 steps done (planned: changes pending: 3 tags to overwrite)',
			config: base.config,
			runId: 'run-20261207-170000-123',
			logPath,
			steps: [
				{index: 1, title: steps[0]!.title, outcome: 'done'},
				{index: 2, title: steps[1]!.title, outcome: 'done', verified: true},
			],
			hazards: [{id: 'below-0.12-single-arch', message: 'Upgrading to v0.11.2 …', accepted: true}],
			notes: [{id: 'sync-chart-repository', message: expect.stringContaining('"sync repository"') as string}],
		});
	});

	it('says a stopped run: the step that was running is stopped, the next one not run, nothing verified', () => {
		const run = fold([
			start,
			{type: 'step-start', at: 2, stepId: 'cluster-create', argv: [], cwd: '/root'},
			{type: 'run-end', at: 3, ok: false, outcome: {ok: false, interrupted: true}},
		]);
		const result = runResultSchema.parse(buildRunResult({...base, exitCode: 130, run, nextStep: 'Run again.'}));
		expect(result).toMatchObject({
			outcome: 'stopped',
			exitCode: 130,
			changed: true,
			steps: [{outcome: 'stopped'}, {outcome: 'not-run'}],
			nextStep: 'Run again.',
		});
	});

	it('says a verification failure of the first step, and a step before --from-step as skipped', () => {
		const run = fold([
			start,
			{type: 'step-start', at: 2, stepId: 'integrate-arm64-1', argv: [], cwd: '/root'},
			verified('integrate-arm64-1', 'failed'),
			{
				type: 'step-end',
				at: 3,
				stepId: 'integrate-arm64-1',
				exitCode: 0,
				status: 'failed',
				failure: {kind: 'verification-failed', message: 'lost arm64', hint: 'Integrate arm64.'},
			},
			{type: 'run-end', at: 4, ok: false, outcome: {ok: false, failedStepIndex: 1, verificationFailed: true}},
		]);
		const result = runResultSchema.parse(buildRunResult({...base, fromStep: 1, exitCode: 6, run}));
		expect(result.outcome).toBe('verification-failed');
		expect(result.steps).toEqual([
			{index: 1, title: steps[0]!.title, outcome: 'skipped'},
			{index: 2, title: steps[1]!.title, outcome: 'verification-failed', verified: false},
		]);
	});

	it('says a run stopped before its first step by a held lock as blocked, with the error as its summary', () => {
		const error = {kind: 'lock-held', message: 'Another run holds the lock.', hint: 'Wait for it.', exitCode: 3};
		const run = fold([start, {type: 'run-end', at: 2, ok: false, outcome: {ok: false, error}}]);
		const result = runResultSchema.parse(buildRunResult({...base, exitCode: 3, run}));
		expect(result).toMatchObject({outcome: 'blocked', changed: false, summary: 'Another run holds the lock.'});
	});

	it('says a run that never started: nothing-to-do, every step not run, no log', () => {
		const notStarted = {outcome: 'nothing-to-do' as const, summary: 'nothing to change: …'};
		const result = runResultSchema.parse(buildRunResult({...base, notStarted}));
		expect(result).toMatchObject({outcome: 'nothing-to-do', changed: false, summary: 'nothing to change: …'});
		expect(result.steps.map(step => step.outcome)).toEqual(['not-run', 'not-run']);
		expect(result).not.toHaveProperty('logPath');
	});
});
