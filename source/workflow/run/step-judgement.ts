// How a step's read-back becomes its check: verified, failed (something known wrong: an image or
// chart missing, a tag that lost an arch), deferred (a later step of the plan restores the arch),
// or not made (tags or the chart repository unread, nothing known wrong).
import {describeSuggestion} from '../../domain/run/chain-step.js';
import type {ChainSuggestion, FailureCause, StepVerification} from '../../domain/run/run-events.js';
import type {PlanStep} from '../../domain/plan/plan.js';
import type {WizardError} from '../../domain/shared/wizard-error.js';
import type {StepCheck} from '../../domain/run/step-verdict.js';
import {chartsMissing, chartsUnread} from '../../domain/registry/verify-charts.js';
import type {VerifyPurpose, VerifyResult} from '../../domain/registry/verify-step.js';

export type VerifiedStep = {check: StepCheck; verification: StepVerification};

/** The check a result makes: failed, passed, or (some tags unreadable, nothing known wrong) not made. */
export function judge(
	result: VerifyResult,
	subject: {purpose: VerifyPurpose},
	later: Map<string, PlanStep>,
	chain: ChainSuggestion[],
): {state: 'verified' | 'failed' | 'deferred'; laterStepId?: string; check: Omit<StepCheck, 'name'>} {
	if (result.verified) {
		return {state: 'verified', check: {}};
	}

	const known =
		result.missing.count +
		result.different.count +
		result.lostArch.count +
		chartsMissing(result.charts) +
		(subject.purpose === 'integration' ? result.lackingClusterArch.count : 0);
	const lostArches = [...new Set(result.lostArch.first.flatMap(item => item.lost))];
	if (
		result.missing.count + result.different.count + result.unreadable.count + chartsMissing(result.charts) === 0 &&
		!chartsUnread(result.charts) &&
		(subject.purpose !== 'integration' || result.lackingClusterArch.count === 0) &&
		lostArches.length > 0 &&
		lostArches.every(arch => later.has(arch))
	) {
		// The plan itself integrates the lost arch again next: the conversion is expected, not a failure.
		return {state: 'deferred', laterStepId: later.get(lostArches[0]!)!.id, check: {}};
	}

	const failure: FailureCause =
		known === 0
			? {
					kind: 'not-verified',
					message: `The installer exited cleanly, but ${result.message.charAt(0).toLowerCase()}${result.message.slice(1)}`,
					hint: result.hint,
					cause:
						result.unreadable.count === 0 && result.charts?.state === 'unreadable' ? result.charts.error.kind : 'registry-tags-unreadable',
				}
			: {
					kind: 'verification-failed',
					message: result.message,
					hint:
						chain.length > 0
							? `Integrate ${describeSuggestion(chain[0]!)} (import -addon) to put the lost architecture back.`
							: result.hint,
					cause: result.cause?.kind,
				};
	return {state: 'failed', check: {failure, unverified: known === 0}};
}

export function notVerified(registry: string | undefined, error: Pick<WizardError, 'kind' | 'message' | 'hint'>): VerifiedStep {
	const where = registry ? `the registry ${registry}` : 'the registry';
	return {
		check: {
			name: 'registry',
			unverified: true,
			failure: {
				kind: 'not-verified',
				message: `The installer exited cleanly, but ${where} could not be read after the step, so what it left is not known: ${error.message}`,
				hint: `${error.hint.replace(/[.!?]\s*$/, '')}; then check what the step left with addon-wizard verify (or run with --no-verify to judge steps by the installer alone)`,
				cause: error.kind,
			},
		},
		verification: {state: 'unreadable', registry, error: {kind: error.kind, message: error.message, hint: error.hint}},
	};
}
