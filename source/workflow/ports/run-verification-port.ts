// How a run checks each step against the registry (workflow/run/verify-run.ts): read before the
// step, read again after it.
import type {WizardError} from '../../domain/shared/wizard-error.js';
import type {RegistryPort} from './registry-port.js';

/**
 * `open` is called once per run; a WizardError from it (no registry located, a CA file that cannot
 * be read) makes every step "finished, not verified", saying why.
 */
export type RunVerification =
	| {
			mode: 'registry';
			open(): Promise<RegistryPort | WizardError>;
			/** --cluster-arches: arches the tags must carry beside what the registry shows. */ clusterArches: readonly string[];
	  }
	/** The operator chose not to check (--no-verify): steps are judged by the installer alone, and say so. */
	| {mode: 'off'; reason: string};
