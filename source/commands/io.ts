import type {WizardError} from '../domain/model.js';

export type Io = {
	stdout(text: string): void;
	stderr(text: string): void;
};

/** One line of cause, one of next step; as a JSON object on stdout when --json. */
export function writeError(io: Io, error: WizardError, json: boolean): number {
	if (json) {
		io.stdout(`${JSON.stringify({type: 'error', kind: error.kind, message: error.message, hint: error.hint})}\n`);
	}

	io.stderr(`addon-wizard: ${error.message}\n  next: ${error.hint}\n`);
	return error.exitCode;
}
