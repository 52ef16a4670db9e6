// The one place that signals processes: whether a pid lives, and stopping an installer's whole
// process group (its charts-syncer and skopeo children too) for the live run and `attach` alike.
import type {ProcessControl} from '../../workflow/ports/process-port.js';
import {procStat} from './proc-stat.js';
import {groupMembers} from './process-scan.js';

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

function groupAlive(pid: number): boolean {
	return signalGroup(pid, 0 as unknown as NodeJS.Signals);
}

const sleep = async (ms: number) =>
	new Promise(resolve => {
		setTimeout(resolve, ms).unref();
	});

/** Waits up to `ms` for the group's leader to be gone; polls, since the leader may not be our child. */
async function leaderGone(pid: number, ms: number): Promise<boolean> {
	const deadline = Date.now() + ms;
	for (;;) {
		if (!isAlive(pid)) {
			return true;
		}

		if (Date.now() >= deadline) {
			return false;
		}

		await sleep(Math.min(25, Math.max(1, deadline - Date.now())));
	}
}

export const processControl: ProcessControl = {
	isAlive,
	async stopGroup(pid, graceMs) {
		for (const signal of ['SIGINT', 'SIGTERM'] as const) {
			if (!signalGroup(pid, signal)) {
				return;
			}

			if (await leaderGone(pid, graceMs)) {
				// The leader is gone; its helpers may not have been told.
				signalGroup(pid, 'SIGKILL');
				return;
			}
		}

		signalGroup(pid, 'SIGKILL');
		await leaderGone(pid, Math.max(graceMs, 1000));
	},
	killGroup(pid) {
		if (groupAlive(pid)) {
			signalGroup(pid, 'SIGKILL');
		}
	},
	groupMembers,
};
