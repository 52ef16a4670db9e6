// Every key of every screen, as data: the key hooks read it to dispatch, the footer and the
// `?` overlay read it to explain, so what is shown and what works cannot drift apart.
import {restoreOffered} from '../workflow/wizard/run-slice.js';
import {
	retryStepIndex,
	type Screen,
	type WizardEvent,
	type WizardState,
} from '../workflow/wizard-reducer.js';

/** What a screen knows about its layout when a key arrives (for scrolling). */
export type KeyContext = {scrollMax: number; page: number};

export type Binding = {
	/** Tokens from keyTokens(): 'up', 'enter', 'ctrl+c', 'q', … */
	keys: string[];
	label: string;
	action: string;
	event?: (context: KeyContext) => WizardEvent | undefined;
	/** When the key does something worth mentioning right now; always when absent. */
	shown?: (state: WizardState) => boolean;
	/** Listed in the `?` overlay only, to keep the footer to one line. */
	helpOnly?: boolean;
	/** Listed in the footer only (a summary of several bindings). */
	footerOnly?: boolean;
};

const help: Binding = {keys: ['?'], label: '?', action: 'help', event: () => ({type: 'toggle-help'})};
const quit: Binding = {keys: ['q'], label: 'q', action: 'quit', event: () => ({type: 'quit'})};
/** Ctrl+C is an interruption: exit 130, as a shell reports it, where q says "quit before running" (1). */
const interrupt: Binding = {keys: ['ctrl+c'], label: 'ctrl+c', action: 'interrupt (exit 130)', helpOnly: true, event: () => ({type: 'quit', interrupted: true})};
const back: Binding = {keys: ['b', 'escape'], label: 'b/esc', action: 'back', event: () => ({type: 'back'})};

const scrolling: Binding[] = [
	{keys: [], label: 'up/down', action: 'scroll', footerOnly: true},
	{keys: ['up', 'k'], label: 'up/k', action: 'scroll up', helpOnly: true, event: context => ({type: 'scroll', delta: -1, max: context.scrollMax})},
	{keys: ['down', 'j'], label: 'down/j', action: 'scroll down', helpOnly: true, event: context => ({type: 'scroll', delta: 1, max: context.scrollMax})},
	{keys: ['pageup'], label: 'pgup', action: 'page up', helpOnly: true, event: context => ({type: 'scroll', delta: -context.page, max: context.scrollMax})},
	{keys: ['pagedown'], label: 'pgdn', action: 'page down', helpOnly: true, event: context => ({type: 'scroll', delta: context.page, max: context.scrollMax})},
];

const planReady = (state: WizardState) => state.plan.state === 'ready' && !state.plan.plan.blocked;
const stopAsked = (state: WizardState) => state.run?.confirmStop === true;
const diskCritical = (state: WizardState) => state.run?.disk.some(sample => sample.level === 'critical') === true;
const retryAsking = (state: WizardState) => state.retry.state === 'ask';
/** The reducer starts a retry only from these; while measuring or cleaning `r` would do nothing. */
const retryOffered = (state: WizardState) => retryStepIndex(state) !== undefined && (state.retry.state === 'idle' || state.retry.state === 'error');
/** Until the search answers there is nothing to move over or choose. */
const listed = (state: WizardState) => state.packages.length > 0;

export const keymaps: Record<Screen, Binding[]> = {
	packages: [
		{keys: [], label: 'up/down', action: 'move', footerOnly: true, shown: listed},
		{keys: ['up', 'k'], label: 'up/k', action: 'move up', helpOnly: true, event: () => ({type: 'cursor-move', delta: -1})},
		{keys: ['down', 'j'], label: 'down/j', action: 'move down', helpOnly: true, event: () => ({type: 'cursor-move', delta: 1})},
		{keys: ['pageup'], label: 'pgup', action: 'move 10 up', helpOnly: true, event: () => ({type: 'cursor-move', delta: -10})},
		{keys: ['pagedown'], label: 'pgdn', action: 'move 10 down', helpOnly: true, event: () => ({type: 'cursor-move', delta: 10})},
		{keys: ['space'], label: 'space', action: 'select', shown: listed, event: () => ({type: 'toggle-selected'})},
		{keys: ['enter'], label: 'enter', action: 'continue', shown: listed, event: () => ({type: 'choose-packages'})},
		help,
		quit,
		interrupt,
	],
	review: [
		{keys: ['enter'], label: 'enter', action: 'continue', shown: planReady, event: () => ({type: 'accept-plan'})},
		...scrolling,
		{keys: ['d'], label: 'd', action: 'charts', shown: state => state.plan.state === 'ready', event: () => ({type: 'toggle-chart-details'})},
		back,
		help,
		quit,
		interrupt,
	],
	confirm: [
		{keys: ['y', 'enter'], label: 'y/enter', action: 'run', event: () => ({type: 'start-run'})},
		...scrolling,
		back,
		help,
		quit,
		interrupt,
	],
	run: [
		{keys: ['q', 'ctrl+c'], label: 'q/ctrl+c', action: 'stop the installer', shown: state => !stopAsked(state) && !state.run?.stopping && !state.run?.detached, event: () => ({type: 'ask-stop'})},
		{keys: ['y'], label: 'y', action: 'yes, stop it', shown: stopAsked, event: () => ({type: 'confirm-stop'})},
		{keys: ['n', 'escape'], label: 'n/esc', action: 'keep running', shown: stopAsked, event: () => ({type: 'cancel-stop'})},
		{keys: ['s'], label: 's', action: 'stop now (disk almost full)', shown: state => diskCritical(state) && !state.run?.stopping, event: () => ({type: 'stop-now'})},
		{keys: ['d'], label: 'd', action: 'detach (it keeps running)', shown: state => !stopAsked(state) && !state.run?.stopping && !state.run?.detached, event: () => ({type: 'detach'})},
		help,
	],
	result: [
		{keys: ['r'], label: 'r', action: 'clean up and retry', shown: retryOffered, event: () => ({type: 'retry'})},
		{keys: ['y'], label: 'y', action: 'remove it', shown: retryAsking, event: () => ({type: 'cleanup-accepted'})},
		{keys: ['n'], label: 'n', action: 'keep it', shown: retryAsking, event: () => ({type: 'cleanup-declined'})},
		// Said in the body, beside the backup it puts back; the footer stays one line at 80 columns.
		{keys: ['u'], label: 'u', action: 'put clusterConfig.yaml back from the backup', helpOnly: true, shown: restoreOffered, event: () => ({type: 'restore-config'})},
		{keys: ['l'], label: 'l', action: 'open the log', shown: state => Boolean(state.run?.logPath), event: () => ({type: 'open-log'})},
		...scrolling,
		help,
		quit,
		interrupt,
	],
};

/** While the overlay is open only these keys work: it is read, then closed. */
export const helpKeymap: Binding[] = [
	{keys: ['?', 'escape', 'q', 'enter'], label: '?/esc', action: 'close help', event: () => ({type: 'toggle-help'})},
];

export function footerBindings(screen: Screen, state: WizardState): Binding[] {
	return keymaps[screen].filter(binding => !binding.helpOnly && (binding.shown?.(state) ?? true));
}

export function helpBindings(screen: Screen): Binding[] {
	return keymaps[screen].filter(binding => !binding.footerOnly);
}
