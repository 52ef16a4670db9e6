// Results that may be an error value instead: one test for all of them.
import type {WizardError} from './model.js';

export function isWizardError(value: unknown): value is WizardError {
	return typeof value === 'object' && value !== null && 'kind' in value && 'hint' in value && 'exitCode' in value;
}
