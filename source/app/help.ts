// Every help page, generated from the two tables: the commands' words (commands-table.ts) and the
// flags with the commands that read them (flags.ts). The overview lists the commands; a command's
// page shows only its own flags. Every line fits an 80-column terminal.
import {registryEnvironment} from '../domain/registry/location.js';
import {exitCodes} from '../domain/shared/wizard-error.js';
import {commandsHelp, type CommandHelp} from './commands-table.js';
import {flags, flagUsage, subcommands, type Flag, type Subcommand} from './flags.js';

export const helpWidth = 80;

/** Usages longer than this put their text on the next line, so the text column stays wide. */
const widestUsage = 24;

/** Words of `text` in lines of at most `width - indent` characters, each line indented. */
export function wrap(text: string, indent: number, width = helpWidth): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		if (line && indent + line.length + 1 + word.length > width) {
			lines.push(line);
			line = word;
		} else {
			line = line ? `${line} ${word}` : word;
		}
	}

	return [...lines, line].map(item => ' '.repeat(indent) + item);
}

/** Rows of a two-column list: the left column padded, the right one wrapped beside it (or below a long left). */
function columns(rows: ReadonlyArray<readonly [string, string]>, widest = widestUsage): string[] {
	const left = Math.min(Math.max(...rows.map(([name]) => name.length)), widest);
	const indent = 2 + left + 2;
	return rows.flatMap(([name, text]) => {
		const body = wrap(text, indent);
		if (name.length > left) {
			return [`  ${name}`, ...body];
		}

		return [`  ${name.padEnd(left)}  ${body[0]!.trimStart()}`, ...body.slice(1)];
	});
}

/** The flags `command` reads, in table order. */
export function flagsOf(command: Subcommand): Flag[] {
	return flags.filter(flag => (flag.commands as readonly Subcommand[]).includes(command));
}

function flagRows(list: readonly Flag[]): string[] {
	return columns(list.map(flag => [flagUsage(flag), flag.help] as const));
}

const examplesOf = (help: CommandHelp) => help.examples.map(line => (line ? `  ${line}` : ''));

function exitRows(exits: CommandHelp['exits']): string[] {
	return columns(exits.map(([name, text]) => [String(exitCodes[name]), text] as const));
}

/**
 * `addon-wizard help COMMAND` and `addon-wizard COMMAND --help`: the same page. The examples come
 * before the flags: on an 80x24 terminal they are what a newcomer reads first, the flags are for
 * looking up.
 */
export function renderCommandHelp(command: Subcommand): string {
	const help = commandsHelp[command];
	const lines = [
		...wrap(`addon-wizard ${command}: ${help.summary}`, 0),
		'',
		...wrap(help.purpose, 0),
		'',
		...help.usage.map((usage, index) => `${index === 0 ? 'Usage: ' : '       '}${usage}`),
		'',
		'Examples:',
		...examplesOf(help),
		'',
		'Flags:',
		...flagRows(flagsOf(command)),
		'',
		'Exit codes:',
		...exitRows(help.exits),
		'',
	];
	return lines.join('\n');
}

/** The two procedures of the DCE 5.0 multi-arch guide, with the installer command each one runs. */
const overviewExamples = [
	'# Single-arch import or upgrade: sets spec.addonPackage.path in',
	'# clusterConfig.yaml, then runs',
	'#   ~/dce5-installer cluster-create -c /home/dce5/sample/clusterConfig.yaml \\',
	'#     -m /home/dce5/sample/manifest.yaml -d -j13',
	'addon-wizard -c /home/dce5/sample/clusterConfig.yaml \\',
	'  -p /home/addon-offline-full-package-v0.9.0-amd64.tar.gz',
	'',
	'# Multi-arch integration of the arm64 package, without the screens; runs',
	'#   ~/dce5-installer import -addon -c /home/dce5/sample/clusterConfig.yaml \\',
	'#     --addon-path=/home/addon-offline-full-package-v0.9.0-arm64.tar.gz',
	'addon-wizard run --yes -c /home/dce5/sample/clusterConfig.yaml \\',
	'  -p /home/addon-offline-full-package-v0.9.0-arm64.tar.gz',
];

const environment: ReadonlyArray<readonly [string, string]> = [
	['NO_COLOR=1 / FORCE_COLOR=1', 'colour off / on'],
	['ADDON_WIZARD_ASCII=1', 'ASCII drawing (automatic with TERM=linux or a non-UTF-8 locale)'],
	['PAGER', 'pager for the log on the Result screen (default less)'],
	['XDG_STATE_HOME', 'run logs, locks, run records (default ~/.local/state/addon-wizard)'],
	['XDG_CACHE_HOME', 'package inspection cache (default ~/.cache/addon-wizard)'],
	['ADDON_WIZARD_DEBUG=1', 'print stack traces of internal errors'],
	[`${registryEnvironment.registryUser} / _PASSWORD`, "the registry's login, instead of clusterConfig.yaml's (never printed)"],
	[`${registryEnvironment.chartUser} / _PASSWORD`, "the chart repository's login, instead of clusterConfig.yaml's"],
];

const overviewExits: CommandHelp['exits'] = [
	['ok', 'ok (every step verified against the registry, or --no-verify)'],
	['failure', 'quit before running, or an unexpected error'],
	['badInput', 'bad input'],
	['blocked', 'plan blocked, a hazard not accepted, or another run holds the config or working directory'],
	['runFailed', 'installer step failed'],
	['finishedWithErrors', 'installer exited 0 but printed errors'],
	['verificationFailed', 'not verified: the registry does not hold what the step (or verify) expects'],
	['notVerified', 'finished, not verified: the registry could not be read'],
	['changesPending', 'plan --detailed-exitcode: changes are pending'],
	['interrupted', 'interrupted'],
];

/** `addon-wizard --help` and `addon-wizard help`: the commands, and where each one's page is. */
export function renderHelp(): string {
	const lines = [
		'addon-wizard: import and upgrade DCE 5.0 addon offline packages, single- or',
		'multi-arch, with dce5-installer',
		'',
		'Usage: addon-wizard [COMMAND] [flags]',
		'',
		'Commands:',
		...columns(subcommands.map(command => [command, commandsHelp[command].summary] as const)),
		'',
		...wrap('Run `addon-wizard help COMMAND` (or `addon-wizard COMMAND --help`) for what a command does, its flags and examples.', 0),
		'',
		'Flags:',
		...flagRows(flags.filter(flag => flag.name === 'help' || flag.name === 'version')),
		'',
		'Examples:',
		...overviewExamples.map(line => (line ? `  ${line}` : '')),
		'',
		'Environment:',
		...columns(environment, 28),
		'',
		'Exit codes:',
		...exitRows(overviewExits),
		'',
	];
	return lines.join('\n');
}

/** The page `--help` or `help` asked for: a command's, or the overview. */
export function helpPage(topic: Subcommand | undefined): string {
	return topic ? renderCommandHelp(topic) : renderHelp();
}
