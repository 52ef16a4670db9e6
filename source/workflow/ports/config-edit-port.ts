// Changing clusterConfig.yaml for a step (with a backup), and putting it back from that backup.
import type {ConfigEdit} from '../../domain/config/config-facts.js';
import type {WizardError} from '../../domain/shared/wizard-error.js';

export type RestoredConfig = {restoredPath: string; replacedCopyPath: string};

export type ConfigEditPort = {
	apply(edit: ConfigEdit): Promise<{backupPath: string} | WizardError>;
	/** Refused when the file changed since the run wrote it. */
	restore(edit: ConfigEdit, backupPath: string): Promise<RestoredConfig | WizardError>;
};
