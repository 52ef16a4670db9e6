// The interactive wizard on a terminal; the TTY guard that says which flags to pass without one.
import type {Options} from '../options.js';
import {exitCodes} from '../../domain/shared/wizard-error.js';
import {isWizardError} from '../../domain/shared/wizard-error.js';
import {writeError, type Io} from '../../report/io.js';
import type {RunRecord} from '../../workflow/ports/run-record-port.js';
import type {Inputs} from '../compose-inputs.js';
import {deferredPorts} from '../deferred-ports.js';
import type {Services} from './services.js';

export const noTerminalHint =
	'Pass --yes and the choices as flags, e.g. addon-wizard run --yes -c offline/sample/clusterConfig.yaml -p addon-offline-full-package-v0.11.0-amd64.tar.gz (add --json for machine-readable events)';

/**
 * The screens: a new wizard, or the live view of `attachTo` (the run main.ts decided to show).
 * Everything that decides whether they draw (the paths typed, main.ts; clusterConfig.yaml, here)
 * is answered first; the first frame then draws while the ports (`services`, compose.ts) load.
 */
export async function runWizardCommand(
	{options, attachTo}: {options: Options; attachTo?: RunRecord},
	{io, inputs, services}: {io: Io; inputs: Inputs; services(): Promise<Services>},
): Promise<number> {
	if (attachTo && options.command !== 'attach') {
		io.stderr(`addon-wizard: a run against ${attachTo.configPath} is still in progress (pid ${attachTo.wizardPid}); showing it.\n`);
	}

	const info = await inputs.clusterInfo();
	if (isWizardError(info)) {
		return writeError(io, info, false);
	}

	// Retry after an attached run fails needs the real ports: built from the config the run used.
	const ports = deferredPorts(async () => {
		const context = await (await services()).cluster();
		if (isWizardError(context)) {
			// The config was read once, above, and answered; the same answer comes back here.
			throw new Error(context.message);
		}

		return context.ports;
	});
	return inputs.runScreens(
		attachTo
			? {ports, attach: {plan: attachTo.plan}, graceSeconds: options.stopGrace}
			: {ports, preselected: options.packages, yes: options.yes, graceSeconds: options.stopGrace, notice: inputs.notice},
	);
}

export function noTerminal(options: Options, services: Services): number {
	const reason = services.terminal.dumb ? 'this terminal is TERM=dumb' : 'stdin/stdout are not a TTY';
	return writeError(
		services.io,
		{
			kind: 'no-terminal',
			message: `"${options.command}" needs a terminal and there is none (${reason}).`,
			hint: noTerminalHint,
			exitCode: exitCodes.badInput,
		},
		options.json,
	);
}
