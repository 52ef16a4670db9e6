// The run recorded on this host for -c (or the newest one, without -c): one look-up for the entry
// decision and for `attach`, so both find the same run. A record that cannot be read comes back as
// the error that says why, for the caller to say; it is never used.
import path from 'node:path';
import {findRecordOrCause} from '../adapters/run/run-record.js';
import type {WizardError} from '../domain/shared/wizard-error.js';
import type {RunRecord} from '../workflow/ports/run-record-port.js';
import type {Environment} from './environment.js';
import type {Options} from './options.js';

export function recordedRun(
	options: Pick<Options, 'config'>,
	environment: Pick<Environment, 'paths' | 'cwd'>,
): RunRecord | WizardError | undefined {
	return findRecordOrCause(environment.paths.state, options.config ? path.resolve(environment.cwd, options.config) : undefined);
}
