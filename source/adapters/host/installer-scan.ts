// Live installers on this host that a new run would collide with (domain/run/installer-match.ts),
// from /proc: every process's command line and owner, and its working directory where this user
// may read it. Read-only, and cheap enough to do before every run.
import {readlinkSync, realpathSync, statSync} from 'node:fs';
import {displayCommand} from '../../domain/run/build-installer-command.js';
import {installerCollision, runsInstaller, type InstallerQuestion, type SeenProcess} from '../../domain/run/installer-match.js';
import type {RunningInstaller} from '../../domain/run/lock-holder.js';
import {procStat} from './proc-stat.js';
import {argvOf, pids} from './process-scan.js';
import {userNames} from './user-names.js';

function cwdOf(pid: number): string | undefined {
	try {
		return readlinkSync(`/proc/${pid}/cwd`);
	} catch {
		return undefined; // EACCES: another user's process, and this user is not root.
	}
}

function uidOf(pid: number): number | undefined {
	try {
		return statSync(`/proc/${pid}`).uid;
	} catch {
		return undefined;
	}
}

const real = (file: string) => {
	try {
		return realpathSync(file);
	} catch {
		return file;
	}
};

/**
 * Every live installer that works in one of `question.workdirs` or names its config, with its
 * owner and the reason it matched. `mask` hides passwords in the command lines it reports.
 */
export function findRunningInstallers(question: InstallerQuestion, mask: (text: string) => string): RunningInstaller[] {
	const asked = {
		...question,
		workdirs: [...new Set(question.workdirs.flatMap(dir => [dir, real(dir)]))],
		configPaths: [...new Set(question.configPaths.flatMap(file => [file, real(file)]))],
	};
	const names = userNames();
	const found: RunningInstaller[] = [];
	for (const pid of pids()) {
		const argv = argvOf(pid);
		// Most processes are not installers: only those are looked at further.
		if (!runsInstaller(argv, asked.installerNames) || procStat(pid)?.state === 'Z') {
			continue;
		}

		const uid = uidOf(pid);
		const seen: SeenProcess = {pid, argv, cwd: cwdOf(pid), user: uid === undefined ? '?' : (names.get(uid) ?? `uid ${uid}`)};
		const why = installerCollision(seen, asked);
		if (why) {
			found.push({pid, user: seen.user, command: mask(displayCommand(argv)), why});
		}
	}

	return found;
}
