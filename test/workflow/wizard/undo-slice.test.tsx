// The Result's z as a reducer: offered only after a step whose tags changed, only when the preview
// would put something back; z asks, esc keeps, y runs, and the answer is what the Result says.
import {describe, expect, it} from 'vitest';
import {Box} from 'ink';
import {render} from 'ink-testing-library';
import type {RunEvent, StepVerification} from '../../../source/domain/run/run-events.js';
import type {UndoTag} from '../../../source/domain/registry/undo-plan.js';
import type {UndoPreview} from '../../../source/workflow/run/undo/undo-step.js';
import {undoOffered} from '../../../source/workflow/wizard/undo-slice.js';
import {undoStepIndex} from '../../../source/workflow/wizard/undo-target.js';
import {wizardReducer, type WizardState} from '../../../source/workflow/wizard/wizard-reducer.js';
import {appReducer} from '../../../source/ui/key-reducer.js';
import {unicodeGlyphs} from '../../../source/ui/glyphs.js';
import {resultRows} from '../../../source/ui/screens/ResultScreen.js';
import {chainInsteadOfRetry, chainOffer} from '../../../source/workflow/wizard/selectors.js';
import type {UndoDone} from '../../../source/workflow/run/undo/undo-step.js';
import {full} from '../../domain/packages/make-inspection.js';
import {makePlan, makeStep} from '../../helpers/fake-ports.js';
import {resultAfter} from '../../helpers/wizard-result.js';

const amd = full('v0.11.2', 'amd64');
const plan = makePlan({packages: [amd], steps: [makeStep(0, {id: 'cluster-create', kind: 'cluster-create', packagePath: amd.path})]});
const listed = (count: number) => ({count, first: []});
const arm64Package = {
	version: 'v0.11.2',
	arch: 'arm64',
	kinds: ['full'],
	fileNames: ['addon-offline-full-package-v0.11.2-arm64.tar.gz'],
	reason: 'tags lost arm64',
};
const verification = (lost: number) =>
	({
		state: lost > 0 ? 'failed' : 'verified',
		registry: 'http://r',
		// After the <0.12.0 conversion the verification asks for the other arch's package (`i`).
		chain: lost > 0 ? [arm64Package] : [],
		tagArches: ['amd64'],
		result: {
			lostArch: {count: lost, first: lost > 0 ? [{key: 'r/a:1', lost: ['arm64']}] : []},
			different: listed(0),
			missing: listed(0),
			unreadable: listed(0),
			lackingClusterArch: {count: lost, first: lost > 0 ? [{key: 'r/a:1', missing: ['arm64']}] : []},
			nextSteps: [],
			checkedImages: 3,
			checkedTags: 3,
			verified: lost === 0,
			message: lost > 0 ? `${lost} tag(s) lost arm64 (r/a:1).` : 'All 3 images are in the registry.',
			hint: lost > 0 ? 'Integrate the v0.11.2 arm64 package (import -addon) to restore them.' : '',
		},
	}) as unknown as StepVerification;
const notVerified = {kind: 'verification-failed', message: '3 tag(s) lost arm64.', hint: 'Integrate the arm64 package.', lastErrors: []};

function onResult(lost: number): WizardState {
	return resultAfter(amd, plan, [
		{type: 'run-start', at: 1000, logPath: '/logs/run-1.log', steps: []},
		{type: 'step-verified', at: 1, stepId: 'cluster-create', verification: verification(lost)},
		lost > 0
			? ({type: 'step-end', at: 2, stepId: 'cluster-create', exitCode: 0, failure: notVerified} as RunEvent)
			: {type: 'step-end', at: 2, stepId: 'cluster-create', exitCode: 0, status: 'done'},
		{
			type: 'run-end',
			at: 3,
			ok: lost === 0,
			outcome: lost === 0 ? {ok: true} : {ok: false, failedStepIndex: 0, verificationFailed: true},
		},
	]);
}

const tag = (action: UndoTag['action'], index = 0) => ({action, key: `r/a:${index + 1}`}) as unknown as UndoTag;
const preview = (actions: Array<UndoTag['action']>) =>
	({snapshot: {runId: 'run-1', stepIndex: 0}, tags: actions.map(tag), charts: [], options: {}}) as unknown as UndoPreview;
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

/** The Result of the clobbering step after z, y and the undo's answer (`results`: each tag's, by action). */
function undone(actions: Array<UndoTag['action']>, results: Array<UndoDone['tags'][number]['result']>, verified = true): WizardState {
	const checking = wizardReducer(onResult(3), {type: 'undo-check'});
	const available = wizardReducer(checking, {type: 'undo-checked', stepIndex: 0, result: preview(actions)});
	const applying = keys(keys(available, 'z'), 'y');
	const tags = actions.map((action, index) => ({...tag(action, index), result: results[index]!}));
	const failed = tags.filter(item => item.result === 'failed').length;
	return wizardReducer(applying, {type: 'undo-applied', result: {tags, charts: [], verified, failed}});
}

function resultText(state: WizardState): string {
	const view = render(
		<Box flexDirection="column" width={200}>
			{resultRows(state, unicodeGlyphs, {width: 200})}
		</Box>,
	);
	const text = view.lastFrame()!;
	view.unmount();
	return text;
}

describe('the Result after z put the tags back', () => {
	it('before z: says the step was not verified and offers i, the chained integration', () => {
		const state = wizardReducer(onResult(3), {type: 'undo-check'});
		expect(chainOffer(state)?.arch).toBe('arm64');
		expect(resultText(state).split('\n')[0]).toMatch(/^✘ Not verified after/);
	});

	it('after a verified undo: the headline says the tags are back, the step’s own outcome beside it, and i is gone', () => {
		const state = undone(['restore', 'restore', 'restore'], ['restored', 'restored', 'restored']);
		const text = resultText(state);
		const [first, second] = text.split('\n');
		expect(first).toBe('✔ Tags back as before step 1: 3 tags put back and read back, verified.');
		expect(second).toMatch(/^Step 1 itself was not verified after \d+:\d\d \(3 tags lost arm64\); undo put them back\.$/);
		// i would fuse v0.11.2's arm64 images into the lists from before the step; r would clobber them again.
		expect(chainOffer(state)).toBeUndefined();
		expect(keys(state, 'i').chain.state).toBe('idle');
		expect(chainInsteadOfRetry(state)).toBe(true);
		expect(keys(state, 'r').retry.state).toBe('idle');
		expect(text).not.toContain('i integrates');
		expect(text).not.toContain('Next: Integrate');
		expect(text).toContain(
			'next: To upgrade and keep arm64, run the wizard again with addon-offline-full-package-v0.11.2-arm64.tar.gz chosen too: the plan integrates arm64 right after the upgrade.',
		);
	});

	it('after an undo that left a tag alone: says exactly that, and the command that puts it back', () => {
		const state = undone(['restore', 'restore', 'changed-by-someone-else'], ['restored', 'restored', 'left']);
		const text = resultText(state);
		expect(text.split('\n')[0]).toBe(
			'⚠ Tags partly back as before step 1: 2 tags put back and read back, verified; 1 tag pushed by someone else since the step left alone.',
		);
		expect(text).toContain('undo put them back.');
		expect(text).toMatch(/next: addon-wizard undo --force --run run-1 --step 1 puts the 1 tag left alone back too/);
		expect(chainOffer(state)).toBeUndefined();
	});

	it('after an undo that did not read back: says which did not, and keeps i when nothing was put back', () => {
		const some = undone(['restore', 'restore'], ['restored', 'failed'], false);
		expect(resultText(some).split('\n')[0]).toBe(
			'✘ Undo of step 1 not verified: 1 of 2 tags did not read back as saved; 1 tag put back and read back.',
		);
		expect(resultText(some)).toContain(
			'next: run addon-wizard undo --run run-1 --step 1 to see each tag as it is now and put back the rest.',
		);

		const none = undone(['restore'], ['failed'], false);
		expect(chainOffer(none)?.arch).toBe('arm64');
		expect(resultText(none)).toContain('then press i');
		expect(resultText(none)).toContain('undo put none of them back.');
	});
});

describe('which step undo is about after i ran on', () => {
	const integration = makeStep(1, {id: 'import-arm64', kind: 'import-addon', arch: 'arm64'});
	/** The chained attempt: step 2 integrated arm64 (`verified`) or failed, in a run with its own record. */
	function chained(integrated: boolean, earlier: WizardState): WizardState {
		const run = earlier.run!;
		const second = {...verification(0), state: integrated ? 'verified' : 'failed'} as unknown as StepVerification;
		return {
			...earlier,
			plan: {state: 'ready', plan: {...plan, steps: [...plan.steps, integration]}},
			run: {
				...run,
				attempt: run.attempt + 1,
				fromStep: 1,
				logPath: '/logs/run-2.log',
				status: [run.status[0]!, integrated ? 'done' : 'failed'],
				verifications: [run.verifications[0], second],
			},
		};
	}

	it('asks nothing once the integration verified the arches back: no "undo not available" line', () => {
		const checking = wizardReducer(onResult(3), {type: 'undo-check'});
		const earlier = wizardReducer(checking, {type: 'undo-checked', stepIndex: 0, result: preview(['restore'])});
		const repaired = chained(true, earlier);
		expect(undoStepIndex(repaired)).toBeUndefined();
		expect(wizardReducer(repaired, {type: 'undo-check'}).undo).toBe(repaired.undo);
		expect(resultText(repaired)).not.toMatch(/undo/i);
	});

	it('asks the earlier record when the integration did not repair them: its snapshot is there, not in this run’s', () => {
		const checking = wizardReducer(onResult(3), {type: 'undo-check'});
		const earlier = wizardReducer(checking, {type: 'undo-checked', stepIndex: 0, result: preview(['restore'])});
		const asked = wizardReducer(chained(false, earlier), {type: 'undo-check'});
		expect(asked.undo).toMatchObject({state: 'checking', stepIndex: 0, logPath: '/logs/run-1.log'});

		// Never asked before (the Result went by too fast): nothing is asked of a record without the snapshot.
		const fresh = chained(false, onResult(3));
		expect(wizardReducer(fresh, {type: 'undo-check'}).undo).toEqual({state: 'idle'});
	});
});
