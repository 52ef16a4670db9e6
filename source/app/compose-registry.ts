// The composition root's registry wiring: where the cluster's registry is (config, flags, the
// login variables, this host's addresses) and a port onto it, opened per use.
import path from 'node:path';
import {readClusterConfigDocument} from '../adapters/config/cluster-config.js';
import {createRegistryPort} from '../adapters/registry/registry-port.js';
import {createRestorePort} from '../adapters/registry/registry-snapshot.js';
import type {RestorePort} from '../workflow/ports/snapshot-port.js';
import type {WizardError} from '../domain/shared/wizard-error.js';
import {locateRegistry, type RegistryFlags, type RegistryLocation, type RegistrySecrets} from '../domain/registry/location.js';
import type {SpacesCreated} from '../workflow/ports/ports.js';
import type {RegistryPort} from '../workflow/ports/registry-port.js';
import type {Environment} from './environment.js';
import {isWizardError, type Options} from './options.js';
import {registryEnvValues} from './compose-inputs.js';

/** Creates the spaces through a port opened for it and closed after. */
export async function createSpacesWith(open: () => RegistryPort | WizardError, names: string[]): Promise<SpacesCreated> {
	const port = open();
	if (isWizardError(port)) {
		return {created: [], error: port};
	}

	try {
		return await port.createSpaces(names);
	} finally {
		await port.close();
	}
}

/** The registry flags as locateRegistry takes them, paths resolved from the working directory. */
function registryFlags(options: Options, cwd: string): RegistryFlags {
	return {
		registry: options.registry,
		chartRepo: options.chartRepo,
		caFile: options.registryCa === undefined ? undefined : path.resolve(cwd, options.registryCa),
		insecure: options.registryInsecure,
	};
}

/**
 * Where the cluster's registry and chart repository are: clusterConfig.yaml's imagesAndCharts, the
 * --registry/--chart-repo flags, the login variables, this host's addresses (builtin registries).
 * One function for every surface that reads the registry (the plan's diff, each step's check, verify).
 */
export async function locateClusterRegistry(
	options: Options,
	environment: Environment,
	configPath: string,
): Promise<{location: RegistryLocation; secrets: RegistrySecrets} | WizardError> {
	const document = await readClusterConfigDocument(configPath);
	if (isWizardError(document)) {
		return document;
	}

	return locateRegistry({
		document,
		flags: registryFlags(options, environment.cwd),
		env: registryEnvValues(environment.env),
		candidateHosts: environment.hostAddresses(),
	});
}

/** A registry port for the cluster; each call opens a new one (its caller closes it). */
export async function openClusterRegistry(
	options: Options,
	environment: Environment,
	configPath: string,
): Promise<RegistryPort | WizardError> {
	const located = await locateClusterRegistry(options, environment, configPath);
	return isWizardError(located)
		? located
		: createRegistryPort({location: located.location, secrets: located.secrets, now: environment.now});
}

/** The snapshot and restore port for the cluster's registry (its caller closes it). */
export async function openClusterRestore(
	options: Options,
	environment: Environment,
	configPath: string,
): Promise<RestorePort | WizardError> {
	const located = await locateClusterRegistry(options, environment, configPath);
	return isWizardError(located) ? located : createRestorePort({location: located.location, secrets: located.secrets});
}
