// Keys as data: how raw input becomes tokens, which keys the footer offers, and that every key
// it offers changes something when the reducer applies it.
import type {Key} from 'ink';
import {describe, expect, it} from 'vitest';
import type {DiskSample, RunOutcome} from '../../source/domain/run/run-events.js';
import type {Plan} from '../../source/domain/plan/plan.js';
import {keyTokens} from '../../source/ui/hooks/use-keys.js';
import {appReducer} from '../../source/ui/key-reducer.js';
import {fitFooter, footerBindings, helpBindings, helpKeymap, keymaps, typedText, type KeyContext} from '../../source/ui/keymaps.js';
import {
	currentPlan,
	initialWizardState,
	wizardReducer,
	type Screen,
	type WizardEvent,
	type WizardState,
} from '../../source/workflow/wizard/wizard-reducer.js';
import {full} from '../domain/packages/make-inspection.js';
import {makePlan} from '../helpers/fake-ports.js';

/** What the run-event stream says when a run starts and ends, as the run hook hands it to the reducer. */
function runStarted(logPath: string): WizardEvent {
	return {type: 'run-events', events: [{type: 'run-start', at: 0, logPath, steps: []}]};
}

function runDone(outcome: RunOutcome, at: number): WizardEvent {
	return {type: 'run-events', events: [{type: 'run-end', at, ok: outcome.ok, outcome}]};
}

/** The Key Ink hands useInput, with every flag off unless given. */
function key(flags: Partial<Key> = {}): Key {
	return {
		upArrow: false,
		downArrow: false,
		leftArrow: false,
		rightArrow: false,
		pageDown: false,
		pageUp: false,
		home: false,
		end: false,
		return: false,
		escape: false,
		ctrl: false,
		shift: false,
		tab: false,
		backspace: false,
		delete: false,
		meta: false,
		super: false,
		hyper: false,
		capsLock: false,
		numLock: false,
		...flags,
	};
}

describe('keyTokens', () => {
	it('splits keys typed in one burst, in order', () => {
		expect(keyTokens('jj\r', key())).toEqual(['j', 'j', 'enter']);
		expect(keyTokens('  ', key())).toEqual(['space', 'space']);
		expect(keyTokens('k j\n', key())).toEqual(['k', 'space', 'j', 'enter']);
	});

	it('maps single keys as Ink reports them', () => {
		expect(keyTokens(' ', key())).toEqual(['space']);
		expect(keyTokens('\r', key({return: true}))).toEqual(['enter']);
		expect(keyTokens('', key({escape: true, meta: true}))).toEqual(['escape']);
		expect(keyTokens('', key({upArrow: true}))).toEqual(['up']);
		expect(keyTokens('', key({pageDown: true}))).toEqual(['pagedown']);
		expect(keyTokens('q', key())).toEqual(['q']);
	});

	it('maps ctrl+c, whether Ink names the letter or passes the raw byte', () => {
		expect(keyTokens('c', key({ctrl: true}))).toEqual(['ctrl+c']);
		expect(keyTokens('\u0003', key())).toEqual(['ctrl+c']);
	});
});

// ---- States a user meets on each screen ----

const amd = full('v0.11.0', 'amd64');
const arm = full('v0.11.0', 'arm64');

const apply = (state: WizardState, ...events: WizardEvent[]) => events.reduce(wizardReducer, state);
const diskAt = (level: DiskSample['level']): WizardEvent => ({
	type: 'run-events',
	events: [{type: 'disk', at: 1, samples: [{path: '/root/work', freeBytes: 10, level}]}],
});

const loading = initialWizardState();
const packages = apply(
	loading,
	{
		type: 'discovered',
		packages: [amd, arm].map(item => ({
			path: item.path,
			fileName: item.fileName,
			size: item.size,
			mtimeMs: item.mtimeMs,
			status: 'candidate' as const,
			findings: [],
		})),
	},
	{type: 'inspection-done', inspection: amd},
);
const waiting = apply(packages, {type: 'cursor-move', delta: 1}, {type: 'choose-packages'});
const reviewWith = (plan: Plan) => apply(packages, {type: 'choose-packages'}, {type: 'plan-built', request: 1, result: plan});
const review = reviewWith(makePlan({packages: [amd]}));
const blocked = reviewWith(makePlan({packages: [amd], blocked: true}));
const confirm = apply(review, {type: 'accept-plan'});
const running = apply(confirm, {type: 'start-run'});
const stopAsked = apply(running, {type: 'ask-stop'});
const diskCritical = apply(running, diskAt('critical'));
const stopping = apply(diskCritical, {type: 'stop-now'});
const failed = apply(
	running,
	runStarted('/logs/run-1.log'),
	{
		type: 'run-events',
		events: [
			{type: 'step-start', at: 1, stepId: 'step-1', argv: [], cwd: '/root/work'},
			{type: 'step-end', at: 2, stepId: 'step-1', exitCode: 1},
		],
	},
	runDone({ok: false, failedStepIndex: 0}, 3),
);
const succeeded = apply(running, runStarted('/logs/run-1.log'), runDone({ok: true}, 3));
const noLog = apply(running, runDone({ok: false}, 3));
const measuring = apply(failed, {type: 'retry'}, {type: 'retry-rechecked', plan: currentPlan(failed)!});
const asking = apply(measuring, {type: 'leftover-measured', leftover: {path: '/root/work/addon-offline-target-package', bytes: 100}});
const cleaning = apply(asking, {type: 'cleanup-accepted'});
const cleanupFailed = apply(cleaning, {
	type: 'cleanup-done',
	result: {kind: 'cleanup-refused', message: 'Not a directory.', hint: 'Remove it by hand.', exitCode: 2},
});
/** A plan whose registry (Harbor) lacks a project and has more tags than Review lists at first. */
const registry = {
	checked: true,
	registry: {url: 'https://harbor.example', host: 'harbor.example', reason: 'r', tls: 't', login: 'user admin'},
	tags: ['a', 'b', 'c', 'd'].map(name => ({
		key: `x/${name}:v1`,
		now: 'absent' as const,
		nowArches: [],
		afterArches: ['amd64'],
		change: 'added' as const,
		lostDuringPlan: [],
		lostAtEnd: [],
		lacking: [],
	})),
	multiArchNow: 0,
	multiArchAfter: 0,
	losing: {tags: 0, arches: [], restored: 0},
	lacking: {tags: 0, arches: []},
	clusterArches: {arches: ['amd64'], sources: ['registry' as const], detail: 'd', checked: true},
	spaces: {kind: 'harbor' as const, required: ['localhost', 'x'], existing: ['x'], missing: ['localhost']},
	charts: {checked: false as const},
	steps: [],
	history: {entries: 0, arches: []},
};
const spacesMissing = reviewWith(makePlan({packages: [amd], blocked: true, registry}));
const spacesAsked = apply(spacesMissing, {type: 'ask-create-spaces'});

const footer = (state: WizardState) => footerBindings(state.screen, state).map(binding => binding.label);

describe('footerBindings', () => {
	it('offers the states this file relies on', () => {
		expect([loading, packages, waiting, review, confirm, running, failed, asking, cleaning].map(state => state.screen)).toEqual([
			'packages',
			'packages',
			'review',
			'review',
			'confirm',
			'run',
			'result',
			'result',
			'result',
		]);
		expect([waiting.plan.state, review.plan.state, blocked.plan.state]).toEqual(['waiting', 'ready', 'ready']);
	});

	it('shows moving and choosing only once packages are listed', () => {
		expect(footer(loading)).toEqual(['?', 'q']);
		expect(footer(packages)).toEqual(['up/down', 'space', 'enter', '?', 'q']);
	});

	it('shows continue on Review only for a plan that can be accepted', () => {
		expect(footer(waiting)).toEqual(['up/down', 'b/esc', '?', 'q']);
		expect(footer(review)).toEqual(['enter', 'up/down', 'd', 'b/esc', '?', 'q']);
		expect(footer(blocked)).toEqual(['up/down', 'd', 'b/esc', '?', 'q']);
	});

	it('shows c while the registry lacks spaces, y and n/esc while it asks, and t for more tags than listed', () => {
		expect(footer(spacesMissing)).toEqual(['c', 'up/down', 'd', 't', 'b/esc', '?', 'q']);
		expect(footer(spacesAsked)).toEqual(['y', 'n/esc', 'up/down', '?', 'q']);
		expect(footer(apply(spacesAsked, {type: 'answer-create-spaces', yes: true}))).toEqual(['up/down', 'd', 't', 'b/esc', '?', 'q']);
	});

	it('shows run, back and quit on Confirm', () => {
		expect(footer(confirm)).toEqual(['y', 'up/down', 'b/esc', '?', 'q']);
	});

	it('shows y/n only while asking to stop, and s only while the disk is critical and nothing is stopping yet', () => {
		expect(footer(running)).toEqual(['q/ctrl+c', 'd', '?']);
		expect(footer(stopAsked)).toEqual(['y', 'n/esc', '?']);
		expect(footer(diskCritical)).toEqual(['q/ctrl+c', 's', 'd', '?']);
		expect(footer(stopping)).toEqual(['?']);
	});

	it('shows r only after a failed run it can retry, and y/n only while asking about the leftover', () => {
		expect(footer(failed)).toEqual(['r', 'l', 'up/down', '?', 'q']);
		expect(footer(succeeded)).toEqual(['l', 'up/down', '?', 'q']);
		expect(footer(asking)).toEqual(['y', 'n', 'l', 'up/down', '?', 'q']);
		expect(footer(measuring)).toEqual(['l', 'up/down', '?', 'q']);
		expect(footer(cleaning)).toEqual(['l', 'up/down', '?', 'q']);
		expect(footer(cleanupFailed)).toEqual(['r', 'l', 'up/down', '?', 'q']);
	});

	it('shows l only when there is a log to open', () => {
		expect(footer(noLog)).toEqual(['up/down', '?', 'q']);
	});
});

/** What each footer key must do, as the operator would see it: not merely "the state changed". */
const expectedEffect: Record<string, (before: WizardState, after: WizardState) => boolean> = {
	'toggle-selected': (before, after) => after.selected.length !== before.selected.length,
	'toggle-release': (before, after) => after.selected.length !== before.selected.length,
	'choose-packages': (_before, after) => after.screen === 'review',
	'toggle-help': (before, after) => after.help !== before.help,
	quit: (_before, after) => after.exitCode !== undefined,
	'accept-plan': (_before, after) => after.screen === 'confirm',
	'toggle-chart-details': (before, after) => after.showChartDetails !== before.showChartDetails,
	back: (before, after) => after.screen !== before.screen,
	'start-run': (_before, after) => after.screen === 'run' && after.run?.attempt === 1,
	'ask-stop': (_before, after) => after.run?.confirmStop === true,
	'confirm-stop': (_before, after) => after.run?.stopping === true && after.run.stopReason === 'user',
	'cancel-stop': (_before, after) => after.run?.confirmStop === false && after.run.stopping === false,
	'stop-now': (_before, after) => after.run?.stopping === true && after.run.stopReason === 'disk-floor',
	retry: (_before, after) => after.retry.state === 'rechecking',
	'cleanup-accepted': (_before, after) => after.retry.state === 'cleaning',
	'cleanup-declined': (_before, after) => after.retry.state === 'idle',
	answer: (before, after) => after.retry !== before.retry || after.undo !== before.undo,
	'open-log': (_before, after) => after.pagerOpen,
	'toggle-leftover-removal': (before, after) => after.plan !== before.plan,
	'ask-create-spaces': (_before, after) => after.spaces.state === 'asking',
	'answer-create-spaces': (before, after) => before.spaces.state === 'asking' && after.spaces.state !== 'asking',
	'toggle-registry-tags': (before, after) => after.showRegistryTags !== before.showRegistryTags,
	'confirm-erase': (before, after) => after.confirm.typed.length < before.confirm.typed.length,
	// Leaving the view ends the screens while the installer runs on; the last frame says how to come back.
	detach: (_before, after) => after.run?.detached === true && after.exitCode !== undefined,
	'restore-config': (_before, after) => after.run?.restore.state === 'restoring',
};

describe('every key the footer shows does something', () => {
	const context: KeyContext = {scrollMax: 20, page: 5};
	const states: Record<string, WizardState> = {
		loading,
		packages,
		waiting,
		review,
		blocked,
		spacesMissing,
		spacesAsked,
		confirm,
		running,
		stopAsked,
		diskCritical,
		stopping,
		failed,
		succeeded,
		noLog,
		measuring,
		asking,
		cleaning,
		cleanupFailed,
	};

	for (const [name, state] of Object.entries(states)) {
		it(`on ${state.screen} (${name})`, () => {
			const shown = footerBindings(state.screen, state).filter(binding => binding.event);
			expect(shown.length).toBeGreaterThan(0);
			for (const binding of shown) {
				const event = binding.event!(context);
				expect(event, binding.label).toBeDefined();
				const effect = expectedEffect[event!.type];
				expect(effect, `no expected effect written down for ${event!.type}`).toBeDefined();
				expect(effect!(state, wizardReducer(state, event!)), `${binding.label} (${event!.type}) on ${name}`).toBe(true);
			}
		});
	}

	it('scrolls with the keys listed under help on the scrolling screens', () => {
		for (const state of [review, confirm, failed]) {
			const down = keymaps[state.screen].find(binding => binding.keys.includes('j'))!.event!(context)!;
			expect(wizardReducer(state, down).reviewScroll).toBe(1);
		}
	});

	it('closes the help overlay with every key it lists', () => {
		const open = apply(review, {type: 'toggle-help'});
		expect(helpKeymap[0]?.keys).toEqual(['?', 'escape', 'q', 'enter']);
		expect(wizardReducer(open, helpKeymap[0]!.event!(context)!).help).toBe(false);
	});
});

describe('keymaps', () => {
	it('binds each key at most once per screen, so the first match is the only match', () => {
		for (const screen of Object.keys(keymaps) as Screen[]) {
			const keys = keymaps[screen].flatMap(binding => binding.keys);
			expect(new Set(keys).size, screen).toBe(keys.length);
		}
	});

	it('asks before stopping when q or ctrl+c is pressed during the run, and elsewhere quits (q) or interrupts (ctrl+c)', () => {
		const runQuit = keymaps.run.find(binding => binding.keys.includes('ctrl+c'))!;
		expect(runQuit.event!({scrollMax: 0, page: 1})).toEqual({type: 'ask-stop'});
		for (const screen of ['packages', 'review', 'confirm', 'result'] as const) {
			expect(keymaps[screen].find(binding => binding.keys.includes('ctrl+c'))!.event!({scrollMax: 0, page: 1}), screen).toEqual({
				type: 'quit',
				interrupted: true,
			});
			expect(keymaps[screen].find(binding => binding.keys.includes('q'))!.event!({scrollMax: 0, page: 1}), screen).toEqual({type: 'quit'});
		}

		expect(apply(review, {type: 'quit', interrupted: true}).exitCode).toBe(130);
		expect(apply(failed, {type: 'quit', interrupted: true}).exitCode).toBe(4);
	});

	it('lists single keys under help and leaves the footer summaries out', () => {
		expect(helpBindings('packages', packages).map(binding => binding.label)).toEqual([
			'up/k',
			'down/j',
			'pgup',
			'pgdn',
			'space',
			'a',
			'enter',
			'?',
			'q',
			'ctrl+c',
		]);
	});
});

describe('keys typed as text (Confirm asking for yes)', () => {
	const warnedPlan = makePlan({
		packages: [amd],
		findings: [{code: 'downgrade', severity: 'warning', message: 'Downgrade.', hint: 'Check.'}],
	});
	const warnedConfirm = apply(reviewWith(warnedPlan), {type: 'accept-plan'});
	const burst = (state: WizardState, input: string) =>
		appReducer(state, {type: 'keys', tokens: keyTokens(input, key()), context: {scrollMax: 0, page: 1}});

	it('tokenises backspace inside a burst, where it arrives as DEL', () => {
		expect(keyTokens('ye\u007Fs', key())).toEqual(['y', 'e', 'backspace', 's']);
	});

	it('lands "yes" and enter typed in one burst on Confirm as text then enter, and runs', () => {
		expect(warnedConfirm.screen).toBe('confirm');
		const state = burst(warnedConfirm, 'yes\r');
		expect(state.screen).toBe('run');
		expect(state.run?.attempt).toBe(1);
	});

	it('never runs on two enters from Review, with or without a warning', () => {
		for (const plan of [makePlan({packages: [amd]}), warnedPlan]) {
			const state = burst(reviewWith(plan), '\r\r');
			expect(state.screen).toBe('confirm');
			expect(state.run).toBeUndefined();
			expect(state.confirm.refused).toBe('enter');
		}
	});

	it('types b, q, j and y instead of going back, quitting, scrolling or running', () => {
		const state = burst(warnedConfirm, 'bqjy');
		expect(state.screen).toBe('confirm');
		expect(state.exitCode).toBeUndefined();
		expect(state.reviewScroll).toBe(0);
		expect(state.confirm.typed).toBe('bqjy');
		expect(burst(state, '\u007F\u007F\u007F\u007Fyes\r').screen).toBe('run');
	});

	it('still goes back with esc, interrupts with ctrl+c and opens help with ?', () => {
		expect(burst(warnedConfirm, '\u001B').screen).toBe('review');
		expect(burst(warnedConfirm, '\u0003').exitCode).toBe(130);
		expect(burst(warnedConfirm, '?').help).toBe(true);
	});

	it('offers only keys that do something while yes is being typed', () => {
		const typing = burst(warnedConfirm, 'ye');
		expect(footerBindings('confirm', typing).map(binding => binding.label)).toEqual([
			'yes+enter',
			'backspace',
			'up/down',
			'esc',
			'?',
			'ctrl+c',
		]);
		for (const binding of footerBindings('confirm', typing).filter(item => item.event)) {
			const event = binding.event!({scrollMax: 20, page: 5})!;
			expect(expectedEffect[event.type]!(typing, wizardReducer(typing, event)), binding.label).toBe(true);
		}
	});

	it('names under help only keys that are not typed while yes is asked for', () => {
		const typing = burst(warnedConfirm, 'ye');
		const labels = helpBindings('confirm', typing).map(binding => binding.label);
		expect(labels).toEqual(['enter', 'backspace', 'up/down', 'pgup/pgdn', 'esc', '?', 'ctrl+c']);
		expect(helpBindings('confirm', confirm).map(binding => binding.label)).toEqual([
			'y',
			'enter',
			'up/k down/j',
			'pgup/pgdn',
			'b/esc',
			'?',
			'q',
			'ctrl+c',
		]);
	});

	it('does not type on a Confirm without warnings: y runs there', () => {
		expect(typedText('y')).toBe('y');
		expect(typedText('enter')).toBeUndefined();
		expect(typedText('space')).toBe(' ');
		expect(burst(confirm, 'y').screen).toBe('run');
	});
});

describe('fitFooter', () => {
	const bindings = (state: WizardState) => footerBindings(state.screen, state);
	const states: Record<string, WizardState> = {
		loading,
		packages,
		waiting,
		review,
		blocked,
		confirm,
		running,
		stopAsked,
		diskCritical,
		failed,
		asking,
		cleanupFailed,
	};

	it('keeps every binding whole when it fits', () => {
		expect(fitFooter(bindings(review), 79)).toEqual(['enter continue', 'up/down scroll', 'd charts', 'b/esc back', '? help', 'q quit']);
	});

	it('drops scrolling and charts first, then help and back, keeping what must stay, at any width from 40', () => {
		expect(fitFooter(bindings(review), 59)).toEqual(['enter continue', 'b/esc back', '? help', 'q quit']);
		expect(fitFooter(bindings(failed), 59)).toEqual(['r clean up and retry', 'l open the log', '? help', 'q quit']);
		for (const width of [39, 49, 59, 79]) {
			for (const [name, state] of Object.entries(states)) {
				const parts = fitFooter(bindings(state), width);
				const whole = bindings(state).flatMap(binding => [
					`${binding.label} ${binding.action}`,
					`${binding.label} ${binding.short ?? binding.action}`,
					binding.label,
				]);
				expect(
					parts.every(part => whole.includes(part)),
					`${name} at ${width}: ${parts.join(' · ')}`,
				).toBe(true);
				expect(parts.join(' · ').length, `${name} at ${width}`).toBeLessThanOrEqual(width);
				for (const must of bindings(state).filter(binding => binding.priority === 3)) {
					expect(
						parts.some(part => part.startsWith(`${must.label} `) || part === must.label),
						`${name} at ${width} keeps ${must.label}`,
					).toBe(true);
				}
			}
		}
	});
});

describe('help lists only the keys that act now', () => {
	const help = (state: WizardState) => helpBindings(state.screen, state).map(binding => binding.label);
	const context: KeyContext = {scrollMax: 20, page: 5};
	const states: Record<string, WizardState> = {
		loading,
		packages,
		review,
		blocked,
		spacesMissing,
		spacesAsked,
		confirm,
		running,
		stopAsked,
		diskCritical,
		stopping,
		failed,
		succeeded,
		noLog,
		asking,
		cleaning,
		cleanupFailed,
	};

	it('on a successful Result: the log, scrolling, help and quit; no i, r, y, n or u', () => {
		expect(help(succeeded)).toEqual(['l', 'up/k down/j', 'pgup/pgdn', '?', 'q', 'ctrl+c']);
	});

	it('on a failed Result: r, and y/n only while the leftover question is asked', () => {
		expect(help(failed)).toEqual(['r', 'l', 'up/k down/j', 'pgup/pgdn', '?', 'q', 'ctrl+c']);
		expect(help(asking)).toEqual(['y', 'n', 'l', 'up/k down/j', 'pgup/pgdn', '?', 'q', 'ctrl+c']);
	});

	it('on Review: y/n only while c asks, c only while spaces are missing', () => {
		expect(help(review)).not.toContain('y/n');
		expect(help(review)).not.toContain('c');
		expect(help(spacesMissing)).toContain('c');
		expect(help(spacesAsked)).toContain('y/n');
		expect(help(spacesAsked)).not.toContain('c');
	});

	it('on the Run screen: y and n/esc only while asking to stop', () => {
		expect(help(running)).toEqual(['q/ctrl+c', 'd', '?']);
		expect(help(stopAsked)).toEqual(['y', 'n/esc', '?']);
		expect(help(diskCritical)).toEqual(['q/ctrl+c', 's', 'd', '?']);
	});

	for (const [name, state] of Object.entries(states)) {
		it(`a key help leaves out does nothing, one it lists is handled (${name})`, () => {
			const listed = helpBindings(state.screen, state);
			for (const binding of keymaps[state.screen].filter(candidate => candidate.keys.length > 0 && !candidate.footerOnly)) {
				const pressed = appReducer(state, {type: 'keys', tokens: [binding.keys[0]!], context});
				if (listed.includes(binding)) {
					expect(binding.event?.(context), `${binding.label} on ${name}`).toBeDefined();
				} else if (binding.inHelp === undefined) {
					expect(pressed, `${binding.label} is not under help on ${name}, yet it acts`).toBe(state);
				}
			}
		});
	}
});

describe('the Packages footer at 60 columns', () => {
	const named = apply(loading, {
		type: 'discovered',
		packages: [amd, arm].map(item => ({
			path: item.path,
			fileName: item.fileName,
			name: item.name,
			size: item.size,
			mtimeMs: item.mtimeMs,
			status: 'candidate' as const,
			findings: [],
		})),
	});

	it('keeps space, enter continue and ? help, giving up up/down first', () => {
		expect(footerBindings('packages', named).map(binding => binding.label)).toEqual(['up/down', 'space', 'a', 'enter', '?', 'q']);
		// The frame draws the footer one column short of the terminal.
		expect(fitFooter(footerBindings('packages', named), 59)).toEqual(['space select', 'a release', 'enter continue', '? help', 'q quit']);
	});
});
