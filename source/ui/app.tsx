// The wizard: one reducer, hooks that talk to the ports, and the screen for the current state.
import {useApp} from 'ink';
import {useEffect, useMemo, useReducer, type ReactNode} from 'react';
import {initialWizardState, type InitialOptions, type WizardState} from '../workflow/wizard/wizard-reducer.js';
import type {WizardPorts} from '../workflow/ports/ports.js';
import {bodyHeight, Frame} from './components/Frame.js';
import {useChain} from './hooks/use-chain.js';
import {useUndo} from './hooks/use-undo.js';
import {useKeys} from './hooks/use-keys.js';
import {appReducer} from './key-reducer.js';
import {useNow} from './hooks/use-now.js';
import {useRun} from './hooks/use-run.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {useTheme} from './hooks/use-theme.js';
import {useDiscovery, useInspections, usePager, usePlanBuilder, useRetry, useSpaceCreation} from './hooks/use-wizard-effects.js';
import {footerBindings, helpBindings, helpKeymap} from './keymaps.js';
import {confirmPinned, confirmRows} from './screens/ConfirmScreen.js';
import {packagesRows} from './screens/PackagesScreen.js';
import {resultRows} from './screens/ResultScreen.js';
import {reviewPinned, reviewRows} from './screens/ReviewScreen.js';
import {runRows} from './screens/RunScreen.js';

/** Ctrl+C from outside the terminal (kill -INT) arrives as a signal: the composition root hands it in. */
export type SignalSource = {on(signal: 'SIGINT', handler: () => void): () => void};

export type AppProps = {
	ports: WizardPorts;
	initial?: InitialOptions;
	signals?: SignalSource;
	/** Seconds between SIGINT, SIGTERM and SIGKILL when stopping, for the prompt. */
	graceSeconds?: number;
	onExit(code: number): void;
};

function screenRows(
	state: WizardState,
	props: {width: number; height: number; now: number; graceSeconds: number},
	glyphs: ReturnType<typeof useTheme>['glyphs'],
): ReactNode[] {
	switch (state.screen) {
		case 'packages': {
			return packagesRows(state, glyphs, props);
		}

		case 'review': {
			return reviewRows(state, glyphs, props);
		}

		case 'confirm': {
			return confirmRows(state, props, glyphs);
		}

		case 'run': {
			return runRows(state, glyphs, props, props.now, props.graceSeconds);
		}

		case 'result': {
			return resultRows(state, glyphs, props);
		}
	}
}

/** The rows of a screen that never scroll away: its verdict or its question. */
function pinnedRows(state: WizardState, size: {width: number; height: number}, glyphs: ReturnType<typeof useTheme>['glyphs']): ReactNode[] {
	switch (state.screen) {
		case 'review': {
			return reviewPinned(state, glyphs, size);
		}

		case 'confirm': {
			return confirmPinned(state, glyphs, size);
		}

		case 'packages':
		case 'run':
		case 'result': {
			return [];
		}
	}
}

export function App({ports, initial, signals, graceSeconds = 10, onExit}: AppProps) {
	const [state, dispatch] = useReducer(appReducer, initial, initialWizardState);
	const {glyphs} = useTheme();
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize();
	const now = useNow(1000, state.screen === 'run');

	useDiscovery(ports, dispatch);
	useInspections(state, ports, dispatch);
	usePlanBuilder(state, ports, dispatch);
	useSpaceCreation(state, ports, dispatch);
	useRun(state, ports, dispatch);
	useRetry(state, ports, dispatch);
	useChain(state, ports, dispatch);
	useUndo(state, ports, dispatch);
	usePager(state, ports, dispatch);

	useEffect(() => {
		if (state.exitCode !== undefined) {
			onExit(state.exitCode);
			exit();
		}
	}, [state.exitCode, onExit, exit]);

	// Ctrl+C from outside the terminal (kill -INT) means the same as the key.
	useEffect(
		() =>
			signals?.on('SIGINT', () => {
				dispatch(state.screen === 'run' ? {type: 'ask-stop'} : {type: 'quit', interrupted: true});
			}),
		[signals, state.screen],
	);

	const width = Math.max(40, columns);
	// The help overlay hides the pinned rows, so it gets their height too.
	const pinned = state.help ? [] : pinnedRows(state, {width, height: bodyHeight(rows)}, glyphs);
	const height = Math.max(3, bodyHeight(rows) - pinned.length);
	const body = screenRows(state, {width, height, now, graceSeconds}, glyphs);
	const scrollMax = Math.max(0, body.length - height + 1);
	const keyContext = useMemo(() => ({scrollMax, page: Math.max(1, height - 2)}), [scrollMax, height]);
	const bindings = state.help ? helpKeymap : footerBindings(state.screen, state);
	useKeys(keyContext, dispatch, !state.pagerOpen && state.exitCode === undefined);

	return (
		<Frame
			screen={state.screen}
			rows={body}
			pinned={pinned}
			scroll={state.screen === 'review' || state.screen === 'confirm' || state.screen === 'result' ? state.reviewScroll : 0}
			height={height}
			width={width}
			footer={bindings}
			help={state.help ? helpBindings(state.screen, state) : undefined}
		/>
	);
}
