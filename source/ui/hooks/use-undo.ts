// The Result's `z`: asks the undo port what the undo reducer (undo-slice.ts) needs next, whether
// undo is available for the step that changed tags, then the undo itself once it is confirmed.
import {useEffect, type Dispatch} from 'react';
import {exitCodes, type WizardError} from '../../domain/shared/wizard-error.js';
import type {WizardPorts} from '../../workflow/ports/ports.js';
import {undoKey} from '../../workflow/wizard/undo-target.js';
import type {WizardEvent, WizardState} from '../../workflow/wizard/wizard-reducer.js';

const failed = (what: string, error: unknown): WizardError => ({
	kind: 'undo-failed',
	message: `Could not ${what}: ${error instanceof Error ? error.message : String(error)}`,
	hint: 'Run addon-wizard undo from a shell: it says what it would do and why not.',
	exitCode: exitCodes.failure,
});

export function useUndo(state: WizardState, ports: WizardPorts, dispatch: Dispatch<WizardEvent>): void {
	const {undo} = state;
	const eligible = undoKey(state);
	useEffect(() => {
		if (eligible !== undefined && ports.undo) {
			dispatch({type: 'undo-check'});
		}
	}, [eligible, ports, dispatch]);
	const checking = undo.state === 'checking' ? undo.stepIndex : undefined;
	// The record holding the step's snapshot: an earlier attempt's when `i` or `r` ran on since.
	const logPath = undo.state === 'checking' ? undo.logPath : undefined;
	useEffect(() => {
		if (checking === undefined || !logPath || !ports.undo) {
			return;
		}

		ports.undo.preview(logPath, checking).then(
			result => {
				dispatch({type: 'undo-checked', stepIndex: checking, result});
			},
			(error: unknown) => {
				dispatch({type: 'undo-checked', stepIndex: checking, result: failed('read the snapshot', error)});
			},
		);
	}, [checking, logPath, ports, dispatch]);
	const applying = undo.state === 'applying' ? undo.preview : undefined;
	useEffect(() => {
		if (!applying || !ports.undo) {
			return;
		}

		ports.undo.apply(applying).then(
			result => {
				dispatch({type: 'undo-applied', result});
			},
			(error: unknown) => {
				dispatch({type: 'undo-applied', result: failed('put the tags back', error)});
			},
		);
	}, [applying, ports, dispatch]);
}
