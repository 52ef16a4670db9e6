// The run record is for `attach`: a run must not fail because it could not be written (e.g. a full
// disk); a failed write is a note in the log.
import type {RunLog} from '../ports/run-log-port.js';
import type {RunRecord, RunRecordPort} from '../ports/run-record-port.js';

export async function saveRecord(record: RunRecord, log: Pick<RunLog, 'note'>, port: Pick<RunRecordPort, 'write'>): Promise<void> {
	await port.write(record).catch((error: unknown) => {
		log.note(`could not write the run record: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
	});
}
