// The interactive wizard on a terminal; the TTY guard that says which flags to pass without one.
import type {Options} from '../options.js';
import {exitCodes} from '../../domain/shared/wizard-error.js';
import {isWizardError} from '../../domain/shared/wizard-error.js';
import {writeError} from '../../report/io.js';
import type {RunRecord} from '../../workflow/ports/run-record-port.js';
import type {Services} from './services.js';

export const noTerminalHint =
	'Pass --yes and the choices as flags, e.g. addon-wizard run --yes -c offline/sample/clusterConfig.yaml -p addon-offline-full-package-v0.11.0-amd64.tar.gz (add --json for machine-readable events)';

/** The screens: a new wizard, or the live view of `attachTo` (the run main.ts decided to show). */
export async function runWizardCommand(options: Options, services: Services, attachTo?: RunRecord): Promise<number> {
	if (attachTo && options.command !== 'attach') {
		services.io.stderr(
			`addon-wizard: a run against ${attachTo.configPath} is still in progress (pid ${attachTo.wizardPid}); showing it.\n`,
		);
	}

	// Retry after an attached run fails needs the real ports: built from the config the run used.
	const context = await services.cluster();
	if (isWizardError(context)) {
		return writeError(services.io, context, false);
	}

	return services.runScreens(
		attachTo
			? {ports: context.ports, attach: {plan: attachTo.plan}, graceSeconds: options.stopGrace}
			: {ports: context.ports, preselected: options.packages, yes: options.yes, graceSeconds: options.stopGrace, notice: services.notice},
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
