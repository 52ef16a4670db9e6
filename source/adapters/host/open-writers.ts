// Who holds a file open for writing, from /proc: every descriptor of every process whose target is
// the same file (device and inode, so another spelling or a hard link still counts), opened
// O_WRONLY or O_RDWR (the flags in /proc/<pid>/fdinfo). Processes of other users that cannot be
// read are skipped (root reads them all). Linux only; elsewhere nobody is found.
import {readdirSync, readFileSync, readlinkSync, statSync} from 'node:fs';
import type {CopyWriter} from '../../domain/packages/still-copying.js';
import {commandOf} from '../../domain/run/live-writers.js';
import {argvOf, pids} from './process-scan.js';

export type FileId = {dev: bigint; ino: bigint};

const idOf = (id: FileId) => `${id.dev}:${id.ino}`;

/** The access mode bits of open(2): O_RDONLY 0, O_WRONLY 1, O_RDWR 2. */
const accessMode = 0o3;

function opensForWriting(pid: number, fd: string): boolean {
	try {
		const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))?.[1];
		return flags !== undefined && (Number.parseInt(flags, 8) & accessMode) !== 0;
	} catch {
		return false;
	}
}

/** A descriptor that names a file on a disk (not a pipe, socket, or /dev, /proc, /sys). */
function onDisk(pid: number, fd: string): boolean {
	try {
		const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
		return target.startsWith('/') && !/^\/(dev|proc|sys)\//.test(target);
	} catch {
		return false;
	}
}

function sameFile(pid: number, fd: string, wanted: Set<string>): string | undefined {
	try {
		const info = statSync(`/proc/${pid}/fd/${fd}`, {bigint: true});
		const id = idOf(info);
		return wanted.has(id) ? id : undefined;
	} catch {
		return undefined;
	}
}

/** A process's descriptors; none when it is gone or not ours to read. */
function descriptors(pid: number): string[] {
	try {
		return readdirSync(`/proc/${pid}/fd`);
	} catch {
		return [];
	}
}

/** For each file asked about (by `dev:ino`), the processes other than `selfPid` that write it. */
export function openWriters(files: FileId[], selfPid: number): Map<string, CopyWriter[]> {
	const wanted = new Set(files.map(file => idOf(file)));
	const found = new Map<string, CopyWriter[]>();
	if (wanted.size === 0) {
		return found;
	}

	for (const pid of pids()) {
		if (pid === selfPid) {
			continue;
		}

		for (const fd of descriptors(pid)) {
			const id = onDisk(pid, fd) ? sameFile(pid, fd, wanted) : undefined;
			if (id && opensForWriting(pid, fd)) {
				const writers = found.get(id) ?? [];
				if (!writers.some(writer => writer.pid === pid)) {
					writers.push({pid, command: commandOf(argvOf(pid))});
				}

				found.set(id, writers);
			}
		}
	}

	return found;
}

export const fileIdKey = idOf;
