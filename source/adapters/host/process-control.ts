// The one place that signals processes: whether a pid lives, and stopping an installer's whole
// process group (its charts-syncer and skopeo children too) for the live run and `attach` alike.
import type {ProcessControl} from '../../workflow/ports/process-port.js';
import {procStat} from './proc-stat.js';
import {groupMembers, outsideGroup} from './process-scan.js';

/** Whether a pid names a live process: EPERM means alive but someone else's. A zombie counts as gone. */
export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}

	return !isZombie(pid);
}

function isZombie(pid: number): boolean {
	return procStat(pid)?.state === 'Z';
}

function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false; // The whole group is gone.
	}
}

/**
 * Signals the group, then each of its members that left it (a group of its own in the same
 * session): a group signal alone misses those. Says whether any process was left to signal.
 */
function signalAll(pid: number, signal: NodeJS.Signals): boolean {
	const group = signalGroup(pid, signal);
	let others = false;
	for (const member of outsideGroup(pid)) {
		try {
			process.kill(member, signal);
			others = true;
		} catch {
			// Gone meanwhile.
		}
	}

	return group || others;
}

// A held timer: while stopping, nothing else may keep the wizard up (the installer's handle is
// released and an orphan is no child of ours), and an unheld one let Node end with exit 13.
const sleep = async (ms: number) =>
	new Promise(resolve => {
		setTimeout(resolve, ms);
	});

/** Waits up to `ms` for every process of the group (and its session) to be gone; polls /proc. */
async function allGone(pid: number, ms: number): Promise<boolean> {
	const deadline = Date.now() + ms;
	for (;;) {
		if (!isAlive(pid) && groupMembers(pid).length === 0) {
			return true;
		}

		if (Date.now() >= deadline) {
			return false;
		}

		await sleep(Math.min(50, Math.max(1, deadline - Date.now())));
	}
}

export const processControl: ProcessControl = {
	isAlive,
	async stopGroup(pid, graceMs) {
		// What is stopped is named afterwards: read before the first signal, while all of it still runs.
		const stopped = groupMembers(pid);
		// SIGINT lets the installer stop its own way; SIGTERM then reaches whatever ignored it (a
		// script's `&` children ignore SIGINT), and SIGKILL ends what is left, each to every member.
		for (const signal of ['SIGINT', 'SIGTERM'] as const) {
			if (!signalAll(pid, signal) || (await allGone(pid, graceMs))) {
				return stopped;
			}
		}

		signalAll(pid, 'SIGKILL');
		await allGone(pid, Math.max(graceMs, 1000));
		return stopped;
	},
	killGroup(pid) {
		signalAll(pid, 'SIGKILL');
	},
	groupMembers,
};
