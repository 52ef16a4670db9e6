// The guarded removal of a step's leftover addon-offline-target-package (RunOptions.cleanup).
import type {PlanStep} from '../../domain/plan/plan.js';
import type {WizardError} from '../../domain/shared/wizard-error.js';

export type LeftoverPort = {
	/** Refused while any live installer writes there, or another addon-wizard holds the working directory. */
	cleanup(step: PlanStep): Promise<{path: string; freedBytes: number} | WizardError>;
};
