// What frames the screens: help overlay, scrolling, the log pager, and quitting.
import {exitCodes} from '../../domain/shared/wizard-error.js';
import {currentPlan, resultExitCode} from './selectors.js';
import type {WizardEvent, WizardState} from './state.js';

function quit(state: WizardState, interrupted: boolean): WizardState {
	if (state.screen === 'run' || state.exitCode !== undefined) {
		return state;
	}

	// On Result the run is over: whichever key leaves, the exit code says how it ended.
	if (state.screen === 'result') {
		return {...state, exitCode: resultExitCode(state)};
	}

	if (interrupted) {
		return {...state, exitCode: exitCodes.interrupted};
	}

	// Leaving a blocked plan says the same as `addon-wizard plan` would: blocked, exit 3.
	return {...state, exitCode: state.screen === 'review' && currentPlan(state)?.blocked ? exitCodes.blocked : exitCodes.failure};
}

export type ViewEvent = Extract<WizardEvent, {type: 'toggle-help' | 'scroll' | 'open-log' | 'log-closed' | 'quit'}>;

export function viewReducer(state: WizardState, event: ViewEvent): WizardState {
	switch (event.type) {
		case 'toggle-help': {
			return {...state, help: !state.help};
		}

		case 'scroll': {
			return ['review', 'confirm', 'result'].includes(state.screen)
				? {...state, reviewScroll: Math.max(0, Math.min(event.max, state.reviewScroll + event.delta))}
				: state;
		}

		case 'open-log': {
			return state.screen === 'result' && state.run?.logPath && !state.pagerOpen ? {...state, pagerOpen: true} : state;
		}

		case 'log-closed': {
			return {...state, pagerOpen: false};
		}

		case 'quit': {
			return quit(state, event.interrupted ?? false);
		}
	}
}
