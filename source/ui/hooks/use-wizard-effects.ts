// The wizard's conversations with the outside world. Each hook watches one part of the state,
// asks a port, and dispatches the answer; none decides anything (the reducer does).
import {useEffect, useRef, type Dispatch} from 'react';
import {chosenInspections, currentPlan, retryStepIndex, type WizardEvent, type WizardState} from '../../workflow/wizard-reducer.js';
import type {WizardPorts} from '../../workflow/ports.js';

function message(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

export function useDiscovery(ports: WizardPorts, dispatch: Dispatch<WizardEvent>): void {
	useEffect(() => {
		ports.discoverPackages().then(
			packages => {
				dispatch({type: 'discovered', packages});
			},
			(error: unknown) => {
				dispatch({type: 'discovery-failed', message: message(error)});
			},
		);
	}, [ports, dispatch]);
}

/**
 * Reads the packages one at a time (they share one disk; reading two at once is slower for both),
 * chosen ones first, so Review waits for as little as possible.
 */
export function useInspections(state: WizardState, ports: WizardPorts, dispatch: Dispatch<WizardEvent>): void {
	const latest = useRef(state);
	latest.current = state;
	const ready = state.discovery.state === 'done';
	useEffect(() => {
		if (!ready) {
			return;
		}

		const controller = new AbortController();
		// The state seen here may not have rendered the last answer yet (a cached inspection can
		// answer before React does), so paths already asked for are remembered here, not there.
		const started = new Set<string>();
		const next = () => {
			const current = latest.current;
			const pending = Object.entries(current.inspections).filter(([path, status]) => status.state === 'pending' && !started.has(path)).map(([path]) => path);
			return pending.find(path => current.selected.includes(path)) ?? pending[0];
		};

		void (async () => {
			for (let path = next(); path && !controller.signal.aborted; path = next()) {
				const target = path;
				started.add(target);
				try {
					// eslint-disable-next-line no-await-in-loop -- one package at a time, on purpose
					const inspection = await ports.inspectPackage(target, {
						signal: controller.signal,
						onProgress(progress) {
							dispatch({type: 'inspection-progress', path: target, bytesRead: progress.bytesRead, totalBytes: progress.totalBytes});
						},
					});
					dispatch({type: 'inspection-done', inspection});
				} catch (error: unknown) {
					if (controller.signal.aborted) {
						return;
					}

					dispatch({type: 'inspection-failed', path: target, message: message(error)});
				}
			}
		})();
		return () => {
			controller.abort();
		};
	}, [ready, ports, dispatch]);
}

export function usePlanBuilder(state: WizardState, ports: WizardPorts, dispatch: Dispatch<WizardEvent>): void {
	const building = state.plan.state === 'building';
	const request = state.planRequest;
	const latest = useRef(state);
	latest.current = state;
	useEffect(() => {
		if (!building) {
			return;
		}

		ports.buildPlan(chosenInspections(latest.current), {
			// The package the cluster has now may still have to be read: its progress shows on Review.
			onProgress(progress) {
				dispatch({type: 'baseline-progress', request, path: progress.path, bytesRead: progress.bytesRead, totalBytes: progress.totalBytes});
			},
		}).then(
			result => {
				dispatch({type: 'plan-built', request, result});
			},
			(error: unknown) => {
				dispatch({type: 'plan-built', request, result: {kind: 'plan-failed', message: `The plan could not be built: ${message(error)}`, hint: 'Check clusterConfig.yaml and the packages, then run the wizard again.', exitCode: 2}});
			},
		);
	}, [building, request, ports, dispatch]);
}

export function useRetry(state: WizardState, ports: WizardPorts, dispatch: Dispatch<WizardEvent>): void {
	const phase = state.retry.state;
	const index = retryStepIndex(state);
	const step = index === undefined ? undefined : currentPlan(state)?.steps[index];
	useEffect(() => {
		if (!step) {
			return;
		}

		if (phase === 'measuring') {
			ports.measureLeftover(step).then(
				leftover => {
					dispatch({type: 'leftover-measured', leftover});
				},
				(error: unknown) => {
					dispatch({type: 'retry-failed', error: {kind: 'measure-failed', message: `Could not look at the leftover directory: ${message(error)}`, hint: 'Check the installer\'s working directory, then press r again.', exitCode: 4}});
				},
			);
		} else if (phase === 'cleaning') {
			ports.cleanupLeftover(step).then(
				result => {
					dispatch({type: 'cleanup-done', result});
				},
				(error: unknown) => {
					dispatch({type: 'retry-failed', error: {kind: 'cleanup-failed', message: `Clean-up failed: ${message(error)}`, hint: 'Remove the directory by hand (rm -rf addon-offline-target-package in the installer\'s folder), then press r.', exitCode: 4}});
				},
			);
		}
	}, [phase, step, ports, dispatch]);
}

/** The pager owns the terminal while open: key handlers are off (see App) and Ink redraws after. */
export function usePager(state: WizardState, ports: WizardPorts, dispatch: Dispatch<WizardEvent>): void {
	const logPath = state.run?.logPath;
	useEffect(() => {
		if (!state.pagerOpen || !logPath) {
			return;
		}

		void ports.openLog(logPath).finally(() => {
			dispatch({type: 'log-closed'});
		});
	}, [state.pagerOpen, logPath, ports, dispatch]);
}
