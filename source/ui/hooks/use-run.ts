// Starts each run attempt and feeds its events to the reducer at most ~15 times a second.
// The installer's output is read by the adapter whatever the screen does; here a flood of
// output is cut to the lines the pane can show, so the UI's work per frame stays bounded.
import {useEffect, useRef, type Dispatch} from 'react';
import type {RunEvent} from '../../domain/model.js';
import {currentPlan, outputRingSize, type WizardEvent, type WizardState} from '../../workflow/wizard-reducer.js';
import type {RunHandle, WizardPorts} from '../../workflow/ports.js';

export const frameMs = 66;

/** Keeps every non-output event and the newest output lines; says how many lines it dropped. */
export function compactBatch(events: RunEvent[], keepLines: number): {events: RunEvent[]; dropped: number} {
	const outputs = events.reduce((count, event) => count + (event.type === 'output' ? 1 : 0), 0);
	let drop = Math.max(0, outputs - keepLines);
	const dropped = drop;
	const kept = events.filter(event => {
		if (event.type === 'output' && drop > 0) {
			drop--;
			return false;
		}

		return true;
	});
	return {events: kept, dropped};
}

export type AttachStart = (onEvent: (event: RunEvent) => void) => RunHandle;

export function useRun(state: WizardState, ports: WizardPorts, dispatch: Dispatch<WizardEvent>, attach?: AttachStart): void {
	const handle = useRef<RunHandle | undefined>(undefined);
	const latest = useRef(state);
	latest.current = state;
	const attempt = state.screen === 'run' ? state.run?.attempt : undefined;
	useEffect(() => {
		const current = latest.current;
		const plan = currentPlan(current);
		if (attempt === undefined || !plan || !current.run) {
			return;
		}

		let buffer: RunEvent[] = [];
		let dropped = 0;
		const flush = () => {
			if (buffer.length > 0 || dropped > 0) {
				dispatch({type: 'run-events', events: buffer, dropped});
				buffer = [];
				dropped = 0;
			}
		};

		const timer = setInterval(flush, frameMs);
		const onEvent = (event: RunEvent) => {
			buffer.push(event);
			if (buffer.length > outputRingSize * 4) {
				const compacted = compactBatch(buffer, outputRingSize);
				buffer = compacted.events;
				dropped += compacted.dropped;
			}
		};

		let started: RunHandle;
		try {
			started = attach && attempt === 1 ? attach(onEvent) : ports.startRun(plan, current.run.fromStep, onEvent);
		} catch (error: unknown) {
			clearInterval(timer);
			dispatch({type: 'run-crashed', message: error instanceof Error ? error.message : String(error), at: Date.now()});
			return;
		}

		handle.current = started;
		dispatch({type: 'run-started', logPath: started.logPath});
		started.done.then(
			outcome => {
				clearInterval(timer);
				flush();
				dispatch({type: 'run-done', outcome, at: Date.now()});
			},
			(error: unknown) => {
				clearInterval(timer);
				flush();
				dispatch({type: 'run-crashed', message: error instanceof Error ? error.message : String(error), at: Date.now()});
			},
		);
	}, [attempt, ports, dispatch, attach]);

	const stopReason = state.run?.stopping ? state.run.stopReason ?? 'user' : undefined;
	useEffect(() => {
		if (stopReason) {
			void handle.current?.stop(stopReason);
		}
	}, [stopReason]);
}
