// A next step is data: what to fix (`hint`) and, when one key or flag does the rest, which (`then`).
// Each surface words it for itself, so the screens say "press r" and plain output names the flag,
// without one rewriting the other's sentences.

/**
 * What the operator can do about a failure with one key on the screens or one flag without them.
 * Each renderer words it for its own surface ("press r to …", "run again with --cleanup to …").
 */
export type NextAction = {key: string; flag: string; text: string};

export type Surface = 'screen' | 'plain';

/** The follow-up actions the wizard offers, one table for every cause that ends in them. */
export const nextActions = {
	cleanupAndRetry: {key: 'r', flag: '--cleanup', text: 'clean up and retry'},
	retry: {key: 'r', flag: '--cleanup', text: 'retry'},
	openLog: {key: 'l', flag: '--log-file', text: 'read the full log'},
} as const satisfies Record<string, NextAction>;

function sentence(text: string): string {
	const trimmed = text.trim();
	return trimmed === '' || /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** "Do X, then press r to clean up and retry." on screens; "…, then run again with --cleanup …" without. */
export function wordNextStep(item: {hint: string; then?: NextAction; otherwise?: string}, surface: Surface): string {
	if (!item.then) {
		return sentence(item.hint);
	}

	const action =
		surface === 'screen' ? `press ${item.then.key} to ${item.then.text}` : `run again with ${item.then.flag} to ${item.then.text}`;
	const hint = item.hint.trim().replace(/[.!?]$/, '');
	const worded = hint === '' ? action.charAt(0).toUpperCase() + action.slice(1) : `${hint}, then ${action}`;
	// The way out when the action is not open to this operator (a login that may not create projects).
	return sentence(item.otherwise ? `${worded}; ${item.otherwise.trim().replace(/[.!?]$/, '')}` : worded);
}
