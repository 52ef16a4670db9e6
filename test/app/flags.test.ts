// The flag table is the one source of the command line: parseArgs' options and `--help` are
// generated from it, and what it says about a flag (default, commands) must hold.
import {describe, expect, it} from 'vitest';
import {defaultOf, flags, flagUsage, negativeValued, parseArgsOptions, subcommands, type DefaultedFlag} from '../../source/app/flags.js';
import {renderHelp} from '../../source/app/help.js';
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

	it('lists each flag in --help as one line, in table order: usage, then its help', () => {
		const help = renderHelp();
		const section = help.slice(help.indexOf('Flags:\n') + 'Flags:\n'.length, help.indexOf('\n\nExamples:')).split('\n');
		expect(section).toHaveLength(flags.length);
		for (const [index, flag] of flags.entries()) {
			const line = section[index]!;
			const usage = `  ${flagUsage(flag)} `;
			expect(line.startsWith(usage) && line.endsWith(flag.help), line).toBe(true);
			expect(line.slice(usage.length, line.length - flag.help.length).trim()).toBe('');
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
