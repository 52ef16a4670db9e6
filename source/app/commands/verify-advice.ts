// After a step that finished but whose registry could not be read back (exit 7), running it again
// would re-run a good import: the next step is `verify`, with the flag the read lacked. A
// certificate this host does not trust is the usual cause (the builtin registry's is self-signed).
import type {Options} from '../options.js';
import type {FailureCause} from '../../domain/run/run-events.js';

const quoted = (value: string) => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", String.raw`'\''`)}'`);

/** The flags the read lacked: a CA when TLS failed and none was given (or --registry-insecure to skip the check). */
function missingFlags(failure: FailureCause | undefined, options: Options): string[] {
	const cause = failure?.kind === 'not-verified' ? failure.cause : undefined;
	return cause === 'registry-tls' && !options.registryInsecure ? ['--registry-ca', 'FILE'] : [];
}

/** `addon-wizard verify -c CONFIG … --registry-ca FILE (or --registry-insecure)`: what checks what the step left. */
export function verifyCommandAfter(failure: FailureCause | undefined, options: Options, configPath: string): string {
	const carried: Array<[string, string | undefined]> = [
		['--registry', options.registry],
		['--chart-repo', options.chartRepo],
		['--registry-ca', options.registryCa],
	];
	const missing = missingFlags(failure, options);
	const flags = [
		...carried.flatMap(([flag, value]) => (value === undefined || missing.includes(flag) ? [] : [flag, quoted(value)])),
		...(options.registryInsecure ? ['--registry-insecure'] : []),
	];
	const command = ['addon-wizard', 'verify', '-c', quoted(configPath), ...flags, ...missing].join(' ');
	return missing.length > 0 ? `${command} (the CA that signed its certificate; or --registry-insecure to skip the check)` : command;
}
