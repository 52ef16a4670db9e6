// The wizard's conversations with the outside world. Each hook watches one part of the state,
// asks a port, and dispatches the answer; none decides anything (the reducer does).
import {useEffect, useRef, type Dispatch} from 'react';
import {exitCodes} from '../../domain/shared/wizard-error.js';
import {
	chosenInspections,
	currentPlan,
	nextInspection,
	retryStepIndex,
	type WizardEvent,
	type WizardState,
} from '../../workflow/wizard/wizard-reducer.js';
import type {WizardPorts} from '../../workflow/ports/ports.js';
import {useCopyWatch} from './use-copy-watch.js';

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

/** Reads the package the reducer says is next (one at a time, chosen ones first). */
export function useInspections(state: WizardState, ports: WizardPorts, dispatch: Dispatch<WizardEvent>): void {
	useCopyWatch(state, dispatch);
	const next = nextInspection(state);
	// Only leaving the screens cancels a read: `next` changes as soon as the read is marked started.
	const unmounted = useRef(new AbortController());
	useEffect(() => {
		const controller = unmounted.current;
		return () => {
			controller.abort();
		};
	}, []);
	useEffect(() => {
		if (!next) {
			return;
		}

		const {signal} = unmounted.current;
		dispatch({type: 'inspection-started', path: next});
		ports
			.inspectPackage(next, {
				signal,
				onProgress(progress) {
					dispatch({type: 'inspection-progress', path: next, bytesRead: progress.bytesRead, totalBytes: progress.totalBytes});
				},
			})
			.then(
				inspection => {
					dispatch({type: 'inspection-done', inspection});
				},
				(error: unknown) => {
					if (!signal.aborted) {
						dispatch({type: 'inspection-failed', path: next, message: message(error)});
					}
				},
			);
	}, [next, ports, dispatch]);
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

		// Leaving Review (or a newer request) stops the registry read: nothing waits for an abandoned plan.
		const controller = new AbortController();
		ports
			.buildPlan(chosenInspections(latest.current), {
				// The package the cluster has now may still have to be read: its progress shows on Review.
				onProgress(progress) {
					dispatch({
						type: 'baseline-progress',
						request,
						path: progress.path,
						bytesRead: progress.bytesRead,
						totalBytes: progress.totalBytes,
					});
				},
				onRegistryProgress(progress) {
					dispatch({
						type: 'registry-progress',
						request,
						done: progress.done,
						total: progress.total,
						...(progress.connectingTo ? {connectingTo: progress.connectingTo} : {}),
					});
				},
				signal: controller.signal,
			})
			.then(
				result => {
					dispatch({type: 'plan-built', request, result});
				},
				(error: unknown) => {
					dispatch({
						type: 'plan-built',
						request,
						result: {
							kind: 'plan-failed',
							message: `The plan could not be built: ${message(error)}`,
							hint: 'Check clusterConfig.yaml and the packages, then run the wizard again.',
							exitCode: exitCodes.badInput,
						},
					});
				},
			);
		return () => {
			controller.abort();
		};
	}, [building, request, ports, dispatch]);
}

/** `y` to the question `c` asked: creates the Harbor projects, then hands what came of it to the reducer. */
export function useSpaceCreation(state: WizardState, ports: WizardPorts, dispatch: Dispatch<WizardEvent>): void {
	const names = state.spaces.state === 'creating' ? state.spaces.names : undefined;
	useEffect(() => {
		if (!names) {
			return;
		}

		ports.createSpaces(names).then(
			result => {
				dispatch({type: 'spaces-created', created: result.created, error: result.error});
			},
			(error: unknown) => {
				dispatch({
					type: 'spaces-created',
					created: [],
					error: {
						kind: 'spaces-failed',
						message: `Creating the registry spaces failed: ${message(error)}`,
						hint: 'Create them in Harbor (Projects > New Project), then go back and forth to plan again.',
						exitCode: exitCodes.blocked,
					},
				});
			},
		);
	}, [names, ports, dispatch]);
}

/** The plan's packages: what a leftover in its working directory may have been unpacked from. */
const packagesOf = (state: WizardState) => (currentPlan(state)?.packages ?? []).map(item => item.path);

export function useRetry(state: WizardState, ports: WizardPorts, dispatch: Dispatch<WizardEvent>): void {
	const phase = state.retry.state;
	const index = retryStepIndex(state);
	const step = index === undefined ? undefined : currentPlan(state)?.steps[index];
	useEffect(() => {
		if (!step) {
			return;
		}

		if (phase === 'rechecking') {
			const plan = currentPlan(state);
			if (!plan || index === undefined) {
				return;
			}

			// The whole pre-flight again, the leftover counted as removed (the retry offers to remove it next).
			ports.recheck(plan, {fromStep: index + 1, removeLeftover: true}).then(
				fresh => {
					dispatch({type: 'retry-rechecked', plan: fresh});
				},
				(error: unknown) => {
					dispatch({
						type: 'retry-failed',
						error: {
							kind: 'recheck-failed',
							message: `Could not check the pre-flight again: ${message(error)}`,
							hint: 'Check the working directory and the installer, then press r again.',
							exitCode: exitCodes.runFailed,
						},
					});
				},
			);
		} else if (phase === 'measuring') {
			ports.measureLeftover(step, packagesOf(state)).then(
				leftover => {
					dispatch({type: 'leftover-measured', leftover});
				},
				(error: unknown) => {
					dispatch({
						type: 'retry-failed',
						error: {
							kind: 'measure-failed',
							message: `Could not look at the leftover directory: ${message(error)}`,
							hint: "Check the installer's working directory, then press r again.",
							exitCode: exitCodes.runFailed,
						},
					});
				},
			);
		} else if (phase === 'cleaning') {
			const consent = state.retry.state === 'cleaning' ? state.retry.consent : undefined;
			ports.cleanupLeftover(step, {packages: packagesOf(state), ...(consent ? {consent} : {})}).then(
				result => {
					dispatch({type: 'cleanup-done', result});
				},
				(error: unknown) => {
					dispatch({
						type: 'retry-failed',
						error: {
							kind: 'cleanup-failed',
							message: `Clean-up failed: ${message(error)}`,
							hint: "Remove the directory by hand (rm -rf addon-offline-target-package in the installer's folder), then press r.",
							exitCode: exitCodes.runFailed,
						},
					});
				},
			);
		}
		// eslint-disable-next-line react-hooks/exhaustive-deps -- the plan is read when the phase changes, not each time it is replaced
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
