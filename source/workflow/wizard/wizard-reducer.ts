// The wizard as one pure state machine: screens dispatch intents, hooks dispatch what the outside
// world answered, and every decision is made in a slice reducer (source/workflow/wizard/). Keys
// that arrive in one burst are applied in order against the latest state, which is why nothing is
// decided in a key handler.
import {packagesReducer} from './packages-slice.js';
import {planReducer} from './plan-slice.js';
import {registryReducer} from './registry-slice.js';
import {chainReducer, retryReducer} from './retry-slice.js';
import {runReducer} from './run-slice.js';
import type {WizardEvent, WizardState} from './state.js';
import {viewReducer} from './view-slice.js';
import {undoReducer} from './undo-slice.js';

export * from './state.js';
export * from './selectors.js';
export * from './undo-state.js';

type EventOf<E extends {type: string}, T extends E['type']> = Extract<E, {type: T}>;

/**
 * Which reducer owns each event type of `E`: a key for every type, so an event no slice handles
 * does not compile, and neither does a reducer given an event its slice does not list.
 */
export type EventRoutes<E extends {type: string}> = {[T in E['type']]: (state: WizardState, event: EventOf<E, T>) => WizardState};

export const wizardRoutes: EventRoutes<WizardEvent> = {
	discovered: packagesReducer,
	'discovery-failed': packagesReducer,
	'inspection-started': packagesReducer,
	'inspection-progress': packagesReducer,
	'inspection-done': packagesReducer,
	'inspection-failed': packagesReducer,
	'copy-recheck': packagesReducer,
	'cursor-move': packagesReducer,
	'toggle-selected': packagesReducer,
	'toggle-release': packagesReducer,
	'choose-packages': packagesReducer,
	'plan-built': planReducer,
	'baseline-progress': planReducer,
	'toggle-chart-details': planReducer,
	'accept-plan': planReducer,
	'start-run': planReducer,
	'confirm-type': planReducer,
	'confirm-erase': planReducer,
	'confirm-enter': planReducer,
	'toggle-leftover-removal': planReducer,
	'plan-rechecked': planReducer,
	back: planReducer,
	'registry-progress': registryReducer,
	'toggle-registry-tags': registryReducer,
	'ask-create-spaces': registryReducer,
	'answer-create-spaces': registryReducer,
	'spaces-created': registryReducer,
	'run-events': runReducer,
	'run-crashed': runReducer,
	'ask-stop': runReducer,
	'cancel-stop': runReducer,
	'confirm-stop': runReducer,
	'stop-now': runReducer,
	detach: runReducer,
	'restore-config': runReducer,
	'restore-done': runReducer,
	retry: retryReducer,
	'retry-rechecked': retryReducer,
	'leftover-measured': retryReducer,
	'cleanup-type': retryReducer,
	'cleanup-erase': retryReducer,
	'cleanup-accepted': retryReducer,
	'cleanup-declined': retryReducer,
	'cleanup-done': retryReducer,
	'retry-failed': retryReducer,
	chain: chainReducer,
	'chain-discovered': chainReducer,
	'chain-inspected': chainReducer,
	'chain-planned': chainReducer,
	'chain-failed': chainReducer,
	'toggle-help': viewReducer,
	scroll: viewReducer,
	'open-log': viewReducer,
	'log-closed': viewReducer,
	quit: viewReducer,
	'undo-check': undoReducer,
	'undo-checked': undoReducer,
	'undo-ask': undoReducer,
	'undo-applied': undoReducer,
	answer: undoReducer,
};

function route<T extends WizardEvent['type']>(state: WizardState, type: T, event: EventOf<WizardEvent, T>): WizardState {
	return wizardRoutes[type](state, event);
}

export function wizardReducer(state: WizardState, event: WizardEvent): WizardState {
	return route(state, event.type, event);
}
