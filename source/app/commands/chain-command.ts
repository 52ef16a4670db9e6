// The command line that runs a chained step (the other arch's integration after a run or a
// verify), apart from run-command.ts so that `verify` prints it without loading `run`'s JSON
// contract (and zod).
import type {Options} from '../options.js';

const quoted = (value: string) => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", String.raw`'\''`)}'`);

/** The command that runs the chained step: the same config and the flags that say where and how, the new package. */
export function chainCommand(options: Options, configPath: string, packages: string[]): string {
	const carried: Array<[string, string | undefined]> = [
		['--installer', options.installer],
		['--workdir', options.workdir],
		['--registry', options.registry],
		['--chart-repo', options.chartRepo],
		['--registry-ca', options.registryCa],
	];
	const flags = [
		...carried.flatMap(([flag, value]) => (value === undefined ? [] : [flag, value])),
		...(options.registryInsecure ? ['--registry-insecure'] : []),
		...(options.importCommand.join(' ') === 'import -addon' ? [] : ['--import-command', options.importCommand.join(' ')]),
	];
	return ['addon-wizard', 'run', '--yes', '-c', configPath, ...flags, ...packages.flatMap(file => ['-p', file])]
		.map(arg => quoted(arg))
		.join(' ');
}
