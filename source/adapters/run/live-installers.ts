// The cleanup guard's answer to "is anyone still writing there?": the wizard's own run records
// (any config) whose installer still lives in that folder, and a scan of every process on the
// host, for an installer someone started by hand.
import {realpathSync} from 'node:fs';
import {liveWriters, type LiveWriter} from '../../domain/run/live-writers.js';
import {groupOf, scanProcesses} from '../host/process-scan.js';
import {runningInstallers} from './run-record.js';
import type {WriterCheck} from './target-dir.js';

const real = (dir: string) => {
	try {
		return realpathSync(dir);
	} catch {
		return dir;
	}
};

export function writerCheck(stateDirectory: string, installerNames: string[], selfPid: number): WriterCheck {
	return async (target, workdir): Promise<LiveWriter[]> => {
		const recorded = runningInstallers(stateDirectory).filter(item => item.cwd !== undefined && real(item.cwd) === workdir);
		return liveWriters(scanProcesses([target]), {target, workdir, installerNames, selfPid, selfGroup: groupOf(selfPid), recorded});
	};
}
