// Pure questions the screens, hooks and slices ask of the state.
import type {ChainSuggestion} from '../../domain/run/run-events.js';
import type {DiscoveredPackage, PackageInspection} from '../../domain/packages/inspection.js';
import type {Plan} from '../../domain/plan/plan.js';
import {outcomeExitCode} from '../run/outcome-exit-code.js';
import {exitCodes} from '../../domain/shared/wizard-error.js';
import type {WizardState} from './state.js';
import {undoPutBack} from './undo-target.js';

/** Why a package cannot be chosen, or undefined when it can. */
export function unavailableReason(state: WizardState, item: DiscoveredPackage): string | undefined {
	if (item.status === 'incomplete') {
		return item.findings[0]?.message ?? 'Incomplete download.';
	}

	const status = state.inspections[item.path];
	if (status?.state === 'failed') {
		return `Could not be read: ${status.message}`;
	}

	if (status?.state === 'done') {
		const blocking = status.inspection.findings.find(finding => finding.severity === 'error');
		if (blocking) {
			return blocking.message;
		}

		if (!status.inspection.complete) {
			return 'The package is damaged (truncated or corrupt).';
		}
	}

	return undefined;
}

export function isOfferable(state: WizardState, item: DiscoveredPackage): boolean {
	return unavailableReason(state, item) === undefined;
}

/** The chosen packages in list order, which is the order the plan sees them in. */
export function chosenPackages(state: WizardState): DiscoveredPackage[] {
	return state.packages.filter(item => state.selected.includes(item.path));
}

export function chosenInspections(state: WizardState): PackageInspection[] {
	return chosenPackages(state).flatMap(item => {
		const status = state.inspections[item.path];
		return status?.state === 'done' ? [status.inspection] : [];
	});
}

/**
 * The package to read next: none while one is being read (they share one disk; two at once is
 * slower for both), else a chosen one first, so Review waits for as little as possible.
 */
export function nextInspection(state: WizardState): string | undefined {
	if (state.discovery.state !== 'done') {
		return undefined;
	}

	const entries = Object.entries(state.inspections);
	if (entries.some(([, status]) => status.state === 'progress')) {
		return undefined;
	}

	const pending = entries.filter(([, status]) => status.state === 'pending').map(([path]) => path);
	return pending.find(path => state.selected.includes(path)) ?? pending[0];
}

export function currentPlan(state: WizardState): Plan | undefined {
	return state.plan.state === 'ready' ? state.plan.plan : undefined;
}

/** The step a retry starts from, when the last run failed at one. */
export function retryStepIndex(state: WizardState): number | undefined {
	const run = state.run;
	if (!run?.outcome || run.outcome.ok) {
		return undefined;
	}

	return run.outcome.failedStepIndex ?? run.failedStepIndex;
}

export function resultExitCode(state: WizardState): number {
	const outcome = state.run?.outcome;
	return outcome ? outcomeExitCode(outcome) : exitCodes.failure;
}

/** The chained step the last verification that asked for one says to integrate, and that step's index. */
function chainAsked(state: WizardState): {index: number; suggestion: ChainSuggestion | undefined} | undefined {
	const run = state.run;
	if (state.screen !== 'result' || !run?.outcome) {
		return undefined;
	}

	const verifications = run.verifications ?? [];
	for (let index = verifications.length - 1; index >= 0; index--) {
		const verification = verifications[index];
		if (verification && (verification.state === 'verified' || verification.state === 'failed')) {
			return {index, suggestion: verification.chain[0]};
		}
	}

	return undefined;
}

/**
 * The chained step the Result offers (`i`): what the last verification that asked for one says to
 * integrate, unless a later step of the plan already did and was verified, or z put the step's
 * tags back (the other arch would then be fused into the lists from before the step).
 */
export function chainOffer(state: WizardState): ChainSuggestion | undefined {
	const asked = chainAsked(state);
	return asked && !undoPutBack(state, asked.index) ? asked.suggestion : undefined;
}

/**
 * After a verification that found lost arches, running the same step again would only lose them
 * again: the chained integration (`i`) is the next step, and `r` is not offered.
 */
export function chainInsteadOfRetry(state: WizardState): boolean {
	// Asked of the verification, not of the offer: after z put the tags back, r would clobber them again.
	return state.run?.failure?.kind === 'verification-failed' && chainAsked(state)?.suggestion !== undefined;
}
