// The wizard routes every event to the one slice that owns it, and the compiler proves it: the
// routing table has a key for every event type, and each key's reducer takes that event. The
// `@ts-expect-error` lines are the proof (`tsc --noEmit` fails if they ever compile).
import {describe, expect, expectTypeOf, it} from 'vitest';
import {packagesReducer} from '../../../source/workflow/wizard/packages-slice.js';
import {planReducer} from '../../../source/workflow/wizard/plan-slice.js';
import {
	initialWizardState,
	wizardReducer,
	wizardRoutes,
	type EventRoutes,
	type WizardEvent,
} from '../../../source/workflow/wizard/wizard-reducer.js';

describe('wizard event routing', () => {
	it('has a route for every event type', () => {
		expectTypeOf<Exclude<WizardEvent['type'], keyof typeof wizardRoutes>>().toEqualTypeOf<never>();
		expect(Object.values(wizardRoutes).every(reduce => typeof reduce === 'function')).toBe(true);
	});

	it('does not compile with an event that no slice handles', () => {
		// @ts-expect-error 'unrouted' is an event type without a key in the table: it cannot be dropped silently.
		const withNewEvent: EventRoutes<WizardEvent | {type: 'unrouted'}> = wizardRoutes;
		expect(withNewEvent).toBe(wizardRoutes);
	});

	it('does not compile when an event is routed to a slice that does not list it', () => {
		// @ts-expect-error the plan slice's reducer does not take the packages slice's 'discovered'.
		const misrouted: EventRoutes<WizardEvent> = {...wizardRoutes, discovered: planReducer};
		expect(misrouted.discovered).toBe(planReducer);
		expect(wizardRoutes.discovered).toBe(packagesReducer);
	});

	it('hands an event to its slice', () => {
		const state = wizardReducer(initialWizardState(), {type: 'discovery-failed', message: 'No folder.'});
		expect(state.discovery).toEqual({state: 'error', message: 'No folder.'});
		expect(wizardReducer(state, {type: 'toggle-help'}).help).toBe(true);
	});
});
