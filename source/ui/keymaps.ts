// Every key of every screen, as data: the key reducer reads it to dispatch, the footer and the
// `?` overlay read it to explain, so what is shown and what works cannot drift apart. One
// predicate per binding (actsNow) decides both whether a key is dispatched and whether help
// lists it: help names only the keys that do something in the state it is opened in.
import stringWidth from 'string-width';
import {firstTags} from './components/RegistryRows.js';
import {confirmNeedsYes, leftoverChoice} from '../workflow/wizard/plan-slice.js';
import {restoreOffered} from '../workflow/wizard/run-slice.js';
import {spacesAsking, spacesCreatable} from '../workflow/wizard/registry-slice.js';
import {undoAsking, undoOffered} from '../workflow/wizard/undo-slice.js';
import {
	chainInsteadOfRetry,
	chainOffer,
	retryStepIndex,
	type Screen,
	type WizardEvent,
	type WizardState,
} from '../workflow/wizard/wizard-reducer.js';

/** What a screen knows about its layout when a key arrives (for scrolling). */
export type KeyContext = {scrollMax: number; page: number};

export type Binding = {
	/** Tokens from keyTokens(): 'up', 'enter', 'ctrl+c', 'q', … */
	keys: string[];
	label: string;
	action: string;
	event?: (context: KeyContext) => WizardEvent | undefined;
	/** When the footer lists it; also when it acts, unless `acts` says otherwise; always when absent. */
	shown?: (state: WizardState) => boolean;
	/**
	 * When the key does something now: only then is it dispatched, and only then does help list it.
	 * `shown` when absent. Set it where a key acts beyond what the footer mentions (a notice, an answer).
	 */
	acts?: (state: WizardState) => boolean;
	/** Listed in the `?` overlay only, to keep the footer to one line. */
	helpOnly?: boolean;
	/** Listed in the footer only (a summary of several bindings). */
	footerOnly?: boolean;
	/** Which bindings a narrow footer keeps: 3 always, 2 before 1; 2 when absent. */
	priority?: 1 | 2 | 3;
	/** A shorter action for a narrow footer. */
	short?: string;
	/**
	 * Narrows help further, never widens it: a binding that acts but whose label names a letter typed
	 * as text at the moment (b while Confirm asks for yes) is left out.
	 */
	inHelp?: (state: WizardState) => boolean;
};

const always = () => true;

/** Whether `binding` does something in `state`: the one test for dispatching a key and for listing it under help. */
export function actsNow(binding: Binding, state: WizardState): boolean {
	return (binding.acts ?? binding.shown ?? always)(state);
}

const help: Binding = {keys: ['?'], label: '?', action: 'help', event: () => ({type: 'toggle-help'})};
const quit: Binding = {keys: ['q'], label: 'q', action: 'quit', priority: 3, event: () => ({type: 'quit'})};
/** Ctrl+C is an interruption: exit 130, as a shell reports it, where q says "quit before running" (1). */
const interrupt: Binding = {
	keys: ['ctrl+c'],
	label: 'ctrl+c',
	action: 'interrupt (exit 130)',
	helpOnly: true,
	event: () => ({type: 'quit', interrupted: true}),
};
const back: Binding = {keys: ['b', 'escape'], label: 'b/esc', action: 'back', event: () => ({type: 'back'})};

// Help names the scrolling keys in two lines (the screens with the most keys must fit 80×24);
// the four bindings themselves are listed nowhere (helpOnly and footerOnly both), they only work.
const scrolling: Binding[] = [
	{keys: [], label: 'up/down', action: 'scroll', footerOnly: true, priority: 1},
	{keys: [], label: 'up/k down/j', action: 'scroll a line', helpOnly: true},
	{keys: [], label: 'pgup/pgdn', action: 'scroll a page', helpOnly: true},
	{
		keys: ['up', 'k'],
		label: 'up/k',
		action: 'scroll up',
		helpOnly: true,
		footerOnly: true,
		event: context => ({type: 'scroll', delta: -1, max: context.scrollMax}),
	},
	{
		keys: ['down', 'j'],
		label: 'down/j',
		action: 'scroll down',
		helpOnly: true,
		footerOnly: true,
		event: context => ({type: 'scroll', delta: 1, max: context.scrollMax}),
	},
	{
		keys: ['pageup'],
		label: 'pgup',
		action: 'page up',
		helpOnly: true,
		footerOnly: true,
		event: context => ({type: 'scroll', delta: -context.page, max: context.scrollMax}),
	},
	{
		keys: ['pagedown'],
		label: 'pgdn',
		action: 'page down',
		helpOnly: true,
		footerOnly: true,
		event: context => ({type: 'scroll', delta: context.page, max: context.scrollMax}),
	},
];

const notTyping = (state: WizardState) => !confirmNeedsYes(state);
const planReady = (state: WizardState) => state.plan.state === 'ready' && !state.plan.plan.blocked && !spacesAsking(state);
/** `t` lists every tag of the Registry section when there are more than it shows. */
const registryTags = (state: WizardState) => state.plan.state === 'ready' && (state.plan.plan.registry?.tags.length ?? 0) > firstTags;
const stopAsked = (state: WizardState) => state.run?.confirmStop === true;
const diskCritical = (state: WizardState) => state.run?.disk.some(sample => sample.level === 'critical') === true;
/** The leftover holds files its packages do not explain: `delete` is typed under their names, y never removes it. */
const retryTyping = (state: WizardState) => state.retry.state === 'ask' && state.retry.leftover.unexplained !== undefined;
const retryAsking = (state: WizardState) => state.retry.state === 'ask' && !retryTyping(state);
const notRetryTyping = (state: WizardState) => !retryTyping(state);
/** The reducer starts a retry only from these; while measuring or cleaning `r` would do nothing. */
const chainIdle = (state: WizardState) => state.chain.state === 'idle' || state.chain.state === 'missing' || state.chain.state === 'error';
const retryOffered = (state: WizardState) =>
	retryStepIndex(state) !== undefined &&
	(state.retry.state === 'idle' || state.retry.state === 'error' || state.retry.state === 'blocked') &&
	!chainInsteadOfRetry(state) &&
	chainIdle(state);
/** The chained integration the verification asks for; the reducer starts it from these states only. */
const chainOffered = (state: WizardState) =>
	chainOffer(state) !== undefined && chainIdle(state) && (state.retry.state === 'idle' || state.retry.state === 'error');
/** A key that answers the leftover question (`asks`) and also z's: listed under help for the first only. */
const answers = (asks: (state: WizardState) => boolean, yes: boolean): Pick<Binding, 'acts' | 'inHelp' | 'event'> => ({
	acts: state => asks(state) || undoAsking(state),
	inHelp: asks,
	event: () => ({type: 'answer', yes}),
});
/** Until the search answers there is nothing to move over or choose. */
const listed = (state: WizardState) => state.packages.length > 0;

export const keymaps: Record<Screen, Binding[]> = {
	// At 60 columns the footer gives up up/down (the arrows are the obvious keys) before anything
	// else: enter and help must stay, as must space.
	packages: [
		{keys: [], label: 'up/down', action: 'move', footerOnly: true, priority: 1, shown: listed},
		{keys: ['up', 'k'], label: 'up/k', action: 'move up', helpOnly: true, event: () => ({type: 'cursor-move', delta: -1})},
		{keys: ['down', 'j'], label: 'down/j', action: 'move down', helpOnly: true, event: () => ({type: 'cursor-move', delta: 1})},
		{keys: ['pageup'], label: 'pgup', action: 'move 10 up', helpOnly: true, event: () => ({type: 'cursor-move', delta: -10})},
		{keys: ['pagedown'], label: 'pgdn', action: 'move 10 down', helpOnly: true, event: () => ({type: 'cursor-move', delta: 10})},
		{keys: ['space'], label: 'space', action: 'select', shown: listed, event: () => ({type: 'toggle-selected'})},
		{
			keys: ['a'],
			label: 'a',
			action: 'release',
			shown: state => Boolean(state.packages[state.cursor]?.name),
			// On a file whose name says no release it still answers, with a notice why not.
			acts: listed,
			event: () => ({type: 'toggle-release'}),
		},
		{keys: ['enter'], label: 'enter', action: 'continue', priority: 3, shown: listed, event: () => ({type: 'choose-packages'})},
		{...help, priority: 3},
		quit,
		interrupt,
	],
	review: [
		{
			keys: ['y'],
			label: 'y',
			action: 'create them',
			priority: 3,
			footerOnly: true,
			shown: spacesAsking,
			event: () => ({type: 'answer-create-spaces', yes: true}),
		},
		{
			keys: ['n'],
			label: 'n/esc',
			action: 'do not create them',
			short: 'no',
			priority: 3,
			footerOnly: true,
			shown: spacesAsking,
			event: () => ({type: 'answer-create-spaces', yes: false}),
		},
		{keys: [], label: 'y/n', action: 'answer what c asks (create the spaces or not)', helpOnly: true, shown: spacesAsking},
		{keys: ['enter'], label: 'enter', action: 'continue', priority: 3, shown: planReady, event: () => ({type: 'accept-plan'})},
		{
			keys: ['c'],
			label: 'c',
			action: 'create registry spaces',
			short: 'spaces',
			priority: 3,
			shown: state => spacesCreatable(state) && !spacesAsking(state),
			event: () => ({type: 'ask-create-spaces'}),
		},
		{
			keys: ['x'],
			label: 'x',
			action: 'remove or keep the leftover',
			short: 'leftover',
			priority: 3,
			shown: state => leftoverChoice(state) && !spacesAsking(state),
			event: () => ({type: 'toggle-leftover-removal'}),
		},
		...scrolling,
		{
			keys: ['d'],
			label: 'd',
			action: 'charts',
			priority: 1,
			shown: state => state.plan.state === 'ready' && !spacesAsking(state),
			event: () => ({type: 'toggle-chart-details'}),
		},
		{
			keys: ['t'],
			label: 't',
			action: 'registry tags',
			short: 'tags',
			priority: 1,
			shown: state => registryTags(state) && !spacesAsking(state),
			event: () => ({type: 'toggle-registry-tags'}),
		},
		// While `c` asks, esc and b answer no (the reducer decides); otherwise they go back.
		{...back, shown: state => !spacesAsking(state), acts: always},
		help,
		quit,
		interrupt,
	],
	// While Confirm asks for `yes`, every printable key is typed (textEntry below): b, q and y among them.
	confirm: [
		{keys: ['y'], label: 'y', action: 'run', priority: 3, shown: notTyping, inHelp: notTyping, event: () => ({type: 'start-run'})},
		{keys: [], label: 'yes+enter', action: 'run', priority: 3, footerOnly: true, shown: confirmNeedsYes},
		{
			keys: ['enter'],
			label: 'enter',
			action: 'run once yes is typed (alone it never runs)',
			helpOnly: true,
			inHelp: confirmNeedsYes,
			event: () => ({type: 'confirm-enter'}),
		},
		{keys: [], label: 'enter', action: 'never runs alone: press y', helpOnly: true, inHelp: notTyping},
		{
			keys: ['backspace'],
			label: 'backspace',
			action: 'erase',
			short: 'erase',
			priority: 1,
			shown: confirmNeedsYes,
			inHelp: confirmNeedsYes,
			event: () => ({type: 'confirm-erase'}),
		},
		// While yes is asked for, y, b, q, k and j are letters of the answer: help leaves them out then.
		...scrolling.flatMap(binding =>
			binding.label === 'up/k down/j'
				? [
						{...binding, inHelp: notTyping},
						{keys: [], label: 'up/down', action: 'scroll a line', helpOnly: true, inHelp: confirmNeedsYes},
					]
				: [binding],
		),
		// Esc goes back while yes is typed too (b is a letter of the answer then).
		{...back, shown: notTyping, acts: always, inHelp: notTyping},
		{keys: [], label: 'esc', action: 'back', shown: confirmNeedsYes, inHelp: confirmNeedsYes},
		help,
		{...quit, shown: notTyping, inHelp: notTyping},
		{keys: [], label: 'ctrl+c', action: 'quit', footerOnly: true, priority: 3, shown: confirmNeedsYes},
		interrupt,
	],
	run: [
		{
			keys: ['q', 'ctrl+c'],
			label: 'q/ctrl+c',
			action: 'stop the installer',
			shown: state => !stopAsked(state) && !state.run?.stopping && !state.run?.detached,
			event: () => ({type: 'ask-stop'}),
		},
		{keys: ['y'], label: 'y', action: 'yes, stop it', shown: stopAsked, event: () => ({type: 'confirm-stop'})},
		{keys: ['n', 'escape'], label: 'n/esc', action: 'keep running', shown: stopAsked, event: () => ({type: 'cancel-stop'})},
		{
			keys: ['s'],
			label: 's',
			action: 'stop now (disk almost full)',
			shown: state => diskCritical(state) && !state.run?.stopping,
			event: () => ({type: 'stop-now'}),
		},
		{
			keys: ['d'],
			label: 'd',
			action: 'detach (it keeps running)',
			shown: state => !stopAsked(state) && !state.run?.stopping && !state.run?.detached,
			event: () => ({type: 'detach'}),
		},
		help,
	],
	result: [
		// While z asks, y/enter run the undo and esc keeps the tags: the same keys as the leftover
		// question's (the `answer` reducer gives them to whichever question is asked), listed here.
		{keys: [], label: 'y/enter', action: 'put the tags back', priority: 3, shown: undoAsking},
		{keys: [], label: 'esc', action: 'keep them as they are', priority: 3, shown: undoAsking},
		{
			keys: ['z'],
			label: 'z',
			action: 'undo the tag changes',
			short: 'undo',
			priority: 3,
			shown: state => undoOffered(state) && !undoAsking(state),
			event: () => ({type: 'undo-ask'}),
		},
		{
			keys: ['i'],
			label: 'i',
			action: 'integrate the other arch',
			short: 'integrate',
			priority: 3,
			shown: chainOffered,
			event: () => ({type: 'chain'}),
		},
		{keys: ['r'], label: 'r', action: 'clean up and retry', shown: retryOffered, event: () => ({type: 'retry'})},
		{keys: ['y'], label: 'y', action: 'remove it', shown: retryAsking, ...answers(retryAsking, true)},
		{keys: ['n'], label: 'n', action: 'keep it', shown: retryAsking, event: () => ({type: 'cleanup-declined'})},
		{keys: ['enter'], label: 'delete+enter', action: 'remove all', shown: retryTyping, ...answers(retryTyping, true)},
		{keys: ['backspace'], label: 'backspace', action: 'erase', short: 'erase', shown: retryTyping, event: () => ({type: 'cleanup-erase'})},
		{keys: ['escape'], label: 'esc', action: 'keep it', shown: retryTyping, ...answers(retryTyping, false)},
		// Said in the body, beside the backup it puts back; the footer stays one line at 80 columns.
		{
			keys: ['u'],
			label: 'u',
			action: 'put clusterConfig.yaml back from the backup',
			helpOnly: true,
			shown: restoreOffered,
			event: () => ({type: 'restore-config'}),
		},
		{
			keys: ['l'],
			label: 'l',
			action: 'open the log',
			shown: state => Boolean(state.run?.logPath) && !retryTyping(state),
			inHelp: state => Boolean(state.run?.logPath) && !retryTyping(state),
			event: () => ({type: 'open-log'}),
		},
		...scrolling,
		help,
		// While `delete` is asked for, q and l are letters of the answer; ctrl+c still quits.
		{...quit, shown: notRetryTyping, inHelp: notRetryTyping},
		interrupt,
	],
};

/** While the overlay is open only these keys work: it is read, then closed. */
export const helpKeymap: Binding[] = [
	{keys: ['?', 'escape', 'q', 'enter'], label: '?/esc', action: 'close help', event: () => ({type: 'toggle-help'})},
];

/** Screens where keys are typed as text in some state: each printable key becomes this event then. */
export const textEntry: Partial<Record<Screen, {active(state: WizardState): boolean; event(text: string): WizardEvent}>> = {
	confirm: {active: confirmNeedsYes, event: text => ({type: 'confirm-type', text})},
	result: {active: retryTyping, event: text => ({type: 'cleanup-type', text})},
};

/** Keys that keep their binding while text is typed: help is not part of any answer. */
const notText = new Set(['?']);

/** The text a key token types, or undefined for a named key (enter, up, ctrl+c, …). */
export function typedText(token: string): string | undefined {
	if (token === 'space') {
		return ' ';
	}

	return [...token].length === 1 && !notText.has(token) && !/[\u0000-\u001F\u007F-\u009F]/.test(token) ? token : undefined;
}

export function footerBindings(screen: Screen, state: WizardState): Binding[] {
	return keymaps[screen].filter(binding => !binding.helpOnly && (binding.shown?.(state) ?? true));
}

const separator = ' · ';

function footerText(bindings: Binding[], short: boolean): string[] {
	return bindings.map(binding => `${binding.label} ${short && binding.short ? binding.short : binding.action}`);
}

const fits = (parts: string[], width: number) => stringWidth(parts.join(separator)) <= width;

/**
 * The footer's parts for a terminal `width` columns wide: whole bindings, then shorter words,
 * then the least needed dropped one by one (scrolling and charts first, then help and back, never
 * the keys that must stay), never a label cut in half; at the last, keys without their words.
 */
export function fitFooter(bindings: Binding[], width: number): string[] {
	const full = footerText(bindings, false);
	if (fits(full, width)) {
		return full;
	}

	const priority = (binding: Binding) => binding.priority ?? 2;
	let kept = [...bindings];
	for (;;) {
		const parts = footerText(kept, true);
		if (fits(parts, width)) {
			return parts;
		}

		const droppable = kept.filter(binding => priority(binding) < 3);
		if (droppable.length === 0) {
			return kept.map(binding => binding.label);
		}

		const lowest = Math.min(...droppable.map(binding => priority(binding)));
		const last = kept.filter(binding => priority(binding) === lowest).at(-1);
		kept = kept.filter(binding => binding !== last);
	}
}

export function helpBindings(screen: Screen, state: WizardState): Binding[] {
	return keymaps[screen].filter(binding => !binding.footerOnly && actsNow(binding, state) && (binding.inHelp?.(state) ?? true));
}
