// The Error document as `--json` prints it, built without its schema: an error said at start-up
// must not wait for zod to load (the schema is in contract/error.ts).
import {wordNextStep} from '../domain/shared/next-step.js';
import type {WizardError} from '../domain/shared/wizard-error.js';
import type {ErrorDocument} from './contract/error.js';
import {envelope} from './contract/envelope-fields.js';

/** `hint` is the next step as plain output words it (the flag to pass, not the key to press). */
export function toPublicError(error: WizardError): ErrorDocument {
	return envelope('Error', {error: {id: error.kind, message: error.message, hint: wordNextStep(error, 'plain')}, exitCode: error.exitCode});
}
