// Where plain output goes, and how an error value is worded there: one line of cause, one of
// next step; the Error document on stdout as well with --json.
import type {WizardError} from '../domain/shared/wizard-error.js';
import {wordNextStep} from '../domain/shared/next-step.js';
import {toPublicError} from './public-error.js';

export type Io = {
	stdout(text: string): void;
	stderr(text: string): void;
};

export function writeError(io: Io, error: WizardError, json: boolean): number {
	const next = wordNextStep(error, 'plain');
	if (json) {
		io.stdout(`${JSON.stringify(toPublicError(error))}\n`);
	}

	io.stderr(`addon-wizard: ${error.message}\n  next: ${next}\n`);
	return error.exitCode;
}
