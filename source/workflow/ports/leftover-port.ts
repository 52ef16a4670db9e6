// The guarded removal of a step's leftover addon-offline-target-package (RunOptions.cleanup).
import type {UnexplainedConsent} from '../../domain/packages/leftover-explained.js';
import type {PlanStep} from '../../domain/plan/plan.js';
import type {WizardError} from '../../domain/shared/wizard-error.js';

/**
 * What the directory is compared with (the plan's packages) and which of the paths they do not
 * explain the operator named for deletion; without consent for every one of them nothing goes.
 */
export type LeftoverRequest = {packages: readonly string[]; consent?: UnexplainedConsent};

export type LeftoverPort = {
	/**
	 * Refused while any live installer writes there, or another addon-wizard holds the working
	 * directory, or it holds files the packages do not explain that the operator did not confirm.
	 */
	cleanup(step: PlanStep, request: LeftoverRequest): Promise<{path: string; freedBytes: number} | WizardError>;
};
