// The plan: waiting for the chosen packages' inspections, building, ready or failed; Review and
// Confirm move over it. A plan answer for a selection the operator has since left is ignored.
import {exitCodes, type DiscoveredPackage, type Plan, type WizardError} from '../../domain/model.js';
import {isWizardError} from '../../domain/wizard-error.js';
import {beginRun} from './run-slice.js';
import {chosenPackages, currentPlan, isOfferable, unavailableReason} from './selectors.js';
import type {WizardEvent, WizardState} from './state.js';

function unusable(item: DiscoveredPackage, reason: string): WizardError {
	return {kind: 'package-unusable', message: `${item.fileName}: ${reason}`, hint: 'Press b to go back and choose another package.', exitCode: exitCodes.badInput};
}

/** While Review waits, each inspection answer may unblock (or spoil) the plan. */
export function settlePlanWait(state: WizardState): WizardState {
	if (state.plan.state !== 'waiting') {
		return state;
	}

	const chosen = chosenPackages(state);
	for (const item of chosen) {
		const reason = unavailableReason(state, item);
		if (reason) {
			return {...state, plan: {state: 'error', error: unusable(item, reason)}};
		}
	}

	const allDone = chosen.every(item => state.inspections[item.path]?.state === 'done');
	return allDone ? {...state, plan: {state: 'building'}} : state;
}

/** A package found broken after it was chosen is dropped from the selection. */
export function dropUnofferable(state: WizardState): WizardState {
	if (state.screen !== 'packages') {
		return state;
	}

	const selected = state.selected.filter(path => {
		const item = state.packages.find(candidate => candidate.path === path);
		return !item || isOfferable(state, item);
	});
	return selected.length === state.selected.length ? state : {...state, selected};
}

/** Leaves the Packages screen for Review with a fresh plan request. */
export function openReview(state: WizardState): WizardState {
	return settlePlanWait({...state, notice: undefined, screen: 'review', plan: {state: 'waiting'}, planRequest: state.planRequest + 1, reviewScroll: 0, showChartDetails: false});
}

function planBuilt(state: WizardState, request: number, result: Plan | WizardError): WizardState {
	if (request !== state.planRequest || state.plan.state !== 'building') {
		return state;
	}

	const next: WizardState = {...state, baselineReading: undefined, plan: isWizardError(result) ? {state: 'error', error: result} : {state: 'ready', plan: result}};
	// A blocked plan stays on Review, to say why.
	return next.autoRun && !isWizardError(result) && !result.blocked ? beginRun(next, 0) : next;
}

function acceptPlan(state: WizardState): WizardState {
	const plan = currentPlan(state);
	if (state.screen !== 'review' || !plan || plan.blocked) {
		return state;
	}

	return state.yes ? beginRun(state, 0) : {...state, screen: 'confirm', reviewScroll: 0};
}

function back(state: WizardState): WizardState {
	switch (state.screen) {
		case 'review': {
			// Bumping the request orphans a plan still being built for this selection.
			return dropUnofferable({...state, screen: 'packages', plan: {state: 'none'}, planRequest: state.planRequest + 1});
		}

		case 'confirm': {
			return {...state, screen: 'review', reviewScroll: 0};
		}

		default: {
			return state;
		}
	}
}

export type PlanEvent = Extract<WizardEvent, {type: 'plan-built' | 'baseline-progress' | 'toggle-chart-details' | 'accept-plan' | 'start-run' | 'back'}>;

export function planReducer(state: WizardState, event: PlanEvent): WizardState {
	switch (event.type) {
		case 'plan-built': {
			return planBuilt(state, event.request, event.result);
		}

		case 'baseline-progress': {
			return event.request === state.planRequest && state.plan.state === 'building' ? {...state, baselineReading: {path: event.path, bytesRead: event.bytesRead, totalBytes: event.totalBytes}} : state;
		}

		case 'toggle-chart-details': {
			return state.screen === 'review' ? {...state, showChartDetails: !state.showChartDetails} : state;
		}

		case 'accept-plan': {
			return acceptPlan(state);
		}

		case 'start-run': {
			return state.screen === 'confirm' ? beginRun(state, 0) : state;
		}

		case 'back': {
			return state.help ? {...state, help: false} : back(state);
		}
	}
}
