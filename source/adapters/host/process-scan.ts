// What the kernel says about the processes on this host (Linux /proc): who works in or holds files
// open inside a directory (before a cleanup), and who is left in an installer's process group
// after the installer itself exited. Read-only; processes of other users that cannot be read are
// skipped (root, which the installer needs, reads them all).
import {readdirSync, readFileSync, readlinkSync, realpathSync} from 'node:fs';
import {commandOf, type ScannedProcess} from '../../domain/run/live-writers.js';
import type {LingeringProcess} from '../../domain/run/run-events.js';
import {procStat} from './proc-stat.js';

/** Every process id /proc lists now. */
export const pids = (): number[] => {
	try {
		return readdirSync('/proc')
			.filter(name => /^\d+$/.test(name))
			.map(Number);
	} catch {
		return [];
	}
};

/** A process's arguments as the kernel holds them; none when it is gone (or a kernel thread). */
export function argvOf(pid: number): string[] {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
	} catch {
		return [];
	}
}

const link = (file: string): string | undefined => {
	try {
		return readlinkSync(file);
	} catch {
		return undefined;
	}
};

const under = (file: string, dirs: string[]) => dirs.some(dir => file === dir || file.startsWith(`${dir}/`));

/**
 * Every live process with its working directory and those of its open files that lie inside
 * `dirs` (resolved through symlinks, as /proc shows them).
 */
export function scanProcesses(dirs: string[]): ScannedProcess[] {
	const real = dirs.map(dir => {
		try {
			return realpathSync(dir);
		} catch {
			return dir;
		}
	});
	const found: ScannedProcess[] = [];
	for (const pid of pids()) {
		const stat = procStat(pid);
		if (!stat || stat.state === 'Z') {
			continue;
		}

		let fds: string[] = [];
		try {
			fds = readdirSync(`/proc/${pid}/fd`);
		} catch {
			// Not ours to read, or gone.
		}

		const openPaths = fds
			.map(fd => link(`/proc/${pid}/fd/${fd}`))
			.filter((file): file is string => file !== undefined && under(file, real));
		found.push({pid, pgid: stat.pgid, argv: argvOf(pid), cwd: link(`/proc/${pid}/cwd`), openPaths});
	}

	return found;
}

/** The process group of `pid` (this process's, to tell it apart). */
export function groupOf(pid: number): number | undefined {
	return procStat(pid)?.pgid;
}

/**
 * The live processes of group `pgid` (zombies are gone in all but name), and those of session
 * `pgid`: the installer starts as the leader of both (installer-process.ts), and a child it put in
 * a group of its own (a script's `set -m; helper &`) leaves the group but not the session.
 */
export function groupMembers(pgid: number): LingeringProcess[] {
	const members: LingeringProcess[] = [];
	for (const pid of pids()) {
		const stat = procStat(pid);
		if (stat && (stat.pgid === pgid || stat.sid === pgid) && stat.state !== 'Z') {
			members.push({pid, command: commandOf(argvOf(pid))});
		}
	}

	return members;
}

/** Members of session `pgid` that left its process group: a signal to the group misses them. */
export function outsideGroup(pgid: number): number[] {
	return pids().filter(pid => {
		const stat = procStat(pid);
		return stat !== undefined && stat.sid === pgid && stat.pgid !== pgid && stat.state !== 'Z';
	});
}
