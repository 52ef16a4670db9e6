// The one reader of /proc/<pid>/stat (Linux proc(5)): the fields after the parenthesised command
// name, which may itself hold spaces and parentheses, so the split starts after the last ')'.
import {readFileSync} from 'node:fs';

export type ProcStat = {
	/** Field 3: R, S, D, Z (zombie), T, … */
	state: string;
	/** Field 5: the process group. */
	pgid: number;
	/** Field 6: the session; a child that took a process group of its own (`set -m`, a shell's job control) keeps it. */
	sid: number;
	/** Field 22: clock ticks after boot when it started; with the boot id it names one process for good. */
	startTime: string;
};

/** Undefined when the process is gone (or its entry cannot be read). */
export function procStat(pid: number): ProcStat | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return {state: fields[0] ?? '', pgid: Number(fields[2]), sid: Number(fields[3]), startTime: fields[19] ?? ''};
	} catch {
		return undefined;
	}
}
