// Which process a pid names, for good: boot id and start time (Linux proc(5)), so a lock or record
// left before a reboot or a crash is not mistaken for a live one when its pid has since been given
// to another program. Both are readable for every user's processes.
import {readFileSync} from 'node:fs';
import {isAlive} from './process-control.js';
import {procStat} from './proc-stat.js';

export function processIdentity(pid: number): string | undefined {
	try {
		const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
		const startTime = procStat(pid)?.startTime;
		return startTime ? `${bootId}:${startTime}` : undefined;
	} catch {
		return undefined;
	}
}

/** Whether `pid` lives and is still the process recorded as `identity` (unknown identities are given the benefit of the doubt). */
export function sameProcessAlive(pid: number | undefined, identity: string | undefined): boolean {
	if (pid === undefined || !Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
		return false;
	}

	const now = processIdentity(pid);
	return identity === undefined || now === undefined || now === identity;
}
