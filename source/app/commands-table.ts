// Each command in words, once: what `addon-wizard --help` lists and what `addon-wizard help
// COMMAND` explains. Its flags come from the flag table (flags.ts), so a page is generated from the
// two tables and no flag is described twice. Every line fits an 80-column terminal as written;
// long commands continue with a shell `\`, so they still paste as one.
import type {exitCodes} from '../domain/shared/wizard-error.js';
import type {Subcommand} from './flags.js';

type ExitName = keyof typeof exitCodes;

export type CommandHelp = {
	/** One line in the overview. */
	summary: string;
	/** What the command does, when to use it: a few sentences, wrapped when printed. */
	purpose: string;
	/** The usage lines, without the leading `Usage: `. */
	usage: readonly string[];
	/** Commented examples, as typed; an empty string separates two. */
	examples: readonly string[];
	/** The exit codes this command ends with, by name in `exitCodes`, and what each means here. */
	exits: ReadonlyArray<readonly [ExitName, string]>;
};

const seedConfig = '/home/dce5/sample/clusterConfig.yaml';
const seedAmd64 = '/home/addon-offline-full-package-v0.9.0-amd64.tar.gz';
const seedArm64 = '/home/addon-offline-full-package-v0.9.0-arm64.tar.gz';

/** How a run ends, for `run` and `attach` alike. */
const runExits = [
	['ok', 'done, every step verified (or --no-verify); or nothing to do'],
	['badInput', 'bad input: a flag or a path that cannot be used'],
	['blocked', 'blocked: the pre-flight, a hazard not accepted, another run'],
	['runFailed', 'an installer step failed'],
	['finishedWithErrors', 'the installer exited 0 but printed errors'],
	['verificationFailed', 'not verified: the registry lacks what the step should leave'],
	['notVerified', 'finished, not verified: the registry could not be read'],
	['interrupted', 'interrupted (Ctrl+C)'],
] as const;

export const commandsHelp: Record<Subcommand, CommandHelp> = {
	wizard: {
		summary: 'the screens: pick packages, review the plan, confirm, run (default)',
		purpose:
			'Finds the offline packages on this host, reads each one, and shows the plan: pre-flight, disk, the registry and the charts. After you confirm, it runs dce5-installer with live progress and reads the registry back after every step. Needs a terminal; `addon-wizard` alone starts it.',
		usage: ['addon-wizard [wizard] [-c CONFIG] [-p PACKAGE]... [flags]'],
		examples: [
			'# Pick the package on the first screen',
			`addon-wizard -c ${seedConfig}`,
			'',
			'# The single-arch upgrade, picker skipped',
			`addon-wizard -c ${seedConfig} \\`,
			`  -p ${seedAmd64}`,
			'',
			'# Also look for packages in /data/addon (two levels down)',
			'addon-wizard --search /data/addon --depth 2',
		],
		exits: [['failure', 'you quit before anything ran'], ...runExits],
	},
	plan: {
		summary: 'print the plan without running anything',
		purpose:
			'Reads the packages, clusterConfig.yaml, the registry and the chart repository, and prints what a run would do: the pre-flight, disk per filesystem, hazards, and the exact installer commands. Changes nothing.',
		usage: ['addon-wizard plan -p PACKAGE [-p PACKAGE] [-c CONFIG] [flags]'],
		examples: [
			'# What importing the arm64 package would do',
			`addon-wizard plan -c ${seedConfig} \\`,
			`  -p ${seedArm64}`,
			'',
			'# For a script: the Plan document, and 8 when changes are pending',
			'addon-wizard plan --json --detailed-exitcode -c CONFIG -p PACKAGE',
		],
		exits: [
			['ok', 'the plan is ready (--detailed-exitcode: and nothing would change)'],
			['badInput', 'bad input: a flag or a path that cannot be used'],
			['blocked', 'the plan is blocked'],
			['changesPending', '--detailed-exitcode: the plan is ready and changes are pending'],
		],
	},
	run: {
		summary: 'run the plan without the screens (needs --yes)',
		purpose:
			'Builds the plan as `plan` does and, when nothing blocks it, runs the installer steps in order, printing progress lines (or JSON lines with --json). After each step the registry is read back. Refuses a plan with a hazard until it is accepted with --accept ID.',
		usage: ['addon-wizard run --yes -p PACKAGE [-p PACKAGE] [-c CONFIG] [flags]'],
		examples: [
			"# The seed's multi-arch integration of the arm64 package",
			`addon-wizard run --yes -c ${seedConfig} \\`,
			`  -p ${seedArm64}`,
			'',
			'# Below 0.12.0 over a multi-arch registry: accept the hazard by its id',
			'addon-wizard run --yes -c CONFIG -p PACKAGE \\',
			'  --accept below-0.12-single-arch',
			'',
			'# Retry the failed second step after removing the leftover unpack',
			'addon-wizard run --yes -c CONFIG -p AMD64 -p ARM64 --from-step 2 --cleanup',
		],
		exits: runExits,
	},
	inspect: {
		summary: 'read packages and print what they hold',
		purpose:
			'Reads each package once: its version, kind and architecture (from the name and from its images), checksum, charts and images. Needs no clusterConfig.yaml.',
		usage: ['addon-wizard inspect -p PACKAGE [-p PACKAGE]... [--json]'],
		examples: ['# Is this download whole, and which arch are its images?', `addon-wizard inspect -p ${seedArm64}`],
		exits: [
			['ok', 'read'],
			['badInput', 'bad input'],
		],
	},
	list: {
		summary: 'list the offline packages found on this host',
		purpose:
			'Looks for offline packages in the current folder, HOME, /home, /root and beside clusterConfig.yaml (and in --search folders), by name only: fast, nothing is unpacked.',
		usage: ['addon-wizard list [--search DIR]... [--depth N] [--json]'],
		examples: ['addon-wizard list', '', '# Also two levels below /data', 'addon-wizard list --search /data --depth 2'],
		exits: [
			['ok', 'listed'],
			['badInput', 'none found (text only), or bad input'],
		],
	},
	attach: {
		summary: 're-open a run still going (e.g. after an SSH drop)',
		purpose:
			'Follows the run recorded for the config (or the newest one): the live screens on a terminal, progress lines without one. A run that has ended is reported with how it ended. Ctrl+C stops the watching, never the import.',
		usage: ['addon-wizard attach [-c CONFIG] [--json]'],
		examples: ['# After the SSH session dropped', `addon-wizard attach -c ${seedConfig}`],
		exits: runExits.map(([name, text]) => [name, name === 'badInput' ? 'no run recorded, or bad input' : text]),
	},
	verify: {
		summary: 'read the registry now: every image at its tag, in every arch',
		purpose:
			"Checks the registry for the -p packages, or for what the cluster has (the run history, else addonPackage.path): every image at its tag with the package's digest, in every arch the cluster runs.",
		usage: ['addon-wizard verify [-c CONFIG] [-p PACKAGE]... [--json]'],
		examples: ['# What the cluster should have', `addon-wizard verify -c ${seedConfig}`],
		exits: [
			['ok', 'verified: every image at its tag in every arch'],
			['badInput', 'bad input'],
			['verificationFailed', 'not verified: images, tags or arches missing'],
			['notVerified', 'the registry could not be read'],
		],
	},
	history: {
		summary: 'what the wizard ran against this cluster, newest first',
		purpose:
			'Every step the wizard ran against the cluster of the config: the packages, when, with which installer, how it ended and what verification found.',
		usage: ['addon-wizard history [-c CONFIG] [--json]'],
		examples: [`addon-wizard history -c ${seedConfig}`],
		exits: [
			['ok', 'shown'],
			['badInput', 'bad input'],
		],
	},
	status: {
		summary: 'the active or last run for a config: state, step, outcome, log',
		purpose:
			"Says whether a run is going against the config (or, without -c, the newest run on this host), its step, how it ended, whether it was verified, its log, and whether the wizard and its installer still live. For scripts and Ansible `async` polling: the exit code says only that the status was shown; the run's own exit code is in the output.",
		usage: ['addon-wizard status [-c CONFIG] [--json]'],
		examples: [
			`addon-wizard status -c ${seedConfig}`,
			'',
			'# Poll until the run has ended',
			'addon-wizard status --json -c CONFIG | jq -r .state   # running, ended, none',
		],
		exits: [
			['ok', "shown: running, ended or none (the run's own code is in it)"],
			['badInput', 'bad input'],
		],
	},
	undo: {
		summary: "put a step's tags back from the snapshot saved before it",
		purpose:
			"Puts back every tag a step changed (the <0.12.0 upgrade's single-arch overwrite included) from the manifests the wizard saved before the step: shows each tag, now → before, asks, PUTs the saved bytes and reads every tag back. Tags pushed by someone else since are left alone unless --force; tags the step added are kept unless --remove-added. Refused, with nothing changed, when garbage collection took what a saved manifest points to.",
		usage: ['addon-wizard undo [-c CONFIG] [--run ID] [--step N] [--yes] [--json]', '                  [--force] [--remove-added]'],
		examples: [
			`addon-wizard undo -c ${seedConfig}`,
			'',
			'# Without asking, for scripts',
			`addon-wizard undo -c ${seedConfig} --yes --json`,
		],
		exits: [
			['ok', 'undone and verified (or nothing to undo)'],
			['failure', 'no snapshot, declined, or an added tag could not be deleted'],
			['badInput', 'bad input'],
			['verificationFailed', 'refused (content gone) or a tag did not read back as saved'],
			['notVerified', 'the registry could not be read'],
		],
	},
	help: {
		summary: "show the commands, or one command's flags and examples",
		purpose:
			'Without a command, lists the commands. With one, shows what it does, only the flags it reads, and examples: the same page as `addon-wizard COMMAND --help`.',
		usage: ['addon-wizard help [COMMAND]'],
		examples: ['addon-wizard help run'],
		exits: [
			['ok', 'shown'],
			['badInput', 'no such command'],
		],
	},
};
