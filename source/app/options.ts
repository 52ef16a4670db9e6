// Command-line flags: every question the wizard asks has one, so `--yes` plus flags can
// reproduce any interactive run on a jump host without a terminal.
import {parseArgs} from 'node:util';
import type {SpaceMode} from '../domain/packages/image-ref.js';
import {normalizeArch} from '../domain/packages/package-name.js';
import {exitCodes, isWizardError, type WizardError} from '../domain/shared/wizard-error.js';
import {
	defaultOf,
	negativeValued,
	parseArgsOptions,
	subcommands,
	type DefaultedFlag,
	type FlagName,
	type NumberFlag,
	type Subcommand,
} from './flags.js';

// The delivery tests find the commands here.
export {subcommands} from './flags.js';

export type Options = {
	command: Subcommand;
	/**
	 * Whose help `--help` (or `help COMMAND`) shows: the command typed, or undefined for the
	 * overview (`addon-wizard --help`, `addon-wizard help`).
	 */
	helpTopic?: Subcommand;
	config?: string;
	manifest?: string;
	installer?: string;
	workdir?: string;
	search: string[];
	depth: number;
	packages: string[];
	baseline?: string;
	watchPaths: string[];
	/** How the multi-arch integration subcommand is spelled; the seed's `import -addon` by default. */
	importCommand: string[];
	spaceMode: SpaceMode;
	/** A file of sha512 values the download page shows (`--checksums FILE`), for releases newer than the built-in table. */
	checksums?: string;
	/** Registry spaces known to exist already (e.g. created by hand in Harbor). */
	registrySpaces: string[];
	/** Architectures the cluster runs, overriding what the registry, the history and the config say. */
	clusterArches: string[];
	/** `--registry URL`: the registry to check, instead of the one clusterConfig.yaml names. */
	registry?: string;
	/** `--chart-repo URL`: the chart repository to check. */
	chartRepo?: string;
	/** `--registry-ca FILE`: the CA that signed the registry's (and an HTTPS chart repository's) certificate. */
	registryCa?: string;
	/** `--registry-insecure`: certificates are not checked (Review and plan say so). */
	registryInsecure: boolean;
	/** `--require-registry`: a plan that could not be checked against the registry is blocked. */
	requireRegistry: boolean;
	/** `--create-spaces`: create the Harbor projects the plan needs (after printing which) before showing it. */
	createSpaces: boolean;
	/** Extra fraction added to disk estimates. */
	diskMargin: number;
	/** Free bytes under which the run offers to stop the installer (default: 2% of the disk, 16 MiB to 1 GiB). */
	diskFloor?: number;
	/** Seconds between SIGINT, SIGTERM and SIGKILL when stopping the installer. */
	stopGrace: number;
	/** Remove a leftover addon-offline-target-package (after the safety checks) before running. */
	cleanup: boolean;
	/** `--cleanup-unexplained`: the clean-up may delete files in the leftover that the packages do not explain. */
	cleanupUnexplained: boolean;
	/** After a failed step, put clusterConfig.yaml back from the backup the run took. */
	restoreConfigOnFailure: boolean;
	/** 1-based step to start from, for a retry of a multi-step plan. */
	fromStep: number;
	/** Do not read the registry back after each step: steps are judged by the installer alone (and say so). */
	noVerify: boolean;
	/** `run --yes`: when the verification asks for the other arch's integration and its file is here, run it too. */
	chain: boolean;
	/** `--accept ID`: hazards of the plan an unattended run may go ahead despite, by their public id. */
	accept: string[];
	/** `--reimport`: run the installer even when the plan says nothing would change. */
	reimport: boolean;
	/** `plan --detailed-exitcode`: 0 nothing to change, 8 changes pending. */
	detailedExitcode: boolean;
	/** `--result-file PATH`: where `run` also writes its final RunResult document. */
	resultFile?: string;
	/** `undo`: which run and step, and what else it may touch. */
	undo: {run?: string; step?: string; force: boolean; removeAdded: boolean};
	yes: boolean;
	json: boolean;
	cache: boolean;
	logFile?: string;
	help: boolean;
	version: boolean;
};

/** `2G`, `500M`, `1024`: binary units, as df -h shows them. */
function parseSize(text: string): number {
	const match = /^(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?$/i.exec(text.trim());
	if (!match) {
		return Number.NaN;
	}

	const power = ' KMGT'.indexOf((match[2] || ' ').toUpperCase());
	return Math.round(Number(match[1]) * 1024 ** power);
}

function badInput(message: string, hint: string): WizardError {
	return {kind: 'bad-input', message, hint, exitCode: exitCodes.badInput};
}

/** node:util's wording for an unknown flag runs on about `--` positionals; the cause is enough. */
function describeParseError(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	const unknown = /^Unknown option '([^']+)'/.exec(message);
	return unknown ? `Unknown flag "${unknown[1]}".` : message.split('\n')[0]!;
}

/** `--disk-margin -5` must reach the range check, not parseArgs' "ambiguous": the value is joined to its flag. */
function joinNegativeValues(argv: string[]): string[] {
	const joined: string[] = [];
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index]!;
		const next = argv[index + 1];
		if (negativeValued.has(arg) && next !== undefined && /^-\d/.test(next)) {
			joined.push(`${arg}=${next}`);
			index++;
		} else {
			joined.push(arg);
		}
	}

	return joined;
}

/** The two spellings of the integration subcommand the public docs show; anything else is a typo or worse. */
export const importCommandSpellings = ['import -addon', 'import-addon'] as const;

/** Architectures addon packages are published for (§8.1); uname spellings are accepted and normalised. */
const knownArches = new Set(['amd64', 'arm64']);

/** What parseArgs found, read by flag name. */
type FlagValues = {
	/** The value as typed, if the flag was given. */
	given(name: FlagName): string | undefined;
	/** The value as typed, else the table's default. */
	value(name: DefaultedFlag): string;
	/** Every value of a repeatable flag. */
	all(name: FlagName): string[];
	on(name: FlagName): boolean;
	/** The items of a comma-separated value. */
	list(name: FlagName): string[];
};

function readValues(values: Record<string, string | boolean | Array<string | boolean> | undefined>): FlagValues {
	const given = (name: FlagName) => values[name] as string | undefined;
	return {
		given,
		value: name => given(name) ?? defaultOf(name),
		all: name => (values[name] as string[] | undefined) ?? [],
		on: name => values[name] === true,
		list: name =>
			(given(name) ?? '')
				.split(',')
				.map(item => item.trim())
				.filter(Boolean),
	};
}

/** What each number flag of the table accepts, and how the refusal says so. */
const numberRules: Record<NumberFlag, {valid(value: number): boolean; must: string; hint: string; read?: (text: string) => number}> = {
	depth: {
		valid: value => Number.isInteger(value) && value >= 0 && value <= 8,
		must: 'a whole number from 0 to 8',
		hint: 'Use e.g. --depth 2.',
	},
	'disk-margin': {
		valid: value => Number.isFinite(value) && value >= 0 && value <= 5,
		must: 'a fraction such as 0.1',
		hint: 'Use e.g. --disk-margin 0.2 for 20%.',
	},
	'disk-floor': {
		valid: value => !Number.isNaN(value) && value >= 0,
		must: 'a size such as 2G or 500M',
		hint: 'Use e.g. --disk-floor 2G.',
		read: parseSize,
	},
	'stop-grace': {
		valid: value => Number.isFinite(value) && value >= 0 && value <= 600,
		must: 'seconds from 0 to 600',
		hint: 'Use e.g. --stop-grace 30.',
	},
	'from-step': {valid: value => Number.isInteger(value) && value >= 1, must: 'a step number from 1', hint: 'Use e.g. --from-step 2.'},
};

function numberFrom(name: NumberFlag, text: string): number | WizardError {
	const rule = numberRules[name];
	const value = (rule.read ?? Number)(text);
	return rule.valid(value) ? value : badInput(`--${name} must be ${rule.must}, got "${text}".`, rule.hint);
}

function spaceModeFrom(text: string): SpaceMode | WizardError {
	return text === 'origin-registry' || text === 'repository'
		? text
		: badInput(`--space-mode must be origin-registry or repository, got "${text}".`, 'Leave it out to use origin-registry.');
}

function importCommandFrom(text: string): string[] | WizardError {
	const spelling = text.trim().split(/\s+/).join(' ');
	return (importCommandSpellings as readonly string[]).includes(spelling)
		? spelling.split(' ')
		: badInput(
				`--import-command must be one of ${importCommandSpellings.map(item => `"${item}"`).join(' or ')}, got "${text}".`,
				'Run `dce5-installer --help` to see which spelling your installer takes.',
			);
}

/** `--registry-insecure`, unless a CA was given too: one checks the certificate against it, the other not at all. */
function registryInsecureFrom(values: FlagValues): boolean | WizardError {
	return values.given('registry-ca') !== undefined && values.on('registry-insecure')
		? badInput(
				'--registry-ca and --registry-insecure were both given: one checks the certificate against a CA, the other not at all.',
				'Keep the one you mean.',
			)
		: values.on('registry-insecure');
}

function checksumsFrom(files: string[]): string | undefined | WizardError {
	return files.length > 1
		? badInput(
				`--checksums was given ${files.length} times; the wizard reads one file.`,
				'Put all the lines into one file and pass it once.',
			)
		: files[0];
}

function clusterArchesFrom(names: string[]): string[] | WizardError {
	const arches = names.map(arch => normalizeArch(arch));
	const unknown = arches.find(arch => !knownArches.has(arch));
	return unknown === undefined
		? [...new Set(arches)]
		: badInput(
				`--cluster-arches takes ${[...knownArches].join(' and ')} (or x86_64/aarch64), got "${unknown}".`,
				'Use e.g. --cluster-arches amd64,arm64.',
			);
}

const isSubcommand = (word: string | undefined): word is Subcommand => (subcommands as readonly string[]).includes(word ?? '');

/** The command, and whose help `--help` or `help` would show. */
function commandFrom(positionals: string[]): Pick<Options, 'command' | 'helpTopic'> | WizardError {
	const [word, ...extra] = positionals;
	if (word !== undefined && !isSubcommand(word)) {
		return badInput(`Unknown command "${word}".`, `Use one of: ${subcommands.join(', ')}.`);
	}

	if (word === 'help') {
		return commandForHelp(extra);
	}

	return extra.length > 0
		? badInput(`Unexpected argument "${extra[0]}".`, 'Pass packages with --package PATH.')
		: {command: word ?? 'wizard', helpTopic: word};
}

/** `help`, `help COMMAND`: the one word must be a command. */
function commandForHelp([topic, ...extra]: string[]): Pick<Options, 'command' | 'helpTopic'> | WizardError {
	if (topic !== undefined && !isSubcommand(topic)) {
		return badInput(`No command "${topic}" to show the help of.`, `The commands are: ${subcommands.join(', ')}.`);
	}

	return extra.length > 0
		? badInput(`Unexpected argument "${extra[0]}": help shows one command at a time.`, `Run \`addon-wizard help ${topic}\`.`)
		: {command: 'help', helpTopic: topic};
}

type Refusable<T> = {[K in keyof T]: T[K] | WizardError};

/** Every value, or the first refusal (in the order of the record: the order an operator reads the flags). */
function firstRefusal<T extends object>(results: Refusable<T>): T | WizardError {
	const refused = Object.values(results).find(value => isWizardError(value));
	return isWizardError(refused) ? refused : (results as T);
}

type Checked = Pick<
	Options,
	| 'depth'
	| 'spaceMode'
	| 'diskMargin'
	| 'diskFloor'
	| 'stopGrace'
	| 'fromStep'
	| 'importCommand'
	| 'registryInsecure'
	| 'checksums'
	| 'clusterArches'
>;

/** The values that can be wrong. */
function checkValues(values: FlagValues): Checked | WizardError {
	const floor = values.given('disk-floor');
	return firstRefusal<Checked>({
		depth: numberFrom('depth', values.value('depth')),
		spaceMode: spaceModeFrom(values.value('space-mode')),
		diskMargin: numberFrom('disk-margin', values.value('disk-margin')),
		diskFloor: floor === undefined ? undefined : numberFrom('disk-floor', floor),
		stopGrace: numberFrom('stop-grace', values.value('stop-grace')),
		fromStep: numberFrom('from-step', values.value('from-step')),
		importCommand: importCommandFrom(values.value('import-command')),
		registryInsecure: registryInsecureFrom(values),
		checksums: checksumsFrom(values.all('checksums')),
		clusterArches: clusterArchesFrom(values.list('cluster-arches')),
	});
}

/** The values that are taken as given. */
function plainValues(values: FlagValues): Omit<Options, 'command' | 'helpTopic' | keyof Checked> {
	return {
		config: values.given('config'),
		manifest: values.given('manifest'),
		installer: values.given('installer'),
		workdir: values.given('workdir'),
		search: values.all('search'),
		packages: values.all('package'),
		baseline: values.given('baseline'),
		watchPaths: values.all('watch-path'),
		registrySpaces: values.list('registry-spaces'),
		registry: values.given('registry'),
		chartRepo: values.given('chart-repo'),
		registryCa: values.given('registry-ca'),
		requireRegistry: values.on('require-registry'),
		createSpaces: values.on('create-spaces'),
		cleanup: values.on('cleanup'),
		cleanupUnexplained: values.on('cleanup-unexplained'),
		restoreConfigOnFailure: values.on('restore-config-on-failure'),
		noVerify: values.on('no-verify'),
		chain: values.on('chain'),
		accept: values.all('accept'),
		reimport: values.on('reimport'),
		detailedExitcode: values.on('detailed-exitcode'),
		resultFile: values.given('result-file'),
		undo: {run: values.given('run'), step: values.given('step'), force: values.on('force'), removeAdded: values.on('remove-added')},
		yes: values.on('yes'),
		json: values.on('json'),
		cache: !values.on('no-cache'),
		logFile: values.given('log-file'),
		help: values.on('help'),
		version: values.on('version'),
	};
}

export function parseOptions(argv: string[]): Options | WizardError {
	let parsed;
	try {
		parsed = parseArgs({args: joinNegativeValues(argv), allowPositionals: true, strict: true, options: parseArgsOptions});
	} catch (error) {
		return badInput(describeParseError(error), 'Run `addon-wizard --help` for the flags.');
	}

	const command = commandFrom(parsed.positionals);
	if (isWizardError(command)) {
		return command;
	}

	const values = readValues(parsed.values);
	const checked = checkValues(values);
	// `help --help` asks for the page of `help` itself.
	const helpTopic = command.command === 'help' && values.on('help') ? (command.helpTopic ?? 'help') : command.helpTopic;
	return isWizardError(checked) ? checked : {...command, helpTopic, ...checked, ...plainValues(values)};
}

export {isWizardError} from '../domain/shared/wizard-error.js';
