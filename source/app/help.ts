import {registryEnvironment} from '../domain/registry/location.js';
import {flags, flagUsage} from './flags.js';

const commands: Array<[string, string]> = [
	['wizard', '(default, also with no command) the interactive wizard: pick packages, review the plan, confirm, run'],
	['plan', 'print the plan (packages, findings, disk, diffs, steps) without running anything'],
	['run', 'run the plan without the wizard screens (needs --yes)'],
	['inspect', 'inspect the given packages and print what they hold'],
	['list', 'list the offline packages found on this host'],
	['attach', 're-open the live view of a run that is still going (e.g. after an SSH drop)'],
	['verify', 'check the registry now: every image of the -p packages (or of what the cluster has) at its tag, in every expected arch'],
	['history', 'what the wizard ran against this cluster, newest first: packages, installer, outcome, what verification found'],
];

/** The two procedures of the DCE 5.0 multi-arch guide, with the installer command each one runs. */
const examples = [
	'# Single-arch import or upgrade: sets spec.addonPackage.path in clusterConfig.yaml, then runs',
	'#   ~/dce5-installer cluster-create -c /home/dce5/sample/clusterConfig.yaml -m /home/dce5/sample/manifest.yaml -d -j13',
	'addon-wizard -c /home/dce5/sample/clusterConfig.yaml -p /home/addon-offline-full-package-v0.9.0-amd64.tar.gz',
	'',
	'# Multi-arch integration of the arm64 package, without the screens; runs',
	'#   ~/dce5-installer import -addon -c /home/dce5/sample/clusterConfig.yaml --addon-path=/home/addon-offline-full-package-v0.9.0-arm64.tar.gz',
	'addon-wizard run --yes -c /home/dce5/sample/clusterConfig.yaml -p /home/addon-offline-full-package-v0.9.0-arm64.tar.gz',
	'',
	'# After every step the registry is read back; check it again at any time',
	'addon-wizard verify -c /home/dce5/sample/clusterConfig.yaml',
];

export function renderHelp(): string {
	const usages = flags.map(flag => [flagUsage(flag), flag.help] as const);
	const width = Math.max(...usages.map(([usage]) => usage.length), ...commands.map(([name]) => name.length)) + 2;
	const lines = [
		'addon-wizard: import and upgrade DCE 5.0 addon offline packages, single- or multi-arch',
		'',
		'Usage: addon-wizard [command] [flags]',
		'',
		'Commands:',
		...commands.map(([name, text]) => `  ${name.padEnd(width)}${text}`),
		'',
		'Flags:',
		...usages.map(([usage, help]) => `  ${usage.padEnd(width)}${help}`),
		'',
		'Examples:',
		...examples.map(line => (line ? `  ${line}` : '')),
		'',
		'Environment:',
		'  NO_COLOR=1 / FORCE_COLOR=1  colour off / on',
		'  ADDON_WIZARD_ASCII=1        ASCII drawing (automatic with TERM=linux or a non-UTF-8 locale)',
		'  PAGER                       pager for the log on the Result screen (default less)',
		'  XDG_STATE_HOME              run logs, locks, run records (default ~/.local/state/addon-wizard)',
		'  XDG_CACHE_HOME              package inspection cache (default ~/.cache/addon-wizard)',
		'  ADDON_WIZARD_DEBUG=1        print stack traces of internal errors',
		`  ${registryEnvironment.registryUser} / ${registryEnvironment.registryPassword}`,
		"                              the registry's login, instead of clusterConfig.yaml's (never printed)",
		`  ${registryEnvironment.chartUser} / ${registryEnvironment.chartPassword}`,
		"                              the chart repository's login, instead of clusterConfig.yaml's",
		'',
		'Exit codes: 0 ok (every step verified against the registry, or --no-verify), 1 quit before running or unexpected error, 2 bad input, 3 plan blocked (or another run or installer holds the config or working directory), 4 installer step failed, 5 installer exited 0 but printed errors, 6 not verified: the registry does not hold what the step (or verify) expects, 7 finished, not verified: the registry could not be read, 130 interrupted.',
		'',
	];
	return lines.join('\n');
}
