// The Result's i as a reducer: from the suggestion to the chained run, and every way it stops short.
import {describe, expect, it} from 'vitest';
import type {Plan} from '../../../source/domain/plan/plan.js';
import type {StepVerification} from '../../../source/domain/run/run-events.js';
import {appendChainedSteps} from '../../../source/workflow/wizard/retry-slice.js';
import {wizardReducer, type WizardState} from '../../../source/workflow/wizard/wizard-reducer.js';
import {full} from '../../domain/packages/make-inspection.js';
import {discoveredFrom, makePlan, makeStep} from '../../helpers/fake-ports.js';
import {resultAfter} from '../../helpers/wizard-result.js';

const amd = full('v0.11.2', 'amd64');
const arm = full('v0.11.2', 'arm64');
const plan = makePlan({packages: [amd], steps: [makeStep(0, {id: 'cluster-create', kind: 'cluster-create', packagePath: amd.path})]});
const chained = makePlan({
	packages: [arm],
	steps: [makeStep(0, {id: 'cluster-create', kind: 'import-addon', arch: 'arm64', packagePath: arm.path})],
});
const suggestion = {version: 'v0.11.2', arch: 'arm64', kinds: ['full'], fileNames: [arm.fileName], reason: 'tags lost arm64'};
const failed = {
	state: 'failed',
	registry: 'https://r',
	chain: [suggestion],
	tagArches: ['amd64'],
	result: {nextSteps: []},
} as unknown as StepVerification;

/** On Result after a run whose step failed verification, asking for the arm64 package. */
function onResult(): WizardState {
	return resultAfter(amd, plan, [
		{type: 'step-verified', at: 1, stepId: 'cluster-create', verification: failed},
		{
			type: 'step-end',
			at: 2,
			stepId: 'cluster-create',
			exitCode: 0,
			status: 'failed',
			failure: {kind: 'verification-failed', message: 'lost', hint: 'integrate'},
		},
		{type: 'run-end', at: 3, ok: false, outcome: {ok: false, failedStepIndex: 0, verificationFailed: true}},
	]);
}

describe('the chained step (i)', () => {
	it('searches, reads the file it found, plans it, then runs it after the step already run', () => {
		let state = wizardReducer(onResult(), {type: 'chain'});
		expect(state.chain).toEqual({state: 'looking', suggestion});
		// r is not a way out here: the same upgrade would lose arm64 again.
		expect(wizardReducer(state, {type: 'retry'}).retry).toEqual({state: 'idle'});
		state = wizardReducer(state, {type: 'chain-discovered', packages: [discoveredFrom(amd), discoveredFrom(arm)]});
		expect(state.chain).toEqual({state: 'reading', suggestion, paths: [arm.path], read: []});
		state = wizardReducer(state, {type: 'chain-inspected', inspection: arm});
		expect(state.chain).toEqual({state: 'planning', suggestion, inspections: [arm]});
		state = wizardReducer(state, {type: 'chain-planned', result: chained});
		expect(state.screen).toBe('run');
		expect(state.run).toMatchObject({fromStep: 1, attempt: 2, status: ['failed', 'pending'], verifications: [failed, undefined]});
		expect(state.plan.state === 'ready' && state.plan.plan.steps.map(step => step.id)).toEqual(['cluster-create', 'cluster-create-2']);
	});

	it('stops with a reason when the file is not here, is another package inside, or its plan is blocked', () => {
		const looking = wizardReducer(onResult(), {type: 'chain'});
		expect(wizardReducer(looking, {type: 'chain-discovered', packages: [discoveredFrom(amd)]}).chain).toEqual({
			state: 'missing',
			suggestion,
			fileNames: [arm.fileName],
		});

		const reading = wizardReducer(looking, {type: 'chain-discovered', packages: [discoveredFrom(arm)]});
		const impostor = {...arm, arch: {...arm.arch, agreed: 'amd64'}};
		const wrong = wizardReducer(reading, {type: 'chain-inspected', inspection: impostor});
		expect(wrong.chain.state === 'error' && wrong.chain.error.message).toBe(
			`${arm.fileName} cannot be integrated: its contents say v0.11.2 amd64, not v0.11.2 arm64.`,
		);

		const planning = wizardReducer(reading, {type: 'chain-inspected', inspection: arm});
		const blocked: Plan = {
			...chained,
			blocked: true,
			preflight: [{id: 'disk', status: 'block', message: '12 GB short on /root.', hint: 'Free 12 GB.'}],
		};
		const refused = wizardReducer(planning, {type: 'chain-planned', result: blocked});
		expect(refused.screen).toBe('result');
		expect(refused.chain).toMatchObject({
			state: 'error',
			error: {message: 'The chained step cannot run: 12 GB short on /root.', hint: 'Free 12 GB.'},
		});
		// Pressed again once fixed: it starts over.
		expect(wizardReducer(refused, {type: 'chain'}).chain.state).toBe('looking');
	});

	it("appends the chained plan's steps with ids of their own and every package", () => {
		const {plan: merged, fromStep} = appendChainedSteps(plan, chained);
		expect(fromStep).toBe(1);
		expect(merged.steps.map(step => step.id)).toEqual(['cluster-create', 'cluster-create-2']);
		expect(merged.packages.map(item => item.path)).toEqual([amd.path, arm.path]);
		expect(merged.operation).toBe(chained.operation);
	});
});
