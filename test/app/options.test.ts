// Flags as an operator types them: a bad value is refused at once with its cause and a next step
// (exit 2), before anything is read or changed.
import {describe, expect, it} from 'vitest';
import {parseOptions} from '../../source/app/options.js';
import {exitCodes, type WizardError} from '../../source/domain/shared/wizard-error.js';

function refused(argv: string[]): WizardError {
	const result = parseOptions(argv);
	expect('exitCode' in result, `expected ${argv.join(' ')} to be refused`).toBe(true);
	return result as WizardError;
}

describe('parseOptions: values an operator can get wrong', () => {
	it.each([
		[['--disk-margin', '-5'], '--disk-margin must be a fraction such as 0.1, got "-5".'],
		[['--depth', '-1'], '--depth must be a whole number from 0 to 8, got "-1".'],
		[['--from-step', '-2'], '--from-step must be a step number from 1, got "-2".'],
		[['--disk-floor', '-1G'], '--disk-floor must be a size such as 2G or 500M, got "-1G".'],
		[['--stop-grace', '-3'], '--stop-grace must be seconds from 0 to 600, got "-3".'],
	])('refuses a negative number with the range, not "argument is ambiguous": %j', (argv, message) => {
		const error = refused(['plan', ...argv]);
		expect(error.message).toBe(message);
		expect(error.exitCode).toBe(exitCodes.badInput);
		expect(error.hint).not.toBe('');
	});

	it('refuses an integration spelling that is not one of the two the docs show', () => {
		const error = refused(['plan', '--import-command', 'rm -rf /']);
		expect(error.message).toBe('--import-command must be one of "import -addon" or "import-addon", got "rm -rf /".');
		expect(error.exitCode).toBe(exitCodes.badInput);
	});

	it.each([
		['import -addon', ['import', '-addon']],
		['import-addon', ['import-addon']],
		['  import   -addon ', ['import', '-addon']],
	])('takes %j as the integration subcommand', (spelling, argv) => {
		const options = parseOptions(['plan', '--import-command', spelling]);
		expect('importCommand' in options && options.importCommand).toEqual(argv);
	});

	it('refuses an architecture no addon package is published for, and normalises uname spellings', () => {
		expect(refused(['plan', '--cluster-arches', 'amd64,bogus']).message).toBe(
			'--cluster-arches takes amd64 and arm64 (or x86_64/aarch64), got "bogus".',
		);
		const options = parseOptions(['plan', '--cluster-arches', 'x86_64,aarch64,amd64']);
		expect('clusterArches' in options && options.clusterArches).toEqual(['amd64', 'arm64']);
	});

	it('still takes a value that merely starts with a dash where a path is expected', () => {
		const options = parseOptions(['plan', '-p', './-odd-name.tar.gz', '--disk-margin', '0.2']);
		expect('packages' in options && options.packages).toEqual(['./-odd-name.tar.gz']);
		expect('diskMargin' in options && options.diskMargin).toBe(0.2);
	});
});

describe('parseOptions: the registry flags', () => {
	it('takes where the registry and chart repository are, how to trust them, and what to do about them', () => {
		const options = parseOptions([
			'plan',
			'--registry',
			'https://10.6.135.222',
			'--chart-repo',
			'http://10.6.135.222:8081',
			'--registry-ca',
			'ca.pem',
			'--require-registry',
			'--create-spaces',
		]);
		expect(options).toMatchObject({
			registry: 'https://10.6.135.222',
			chartRepo: 'http://10.6.135.222:8081',
			registryCa: 'ca.pem',
			registryInsecure: false,
			requireRegistry: true,
			createSpaces: true,
		});
		expect(parseOptions(['plan'])).toMatchObject({registryInsecure: false, requireRegistry: false, createSpaces: false});
	});

	it('refuses a CA file and --registry-insecure together: one checks the certificate, the other does not', () => {
		const error = refused(['plan', '--registry-ca', 'ca.pem', '--registry-insecure']);
		expect(error.message).toBe(
			'--registry-ca and --registry-insecure were both given: one checks the certificate against a CA, the other not at all.',
		);
		expect(error.exitCode).toBe(exitCodes.badInput);
	});
});
