// Bad input first: every path the command's flags name (the flag table's `path`) must be there
// and be what the flag takes, or the command exits 2 with the cause, before it prints a plan or
// any progress. A typo in -p is not a plan about "(unknown version)". The installer is not checked
// here: the plan's pre-flight judges it (missing, a directory, another CPU's binary) and blocks.
import path from 'node:path';
import {pathKind, type PathKind} from '../adapters/host/path-kind.js';
import {exitCodes, type WizardError} from '../domain/shared/wizard-error.js';
import {flags, type Flag, type PathFlag, type Subcommand} from './flags.js';
import type {Options} from './options.js';

/** Where each path flag's values are in Options. */
const valuesOf: Record<PathFlag, (options: Options) => Array<string | undefined>> = {
	config: options => [options.config],
	manifest: options => [options.manifest],
	package: options => options.packages,
	workdir: options => [options.workdir],
	search: options => options.search,
	baseline: options => [options.baseline],
	'watch-path': options => options.watchPaths,
	'registry-ca': options => [options.registryCa],
};

const article = (kind: 'file' | 'directory') => (kind === 'file' ? 'a file' : 'a directory');

/** Why `file`, given with `--flag`, cannot be used; undefined when it can. */
export function givenPathProblem(flag: string, file: string, must: 'file' | 'directory', found: PathKind): WizardError | undefined {
	// The kinds are the Error document's ids: a script tells a missing path from an unreadable one.
	const bad = (kind: string, message: string, hint: string): WizardError => ({kind, message, hint, exitCode: exitCodes.badInput});
	if (found.kind === 'missing') {
		return bad(
			'path-missing',
			`--${flag} ${file}: no such ${must}${found.code && found.code !== 'ENOENT' ? ` (${found.code})` : ''}.`,
			flag === 'package'
				? 'Check the path; `addon-wizard list` shows the packages on this host.'
				: must === 'directory'
					? `Check the path, or create it (mkdir -p ${file}).`
					: `Check the path (ls ${path.dirname(file)}).`,
		);
	}

	if (found.kind !== must) {
		return bad(
			'path-wrong-kind',
			`--${flag} ${file} is ${found.kind === 'other' ? 'not a regular file or directory' : article(found.kind)}, not ${article(must)}.`,
			must === 'file' ? `Pass the file itself with --${flag}, not the folder that holds it.` : `Pass a directory with --${flag}.`,
		);
	}

	return found.readable
		? undefined
		: bad(
				'path-unreadable',
				`--${flag} ${file}: permission denied.`,
				`Make it readable for this account (ls -l ${file}), or run as its owner.`,
			);
}

/** The first path typed for `command` that cannot be used, as bad input; undefined when all can. */
export async function checkGivenPaths(options: Options, cwd: string): Promise<WizardError | undefined> {
	const reads = (flag: Flag) => (flag.commands as readonly Subcommand[]).includes(options.command);
	for (const flag of (flags as readonly Flag[]).filter(item => item.path && reads(item))) {
		for (const value of valuesOf[flag.name as PathFlag](options)) {
			const file = value === undefined ? undefined : path.resolve(cwd, value);
			const problem = file === undefined ? undefined : givenPathProblem(flag.name, file, flag.path!, await pathKind(file));
			if (problem) {
				return problem;
			}
		}
	}

	return undefined;
}
