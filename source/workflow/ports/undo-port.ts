// The Result's `z`: the same undo engine as `addon-wizard undo` (workflow/run/undo/undo-step.ts),
// seen from the screens as two calls. The composition root opens the registry for each call and
// records the undo in the history, as the command does.
import type {WizardError} from '../../domain/shared/wizard-error.js';
import type {UndoDone, UndoPreview} from '../run/undo/undo-step.js';

export type WizardUndoPort = {
	/** What undo would do for step `stepIndex` of the run logging to `logPath`; nothing is changed. */
	preview(logPath: string, stepIndex: number): Promise<UndoPreview | WizardError>;
	/** Does what `preview` says, reads every tag back, and records it in the history. */
	apply(preview: UndoPreview): Promise<UndoDone | WizardError>;
};
