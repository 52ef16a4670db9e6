// Which command this process runs, decided once and before any port is built: start the wizard or
// show a run that is still going, and from which config. main.ts reads the facts (the run record,
// whether its wizard lives) and composes the ports once, from the options decided here.
import type {RunRecord} from '../workflow/ports/run-record-port.js';
import type {TerminalFacts} from './environment.js';
import type {Options} from './options.js';

/** The run recorded for -c (or the newest one), and whether the wizard that started it still runs. */
export type ActiveRun = {record: RunRecord; wizardAlive: boolean};

export type Entry =
	| {command: 'plan' | 'list' | 'inspect' | 'verify' | 'history' | 'status' | 'undo'; options: Options}
	/** Answered in main.ts before anything is composed; here so every command has an entry. */
	| {command: 'help'; options: Options}
	/** `attach` without the screens: the run's events as text or JSON, or how it ended. */
	| {command: 'attach'; options: Options}
	/** The plan run without the screens: `run --yes`, or `--yes` with --json or no terminal. */
	| {command: 'run'; options: Options}
	/** The screens were asked for and there is no terminal: the guard that names the flags to pass. */
	| {command: 'no-terminal'; options: Options}
	/** The screens: a new wizard, or the live view of `attachTo`. */
	| {command: 'wizard'; options: Options; attachTo?: RunRecord};

/** The live view of a run still going, built from the run's own config unless -c named one. */
function showRun(options: Options, record: RunRecord): Entry {
	return {command: 'wizard', options: {...options, config: options.config || record.configPath}, attachTo: record};
}

/** `activeRun` is asked only by the commands that may show a run still going (attach, run, wizard). */
export function decideEntry(options: Options, terminal: TerminalFacts, activeRun: () => ActiveRun | undefined): Entry {
	const screens = terminal.interactive && !options.json;
	const running = (): ActiveRun | undefined => {
		const active = activeRun();
		return active?.record.status === 'running' ? active : undefined;
	};

	switch (options.command) {
		case 'plan':
		case 'list':
		case 'inspect':
		case 'verify':
		case 'history':
		case 'status':
		case 'undo':
		case 'help': {
			return {command: options.command, options};
		}

		case 'attach': {
			const active = screens ? running() : undefined;
			return active ? showRun(options, active.record) : {command: 'attach', options};
		}

		case 'run':
		case 'wizard': {
			// `wizard`, and `run` without --yes: the screens when there is a terminal.
			if (options.yes && (!terminal.interactive || options.command === 'run' || options.json)) {
				return {command: 'run', options};
			}

			if (!screens) {
				return {command: 'no-terminal', options};
			}

			// A second wizard shows the run its predecessor left going instead of starting another.
			const active = running();
			return active?.wizardAlive ? showRun(options, active.record) : {command: 'wizard', options};
		}
	}
}
