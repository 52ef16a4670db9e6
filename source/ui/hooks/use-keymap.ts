// Maps raw keys to wizard events through a screen's keymap. The handler only translates;
// the reducer decides against the latest state, so a burst of keys lands in order.
import {useInput, type Key} from 'ink';
import {useCallback, useRef, type Dispatch} from 'react';
import type {WizardEvent} from '../../workflow/wizard-reducer.js';
import type {Binding, KeyContext} from '../keymaps.js';

const namedKeys: Array<[keyof Key, string]> = [
	['upArrow', 'up'],
	['downArrow', 'down'],
	['leftArrow', 'left'],
	['rightArrow', 'right'],
	['pageUp', 'pageup'],
	['pageDown', 'pagedown'],
	['home', 'home'],
	['end', 'end'],
	['return', 'enter'],
	['escape', 'escape'],
	['tab', 'tab'],
	['backspace', 'backspace'],
	['delete', 'backspace'],
];

const charTokens: Record<string, string> = {'\r': 'enter', '\n': 'enter', ' ': 'space', '\u0003': 'ctrl+c', '\u001B': 'escape'};

/** One token per key; plain keys typed in one burst ("jj\r") arrive as one string and are split. */
export function keyTokens(input: string, key: Key): string[] {
	if (key.ctrl && input.length === 1) {
		return [`ctrl+${input}`];
	}

	const named = namedKeys.find(([flag]) => key[flag] === true);
	if (named) {
		return [named[1]];
	}

	return [...input].map(char => charTokens[char] ?? char);
}

export function useKeymap(bindings: Binding[], context: KeyContext, dispatch: Dispatch<WizardEvent>, isActive: boolean): void {
	// Read at key time, not captured: a new handler is subscribed only by an effect, after the
	// frame is written, and a key in between would scroll against the previous screen's length.
	const latest = useRef({bindings, context});
	latest.current = {bindings, context};
	const handler = useCallback((input: string, key: Key) => {
		const current = latest.current;
		for (const token of keyTokens(input, key)) {
			const event = current.bindings.find(binding => binding.keys.includes(token))?.event?.(current.context);
			if (event) {
				dispatch(event);
			}
		}
	}, [dispatch]);
	useInput(handler, {isActive});
}
