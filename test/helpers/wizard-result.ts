// The wizard's state on the Result of a one-package run, reached through its reducer as the
// screens reach it: the package found and read, the plan built and accepted, the run started,
// then the run's own events.
import {expect} from 'vitest';
import type {PackageInspection} from '../../source/domain/packages/inspection.js';
import type {Plan} from '../../source/domain/plan/plan.js';
import type {RunEvent} from '../../source/domain/run/run-events.js';
import {initialWizardState, wizardReducer, type WizardEvent, type WizardState} from '../../source/workflow/wizard/wizard-reducer.js';
import {discoveredFrom} from './fake-ports.js';

export function resultAfter(inspection: PackageInspection, plan: Plan, runEvents: RunEvent[]): WizardState {
	const events: WizardEvent[] = [
		{type: 'discovered', packages: [discoveredFrom(inspection)]},
		{type: 'inspection-done', inspection},
		{type: 'plan-built', request: 1, result: plan},
		{type: 'accept-plan'},
		{type: 'start-run'},
		{type: 'run-events', events: runEvents},
	];
	const state = events.reduce(wizardReducer, initialWizardState({preselected: [inspection.path]}));
	expect(state.screen).toBe('result');
	return state;
}
