// The part of the composition root a command reads before any port is built: the paths its flags
// name, the --checksums list, the --result-file, clusterConfig.yaml read once, the SSH notice and
// the screens. Light on purpose (no zod, execa or undici; no run, registry or plan adapters): the
// wizard learns from it whether it can draw, and draws its first frame while compose.ts and the
// ports load behind it. compose.ts builds on the same value, so nothing is read twice.
import path from 'node:path';
import {readClusterConfig} from '../adapters/config/cluster-config.js';
import {locateClusterConfig} from '../adapters/config/resolve-paths.js';
import {loadChecksums} from '../adapters/packages/checksum-file.js';
import {checkResultFile} from '../adapters/shared/result-file.js';
import type {ClusterConfigInfo} from '../domain/config/config-facts.js';
import {registryEnvironment, type RegistryEnvValues} from '../domain/registry/location.js';
import type {WizardError} from '../domain/shared/wizard-error.js';
import type {Environment} from './environment.js';
import {checkGivenPaths} from './given-paths.js';
import {isWizardError, type Options} from './options.js';
import type {ScreenOptions} from './commands/services.js';

export const sshNotice =
	'You are on SSH outside tmux/screen: if the connection drops, the import keeps running; come back with `addon-wizard attach`. Starting the wizard inside tmux is safer.';

export function sshWithoutMultiplexer(env: Environment['env']): boolean {
	return Boolean(env['SSH_CONNECTION'] ?? env['SSH_TTY']) && !env['TMUX'] && !env['STY'];
}

/** The registry logins the environment gives (names in `registryEnvironment`); never printed. */
export function registryEnvValues(env: Environment['env']): RegistryEnvValues {
	const value = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
	return {
		registryUser: value(registryEnvironment.registryUser),
		registryPassword: value(registryEnvironment.registryPassword),
		chartUser: value(registryEnvironment.chartUser),
		chartPassword: value(registryEnvironment.chartPassword),
	};
}

export function memo<T>(make: () => Promise<T>): () => Promise<T> {
	let value: Promise<T> | undefined;
	return async () => {
		value ??= make();
		return value;
	};
}

export type ClusterInfo = {configPath: string; cluster: ClusterConfigInfo};

/** What a command has before compose.ts loads. */
export type Inputs = {
	/** The --checksums list (undefined without the flag), read once. */
	checksums(): Promise<Awaited<ReturnType<typeof loadChecksums>>>;
	/**
	 * What was typed, checked before anything is read or printed: every path a flag of this command
	 * names (given-paths.ts), then the --checksums file. An error ends the command (exit 2);
	 * warnings are said once.
	 */
	checkInputs(): Promise<{error?: WizardError; warnings: string[]}>;
	/** clusterConfig.yaml located and read once, or why it cannot be. */
	clusterInfo(): Promise<ClusterInfo | WizardError>;
	/** Said once on the first screen (the SSH-outside-tmux advice), when it applies. */
	notice?: string;
	/** Mounts the screens and resolves with the exit code. */
	runScreens(options: ScreenOptions): Promise<number>;
};

/** clusterConfig.yaml located and read once; the environment's registry passwords are masked wherever the config's are. */
function clusterInfoOnce(options: Options, environment: Environment): () => Promise<ClusterInfo | WizardError> {
	const registryEnv = registryEnvValues(environment.env);
	const envSecrets = [registryEnv.registryPassword, registryEnv.chartPassword].filter((item): item is string => item !== undefined);
	return memo(async () => {
		const configPath = await locateClusterConfig(options.config, environment.cwd);
		if (isWizardError(configPath)) {
			return configPath;
		}

		const cluster = await readClusterConfig(configPath);
		return isWizardError(cluster) ? cluster : {configPath, cluster: {...cluster, secrets: [...(cluster.secrets ?? []), ...envSecrets]}};
	});
}

export function composeInputs(options: Options, environment: Environment): Inputs {
	const resolve = (file: string) => path.resolve(environment.cwd, file);
	const checksums = memo(async () => loadChecksums(options.checksums ? resolve(options.checksums) : undefined));
	return {
		checksums,
		async checkInputs() {
			const badPath = await checkGivenPaths(options, environment.cwd);
			if (badPath) {
				return {error: badPath, warnings: []};
			}

			const list = await checksums();
			const resultFileProblem = options.resultFile ? await checkResultFile(resolve(options.resultFile)) : undefined;
			const error = isWizardError(list) ? list : resultFileProblem;
			return error ? {error, warnings: []} : {warnings: isWizardError(list) ? [] : (list?.warnings ?? [])};
		},
		clusterInfo: clusterInfoOnce(options, environment),
		notice: sshWithoutMultiplexer(environment.env) ? sshNotice : undefined,
		// The screens (Ink, React, yoga) load only when the wizard draws: every other command starts without them.
		async runScreens(screenOptions) {
			const {runWizard} = await import('../ui/run-wizard.js');
			return runWizard({
				...screenOptions,
				ascii: environment.terminal.ascii,
				color: environment.terminal.color,
				signals: environment.signals,
			});
		},
	};
}
