// The few facts about processes the run needs: whether one lives, and how to stop a group.
import type {LingeringProcess} from '../../domain/run/run-events.js';

export type ProcessControl = {
	isAlive(pid: number): boolean;
	/** SIGINT, then SIGTERM, then SIGKILL to the group, `graceMs` apart; resolves once it is gone or after SIGKILL. */
	stopGroup(pid: number, graceMs: number): Promise<void>;
	/** SIGKILL to whatever is left of a group whose leader has exited. */
	killGroup(pid: number): void;
	/** The live processes of a process group (its leader may be gone). */
	groupMembers(pgid: number): LingeringProcess[];
};
