// The Result screen's `r`: look for the installer's leftover, ask before removing it, remove it,
// run the failed step again.
import type {WizardError} from '../../domain/model.js';
import type {Plan} from '../../domain/model.js';
import {retryBlocks} from '../../domain/preflight.js';
import {isWizardError} from '../../domain/wizard-error.js';
import {withRecheckedPlan} from './plan-slice.js';
import {beginRun} from './run-slice.js';
import {retryStepIndex} from './selectors.js';
import type {Leftover, WizardEvent, WizardState} from './state.js';

function retry(state: WizardState): WizardState {
	if (state.screen !== 'result' || retryStepIndex(state) === undefined) {
		return state;
	}

	return state.retry.state === 'idle' || state.retry.state === 'error' || state.retry.state === 'blocked' ? {...state, retry: {state: 'rechecking'}} : state;
}

/** The plan as the recheck found it: what still blocks stops the retry here; else on to the leftover. */
function rechecked(state: WizardState, plan: Plan): WizardState {
	if (state.retry.state !== 'rechecking') {
		return state;
	}

	const next = withRecheckedPlan(state, plan);
	const checks = retryBlocks(plan);
	return {...next, retry: checks.length > 0 ? {state: 'blocked', checks} : {state: 'measuring'}};
}

function leftoverMeasured(state: WizardState, leftover: Leftover | undefined): WizardState {
	if (state.retry.state !== 'measuring') {
		return state;
	}

	return leftover ? {...state, retry: {state: 'ask', leftover}} : beginRun(state, retryStepIndex(state) ?? 0);
}

function cleanupDone(state: WizardState, result: {path: string; freedBytes: number} | WizardError): WizardState {
	if (state.retry.state !== 'cleaning') {
		return state;
	}

	return isWizardError(result) ? {...state, retry: {state: 'error', error: result}} : beginRun(state, retryStepIndex(state) ?? 0, result);
}

export type RetryEvent = Extract<WizardEvent, {type: 'retry' | 'retry-rechecked' | 'leftover-measured' | 'cleanup-accepted' | 'cleanup-declined' | 'cleanup-done' | 'retry-failed'}>;

export function retryReducer(state: WizardState, event: RetryEvent): WizardState {
	switch (event.type) {
		case 'retry': {
			return retry(state);
		}

		case 'retry-rechecked': {
			return rechecked(state, event.plan);
		}

		case 'leftover-measured': {
			return leftoverMeasured(state, event.leftover);
		}

		case 'cleanup-accepted': {
			return state.retry.state === 'ask' ? {...state, retry: {state: 'cleaning', leftover: state.retry.leftover}} : state;
		}

		case 'cleanup-declined': {
			return state.retry.state === 'ask' ? {...state, retry: {state: 'idle'}} : state;
		}

		case 'cleanup-done': {
			return cleanupDone(state, event.result);
		}

		case 'retry-failed': {
			return state.retry.state === 'rechecking' || state.retry.state === 'measuring' || state.retry.state === 'cleaning' ? {...state, retry: {state: 'error', error: event.error}} : state;
		}
	}
}
