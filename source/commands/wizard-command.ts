// The interactive wizard on a terminal; the TTY guard that says which flags to pass without one.
import {createContext, type Environment} from '../cli/context.js';
import {isWizardError, type Options} from '../cli/options.js';
import {exitCodes} from '../domain/model.js';
import {isAlive} from '../adapters/process-alive.js';
import {runWizard, shouldUseAscii} from '../ui/run-wizard.js';
import {findAttachTarget} from './attach-command.js';
import {writeError, type Io} from './io.js';

export const noTerminalHint = 'Pass --yes and the choices as flags, e.g. addon-wizard run --yes -c offline/sample/clusterConfig.yaml -p addon-offline-full-package-v0.11.0-amd64.tar.gz (add --json for machine-readable events).';

export const sshNotice = 'You are on SSH outside tmux/screen: if the connection drops, the import keeps running; come back with `addon-wizard attach`. Starting the wizard inside tmux is safer.';

export function sshWithoutMultiplexer(env: Record<string, string | undefined>): boolean {
	return Boolean(env['SSH_CONNECTION'] ?? env['SSH_TTY']) && !env['TMUX'] && !env['STY'];
}

/** A dropped SSH session must not take the run with it: ignore the hang-up, swallow writes to the dead terminal. */
function surviveHangup(): void {
	process.on('SIGHUP', () => undefined);
	for (const stream of [process.stdout, process.stderr, process.stdin]) {
		stream.on('error', () => undefined);
	}
}

export async function runWizardCommand(options: Options, io: Io, environment: Environment): Promise<number> {
	const {env} = environment;
	// Shown on the first screen rather than printed: Ink's first frames would scroll it away.
	const notice = sshWithoutMultiplexer(env) ? sshNotice : undefined;

	surviveHangup();
	const ascii = shouldUseAscii(env);
	const running = findAttachTarget(options, environment);
	if (running && (options.command === 'attach' || (running.record.status === 'running' && isAlive(running.record.wizardPid)))) {
		if (options.command !== 'attach') {
			io.stderr(`addon-wizard: a run against ${running.record.configPath} is still in progress (pid ${running.record.wizardPid}); showing it.\n`);
		}

		// Retry after an attached run fails needs the real ports: built from the config the run used.
		const context = await createContext({...options, config: running.record.configPath}, environment);
		if (isWizardError(context)) {
			return writeError(io, context, false);
		}

		return runWizard({ports: context.ports, attach: {plan: running.record.plan, start: running.start}, ascii, graceSeconds: options.stopGrace});
	}

	const context = await createContext(options, environment);
	if (isWizardError(context)) {
		return writeError(io, context, false);
	}

	return runWizard({ports: context.ports, preselected: context.options.packages, yes: options.yes, ascii, graceSeconds: options.stopGrace, notice});
}

export function noTerminal(io: Io, options: Options): number {
	return writeError(io, {kind: 'no-terminal', message: `"${options.command}" needs a terminal and there is none (stdin/stdout are not a TTY).`, hint: noTerminalHint, exitCode: exitCodes.badInput}, options.json);
}
