// The Result's z as a reducer: offered only after a step whose tags changed, only when the preview
// would put something back; z asks, esc keeps, y runs, and the answer is what the Result says.
import {describe, expect, it} from 'vitest';
import type {StepVerification} from '../../../source/domain/run/run-events.js';
import type {UndoTag} from '../../../source/domain/registry/undo-plan.js';
import type {UndoPreview} from '../../../source/workflow/run/undo/undo-step.js';
import {undoOffered, undoStepIndex} from '../../../source/workflow/wizard/undo-slice.js';
import {initialWizardState, wizardReducer, type WizardEvent, type WizardState} from '../../../source/workflow/wizard/wizard-reducer.js';
import {appReducer} from '../../../source/ui/key-reducer.js';
import {full} from '../../domain/packages/make-inspection.js';
import {discoveredFrom, makePlan, makeStep} from '../../helpers/fake-ports.js';

const amd = full('v0.11.2', 'amd64');
const plan = makePlan({packages: [amd], steps: [makeStep(0, {id: 'cluster-create', kind: 'cluster-create', packagePath: amd.path})]});
const listed = (count: number) => ({count, first: []});
const verification = (lost: number) =>
	({
		state: lost > 0 ? 'failed' : 'verified',
		registry: 'http://r',
		chain: [],
		tagArches: ['amd64'],
		result: {lostArch: listed(lost), different: listed(0), nextSteps: []},
	}) as unknown as StepVerification;

function onResult(lost: number): WizardState {
	const events: WizardEvent[] = [
		{type: 'discovered', packages: [discoveredFrom(amd)]},
		{type: 'inspection-done', inspection: amd},
		{type: 'plan-built', request: 1, result: plan},
		{type: 'accept-plan'},
		{type: 'start-run'},
		{
			type: 'run-events',
			events: [
				{type: 'run-start', at: 0, logPath: '/logs/run-1.log', steps: []},
				{type: 'step-verified', at: 1, stepId: 'cluster-create', verification: verification(lost)},
				{type: 'step-end', at: 2, stepId: 'cluster-create', exitCode: 0, status: 'done'},
				{type: 'run-end', at: 3, ok: lost === 0, outcome: {ok: lost === 0}},
			],
		},
	];
	const state = events.reduce(wizardReducer, initialWizardState({preselected: [amd.path]}));
	expect(state.screen).toBe('result');
	return state;
}

const tag = (action: UndoTag['action']) => ({action, key: 'r/a:1'}) as unknown as UndoTag;
const preview = (actions: Array<UndoTag['action']>) => ({snapshot: {}, tags: actions.map(tag), options: {}}) as unknown as UndoPreview;
const keys = (state: WizardState, ...tokens: string[]) => appReducer(state, {type: 'keys', tokens, context: {scrollMax: 0, page: 10}});

describe('the Result’s z (undo)', () => {
	it('is checked only after a step whose tags lost an arch', () => {
		expect(undoStepIndex(onResult(0))).toBeUndefined();
		expect(wizardReducer(onResult(0), {type: 'undo-check'}).undo).toEqual({state: 'idle'});
		expect(wizardReducer(onResult(3), {type: 'undo-check'}).undo).toMatchObject({state: 'checking', stepIndex: 0});
	});

	it('asks on z, keeps everything on esc, and runs on y until the verified answer', () => {
		const checking = wizardReducer(onResult(3), {type: 'undo-check'});
		const available = wizardReducer(checking, {type: 'undo-checked', stepIndex: 0, result: preview(['restore', 'restore', 'unchanged'])});
		expect(available.undo.state).toBe('available');
		expect(undoOffered(available)).toBe(true);

		const asking = keys(available, 'z');
		expect(asking.undo.state).toBe('confirming');
		expect(keys(asking, 'escape').undo.state).toBe('available');
		// Enter answers as y does; neither acts before z asked.
		expect(keys(available, 'y').undo.state).toBe('available');
		expect(keys(asking, 'enter').undo.state).toBe('applying');

		const applying = keys(asking, 'y');
		expect(applying.undo.state).toBe('applying');
		// A second z while it works does nothing.
		expect(keys(applying, 'z').undo.state).toBe('applying');
		const done = wizardReducer(applying, {type: 'undo-applied', result: {tags: [], charts: [], verified: true, failed: 0}});
		expect(done.undo).toMatchObject({state: 'done', done: {verified: true}});
		expect(undoOffered(done)).toBe(false);
		expect(wizardReducer(done, {type: 'undo-check'}).undo).toBe(done.undo);

		// A later attempt (i or r ran again) is asked about afresh; the old preview is not offered for it.
		const later = {...available, run: {...available.run!, attempt: 2}};
		expect(undoOffered(later)).toBe(false);
		expect(wizardReducer(later, {type: 'undo-check'}).undo).toMatchObject({state: 'checking', stepIndex: 0});
	});

	it('is not offered when there is nothing to put back, and says why when it is not available', () => {
		const checking = wizardReducer(onResult(3), {type: 'undo-check'});
		const nothing = wizardReducer(checking, {type: 'undo-checked', stepIndex: 0, result: preview(['already-restored'])});
		expect(undoOffered(nothing)).toBe(false);
		expect(keys(nothing, 'z').undo.state).toBe('available');

		const unreachable = {kind: 'registry-unreachable', message: 'connection refused', hint: 'start it', exitCode: 1};
		expect(wizardReducer(checking, {type: 'undo-checked', stepIndex: 0, result: unreachable}).undo).toMatchObject({
			state: 'unavailable',
			stepIndex: 0,
			error: unreachable,
		});
		const gone = {kind: 'undo-refused', message: 'content gone', hint: 'integrate the other arch', exitCode: 1};
		const refused = wizardReducer(checking, {type: 'undo-checked', stepIndex: 0, result: {...preview(['content-gone']), refusal: gone}});
		expect(refused.undo).toMatchObject({state: 'unavailable', error: gone});
	});
});
