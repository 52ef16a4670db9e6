// The Result's `z`: undo of the step whose tags the run changed (the <0.12.0 conversion that
// turned lists single-arch, or tags now holding other images). Whether it is available is asked
// once the Result shows; z shows what it will do and asks; y or enter runs it; esc keeps things.
import {undoCounts} from '../../domain/registry/undo-plan.js';
import {isWizardError} from '../../domain/shared/wizard-error.js';
import {retryReducer} from './retry-slice.js';
import type {WizardState} from './state.js';
import type {UndoEvent, UndoState} from './undo-state.js';
import {undoKey, undoLogPath, undoStepIndex} from './undo-target.js';

/** How many tags z puts back (0 when the registry already holds what was saved). */
export function undoRestoreCount(undo: UndoState): number {
	return 'preview' in undo ? undoCounts(undo.preview.tags).restore : 0;
}

/** Nothing else on the Result is asking or working: z must not start beside a retry or an integration. */
const resultIdle = (state: WizardState) => state.retry.state !== 'ask' && state.retry.state !== 'cleaning' && state.run?.detached !== true;

/** z does something: undo is available and would put at least one tag back. */
export function undoOffered(state: WizardState): boolean {
	return state.undo.state === 'available' && state.undo.key === undoKey(state) && undoRestoreCount(state.undo) > 0 && resultIdle(state);
}

export const undoAsking = (state: WizardState): boolean => state.undo.state === 'confirming';

export function undoReducer(state: WizardState, event: UndoEvent): WizardState {
	const {undo} = state;
	switch (event.type) {
		case 'undo-check': {
			const stepIndex = undoStepIndex(state);
			const key = undoKey(state);
			const logPath = stepIndex === undefined ? undefined : undoLogPath(state, stepIndex);
			// Asked once per run attempt and step; never while an undo is being asked for or done.
			const settled = undo.state !== 'idle' && (undo.key === key || undo.state === 'applying' || undo.state === 'confirming');
			return stepIndex === undefined || key === undefined || logPath === undefined || settled
				? state
				: {...state, undo: {state: 'checking', stepIndex, key, logPath}};
		}

		case 'undo-checked': {
			if (undo.state !== 'checking' || undo.stepIndex !== event.stepIndex) {
				return state;
			}

			const {result} = event;
			if (isWizardError(result) || result.refusal) {
				const error = isWizardError(result) ? result : result.refusal!;
				return {...state, undo: {state: 'unavailable', stepIndex: undo.stepIndex, key: undo.key, logPath: undo.logPath, error}};
			}

			return {...state, undo: {state: 'available', stepIndex: undo.stepIndex, key: undo.key, logPath: undo.logPath, preview: result}};
		}

		case 'undo-ask': {
			return undo.state === 'available' && undoOffered(state) ? {...state, undo: {...undo, state: 'confirming'}, reviewScroll: 0} : state;
		}

		case 'answer': {
			if (undo.state === 'confirming') {
				return {...state, undo: {...undo, state: event.yes ? 'applying' : 'available'}};
			}

			return retryReducer(state, {type: event.yes ? 'cleanup-accepted' : 'cleanup-declined'});
		}

		case 'undo-applied': {
			if (undo.state !== 'applying') {
				return state;
			}

			const {result} = event;
			return {
				...state,
				undo: isWizardError(result) ? {...undo, state: 'failed', error: result} : {...undo, state: 'done', done: result},
			};
		}
	}
}
