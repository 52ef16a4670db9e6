// The flag table is the one source of the command line: parseArgs' options and `--help` are
// generated from it, and what it says about a flag (default, commands) must hold.
import {describe, expect, it} from 'vitest';
import {defaultOf, flags, flagUsage, negativeValued, parseArgsOptions, subcommands, type DefaultedFlag} from '../../source/app/flags.js';
import {renderCommandHelp} from '../../source/app/help.js';
import {parseOptions} from '../../source/app/options.js';

describe('the flag table', () => {
	it('names every flag once, long and short', () => {
		const names = flags.map(flag => flag.name);
		const shorts = flags.flatMap(flag => ('short' in flag ? [flag.short] : []));
		expect(new Set(names).size).toBe(names.length);
		expect(new Set(shorts).size).toBe(shorts.length);
	});

	it('is what parseArgs is given: every flag, its type, short and repetition', () => {
		expect(Object.keys(parseArgsOptions)).toEqual(flags.map(flag => flag.name));
		expect(parseArgsOptions['package']).toEqual({type: 'string', short: 'p', multiple: true});
		expect(parseArgsOptions['yes']).toEqual({type: 'boolean', short: 'y'});
		expect(parseArgsOptions['depth']).toEqual({type: 'string'});
		expect([...negativeValued].sort()).toEqual(['--depth', '--disk-floor', '--disk-margin', '--from-step', '--stop-grace']);
	});

	it("lists each flag on the help page of every command that reads it, usage first, and on no other's", () => {
		for (const command of subcommands) {
			const page = renderCommandHelp(command);
			for (const flag of flags) {
				const listed = new RegExp(`^ {2}${flagUsage(flag).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( |$)`, 'm').test(page);
				expect(listed, `${flag.name} on ${command}`).toBe((flag.commands as readonly string[]).includes(command));
			}
		}

		expect(flagUsage(flags[0])).toBe('-c, --config PATH');
		expect(flagUsage(flags.find(flag => flag.name === 'registry-insecure')!)).toBe('--registry-insecure');
	});

	it.each(flags.filter(flag => 'default' in flag).map(flag => [flag.name as DefaultedFlag]))(
		'%s: the default parsing applies is the one --help states',
		name => {
			const flag = flags.find(item => item.name === name)!;
			expect(flag.help).toContain(defaultOf(name));
			const options = parseOptions([]);
			const given = parseOptions([`--${name}`, defaultOf(name)]);
			expect(options).toEqual(given);
		},
	);

	it('says which commands read each flag, every one a real command', () => {
		for (const flag of flags) {
			expect(flag.commands.length, flag.name).toBeGreaterThan(0);
			expect(
				flag.commands.every(command => (subcommands as readonly string[]).includes(command)),
				flag.name,
			).toBe(true);
		}

		const readBy = (name: string) => flags.find(flag => flag.name === name)!.commands;
		expect(readBy('help')).toEqual(subcommands);
		expect(readBy('chain')).toEqual(['run']);
		expect(readBy('stop-grace')).toContain('attach');
	});
});
