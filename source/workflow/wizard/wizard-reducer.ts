// The wizard as one pure state machine: screens dispatch intents, hooks dispatch what the outside
// world answered, and every decision is made in a slice reducer (source/workflow/wizard/). Keys
// that arrive in one burst are applied in order against the latest state, which is why nothing is
// decided in a key handler.
import {packagesReducer, type PackagesEvent} from './packages-slice.js';
import {planReducer, type PlanEvent} from './plan-slice.js';
import {registryReducer, type RegistrySliceEvent} from './registry-slice.js';
import {chainReducer, retryReducer, type ChainEvent, type RetryEvent} from './retry-slice.js';
import {runReducer, type RunSliceEvent} from './run-slice.js';
import type {WizardEvent, WizardState} from './state.js';
import {viewReducer, type ViewEvent} from './view-slice.js';

export * from './state.js';
export * from './selectors.js';

type Slice<E extends WizardEvent> = {types: ReadonlyArray<E['type']>; reduce(state: WizardState, event: E): WizardState};

const slice = <E extends WizardEvent>(types: ReadonlyArray<E['type']>, reduce: (state: WizardState, event: E) => WizardState): Slice<E> => ({types, reduce});

/** Which slice owns each event: a table, so adding an event is one line. */
const slices = [
	slice<PackagesEvent>(['discovered', 'discovery-failed', 'inspection-started', 'inspection-progress', 'inspection-done', 'inspection-failed', 'cursor-move', 'toggle-selected', 'toggle-release', 'choose-packages'], packagesReducer),
	slice<PlanEvent>(['plan-built', 'baseline-progress', 'toggle-chart-details', 'accept-plan', 'start-run', 'confirm-type', 'confirm-erase', 'confirm-enter', 'toggle-leftover-removal', 'plan-rechecked', 'back'], planReducer),
	slice<RegistrySliceEvent>(['registry-progress', 'toggle-registry-tags', 'ask-create-spaces', 'answer-create-spaces', 'spaces-created'], registryReducer),
	slice<RunSliceEvent>(['run-events', 'run-crashed', 'ask-stop', 'cancel-stop', 'confirm-stop', 'stop-now', 'detach', 'restore-config', 'restore-done'], runReducer),
	slice<RetryEvent>(['retry', 'retry-rechecked', 'leftover-measured', 'cleanup-accepted', 'cleanup-declined', 'cleanup-done', 'retry-failed'], retryReducer),
	slice<ChainEvent>(['chain', 'chain-discovered', 'chain-inspected', 'chain-planned', 'chain-failed'], chainReducer),
	slice<ViewEvent>(['toggle-help', 'scroll', 'open-log', 'log-closed', 'quit'], viewReducer),
];

const owner = new Map<WizardEvent['type'], Slice<WizardEvent>>(slices.flatMap(item => item.types.map(type => [type, item as unknown as Slice<WizardEvent>] as const)));

export function wizardReducer(state: WizardState, event: WizardEvent): WizardState {
	const handler = owner.get(event.type);
	return handler ? handler.reduce(state, event) : state;
}
