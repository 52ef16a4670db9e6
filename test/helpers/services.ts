// Commands as the CLI runs them: flags parsed, the composition root building real ports from an
// environment made for the test (its own HOME, cache and state), output captured.
import {compose} from '../../source/app/compose.js';
import {environmentFor} from '../../source/app/environment.js';
import {parseOptions, type Options} from '../../source/app/options.js';
import type {Services} from '../../source/app/commands/services.js';

export type Captured = {stdout: string; stderr: string};

export function parsed(argv: string[]): Options {
	const options = parseOptions(argv);
	if ('exitCode' in options) {
		throw new Error(`bad test flags: ${options.message}`);
	}

	return options;
}

export function servicesFor(
	argv: string[],
	where: {cwd: string; env: Record<string, string | undefined>},
): {options: Options; services: Services; output: Captured} {
	const output: Captured = {stdout: '', stderr: ''};
	const io = {stdout: (text: string) => void (output.stdout += text), stderr: (text: string) => void (output.stderr += text)};
	const options = parsed(argv);
	return {options, services: compose(options, environmentFor(where), io), output};
}
