// The Result screen's next attempts. `r`: check the pre-flight again, look for the installer's
// leftover, ask before removing it, remove it, run the failed step again. `i`: the chained step the
// verification asks for (the same version's other-arch package, after the <0.12.0 conversion took
// that arch away): find its file on this host, read it, plan it with its pre-flight, and run it
// after the steps already run.
import {matchChainPackages} from '../../domain/run/chain-step.js';
import {exitCodes, type WizardError} from '../../domain/shared/wizard-error.js';
import type {ChainSuggestion} from '../../domain/run/run-events.js';
import type {DiscoveredPackage, PackageInspection} from '../../domain/packages/inspection.js';
import type {Plan} from '../../domain/plan/plan.js';
import {packageArch, packageVersion} from '../../domain/plan/decide-operation.js';
import {retryBlocks} from '../../domain/plan/preflight.js';
import {isWizardError} from '../../domain/shared/wizard-error.js';
import {withRecheckedPlan} from './plan-slice.js';
import {beginChainRun, beginRun} from './run-slice.js';
import {chainInsteadOfRetry, chainOffer, currentPlan, retryStepIndex} from './selectors.js';
import type {ChainState, Leftover, WizardEvent, WizardState} from './state.js';

function retry(state: WizardState): WizardState {
	if (state.screen !== 'result' || retryStepIndex(state) === undefined || chainInsteadOfRetry(state) || !chainIdle(state.chain)) {
		return state;
	}

	return state.retry.state === 'idle' || state.retry.state === 'error' || state.retry.state === 'blocked'
		? {...state, retry: {state: 'rechecking'}}
		: state;
}

/** The plan as the recheck found it: what still blocks stops the retry here; else on to the leftover. */
function rechecked(state: WizardState, plan: Plan): WizardState {
	if (state.retry.state !== 'rechecking') {
		return state;
	}

	const next = withRecheckedPlan(state, plan);
	const checks = retryBlocks(plan);
	return {...next, retry: checks.length > 0 ? {state: 'blocked', checks} : {state: 'measuring'}};
}

function leftoverMeasured(state: WizardState, leftover: Leftover | undefined): WizardState {
	if (state.retry.state !== 'measuring') {
		return state;
	}

	return leftover ? {...state, retry: {state: 'ask', leftover}} : beginRun(state, retryStepIndex(state) ?? 0);
}

function cleanupDone(state: WizardState, result: {path: string; freedBytes: number} | WizardError): WizardState {
	if (state.retry.state !== 'cleaning') {
		return state;
	}

	return isWizardError(result) ? {...state, retry: {state: 'error', error: result}} : beginRun(state, retryStepIndex(state) ?? 0, result);
}

/** The chain may start again after it found nothing or failed: the operator may have fixed that. */
const chainIdle = (chain: ChainState) => chain.state === 'idle' || chain.state === 'missing' || chain.state === 'error';

function startChain(state: WizardState): WizardState {
	const suggestion = chainOffer(state);
	if (!suggestion || !chainIdle(state.chain) || (state.retry.state !== 'idle' && state.retry.state !== 'error')) {
		return state;
	}

	// The host is searched again: the file may have been downloaded since the wizard started.
	return {...state, chain: {state: 'looking', suggestion}};
}

/** Why a package read for the chain cannot be used, or undefined when it can. */
function unusable(inspection: PackageInspection, suggestion: ChainSuggestion): string | undefined {
	const blocking = inspection.findings.find(finding => finding.severity === 'error');
	if (!inspection.complete || blocking) {
		return blocking?.message ?? 'the package is damaged (truncated or corrupt)';
	}

	if (packageVersion(inspection) !== suggestion.version || packageArch(inspection) !== suggestion.arch) {
		return `its contents say ${packageVersion(inspection)} ${packageArch(inspection) ?? 'unknown arch'}, not ${suggestion.version} ${suggestion.arch}`;
	}

	return undefined;
}

function chainError(suggestion: ChainSuggestion, message: string, hint: string): ChainState {
	return {state: 'error', suggestion, error: {kind: 'chain-unavailable', message, hint, exitCode: exitCodes.blocked}};
}

/** Reading is over once every file is read; each must be the package asked for. */
function afterRead(state: WizardState, suggestion: ChainSuggestion, paths: string[], read: PackageInspection[]): WizardState {
	for (const inspection of read) {
		const reason = unusable(inspection, suggestion);
		if (reason) {
			return {
				...state,
				chain: chainError(
					suggestion,
					`${inspection.fileName} cannot be integrated: ${reason}.`,
					'Download the file again from the Download Center (check its sha512), then press i.',
				),
			};
		}
	}

	return read.length === paths.length
		? {...state, chain: {state: 'planning', suggestion, inspections: read}}
		: {...state, chain: {state: 'reading', suggestion, paths, read}};
}

function chainDiscovered(state: WizardState, packages: DiscoveredPackage[]): WizardState {
	if (state.chain.state !== 'looking') {
		return state;
	}

	const {suggestion} = state.chain;
	const match = matchChainPackages(suggestion, packages);
	if (match.found.length === 0 || match.missing.length > 0) {
		return {...state, chain: {state: 'missing', suggestion, fileNames: match.missing.length > 0 ? match.missing : suggestion.fileNames}};
	}

	const paths = match.found.map(item => item.path);
	const read = paths.map(file => state.inspections[file]).flatMap(status => (status?.state === 'done' ? [status.inspection] : []));
	return afterRead(state, suggestion, paths, read);
}

function chainInspected(state: WizardState, inspection: PackageInspection): WizardState {
	if (state.chain.state !== 'reading' || !state.chain.paths.includes(inspection.path)) {
		return state;
	}

	const {suggestion, paths, read} = state.chain;
	return afterRead(state, suggestion, paths, [...read.filter(item => item.path !== inspection.path), inspection]);
}

/** Step ids stay unique when the chain's plan numbers its steps from 0 again. */
function uniqueId(id: string, taken: Set<string>): string {
	let candidate = id;
	for (let index = 2; taken.has(candidate); index++) {
		candidate = `${id}-${index}`;
	}

	taken.add(candidate);
	return candidate;
}

/** The plan that was run, with the chained plan's steps after its own; the chained plan's checks hold. */
export function appendChainedSteps(previous: Plan, chained: Plan): {plan: Plan; fromStep: number} {
	const taken = new Set(previous.steps.map(step => step.id));
	const added = chained.steps.map(step => ({...step, id: uniqueId(step.id, taken)}));
	const packages = [...previous.packages, ...chained.packages.filter(item => !previous.packages.some(known => known.path === item.path))];
	return {plan: {...chained, steps: [...previous.steps, ...added], packages}, fromStep: previous.steps.length};
}

function chainPlanned(state: WizardState, result: Plan | WizardError): WizardState {
	const previous = currentPlan(state);
	if (state.chain.state !== 'planning' || !previous) {
		return state;
	}

	const {suggestion} = state.chain;
	if (isWizardError(result)) {
		return {...state, chain: {state: 'error', suggestion, error: result}};
	}

	const block = result.preflight?.find(row => row.status === 'block') ?? result.findings.find(finding => finding.severity === 'error');
	if (result.blocked || result.steps.length === 0) {
		return {
			...state,
			chain: chainError(
				suggestion,
				`The chained step cannot run: ${block?.message ?? 'the plan has no step to run'}`,
				block?.hint ?? 'Fix what it names, then press i again.',
			),
		};
	}

	const {plan, fromStep} = appendChainedSteps(previous, result);
	return beginChainRun(state, plan, fromStep);
}

export type ChainEvent = Extract<WizardEvent, {type: 'chain' | 'chain-discovered' | 'chain-inspected' | 'chain-planned' | 'chain-failed'}>;

export function chainReducer(state: WizardState, event: ChainEvent): WizardState {
	switch (event.type) {
		case 'chain': {
			return startChain(state);
		}

		case 'chain-discovered': {
			return chainDiscovered(state, event.packages);
		}

		case 'chain-inspected': {
			return chainInspected(state, event.inspection);
		}

		case 'chain-planned': {
			return chainPlanned(state, event.result);
		}

		case 'chain-failed': {
			const {chain} = state;
			return chain.state === 'looking' || chain.state === 'reading' || chain.state === 'planning'
				? {...state, chain: {state: 'error', suggestion: chain.suggestion, error: event.error}}
				: state;
		}
	}
}

export type RetryEvent = Extract<
	WizardEvent,
	{
		type:
			| 'retry'
			| 'retry-rechecked'
			| 'leftover-measured'
			| 'cleanup-accepted'
			| 'cleanup-type'
			| 'cleanup-erase'
			| 'cleanup-declined'
			| 'cleanup-done'
			| 'retry-failed';
	}
>;

/** The word typed under the unexplained paths' names that confirms their deletion; `y` alone never does. */
export const confirmUnexplainedWord = 'delete';

/**
 * y (or enter) on the Result's question. A leftover holding files its packages do not explain goes
 * only once `delete` was typed under their names, and the clean-up is told exactly those names.
 */
function cleanupAccepted(state: WizardState): WizardState {
	if (state.retry.state !== 'ask') {
		return state;
	}

	const {leftover, typed} = state.retry;
	if (!leftover.unexplained) {
		return {...state, retry: {state: 'cleaning', leftover}};
	}

	return typed?.trim() === confirmUnexplainedWord
		? {...state, retry: {state: 'cleaning', leftover, consent: leftover.unexplained.paths}}
		: {...state, retry: {...state.retry, notConfirmed: true}};
}

function cleanupTyped(state: WizardState, edit: (typed: string) => string): WizardState {
	return state.retry.state === 'ask' && state.retry.leftover.unexplained
		? {...state, retry: {...state.retry, typed: edit(state.retry.typed ?? '').slice(0, 32), notConfirmed: false}}
		: state;
}

export function retryReducer(state: WizardState, event: RetryEvent): WizardState {
	switch (event.type) {
		case 'retry': {
			return retry(state);
		}

		case 'retry-rechecked': {
			return rechecked(state, event.plan);
		}

		case 'leftover-measured': {
			return leftoverMeasured(state, event.leftover);
		}

		case 'cleanup-accepted': {
			return cleanupAccepted(state);
		}

		case 'cleanup-type': {
			return cleanupTyped(state, typed => typed + event.text);
		}

		case 'cleanup-erase': {
			return cleanupTyped(state, typed => [...typed].slice(0, -1).join(''));
		}

		case 'cleanup-declined': {
			return state.retry.state === 'ask' ? {...state, retry: {state: 'idle'}} : state;
		}

		case 'cleanup-done': {
			return cleanupDone(state, event.result);
		}

		case 'retry-failed': {
			return state.retry.state === 'rechecking' || state.retry.state === 'measuring' || state.retry.state === 'cleaning'
				? {...state, retry: {state: 'error', error: event.error}}
				: state;
		}
	}
}
