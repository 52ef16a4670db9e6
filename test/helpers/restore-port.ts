// The restore port (undo's registry side) on a test registry, located as `--registry URL` with the
// registry's own login: what the undo tests talk to.
import {createRestorePort, type SnapshotPortOptions} from '../../source/adapters/registry/registry-snapshot.js';
import {locateRegistry} from '../../source/domain/registry/location.js';
import {isWizardError} from '../../source/domain/shared/wizard-error.js';
import type {RestorePort} from '../../source/workflow/ports/snapshot-port.js';
import type {TestRegistry} from './registry.js';

export function restorePortFor(
	registry: Pick<TestRegistry, 'url' | 'username' | 'password'>,
	http: SnapshotPortOptions['http'] = {},
): RestorePort {
	const located = locateRegistry({
		document: undefined,
		flags: {registry: registry.url},
		env: {registryUser: registry.username, registryPassword: registry.password},
	});
	if (isWizardError(located)) {
		throw new Error(located.message);
	}

	return createRestorePort({location: located.location, secrets: located.secrets, http: {retryDelayMs: 5, caBundles: [], ...http}});
}
