// The Registry section's own decisions on Review: how far the registry read has got, whether every
// tag is listed, and `c`: ask which Harbor projects will be created (y/n), create them, then read
// the plan again so its spaces row says what the registry holds now.
import {currentPlan} from './selectors.js';
import type {WizardEvent, WizardState} from './state.js';

/** The Harbor projects `c` would create: the plan's registry said they are missing. */
export function creatableSpaces(state: WizardState): string[] {
	const plan = currentPlan(state);
	const spaces = plan?.registry?.checked ? plan.registry.spaces : undefined;
	return state.screen === 'review' && state.plan.state === 'ready' && spaces?.kind === 'harbor' ? spaces.missing : [];
}

/** Whether `c` has something to do now. */
export function spacesCreatable(state: WizardState): boolean {
	return creatableSpaces(state).length > 0 && (state.spaces.state === 'idle' || state.spaces.state === 'done');
}

export const spacesAsking = (state: WizardState) => state.screen === 'review' && state.spaces.state === 'asking';

function ask(state: WizardState): WizardState {
	const registry = currentPlan(state)?.registry?.registry;
	if (!spacesCreatable(state) || !registry) {
		return state;
	}

	return {...state, spaces: {state: 'asking', names: creatableSpaces(state), where: registry.url, login: registry.login}};
}

function answer(state: WizardState, yes: boolean): WizardState {
	if (state.spaces.state !== 'asking') {
		return state;
	}

	return yes
		? {...state, spaces: {state: 'creating', names: state.spaces.names, where: state.spaces.where}}
		: {...state, spaces: {state: 'idle'}};
}

/** What came of it; when anything is there now, the plan is read again (keeping the leftover choice). */
function created(state: WizardState, event: Extract<WizardEvent, {type: 'spaces-created'}>): WizardState {
	if (state.spaces.state !== 'creating' || state.screen !== 'review') {
		return state;
	}

	const done: WizardState = {
		...state,
		spaces: {state: 'done', where: state.spaces.where, created: event.created, ...(event.error ? {error: event.error} : {})},
	};
	if (event.created.length === 0) {
		return done;
	}

	const plan = currentPlan(state);
	return {
		...done,
		plan: {state: 'building'},
		planRequest: state.planRequest + 1,
		registryReading: undefined,
		keepLeftoverRemoval: plan?.removeLeftover !== undefined,
	};
}

export type RegistrySliceEvent = Extract<
	WizardEvent,
	{type: 'registry-progress' | 'toggle-registry-tags' | 'ask-create-spaces' | 'answer-create-spaces' | 'spaces-created'}
>;

export function registryReducer(state: WizardState, event: RegistrySliceEvent): WizardState {
	switch (event.type) {
		case 'registry-progress': {
			return event.request === state.planRequest && state.plan.state === 'building'
				? {
						...state,
						registryReading: {done: event.done, total: event.total, ...(event.connectingTo ? {connectingTo: event.connectingTo} : {})},
					}
				: state;
		}

		case 'toggle-registry-tags': {
			return state.screen === 'review' ? {...state, showRegistryTags: !state.showRegistryTags} : state;
		}

		case 'ask-create-spaces': {
			return ask(state);
		}

		case 'answer-create-spaces': {
			return answer(state, event.yes);
		}

		case 'spaces-created': {
			return created(state, event);
		}
	}
}
