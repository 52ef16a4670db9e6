// The run record is for `attach`: a run must not fail because it could not be written (e.g. a full
// disk); a failed write is a note in the log. The lock is what a second operator meets: it names
// every working directory the steps use and how their installer is called, and what taking it
// involved (a stale lock taken over) goes into the log too.
import path from 'node:path';
import type {Plan} from '../../domain/plan/plan.js';
import type {RunLog} from '../ports/run-log-port.js';
import type {Lock, LockRequest, RunRecord, RunRecordPort} from '../ports/run-record-port.js';

export async function saveRecord(record: RunRecord, log: Pick<RunLog, 'note'>, port: Pick<RunRecordPort, 'write'>): Promise<void> {
	await port.write(record).catch((error: unknown) => {
		log.note(`could not write the run record: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
	});
}

/** The lock for the steps from `fromStep` on: their folders, the names their installer goes by, the log the run writes. */
export function lockRequest(plan: Plan, fromStep: number, logPath: string): LockRequest {
	const steps = plan.steps.slice(fromStep);
	return {
		workdirs: [...new Set(steps.map(step => step.cwd))],
		installerNames: [...new Set(['dce5-installer', ...steps.map(step => path.posix.basename(step.argv[0] ?? 'dce5-installer'))])],
		logPath,
	};
}

/** What taking the lock involved, in the log of the run it guards. */
export function noteLockNotices(lock: Lock, log: Pick<RunLog, 'note'>): void {
	for (const line of lock.notices ?? []) {
		log.note(line);
	}
}
