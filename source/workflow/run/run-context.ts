// What every step of one run is handed, fixed once the run has its log: the plan, the two signals
// (stop, view left), and where events and notes go. Nothing in it changes while the run goes on.
import type {RunEvent, StopReason} from '../../domain/run/run-events.js';
import type {Plan} from '../../domain/plan/plan.js';
import {targetDirName} from '../../domain/packages/target-dir-name.js';
import type {RunLog} from '../ports/run-log-port.js';

export type RunContext = {
	plan: Plan;
	/** 0-based index of the first step this run starts. */
	fromStep: number;
	/** Aborted: stop the installer (its reason says who asked: the operator, or the disk floor). */
	stop: AbortSignal;
	/** Aborted: the view was left (`d`); the installer goes on alone and `attach` follows it. */
	detach: AbortSignal;
	emit(event: RunEvent): void;
	log: RunLog;
	mask(line: string): string;
	/** Paths whose filesystems are sampled for free space while a step runs. */
	watched: string[];
};

export const stopReasonOf = (signal: AbortSignal): StopReason => (signal.reason === 'disk-floor' ? 'disk-floor' : 'user');

/** Where a step's installer unpacks, and what it leaves behind when it fails. */
export const targetOf = (cwd: string) => `${cwd.replace(/\/$/, '')}/${targetDirName}`;

/** The paths whose filesystems a plan's disk needs name, sampled while its steps run. */
export const watchedPaths = (plan: Plan) => plan.disk.map(need => need.paths[0]?.path).filter((item): item is string => item !== undefined);

/** Resolves 'detached' once the signal aborts (at once when it already has). */
export async function untilAborted(signal: AbortSignal): Promise<'detached'> {
	return new Promise(resolve => {
		if (signal.aborted) {
			resolve('detached');
		} else {
			signal.addEventListener('abort', () => resolve('detached'), {once: true});
		}
	});
}
