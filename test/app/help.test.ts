// Every help page is generated from the two tables: a command's page shows exactly the flags whose
// `commands` include it, its usage and its examples; the overview lists every command and points
// to the pages; nothing is wider than an 80-column terminal. Asking for help loads no command.
import {describe, expect, it, vi} from 'vitest';
import {commandsHelp} from '../../source/app/commands-table.js';
import {flags, flagUsage, subcommands, type Subcommand} from '../../source/app/flags.js';
import {helpPage, helpWidth, renderCommandHelp, renderHelp} from '../../source/app/help.js';
import {parseOptions} from '../../source/app/options.js';

/** The lines of a page's section: from its heading to a blank line followed by an unindented one. */
function section(page: string, heading: string): string[] {
	const lines = page.split('\n');
	const start = lines.indexOf(`${heading}:`);
	expect(start, `${heading}: in\n${page}`).toBeGreaterThan(-1);
	const rest = lines.slice(start + 1);
	const end = rest.findIndex((line, index) => line === '' && !(rest[index + 1] ?? ' ').startsWith(' '));
	return rest.slice(0, end === -1 ? undefined : end);
}

/** The flags a page lists: each row starts with a usage at column 2. */
function listedUsages(page: string): string[] {
	return section(page, 'Flags')
		.filter(line => /^ {2}-/.test(line))
		.map(line => line.trim().split(/ {2,}/)[0]!);
}

/** A page's text with its wrapping undone, to find a flag's help sentence in it. */
const unwrapped = (lines: string[]) => lines.map(line => line.trim()).join(' ');

describe('a command help page', () => {
	it.each(subcommands.map(command => [command]))('%s: shows only the flags that command reads, each with its help', command => {
		const page = renderCommandHelp(command);
		const own = flags.filter(flag => (flag.commands as readonly Subcommand[]).includes(command));
		expect(listedUsages(page)).toEqual(own.map(flag => flagUsage(flag)));
		const text = unwrapped(section(page, 'Flags'));
		for (const flag of own) {
			expect(text).toContain(flag.help);
		}
	});

	it.each(subcommands.map(command => [command]))('%s: says what it does, how to call it, and its examples', command => {
		const help = commandsHelp[command];
		const page = renderCommandHelp(command);
		expect(page.split('\n')[0]).toContain(`addon-wizard ${command}: `);
		expect(unwrapped(page.split('\n'))).toContain(help.purpose);
		expect(page).toContain(`Usage: ${help.usage[0]}`);
		const examples = section(page, 'Examples');
		expect(examples).toEqual(help.examples.map(line => (line ? `  ${line}` : '')));
		expect(help.examples.filter(line => line.startsWith('addon-wizard')).length, 'at least one example command').toBeGreaterThan(0);
		expect(section(page, 'Exit codes').length).toBeGreaterThan(0);
	});

	it('is the page `help COMMAND` and `COMMAND --help` both ask for', () => {
		for (const command of subcommands) {
			const asked = parseOptions(['help', command]);
			const flagged = parseOptions([command, '--help']);
			expect(asked).toMatchObject({command: 'help', helpTopic: command});
			expect(flagged).toMatchObject({command, helpTopic: command, help: true});
			expect(helpPage((asked as {helpTopic: Subcommand}).helpTopic)).toBe(renderCommandHelp(command));
		}

		expect(parseOptions(['--help'])).toMatchObject({helpTopic: undefined, help: true});
		expect(parseOptions(['help'])).toMatchObject({command: 'help', helpTopic: undefined});
		expect(helpPage(undefined)).toBe(renderHelp());
	});

	it('refuses help for a command that does not exist, naming the commands (exit 2)', () => {
		expect(parseOptions(['help', 'plna'])).toMatchObject({
			exitCode: 2,
			message: 'No command "plna" to show the help of.',
			hint: `The commands are: ${subcommands.join(', ')}.`,
		});
		expect(parseOptions(['help', 'run', 'plan'])).toMatchObject({exitCode: 2});
	});
});

describe('the overview', () => {
	it('lists every command with its one line, points to the pages, and keeps only the global flags', () => {
		const page = renderHelp();
		const commands = section(page, 'Commands');
		expect(commands.map(line => line.trim().split(/ {2,}/))).toEqual(subcommands.map(command => [command, commandsHelp[command].summary]));
		expect(page).toContain('Run `addon-wizard help COMMAND`');
		expect(listedUsages(page)).toEqual(['-h, --help', '-v, --version']);
		expect(section(page, 'Exit codes').join('\n')).toMatch(/^ {2}8 {4}plan --detailed-exitcode: changes are pending$/m);
	});
});

describe('every page', () => {
	it(`fits ${helpWidth} columns`, () => {
		for (const page of [renderHelp(), ...subcommands.map(command => renderCommandHelp(command))]) {
			for (const line of page.split('\n')) {
				expect(line.length, line).toBeLessThanOrEqual(helpWidth);
			}
		}
	});
});

describe('asking for help', () => {
	it('loads neither the composition root nor the screens', async () => {
		vi.resetModules();
		const loaded: string[] = [];
		vi.doMock('../../source/app/compose.js', () => {
			loaded.push('compose');
			return {};
		});
		vi.doMock('../../source/ui/run-wizard.js', () => {
			loaded.push('screens');
			return {};
		});
		const written: string[] = [];
		const write = vi.spyOn(process.stdout, 'write').mockImplementation(text => {
			written.push(String(text));
			return true;
		});
		try {
			const {runMain} = await import('../../source/app/main.js');
			expect(await runMain(['help', 'run'])).toBe(0);
			expect(await runMain(['status', '--help'])).toBe(0);
		} finally {
			write.mockRestore();
			vi.doUnmock('../../source/app/compose.js');
			vi.doUnmock('../../source/ui/run-wizard.js');
		}

		expect(written.join('')).toBe(renderCommandHelp('run') + renderCommandHelp('status'));
		expect(loaded).toEqual([]);
	});
});
