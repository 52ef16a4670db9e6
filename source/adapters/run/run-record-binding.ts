// The run-record port of one clusterConfig.yaml: the record in this user's state folder (or, for
// `attach`, the file the run was found in), the locks every operator sees.
import type {RunRecord, RunRecordPort} from '../../workflow/ports/run-record-port.js';
import {acquireRunLock} from './run-lock.js';
import {readRecord, recordPath, writeRecord} from './run-record.js';

export type LockFacts = {
	/** The wizard's command line with passwords masked, for the lock another operator reads. */
	command: string;
	mask: (text: string) => string;
	/** Says a line where the operator sees it now (stderr), when the screens do not own the terminal. */
	announce?: (line: string) => void;
};

export function runRecordPort(stateDirectory: string, configPath: string, facts: LockFacts, readFrom?: string): RunRecordPort {
	const ownRecord = recordPath(stateDirectory, configPath);
	return {
		write: async (record: RunRecord) => writeRecord(stateDirectory, record),
		read: () => readRecord(readFrom ?? ownRecord),
		lock(request) {
			const lock = acquireRunLock({...request, mask: facts.mask, owner: {configPath, recordPath: ownRecord, command: facts.command}});
			if (!('exitCode' in lock)) {
				for (const line of lock.notices ?? []) {
					facts.announce?.(line);
				}
			}

			return lock;
		},
	};
}
