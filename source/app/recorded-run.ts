// The run for -c (or the newest one, without -c), from any account: this user's own record, or
// the run another operator's wizard holds the lock for in the working directory or beside the
// config. One look-up for the entry decision, `attach` and `status`, so all find the same run. A
// record of this user's that cannot be read comes back as the error that says why; it is never used.
import path from 'node:path';
import {lookUpRun as lookUpRunIn} from '../adapters/run/run-lookup.js';
import type {WizardError} from '../domain/shared/wizard-error.js';
import type {RunLookup, RunRecord} from '../workflow/ports/run-record-port.js';
import type {Environment} from './environment.js';
import type {Options} from './options.js';

export function lookUpRun(options: Pick<Options, 'config' | 'workdir'>, environment: Pick<Environment, 'paths' | 'cwd'>): RunLookup {
	const configPath = options.config ? path.resolve(environment.cwd, options.config) : undefined;
	return lookUpRunIn(environment.paths.state, configPath, [path.resolve(environment.cwd, options.workdir ?? '.')]);
}

/** The run's record, when there is one this user may read; why not, when this user's own cannot be used. */
export function recordedRun(
	options: Pick<Options, 'config' | 'workdir'>,
	environment: Pick<Environment, 'paths' | 'cwd'>,
): RunRecord | WizardError | undefined {
	const found = lookUpRun(options, environment);
	return found.found === 'record' ? found.record : found.found === 'refused' ? found.error : undefined;
}
