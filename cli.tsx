// Composition root: parses flags, decides interactive or not, builds adapters, picks a
// renderer and turns the outcome into an exit code. No domain logic lives here.
import process from 'node:process';
import {isWizardError, parseOptions} from './source/cli/options.js';
import {renderHelp} from './source/cli/help.js';
import {version} from './source/cli/version.js';

async function main(argv: string[]): Promise<number> {
	const options = parseOptions(argv);
	if (isWizardError(options)) {
		process.stderr.write(`addon-wizard: ${options.message}\n  next: ${options.hint}\n`);
		return options.exitCode;
	}

	if (options.help) {
		process.stdout.write(renderHelp());
		return 0;
	}

	if (options.version) {
		process.stdout.write(`${version}\n`);
		return 0;
	}

	process.stderr.write(`addon-wizard: "${options.command}" is not available yet\n`);
	return 1;
}

process.exitCode = await main(process.argv.slice(2));
