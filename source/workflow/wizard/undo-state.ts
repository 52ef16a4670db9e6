// The Result's `z` as state: whether undo is available for the step that changed tags (asked of
// the snapshot and the registry as soon as the Result shows), the preview it confirms, and how it
// ended. Types only: the reducer is undo-slice.ts.
import type {WizardError} from '../../domain/shared/wizard-error.js';
import type {UndoDone, UndoPreview} from '../run/undo/undo-step.js';

/**
 * Which run attempt and step an answer is for (undoKey): a later run's Result asks again.
 * `logPath`: the run record holding the step's snapshot (an earlier attempt's after `i` ran on).
 */
type For = {key: string; logPath: string};

export type UndoState =
	| {state: 'idle'}
	/** Reading the step's snapshot and what its tags hold now. */
	| (For & {state: 'checking'; stepIndex: number})
	/** `preview` says what z would do (its restore count may be 0: nothing to put back). */
	| (For & {state: 'available'; stepIndex: number; preview: UndoPreview})
	/** No snapshot, the registry unreachable, or saved content gone: why, and the way round. */
	| (For & {state: 'unavailable'; stepIndex: number; error: WizardError})
	/** z pressed: the preview is shown and y or enter is asked for (esc goes back to available). */
	| (For & {state: 'confirming'; stepIndex: number; preview: UndoPreview})
	| (For & {state: 'applying'; stepIndex: number; preview: UndoPreview})
	| (For & {state: 'done'; stepIndex: number; preview: UndoPreview; done: UndoDone})
	| (For & {state: 'failed'; stepIndex: number; preview: UndoPreview; error: WizardError});

export type UndoEvent =
	/** The Result shows a step whose tags changed: ask whether undo is available. */
	| {type: 'undo-check'}
	| {type: 'undo-checked'; stepIndex: number; result: UndoPreview | WizardError}
	/** z: show what undo will do and ask. */
	| {type: 'undo-ask'}
	| {type: 'undo-applied'; result: UndoDone | WizardError}
	/** y/enter or esc on the Result: answers whichever question it asks now (z's, or the leftover's). */
	| {type: 'answer'; yes: boolean};
