// Command-line flags: every question the wizard asks has one, so `--yes` plus flags can
// reproduce any interactive run on a jump host without a terminal.
import {parseArgs} from 'node:util';
import type {SpaceMode} from '../domain/packages/image-ref.js';
import {normalizeArch} from '../domain/packages/package-name.js';
import {exitCodes, type WizardError} from '../domain/shared/wizard-error.js';

export const subcommands = ['wizard', 'plan', 'run', 'inspect', 'list', 'attach', 'verify', 'history'] as const;
export type Subcommand = (typeof subcommands)[number];

export type Options = {
	command: Subcommand;
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
	/** After a failed step, put clusterConfig.yaml back from the backup the run took. */
	restoreConfigOnFailure: boolean;
	/** 1-based step to start from, for a retry of a multi-step plan. */
	fromStep: number;
	/** Do not read the registry back after each step: steps are judged by the installer alone (and say so). */
	noVerify: boolean;
	/** `run --yes`: when the verification asks for the other arch's integration and its file is here, run it too. */
	chain: boolean;
	yes: boolean;
	json: boolean;
	cache: boolean;
	logFile?: string;
	help: boolean;
	version: boolean;
};

export type FlagHelp = {flag: string; description: string};

/** One source for parsing and for `--help`, so the two cannot drift. */
export const flagHelp: FlagHelp[] = [
	{flag: '-c, --config PATH', description: 'clusterConfig.yaml to use (default ./clusterConfig.yaml, then offline/sample/clusterConfig.yaml)'},
	{flag: '-m, --manifest PATH', description: 'manifest.yaml for cluster-create (default: manifest.yaml beside the config)'},
	{flag: '-p, --package PATH', description: 'offline package to import; repeat for a multi-arch plan (skips the picker)'},
	{flag: '--installer PATH', description: 'dce5-installer binary (default ~/dce5-installer, then dce5-installer on PATH)'},
	{flag: '--workdir DIR', description: 'where the installer runs and creates addon-offline-target-package (default: current directory)'},
	{flag: '--search DIR', description: 'also look for packages in DIR (repeatable)'},
	{flag: '--depth N', description: 'how many folder levels below each search folder to look (default 1)'},
	{flag: '--baseline PKG', description: 'package already imported, to diff against (default: the one in addonPackage.path)'},
	{flag: '--watch-path DIR', description: 'another filesystem to check for free space (repeatable)'},
	{flag: '--import-command CMD', description: 'spelling of the integration subcommand: "import -addon" (default) or "import-addon"'},
	{flag: '--checksums FILE', description: 'sha512 values for packages the built-in table (to v0.44.0) lacks: sha512sum output or the download page\'s text'},
	{flag: '--space-mode MODE', description: 'how an image maps to a registry space: origin-registry (default) or repository'},
	{flag: '--registry-spaces LIST', description: 'comma-separated registry spaces that already exist in the registry'},
	{flag: '--cluster-arches LIST', description: 'comma-separated architectures the cluster runs (e.g. amd64,arm64), instead of what the registry shows'},
	{flag: '--registry URL', description: 'the registry to check the plan against (default: imagesAndCharts in clusterConfig.yaml)'},
	{flag: '--chart-repo URL', description: 'the chart repository to check (default: imagesAndCharts in clusterConfig.yaml)'},
	{flag: '--registry-ca FILE', description: 'CA certificate (PEM) of the registry and an HTTPS chart repository'},
	{flag: '--registry-insecure', description: 'do not check the registry\'s certificate (the plan says so)'},
	{flag: '--require-registry', description: 'block the plan when the registry or its login cannot be checked'},
	{flag: '--create-spaces', description: 'create the Harbor projects the plan needs (printed first) before planning'},
	{flag: '--disk-margin FRACTION', description: 'safety margin added to disk estimates (default 0.1 = 10%)'},
	{flag: '--disk-floor SIZE', description: 'free space (e.g. 2G) under which a run offers to stop the installer (default 2% of the disk)'},
	{flag: '--stop-grace SECONDS', description: 'wait between SIGINT, SIGTERM and SIGKILL when stopping the installer (default 10)'},
	{flag: '--cleanup', description: 'remove a leftover addon-offline-target-package (safety-checked; never while an installer writes there) before running'},
	{flag: '--restore-config-on-failure', description: 'after a failed step, put clusterConfig.yaml back from the backup the run took (refused if it changed since)'},
	{flag: '--from-step N', description: 'start a multi-step plan at step N, e.g. to retry the step that failed (default 1)'},
	{flag: '--no-verify', description: 'do not read the registry back after each step; steps are judged by the installer alone'},
	{flag: '--chain', description: 'run --yes: when the verification asks to integrate the other arch\'s package and it is here, run that too'},
	{flag: '-y, --yes', description: 'do not ask for confirmation; run the plan as given by the flags'},
	{flag: '--json', description: 'print JSON (plan, or one event per line while running)'},
	{flag: '--no-cache', description: 'inspect packages again even if a cached result exists'},
	{flag: '--log-file PATH', description: 'where to write the run log (default under ~/.local/state/addon-wizard/logs)'},
	{flag: '-h, --help', description: 'show this help'},
	{flag: '-v, --version', description: 'print the version'},
];

function list(value: string | undefined): string[] {
	return (value ?? '').split(',').map(item => item.trim()).filter(Boolean);
}

/** `2G`, `500M`, `1024`: binary units, as df -h shows them. */
function parseSize(text: string): number {
	const match = /^(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?$/i.exec(text.trim());
	if (!match) {
		return Number.NaN;
	}

	const power = ' KMGT'.indexOf((match[2] || ' ').toUpperCase());
	return Math.round(Number(match[1]) * (1024 ** power));
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

/** Options that take a value: `--disk-margin -5` must reach the range check, not parseArgs' "ambiguous". */
const valued = new Set(['--depth', '--disk-margin', '--disk-floor', '--stop-grace', '--from-step']);

function joinNegativeValues(argv: string[]): string[] {
	const joined: string[] = [];
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index]!;
		const next = argv[index + 1];
		if (valued.has(arg) && next !== undefined && /^-\d/.test(next)) {
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

export function parseOptions(argv: string[]): Options | WizardError {
	let parsed;
	try {
		parsed = parseArgs({
			args: joinNegativeValues(argv),
			allowPositionals: true,
			strict: true,
			options: {
				config: {type: 'string', short: 'c'},
				manifest: {type: 'string', short: 'm'},
				package: {type: 'string', short: 'p', multiple: true},
				installer: {type: 'string'},
				workdir: {type: 'string'},
				search: {type: 'string', multiple: true},
				depth: {type: 'string'},
				baseline: {type: 'string'},
				'watch-path': {type: 'string', multiple: true},
				'import-command': {type: 'string'},
				checksums: {type: 'string', multiple: true},
				'space-mode': {type: 'string'},
				'registry-spaces': {type: 'string'},
				'cluster-arches': {type: 'string'},
				registry: {type: 'string'},
				'chart-repo': {type: 'string'},
				'registry-ca': {type: 'string'},
				'registry-insecure': {type: 'boolean'},
				'require-registry': {type: 'boolean'},
				'create-spaces': {type: 'boolean'},
				'disk-margin': {type: 'string'},
				'disk-floor': {type: 'string'},
				'stop-grace': {type: 'string'},
				cleanup: {type: 'boolean'},
				'restore-config-on-failure': {type: 'boolean'},
				'from-step': {type: 'string'},
				'no-verify': {type: 'boolean'},
				chain: {type: 'boolean'},
				yes: {type: 'boolean', short: 'y'},
				json: {type: 'boolean'},
				'no-cache': {type: 'boolean'},
				'log-file': {type: 'string'},
				help: {type: 'boolean', short: 'h'},
				version: {type: 'boolean', short: 'v'},
			},
		});
	} catch (error) {
		return badInput(describeParseError(error), 'Run `addon-wizard --help` for the flags.');
	}

	const {values, positionals} = parsed;
	const [commandWord, ...extra] = positionals;
	const command = (commandWord ?? 'wizard') as Subcommand;
	if (!subcommands.includes(command)) {
		return badInput(`Unknown command "${commandWord}".`, `Use one of: ${subcommands.join(', ')}.`);
	}

	if (extra.length > 0) {
		return badInput(`Unexpected argument "${extra[0]}".`, 'Pass packages with --package PATH.');
	}

	const depth = values.depth === undefined ? 1 : Number(values.depth);
	if (!Number.isInteger(depth) || depth < 0 || depth > 8) {
		return badInput(`--depth must be a whole number from 0 to 8, got "${values.depth}".`, 'Use e.g. --depth 2.');
	}

	const spaceMode = values['space-mode'] ?? 'origin-registry';
	if (spaceMode !== 'origin-registry' && spaceMode !== 'repository') {
		return badInput(`--space-mode must be origin-registry or repository, got "${spaceMode}".`, 'Leave it out to use origin-registry.');
	}

	const diskMargin = values['disk-margin'] === undefined ? 0.1 : Number(values['disk-margin']);
	if (!Number.isFinite(diskMargin) || diskMargin < 0 || diskMargin > 5) {
		return badInput(`--disk-margin must be a fraction such as 0.1, got "${values['disk-margin']}".`, 'Use e.g. --disk-margin 0.2 for 20%.');
	}

	const diskFloor = values['disk-floor'] === undefined ? undefined : parseSize(values['disk-floor']);
	if (Number.isNaN(diskFloor) || (diskFloor !== undefined && diskFloor < 0)) {
		return badInput(`--disk-floor must be a size such as 2G or 500M, got "${values['disk-floor']}".`, 'Use e.g. --disk-floor 2G.');
	}

	const stopGrace = values['stop-grace'] === undefined ? 10 : Number(values['stop-grace']);
	if (!Number.isFinite(stopGrace) || stopGrace < 0 || stopGrace > 600) {
		return badInput(`--stop-grace must be seconds from 0 to 600, got "${values['stop-grace']}".`, 'Use e.g. --stop-grace 30.');
	}

	const fromStep = values['from-step'] === undefined ? 1 : Number(values['from-step']);
	if (!Number.isInteger(fromStep) || fromStep < 1) {
		return badInput(`--from-step must be a step number from 1, got "${values['from-step']}".`, 'Use e.g. --from-step 2.');
	}

	const importSpelling = (values['import-command'] ?? 'import -addon').trim().split(/\s+/).join(' ');
	if (!(importCommandSpellings as readonly string[]).includes(importSpelling)) {
		return badInput(`--import-command must be one of ${importCommandSpellings.map(item => `"${item}"`).join(' or ')}, got "${values['import-command']}".`, 'Run `dce5-installer --help` to see which spelling your installer takes.');
	}

	if (values['registry-ca'] !== undefined && values['registry-insecure']) {
		return badInput('--registry-ca and --registry-insecure were both given: one checks the certificate against a CA, the other not at all.', 'Keep the one you mean.');
	}

	const importCommand = importSpelling.split(' ');
	if ((values.checksums?.length ?? 0) > 1) {
		return badInput(`--checksums was given ${values.checksums!.length} times; the wizard reads one file.`, 'Put all the lines into one file and pass it once.');
	}

	const clusterArches = list(values['cluster-arches']).map(arch => normalizeArch(arch));
	const unknownArch = clusterArches.find(arch => !knownArches.has(arch));
	if (unknownArch !== undefined) {
		return badInput(`--cluster-arches takes ${[...knownArches].join(' and ')} (or x86_64/aarch64), got "${unknownArch}".`, 'Use e.g. --cluster-arches amd64,arm64.');
	}

	return {
		command,
		config: values.config,
		manifest: values.manifest,
		installer: values.installer,
		workdir: values.workdir,
		search: values.search ?? [],
		depth,
		packages: values.package ?? [],
		baseline: values.baseline,
		checksums: values.checksums?.[0],
		watchPaths: values['watch-path'] ?? [],
		importCommand,
		spaceMode,
		registrySpaces: list(values['registry-spaces']),
		clusterArches: [...new Set(clusterArches)],
		registry: values.registry,
		chartRepo: values['chart-repo'],
		registryCa: values['registry-ca'],
		registryInsecure: values['registry-insecure'] ?? false,
		requireRegistry: values['require-registry'] ?? false,
		createSpaces: values['create-spaces'] ?? false,
		diskMargin,
		diskFloor,
		stopGrace,
		cleanup: values.cleanup ?? false,
		restoreConfigOnFailure: values['restore-config-on-failure'] ?? false,
		fromStep,
		noVerify: values['no-verify'] ?? false,
		chain: values.chain ?? false,
		yes: values.yes ?? false,
		json: values.json ?? false,
		cache: !(values['no-cache'] ?? false),
		logFile: values['log-file'],
		help: values.help ?? false,
		version: values.version ?? false,
	};
}

export {isWizardError} from '../domain/shared/wizard-error.js';
