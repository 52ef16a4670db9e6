// The command line as data: every flag once, with the commands that read it. parseArgs' options
// and every help page (help.ts, with the commands' words from commands-table.ts) are generated from
// this table, so they cannot drift apart.
import type {ParseArgsConfig} from 'node:util';

export const subcommands = ['wizard', 'plan', 'run', 'inspect', 'list', 'attach', 'verify', 'history', 'status', 'undo', 'help'] as const;
export type Subcommand = (typeof subcommands)[number];

/**
 * What a flag's value is: `number` and `size` may be negative on the command line (`--depth -1`
 * must reach the range check, not parseArgs' "ambiguous"); `list` is comma-separated.
 */
export type FlagType = 'boolean' | 'string' | 'list' | 'number' | 'size';

export type Flag = {
	/** The long name, without the dashes. */
	name: string;
	short?: string;
	type: FlagType;
	/** Repeatable: every value given is kept, in order. */
	multiple?: boolean;
	/** The value when the flag is left out, as typed (valued flags only: a boolean is off unless given). */
	default?: string;
	/** The placeholder `--help` shows after the flag: `--config PATH`. */
	valueName?: string;
	/** One line for `--help`. */
	help: string;
	/** The commands that read the flag. */
	commands: readonly Subcommand[];
	/**
	 * A path the command reads: what is typed must be there and be a file (or a directory), or the
	 * command exits 2 before it prints or reads anything else (`given-paths.ts`).
	 */
	path?: 'file' | 'directory';
};

// Who reads what: the planning commands build a plan; `run` and the wizard also run it.
const every = subcommands;
const configReading = [
	'wizard',
	'plan',
	'run',
	'list',
	'attach',
	'verify',
	'history',
	'status',
	'undo',
] as const satisfies readonly Subcommand[];
const planning = ['wizard', 'plan', 'run'] as const satisfies readonly Subcommand[];
const running = ['wizard', 'run'] as const satisfies readonly Subcommand[];
const inspecting = ['wizard', 'plan', 'run', 'inspect', 'verify'] as const satisfies readonly Subcommand[];
const registryReading = ['wizard', 'plan', 'run', 'verify', 'undo'] as const satisfies readonly Subcommand[];
const followingRuns = ['wizard', 'run', 'attach'] as const satisfies readonly Subcommand[];
// `help` prints and reads nothing else; the wizard reads --json too (with --yes it runs without the screens).
const printing = subcommands.filter(command => command !== 'help');

export const flags = [
	{
		name: 'config',
		short: 'c',
		type: 'string',
		valueName: 'PATH',
		path: 'file',
		commands: configReading,
		help: 'clusterConfig.yaml to use (default ./clusterConfig.yaml, then offline/sample/clusterConfig.yaml)',
	},
	{
		name: 'manifest',
		short: 'm',
		type: 'string',
		valueName: 'PATH',
		path: 'file',
		commands: planning,
		help: 'manifest.yaml for cluster-create (default: manifest.yaml beside the config)',
	},
	{
		name: 'package',
		short: 'p',
		type: 'string',
		multiple: true,
		valueName: 'PATH',
		path: 'file',
		commands: inspecting,
		help: 'offline package to import; repeat for a multi-arch plan (skips the picker)',
	},
	{
		name: 'installer',
		type: 'string',
		valueName: 'PATH',
		commands: planning,
		help: 'dce5-installer binary (default ~/dce5-installer, then dce5-installer on PATH)',
	},
	{
		name: 'workdir',
		type: 'string',
		valueName: 'DIR',
		path: 'directory',
		commands: planning,
		help: 'where the installer runs and creates addon-offline-target-package (default: current directory)',
	},
	{
		name: 'search',
		type: 'string',
		multiple: true,
		valueName: 'DIR',
		path: 'directory',
		commands: ['wizard', 'run', 'list'],
		help: 'also look for packages in DIR (repeatable)',
	},
	{
		name: 'depth',
		type: 'number',
		default: '1',
		valueName: 'N',
		commands: ['wizard', 'run', 'list'],
		help: 'how many folder levels below each search folder to look (default 1)',
	},
	{
		name: 'baseline',
		type: 'string',
		valueName: 'PKG',
		path: 'file',
		commands: planning,
		help: 'package already imported, to diff against (default: the one in addonPackage.path)',
	},
	{
		name: 'watch-path',
		type: 'string',
		multiple: true,
		valueName: 'DIR',
		path: 'directory',
		commands: planning,
		help: 'another filesystem to check for free space (repeatable)',
	},
	{
		name: 'import-command',
		type: 'string',
		default: 'import -addon',
		valueName: 'CMD',
		commands: [...planning, 'verify'],
		help: 'spelling of the integration subcommand: "import -addon" (default) or "import-addon"',
	},
	{
		name: 'checksums',
		type: 'string',
		multiple: true,
		valueName: 'FILE',
		commands: inspecting,
		help: "sha512 values for packages the built-in table (to v0.44.0) lacks: sha512sum output or the download page's text",
	},
	{
		name: 'space-mode',
		type: 'string',
		default: 'origin-registry',
		valueName: 'MODE',
		commands: inspecting,
		help: 'how an image maps to a registry space: origin-registry (default) or repository',
	},
	{
		name: 'registry-spaces',
		type: 'list',
		valueName: 'LIST',
		commands: planning,
		help: 'comma-separated registry spaces that already exist in the registry',
	},
	{
		name: 'cluster-arches',
		type: 'list',
		valueName: 'LIST',
		commands: registryReading,
		help: 'comma-separated architectures the cluster runs (e.g. amd64,arm64), instead of what the registry shows',
	},
	{
		name: 'registry',
		type: 'string',
		valueName: 'URL',
		commands: registryReading,
		help: 'the registry to check the plan against (default: imagesAndCharts in clusterConfig.yaml)',
	},
	{
		name: 'chart-repo',
		type: 'string',
		valueName: 'URL',
		commands: registryReading,
		help: 'the chart repository to check (default: imagesAndCharts in clusterConfig.yaml)',
	},
	{
		name: 'registry-ca',
		type: 'string',
		valueName: 'FILE',
		path: 'file',
		commands: registryReading,
		help: 'CA certificate (PEM) of the registry and an HTTPS chart repository',
	},
	{
		name: 'registry-insecure',
		type: 'boolean',
		commands: registryReading,
		help: "do not check the registry's certificate (the plan says so)",
	},
	{name: 'require-registry', type: 'boolean', commands: planning, help: 'block the plan when the registry or its login cannot be checked'},
	{
		name: 'create-spaces',
		type: 'boolean',
		commands: ['plan', 'run'],
		help: 'create the Harbor projects the plan needs (printed first) before planning',
	},
	{
		name: 'disk-margin',
		type: 'number',
		default: '0.1',
		valueName: 'FRACTION',
		commands: planning,
		help: 'safety margin added to disk estimates (default 0.1 = 10%)',
	},
	{
		name: 'disk-floor',
		type: 'size',
		valueName: 'SIZE',
		commands: followingRuns,
		help: 'free space (e.g. 2G) under which a run offers to stop the installer (default 2% of the disk)',
	},
	{
		name: 'stop-grace',
		type: 'number',
		default: '10',
		valueName: 'SECONDS',
		commands: followingRuns,
		help: 'wait between SIGINT, SIGTERM and SIGKILL when stopping the installer (default 10)',
	},
	{
		name: 'cleanup',
		type: 'boolean',
		commands: planning,
		help: 'remove a leftover addon-offline-target-package (safety-checked; never while an installer writes there) before running',
	},
	{
		name: 'cleanup-unexplained',
		type: 'boolean',
		commands: planning,
		help: 'with --cleanup: also delete the files in that leftover the packages do not explain (the plan names them first)',
	},
	{
		name: 'restore-config-on-failure',
		type: 'boolean',
		commands: ['run'],
		help: 'after a failed step, put clusterConfig.yaml back from the backup the run took (refused if it changed since)',
	},
	{
		name: 'from-step',
		type: 'number',
		default: '1',
		valueName: 'N',
		commands: planning,
		help: 'start a multi-step plan at step N, e.g. to retry the step that failed (default 1)',
	},
	{
		name: 'no-verify',
		type: 'boolean',
		commands: running,
		help: 'do not read the registry back after each step; steps are judged by the installer alone',
	},
	{
		name: 'chain',
		type: 'boolean',
		commands: ['run'],
		help: "run --yes: when the verification asks to integrate the other arch's package and it is here, run that too",
	},
	{
		name: 'accept',
		type: 'string',
		multiple: true,
		valueName: 'ID',
		commands: ['run'],
		help: 'run --yes: go ahead despite the hazard with this id (the plan names each; repeatable)',
	},
	{
		name: 'reimport',
		type: 'boolean',
		commands: ['run'],
		help: 'run --yes: run the installer even when the registry already holds everything (e.g. a restored registry)',
	},
	{
		name: 'detailed-exitcode',
		type: 'boolean',
		commands: ['plan'],
		help: 'exit 0 when nothing would change, 8 when changes are pending (other codes as usual)',
	},
	{
		name: 'result-file',
		type: 'string',
		valueName: 'PATH',
		commands: ['run'],
		help: 'also write the final RunResult JSON document to PATH',
	},
	{
		name: 'run',
		type: 'string',
		valueName: 'ID',
		commands: ['undo'],
		help: 'the run to undo, by its id (history shows it; default: the last run against the config)',
	},
	{
		name: 'step',
		type: 'string',
		valueName: 'N',
		commands: ['undo'],
		help: 'the step of the run to undo (default: its last step with a snapshot)',
	},
	{name: 'force', type: 'boolean', commands: ['undo'], help: 'put back tags someone else pushed since the step too'},
	{name: 'remove-added', type: 'boolean', commands: ['undo'], help: 'delete the tags the step added, where the registry allows deletes'},
	{
		name: 'yes',
		short: 'y',
		type: 'boolean',
		commands: [...running, 'undo'],
		help: 'do not ask for confirmation; run the plan as given by the flags',
	},
	{
		name: 'json',
		type: 'boolean',
		commands: printing,
		help: 'print versioned JSON (addon-wizard/v1): one document, or one line per event while a run goes',
	},
	{name: 'no-cache', type: 'boolean', commands: inspecting, help: 'inspect packages again even if a cached result exists'},
	{
		name: 'log-file',
		type: 'string',
		valueName: 'PATH',
		commands: running,
		help: 'where to write the run log (default under ~/.local/state/addon-wizard/logs)',
	},
	{name: 'help', short: 'h', type: 'boolean', commands: every, help: "show the command's help: what it does, its flags, examples"},
	{name: 'version', short: 'v', type: 'boolean', commands: every, help: 'print the version'},
] as const satisfies readonly Flag[];

/** The same rows, read as plain `Flag`s. */
const table: readonly Flag[] = flags;

export type FlagName = (typeof flags)[number]['name'];
/** The flags whose value is a number (or a size), checked against a range. */
export type NumberFlag = Extract<(typeof flags)[number], {type: 'number' | 'size'}>['name'];
/** The flags whose value is a path the command reads (checked before anything else, given-paths.ts). */
export type PathFlag = Extract<(typeof flags)[number], {path: string}>['name'];
/** The flags that have a value when left out. */
export type DefaultedFlag = Extract<(typeof flags)[number], {default: string}>['name'];

/** How `--help` writes a flag: `-c, --config PATH`. */
export function flagUsage(flag: Flag): string {
	return `${flag.short ? `-${flag.short}, ` : ''}--${flag.name}${flag.valueName ? ` ${flag.valueName}` : ''}`;
}

/** The table as parseArgs takes it; defaults are applied by the reader, so an absent flag stays absent here. */
export const parseArgsOptions: NonNullable<ParseArgsConfig['options']> = Object.fromEntries(
	table.map(flag => [
		flag.name,
		{
			type: flag.type === 'boolean' ? 'boolean' : 'string',
			...(flag.short ? {short: flag.short} : {}),
			...(flag.multiple ? {multiple: true} : {}),
		},
	]),
);

/** The long flags whose value may start with a dash. */
export const negativeValued = new Set(table.filter(flag => flag.type === 'number' || flag.type === 'size').map(flag => `--${flag.name}`));

export function defaultOf(name: DefaultedFlag): string {
	return table.find(flag => flag.name === name)!.default!;
}
