// Composition root: parses flags, decides interactive or not, picks the command and turns its
// outcome into an exit code. No domain logic lives here.
import process from 'node:process';
import {isWizardError, parseOptions, type Options} from './source/cli/options.js';
import {renderHelp} from './source/cli/help.js';
import {version} from './source/cli/version.js';
import type {Environment} from './source/cli/context.js';
import type {Io} from './source/commands/io.js';

const io: Io = {
	stdout: text => process.stdout.write(text),
	stderr: text => process.stderr.write(text),
};

async function dispatch(options: Options, environment: Environment): Promise<number> {
	const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
	switch (options.command) {
		case 'plan': {
			const {runPlanCommand} = await import('./source/commands/plan-command.js');
			return runPlanCommand(options, io, environment);
		}

		case 'list': {
			const {runListCommand} = await import('./source/commands/list-command.js');
			return runListCommand(options, io, environment);
		}

		case 'inspect': {
			const {runInspectCommand} = await import('./source/commands/list-command.js');
			return runInspectCommand(options, io, environment);
		}

		case 'attach': {
			if (interactive && !options.json) {
				const {findAttachTarget} = await import('./source/commands/attach-command.js');
				if (findAttachTarget(options, environment)?.record.status === 'running') {
					const {runWizardCommand} = await import('./source/commands/wizard-command.js');
					return runWizardCommand(options, io, environment);
				}
			}

			const {runAttachCommand} = await import('./source/commands/attach-command.js');
			return runAttachCommand(options, io, environment);
		}

		default: {
			// `wizard`, and `run` without --yes: interactive when there is a terminal.
			if (options.yes && (!interactive || options.command === 'run' || options.json)) {
				const {runRunCommand} = await import('./source/commands/run-command.js');
				return runRunCommand(options, io, environment);
			}

			const {noTerminal, runWizardCommand} = await import('./source/commands/wizard-command.js');
			return interactive && !options.json ? runWizardCommand(options, io, environment) : noTerminal(io, options);
		}
	}
}

async function main(argv: string[]): Promise<number> {
	const options = parseOptions(argv);
	if (isWizardError(options)) {
		io.stderr(`addon-wizard: ${options.message}\n  next: ${options.hint}\n`);
		return options.exitCode;
	}

	if (options.help) {
		io.stdout(renderHelp());
		return 0;
	}

	if (options.version) {
		io.stdout(`${version}\n`);
		return 0;
	}

	return dispatch(options, {cwd: process.cwd(), env: process.env});
}

try {
	process.exitCode = await main(process.argv.slice(2));
} catch (error) {
	// A bug, not bad input: say so and where to report it, without a wall of stack.
	process.stderr.write(`addon-wizard: internal error: ${error instanceof Error ? error.message : String(error)}\n  next: run again with ADDON_WIZARD_DEBUG=1 and attach the output to a ticket.\n`);
	if (process.env['ADDON_WIZARD_DEBUG']) {
		process.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
	}

	process.exitCode = 1;
}
