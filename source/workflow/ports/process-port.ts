// The few facts about processes the run needs: whether one lives, and how to stop a group.
import type {LingeringProcess} from '../../domain/run/run-events.js';

export type ProcessControl = {
	isAlive(pid: number): boolean;
	/**
	 * SIGINT, then SIGTERM, then SIGKILL to every member of the group, `graceMs` apart, until none is
	 * left; resolves (with the members there were when it began) once all are gone or after SIGKILL.
	 */
	stopGroup(pid: number, graceMs: number): Promise<LingeringProcess[]>;
	/** SIGKILL to whatever is left of a group whose leader has exited (members that left the group too). */
	killGroup(pid: number): void;
	/** The live processes of a process group, and of the session it leads (its leader may be gone). */
	groupMembers(pgid: number): LingeringProcess[];
};
