// The plan: waiting for the chosen packages' inspections, building, ready or failed; Review and
// Confirm move over it. A plan answer for a selection the operator has since left is ignored.
import {exitCodes, type WizardError} from '../../domain/shared/wizard-error.js';
import type {DiscoveredPackage} from '../../domain/packages/inspection.js';
import type {Plan} from '../../domain/plan/plan.js';
import {chooseLeftoverRemoval, confirmWarnings, leftoverRemovable, startStepIndex} from '../../domain/plan/preflight.js';
import {isWizardError} from '../../domain/shared/wizard-error.js';
import {beginRun} from './run-slice.js';
import {chosenPackages, currentPlan, isOfferable, unavailableReason} from './selectors.js';
import type {WizardEvent, WizardState} from './state.js';
import {planHazards} from '../../domain/plan/plan-hazards.js';

function unusable(item: DiscoveredPackage, reason: string): WizardError {
	return {
		kind: 'package-unusable',
		message: `${item.fileName}: ${reason}`,
		hint: 'Press b to go back and choose another package.',
		exitCode: exitCodes.badInput,
	};
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
	return settlePlanWait({
		...state,
		notice: undefined,
		screen: 'review',
		plan: {state: 'waiting'},
		planRequest: state.planRequest + 1,
		reviewScroll: 0,
		showChartDetails: false,
		showRegistryTags: false,
		spaces: {state: 'idle'},
		registryReading: undefined,
		keepLeftoverRemoval: undefined,
	});
}

function planBuilt(state: WizardState, request: number, result: Plan | WizardError): WizardState {
	if (request !== state.planRequest || state.plan.state !== 'building') {
		return state;
	}

	// A plan read again after creating spaces keeps the leftover choice made on the one before.
	const plan =
		isWizardError(result) || state.keepLeftoverRemoval === undefined ? result : chooseLeftoverRemoval(result, state.keepLeftoverRemoval);
	const next: WizardState = {
		...state,
		baselineReading: undefined,
		registryReading: undefined,
		keepLeftoverRemoval: undefined,
		plan: isWizardError(plan) ? {state: 'error', error: plan} : {state: 'ready', plan},
	};
	// A blocked plan stays on Review, to say why.
	return next.autoRun && !isWizardError(plan) && !plan.blocked ? beginRun(next, startStepIndex(plan)) : next;
}

/** Whether Confirm asks for `yes` typed out: the plan carries a warning it repeats. */
export function confirmNeedsYes(state: WizardState): boolean {
	const plan = currentPlan(state);
	return plan !== undefined && confirmWarnings(plan).length > 0;
}

/** Whether `x` on Review has a leftover to decide about. */
export function leftoverChoice(state: WizardState): boolean {
	const plan = currentPlan(state);
	return state.screen === 'review' && plan !== undefined && leftoverRemovable(plan);
}

const noTyping = {typed: ''};

function acceptPlan(state: WizardState): WizardState {
	const plan = currentPlan(state);
	// While `c` asks or creates, enter does not walk past the question.
	if (state.screen !== 'review' || !plan || plan.blocked || state.spaces.state === 'asking' || state.spaces.state === 'creating') {
		return state;
	}

	// `--yes` skips Confirm, but not past a hazard: that still waits for `yes` typed out.
	const unattended = state.yes && planHazards(plan, []).length === 0;
	return unattended ? beginRun(state, startStepIndex(plan)) : {...state, screen: 'confirm', reviewScroll: 0, confirm: noTyping};
}

/** `y` on Confirm: runs a plan without warnings; one with warnings waits for `yes` typed out. */
function startRun(state: WizardState): WizardState {
	const plan = currentPlan(state);
	if (state.screen !== 'confirm' || !plan || plan.blocked || confirmNeedsYes(state)) {
		return state;
	}

	return beginRun(state, startStepIndex(plan));
}

/** Long enough for `yes` and a typo or two; what is shown stays one short line. */
const maxTyped = 12;

function confirmType(state: WizardState, text: string): WizardState {
	if (state.screen !== 'confirm' || !confirmNeedsYes(state)) {
		return state;
	}

	return {...state, confirm: {typed: (state.confirm.typed + text).slice(0, maxTyped)}};
}

function confirmEnter(state: WizardState): WizardState {
	const plan = currentPlan(state);
	if (state.screen !== 'confirm' || !plan || plan.blocked) {
		return state;
	}

	if (!confirmNeedsYes(state)) {
		return {...state, confirm: {typed: '', refused: 'enter'}};
	}

	const typed = state.confirm.typed.trim().toLowerCase();
	if (typed === 'yes') {
		return beginRun({...state, confirm: noTyping}, startStepIndex(plan));
	}

	return {...state, confirm: {typed: '', refused: typed === '' ? 'enter' : 'not-yes'}};
}

function toggleLeftoverRemoval(state: WizardState): WizardState {
	const plan = currentPlan(state);
	if (!plan || !leftoverChoice(state)) {
		return state;
	}

	return {...state, plan: {state: 'ready', plan: chooseLeftoverRemoval(plan, plan.removeLeftover === undefined)}};
}

/** The plan replaced by its rechecked self, on whichever screen the retry is on; for the retry slice. */
export function withRecheckedPlan(state: WizardState, plan: Plan): WizardState {
	return state.plan.state === 'ready' ? {...state, plan: {state: 'ready', plan}} : state;
}

function back(state: WizardState): WizardState {
	switch (state.screen) {
		case 'review': {
			// Esc or b while `c` asks: the answer is no, and Review stays.
			if (state.spaces.state === 'asking') {
				return {...state, spaces: {state: 'idle'}};
			}

			// Bumping the request orphans a plan still being built for this selection.
			return dropUnofferable({
				...state,
				screen: 'packages',
				plan: {state: 'none'},
				planRequest: state.planRequest + 1,
				spaces: {state: 'idle'},
				registryReading: undefined,
			});
		}

		case 'confirm': {
			return {...state, screen: 'review', reviewScroll: 0, confirm: noTyping};
		}

		case 'packages':
		case 'run':
		case 'result': {
			return state;
		}
	}
}

export type PlanEvent = Extract<
	WizardEvent,
	{
		type:
			| 'plan-built'
			| 'baseline-progress'
			| 'toggle-chart-details'
			| 'accept-plan'
			| 'start-run'
			| 'confirm-type'
			| 'confirm-erase'
			| 'confirm-enter'
			| 'toggle-leftover-removal'
			| 'plan-rechecked'
			| 'back';
	}
>;

export function planReducer(state: WizardState, event: PlanEvent): WizardState {
	switch (event.type) {
		case 'plan-built': {
			return planBuilt(state, event.request, event.result);
		}

		case 'baseline-progress': {
			return event.request === state.planRequest && state.plan.state === 'building'
				? {...state, baselineReading: {path: event.path, bytesRead: event.bytesRead, totalBytes: event.totalBytes}}
				: state;
		}

		case 'toggle-chart-details': {
			return state.screen === 'review' ? {...state, showChartDetails: !state.showChartDetails} : state;
		}

		case 'accept-plan': {
			return acceptPlan(state);
		}

		case 'start-run': {
			return startRun(state);
		}

		case 'confirm-type': {
			return confirmType(state, event.text);
		}

		case 'confirm-erase': {
			return state.screen === 'confirm' ? {...state, confirm: {typed: [...state.confirm.typed].slice(0, -1).join('')}} : state;
		}

		case 'confirm-enter': {
			return confirmEnter(state);
		}

		case 'toggle-leftover-removal': {
			return toggleLeftoverRemoval(state);
		}

		case 'plan-rechecked': {
			return withRecheckedPlan(state, event.plan);
		}

		case 'back': {
			return state.help ? {...state, help: false} : back(state);
		}
	}
}
