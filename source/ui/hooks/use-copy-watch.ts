// A package still being copied is looked at again every second, with no key pressed, until the copy
// is over and the package is read like any other (the reducer decides; this only keeps time).
import {useEffect, type Dispatch} from 'react';
import type {WizardEvent, WizardState} from '../../workflow/wizard/wizard-reducer.js';

export const copyRecheckMs = 1000;

/** The paths whose last look found a copy under way, as one stable key for the effect. */
function copiesUnderWay(state: WizardState): string {
	return Object.entries(state.inspections)
		.filter(([, status]) => status.state === 'done' && status.inspection.copying !== undefined)
		.map(([path]) => path)
		.join('\n');
}

export function useCopyWatch(state: WizardState, dispatch: Dispatch<WizardEvent>, everyMs = copyRecheckMs): void {
	const key = copiesUnderWay(state);
	useEffect(() => {
		if (key === '') {
			return;
		}

		const timer = setTimeout(() => {
			for (const path of key.split('\n')) {
				dispatch({type: 'copy-recheck', path});
			}
		}, everyMs);
		return () => {
			clearTimeout(timer);
		};
	}, [key, dispatch, everyMs]);
}
