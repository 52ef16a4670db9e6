// Turns raw terminal input into key tokens. The handler only tokenises; the app's reducer maps
// each token against the latest state, so a burst of keys lands in order, across screens too.
import {useInput, type Key} from 'ink';
import {useCallback, useRef, type Dispatch} from 'react';
import type {KeysEvent} from '../key-reducer.js';
import type {KeyContext} from '../keymaps.js';

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

/** Keys inside a burst arrive as raw characters: backspace is DEL (or ^H) there, not a named key. */
const charTokens: Record<string, string> = {
	'\r': 'enter',
	'\n': 'enter',
	' ': 'space',
	'\u0003': 'ctrl+c',
	'\u001B': 'escape',
	'\u007F': 'backspace',
	'\b': 'backspace',
};

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

/** Sends every key, in order, to the reducer, which looks each up against the state it lands in. */
export function useKeys(context: KeyContext, dispatch: Dispatch<KeysEvent>, isActive: boolean): void {
	// Read at key time, not captured: a new handler is subscribed only by an effect, after the
	// frame is written, and a key in between would scroll against the previous screen's length.
	const latest = useRef(context);
	latest.current = context;
	const handler = useCallback(
		(input: string, key: Key) => {
			const tokens = keyTokens(input, key);
			if (tokens.length > 0) {
				dispatch({type: 'keys', tokens, context: latest.current});
			}
		},
		[dispatch],
	);
	useInput(handler, {isActive});
}
