// Keys are looked up against the state they arrive in, not the screen that was drawn when they
// were typed: "Enter y" sent in one burst goes Review -> Confirm -> Run, as typed, and "yes\r"
// typed into Confirm's question lands as text then enter. The wizard's reducer stays free of keys;
// this one translates and hands over.
import {wizardReducer, type WizardEvent, type WizardState} from '../workflow/wizard/wizard-reducer.js';
import {actsNow, helpKeymap, keymaps, textEntry, typedText, type KeyContext} from './keymaps.js';

export type KeysEvent = {type: 'keys'; tokens: string[]; context: KeyContext};

export type AppEvent = WizardEvent | KeysEvent;

export function bindingsFor(state: WizardState) {
	return state.help ? helpKeymap : keymaps[state.screen];
}

/** What one key does in `state`: typed text where the screen takes text now, else its binding. */
function eventFor(state: WizardState, token: string, context: KeyContext): WizardEvent | undefined {
	const entry = state.help ? undefined : textEntry[state.screen];
	const text = entry?.active(state) ? typedText(token) : undefined;
	if (entry && text !== undefined) {
		return entry.event(text);
	}

	// A key that does nothing now is not dispatched: help lists exactly the keys this lets through.
	return bindingsFor(state)
		.find(binding => binding.keys.includes(token) && actsNow(binding, state))
		?.event?.(context);
}

export function appReducer(state: WizardState, event: AppEvent): WizardState {
	if (event.type !== 'keys') {
		return wizardReducer(state, event);
	}

	let next = state;
	for (const token of event.tokens) {
		// Once the wizard is ending or the log pager owns the terminal, the rest of the burst is not ours.
		if (next.exitCode !== undefined || next.pagerOpen) {
			break;
		}

		const wizardEvent = eventFor(next, token, event.context);
		if (wizardEvent) {
			next = wizardReducer(next, wizardEvent);
		}
	}

	return next;
}
