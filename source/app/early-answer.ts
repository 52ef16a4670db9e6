// What the program answers from its tables alone, before it reads anything else: `--version`, and
// every help page. The same function serves the program (main.ts) and the build, which writes
// these answers into the top of dist/addon-wizard.mjs so the loader prints them without loading a
// line of the program (scripts/build.mjs).
import {helpPage} from './help.js';
import {subcommands} from './flags.js';
import {isWizardError, parseOptions, type Options} from './options.js';
import {version} from './version.js';

/** The text `--help`, `help [COMMAND]`, `COMMAND --help` or `--version` prints; undefined for every other command. */
export function earlyAnswer(options: Options): string | undefined {
	if (options.help || options.command === 'help') {
		return helpPage(options.helpTopic);
	}

	if (options.version) {
		return `${version}\n`;
	}

	return undefined;
}

/** The argument lists a person types to ask for help or the version, one command at most. */
function askingSpellings(): string[][] {
	const alone = ['--version', '-v', '--help', '-h', 'help'].map(word => [word]);
	const perCommand = subcommands.flatMap(command => [
		['help', command],
		[command, '--help'],
		[command, '-h'],
		['--help', command],
		['-h', command],
		[command, '--version'],
		[command, '-v'],
	]);
	return [...alone, ...perCommand];
}

/**
 * Each argument list (its words joined by NUL) the program answers from the tables, with the index
 * of its text in `texts`: parsed and answered by the program's own code, so the loader can only
 * print what the program would.
 */
export function precomputedAnswers(): {texts: string[]; answers: Record<string, number>} {
	const texts: string[] = [];
	const answers: Record<string, number> = {};
	for (const argv of askingSpellings()) {
		const options = parseOptions(argv);
		const text = isWizardError(options) ? undefined : earlyAnswer(options);
		if (text !== undefined) {
			if (!texts.includes(text)) {
				texts.push(text);
			}

			answers[argv.join('\0')] = texts.indexOf(text);
		}
	}

	return {texts, answers};
}
