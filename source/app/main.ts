// The program: reads the process once (environment.ts), parses flags, decides the command
// (entry-decision.ts), composes the ports once (compose.ts) and turns the outcome into an exit code.
import process from 'node:process';
import type {Services} from './commands/services.js';
import type {Inputs} from './compose-inputs.js';
import {earlyAnswer} from './early-answer.js';
import {decideEntry, type ActiveRun, type Entry} from './entry-decision.js';
import {environmentFromProcess, type Environment} from './environment.js';
import {helpPage} from './help.js';
import {isWizardError, parseOptions, type Options} from './options.js';
import {exitCodes} from '../domain/shared/wizard-error.js';
import {writeError, type Io} from '../report/io.js';

const io: Io = {
	stdout: text => process.stdout.write(text),
	stderr: text => process.stderr.write(text),
};

/** A dropped SSH session must not take the run with it: ignore the hang-up, swallow writes to the dead terminal. */
function surviveHangup(environment: Environment): void {
	environment.signals.on('SIGHUP', () => undefined);
	for (const stream of [process.stdout, process.stderr, process.stdin]) {
		stream.on('error', () => undefined);
	}
}

/** The run recorded for -c (or the newest one), and whether the wizard that started it still runs. */
async function activeRunOf(options: Options, environment: Environment): Promise<() => ActiveRun | undefined> {
	const [{recordedRun}, {isAlive}] = await Promise.all([import('./recorded-run.js'), import('../adapters/host/process-control.js')]);
	return () => {
		const record = recordedRun(options, environment);
		if (isWizardError(record)) {
			// Said here, then started as if there were none; `attach` says it itself.
			if (options.command !== 'attach') {
				writeError(io, record, false);
			}

			return undefined;
		}

		return record && {record, wizardAlive: record.status === 'running' && isAlive(record.wizardPid)};
	};
}

/** `--help`, `help`, `help COMMAND`, `COMMAND --help`: printed from the tables, nothing else loaded. */
function showHelp(options: Options): number {
	io.stdout(helpPage(options.helpTopic));
	return exitCodes.ok;
}

type Command = (options: Options, services: Services) => number | Promise<number>;

/**
 * Each command's module, loaded only when it runs: `--json` scripts and `plan` never load the
 * screens, and help loads nothing (not even compose). Typed over every entry but the wizard, so a
 * new entry without a command does not compile.
 */
const commands: {[C in Exclude<Entry['command'], 'wizard'>]: () => Promise<Command>} = {
	plan: async () => (await import('./commands/plan-command.js')).runPlanCommand,
	list: async () => (await import('./commands/list-command.js')).runListCommand,
	inspect: async () => (await import('./commands/list-command.js')).runInspectCommand,
	verify: async () => (await import('./commands/verify-command.js')).runVerifyCommand,
	history: async () => (await import('./commands/history-command.js')).runHistoryCommand,
	attach: async () => (await import('./commands/attach-command.js')).runAttachCommand,
	run: async () => (await import('./commands/run-command.js')).runRunCommand,
	status: async () => (await import('./commands/status-command.js')).runStatusCommand,
	undo: async () => (await import('./commands/undo-command.js')).runUndoCommand,
	help: async () => showHelp,
	'no-terminal': async () => (await import('./commands/wizard-command.js')).noTerminal,
};

async function runEntry(entry: Entry, inputs: Inputs, services: () => Promise<Services>, environment: Environment): Promise<number> {
	if (entry.command === 'wizard') {
		surviveHangup(environment);
		const {runWizardCommand} = await import('./commands/wizard-command.js');
		// Not `services()`: the wizard draws its first frame before compose.ts loads.
		return runWizardCommand(entry, {io, inputs, services});
	}

	const command = await commands[entry.command]();
	return command(entry.options, await services());
}

/** Decides the command once, composes the ports once, from the options it decided. */
async function dispatch(options: Options, environment: Environment): Promise<number> {
	const entry = decideEntry(options, environment.terminal, await activeRunOf(options, environment));
	// What was typed is checked first, from the light part of the composition root; the ports after.
	const {composeInputs, memo} = await import('./compose-inputs.js');
	const inputs = composeInputs(entry.options, environment);
	const services = memo(async () => (await import('./compose.js')).compose(entry.options, environment, io, inputs));
	const checked = await inputs.checkInputs();
	if (checked.error && entry.command === 'run') {
		// `run` ends with a RunResult on every path, bad input included.
		const {refuseRun} = await import('./commands/run-command.js');
		return refuseRun(checked.error, entry.options, await services());
	}

	if (checked.error) {
		return writeError(io, checked.error, options.json);
	}

	for (const warning of checked.warnings) {
		io.stderr(`addon-wizard: ${warning}\n`);
	}

	return runEntry(entry, inputs, services, environment);
}

async function main(argv: string[]): Promise<number> {
	const options = parseOptions(argv);
	if (isWizardError(options)) {
		return writeError(io, options, false);
	}

	// Help and the version: the same text dist/addon-wizard.mjs prints before it loads this program.
	const answer = earlyAnswer(options);
	if (answer !== undefined) {
		io.stdout(answer);
		return exitCodes.ok;
	}

	return dispatch(options, environmentFromProcess());
}

/** The exit code of one run of the program; a bug is said as one, never as a stack. */
export async function runMain(argv: string[]): Promise<number> {
	try {
		return await main(argv);
	} catch (error) {
		// A bug, not bad input: say so and where to report it, without a wall of stack.
		process.stderr.write(
			`addon-wizard: internal error: ${error instanceof Error ? error.message : String(error)}\n  next: run again with ADDON_WIZARD_DEBUG=1 and attach the output to a ticket.\n`,
		);
		if (process.env['ADDON_WIZARD_DEBUG']) {
			process.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
		}

		return exitCodes.failure;
	}
}
