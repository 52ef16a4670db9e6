// Which step the Result's `z` is about, the run record holding its snapshot, and how its undo
// ended: pure questions of the state that the undo slice, the chain offer and the Result ask.
// Undo is about a step whose tags changed and that nothing later in the plan repaired; after the
// chained integration verified the arches back, an undo line would mean nothing to the operator.
import {undoCounts} from '../../domain/registry/undo-plan.js';
import type {WizardState} from './state.js';
import {coveredBy} from './step-repair.js';

/** The last step whose verification shows tags that lost an arch or hold other images, unless a later step put them right. */
export function undoStepIndex(state: WizardState): number | undefined {
	const run = state.run;
	const plan = state.plan.state === 'ready' ? state.plan.plan : undefined;
	if (state.screen !== 'result' || !run?.outcome || !run.logPath || !plan) {
		return undefined;
	}

	for (let index = run.verifications.length - 1; index >= 0; index--) {
		const verification = run.verifications[index];
		const changed =
			verification && 'result' in verification && (verification.result.lostArch.count > 0 || verification.result.different.count > 0);
		if (changed && !coveredBy(plan, run, index)) {
			return index;
		}
	}

	return undefined;
}

/**
 * The record holding the step's snapshot: this attempt's when it ran the step; for a step an
 * earlier attempt ran (before `i` or `r` ran later steps), the record the earlier answer came from.
 * Undefined when neither is known: then nothing is asked, rather than a "no snapshot" that is untrue.
 */
export function undoLogPath(state: WizardState, stepIndex: number): string | undefined {
	const run = state.run;
	if (!run?.logPath) {
		return undefined;
	}

	if (stepIndex >= run.fromStep) {
		return run.logPath;
	}

	const {undo} = state;
	return undo.state !== 'idle' && undo.stepIndex === stepIndex ? undo.logPath : undefined;
}

/** The run attempt, the record and the step an undo answer belongs to. */
export function undoKey(state: WizardState): string | undefined {
	const stepIndex = undoStepIndex(state);
	const logPath = stepIndex === undefined ? undefined : undoLogPath(state, stepIndex);
	return stepIndex === undefined || logPath === undefined ? undefined : `${state.run?.attempt}:${logPath}:${stepIndex}`;
}

/** How a finished undo of this Result's step went, counted for the headline and the keys. */
export type UndoSettled = {
	stepIndex: number;
	runId: string;
	/** Tags the preview said to put back, and those put back and read back as saved. */
	toRestore: number;
	restored: number;
	/** Tags that did not read back as saved. */
	failed: number;
	/** Tags pushed by someone else since the step: not touched. */
	leftAlone: number;
	/** Tags and chart versions the step added: kept. */
	addedKept: number;
	chartsKept: number;
	verified: boolean;
	/** Every tag the step changed holds what it held before the step, read back. */
	complete: boolean;
};

export function undoSettled(state: WizardState): UndoSettled | undefined {
	const {undo} = state;
	if (undo.state !== 'done' || undo.key !== undoKey(state)) {
		return undefined;
	}

	const {tags} = undo.done;
	const count = (test: (tag: (typeof tags)[number]) => boolean) => tags.filter(test).length;
	const restored = count(tag => tag.result === 'restored');
	const failed = undo.done.failed;
	const leftAlone = count(tag => tag.action === 'changed-by-someone-else');
	return {
		stepIndex: undo.stepIndex,
		runId: undo.preview.snapshot.runId,
		toRestore: undoCounts(undo.preview.tags).restore,
		restored,
		failed,
		leftAlone,
		addedKept: count(tag => tag.action === 'added-by-step' || tag.result === 'not-removed'),
		chartsKept: undo.done.charts.filter(chart => chart.result !== 'removed').length,
		verified: undo.done.verified,
		complete: undo.done.verified && failed === 0 && leftAlone === 0,
	};
}

/**
 * The undo put some of the step's tags back: integrating the other arch now would fuse the new
 * version's images into the lists from before the step, so `i` is no longer the way on.
 */
export function undoPutBack(state: WizardState, stepIndex: number): boolean {
	const settled = undoSettled(state);
	return settled?.stepIndex === stepIndex && settled.restored > 0;
}
