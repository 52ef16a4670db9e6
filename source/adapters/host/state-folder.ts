// Whether the wizard's state folder (XDG_STATE_HOME/addon-wizard: run records, logs, capture
// files) can be written, asked once before a run takes anything: when it cannot, the run says which
// folder and why in one line, with a next step that works, instead of a raw mkdir error later and
// "see the log" about a log that could not be written.
import {closeSync, mkdirSync, openSync, statSync, unlinkSync, type Stats} from 'node:fs';
import path from 'node:path';
import {exitCodes, type WizardError} from '../../domain/shared/wizard-error.js';
import type {WizardPaths} from './xdg-paths.js';

type Problem = {code: string; at: string};

function tryWrite(paths: WizardPaths): Problem | undefined {
	let at = paths.state;
	try {
		for (const dir of [paths.state, paths.logs, paths.capture]) {
			at = dir;
			mkdirSync(dir, {recursive: true, mode: 0o700});
		}

		// Root passes every permission check; a file actually made is the proof.
		at = paths.state;
		const probe = path.join(paths.state, `.write-test-${process.pid}`);
		closeSync(openSync(probe, 'wx', 0o600));
		unlinkSync(probe);
		return undefined;
	} catch (error) {
		return {code: (error as NodeJS.ErrnoException).code ?? 'error', at};
	}
}

const statOf = (file: string): Stats | undefined => {
	try {
		return statSync(file);
	} catch {
		return undefined;
	}
};

/** The deepest part of `dir` that exists: where the trouble is. */
function existingPart(dir: string): {path: string; info?: Stats} {
	let current = dir;
	while (path.dirname(current) !== current) {
		const info = statOf(current);
		if (info) {
			return {path: current, info};
		}

		current = path.dirname(current);
	}

	return {path: current, info: statOf(current)};
}

/** A folder every user can make on any Linux host, as one line to paste. */
const elsewhere = 'mkdir -p /var/tmp/addon-wizard-$(id -un) && export XDG_STATE_HOME=/var/tmp/addon-wizard-$(id -un)';

/** Why, in a few words, and the exact command that fixes it, from the errno and the path that exists. */
function diagnose(problem: Problem): {why: string; fix: string} {
	const found = existingPart(problem.at);
	const owner = found.info && process.getuid && found.info.uid !== process.getuid() ? found.info.uid : undefined;
	switch (problem.code) {
		case 'ENOTDIR':
		case 'EEXIST': {
			return {
				why: `${found.path} is a file, not a folder`,
				fix: `move it aside (mv ${found.path} ${found.path}.bak), or set XDG_STATE_HOME to a writable folder (${elsewhere})`,
			};
		}

		case 'EROFS': {
			return {
				why: `${found.path} is on a read-only filesystem`,
				fix: `set XDG_STATE_HOME to a folder on a writable filesystem (${elsewhere})`,
			};
		}

		case 'EACCES':
		case 'EPERM': {
			const command =
				owner === undefined ? `fix its permissions (chmod u+rwx ${found.path})` : `take it over (sudo chown "$(id -un)" ${found.path})`;
			return {
				why: `permission denied on ${found.path}${owner === undefined ? '' : ` (owned by uid ${owner})`}`,
				fix: `${command}, or set XDG_STATE_HOME to a folder you can write (${elsewhere})`,
			};
		}

		default: {
			return {
				why: `${problem.code} at ${problem.at}`,
				fix: `check that folder (df -h ${found.path}), or set XDG_STATE_HOME to a writable folder (${elsewhere})`,
			};
		}
	}
}

/** Undefined when the state folder can be written; else why not and what to do, naming the folder. */
export function stateFolderProblem(paths: WizardPaths): WizardError | undefined {
	const problem = tryWrite(paths);
	if (!problem) {
		return undefined;
	}

	const {why, fix} = diagnose(problem);
	return {
		kind: 'state-not-writable',
		message: `Cannot write the wizard's state folder ${paths.state} (run records and logs): ${why}; nothing was run.`,
		hint: `${fix.charAt(0).toUpperCase()}${fix.slice(1)}, then run again.`,
		exitCode: exitCodes.badInput,
	};
}
