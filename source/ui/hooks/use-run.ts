// Consumes the run-event stream of each attempt and feeds it to the reducer at most ~15 times a
// second. Which stream (a run started here, or `attach`) is the reducer's decision (run.source);
// here a flood of output is cut to the lines the pane can show, so the UI's work per frame stays
// bounded. Leaving the screens detaches from the stream; the installer keeps running.
import {useEffect, useRef, type Dispatch} from 'react';
import {exitCodes} from '../../domain/shared/wizard-error.js';
import type {RunEvent} from '../../domain/run/run-events.js';
import {isWizardError} from '../../domain/shared/wizard-error.js';
import {writtenEdit} from '../../workflow/wizard/run-slice.js';
import {currentPlan, outputRingSize, type WizardEvent, type WizardState} from '../../workflow/wizard/wizard-reducer.js';
import type {WizardPorts} from '../../workflow/ports/ports.js';

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

const crashedEvent = (error: unknown): WizardEvent => ({
	type: 'run-crashed',
	message: error instanceof Error ? error.message : String(error),
	at: Date.now(),
});

/**
 * Feeds a run-event stream to the reducer once a frame, a flood cut to what the pane can show.
 * The returned function lets go of the stream; it does not stop the installer.
 */
function feedInFrames(source: AsyncIterator<RunEvent>, dispatch: Dispatch<WizardEvent>): () => void {
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
	const pump = async () => {
		for (let next = await source.next(); !next.done; next = await source.next()) {
			buffer.push(next.value);
			if (buffer.length > outputRingSize * 4) {
				const compacted = compactBatch(buffer, outputRingSize);
				buffer = compacted.events;
				dropped += compacted.dropped;
			}
		}
	};

	pump().then(
		() => {
			clearInterval(timer);
			flush();
		},
		(error: unknown) => {
			clearInterval(timer);
			flush();
			dispatch(crashedEvent(error));
		},
	);
	return () => {
		clearInterval(timer);
		void source.return?.();
	};
}

/** The Result's u: clusterConfig.yaml back from the run's backup (refused when it changed since). */
function restoreConfig(state: WizardState, ports: WizardPorts, dispatch: Dispatch<WizardEvent>): void {
	const written = writtenEdit(state);
	if (!written) {
		dispatch({
			type: 'restore-done',
			result: {
				kind: 'restore-unavailable',
				message: "The run's backup of clusterConfig.yaml is not known here.",
				hint: 'Copy the backup named above over clusterConfig.yaml by hand.',
				exitCode: exitCodes.runFailed,
			},
		});
		return;
	}

	ports.restoreConfig(written.edit, written.backupPath).then(
		result => {
			dispatch({type: 'restore-done', result: isWizardError(result) ? result : {replacedCopyPath: result.replacedCopyPath}});
		},
		(error: unknown) => {
			dispatch({
				type: 'restore-done',
				result: {
					kind: 'restore-failed',
					message: `Could not put clusterConfig.yaml back: ${error instanceof Error ? error.message : String(error)}`,
					hint: `Copy ${written.backupPath} over it by hand.`,
					exitCode: exitCodes.runFailed,
				},
			});
		},
	);
}

export function useRun(state: WizardState, ports: WizardPorts, dispatch: Dispatch<WizardEvent>): void {
	const controller = useRef<AbortController | undefined>(undefined);
	const latest = useRef(state);
	latest.current = state;
	const attempt = state.screen === 'run' ? state.run?.attempt : undefined;
	useEffect(() => {
		const current = latest.current;
		const plan = currentPlan(current);
		const run = current.run;
		if (attempt === undefined || !plan || !run) {
			return;
		}

		const stop = new AbortController();
		controller.current = stop;
		let source: AsyncIterator<RunEvent>;
		try {
			const stream = run.source === 'attach' ? ports.attachRun(stop.signal) : ports.startRun(plan, run.fromStep, stop.signal);
			source = stream[Symbol.asyncIterator]();
		} catch (error: unknown) {
			dispatch(crashedEvent(error));
			return;
		}

		// Unmounting (quit, detach) lets go of the stream; it does not stop the installer.
		return feedInFrames(source, dispatch);
	}, [attempt, ports, dispatch]);

	const stopReason = state.run?.stopping ? (state.run.stopReason ?? 'user') : undefined;
	useEffect(() => {
		if (stopReason) {
			controller.current?.abort(stopReason);
		}
	}, [stopReason]);

	const restoring = state.run?.restore.state === 'restoring';
	useEffect(() => {
		if (restoring) {
			restoreConfig(latest.current, ports, dispatch);
		}
	}, [restoring, ports, dispatch]);
}
