// The disks under the run: free space sampled while the installer runs, and the filesystem of a
// working directory looked at after a failure.
import type {FilesystemInfo} from '../../domain/plan/estimate-disk-needs.js';
import type {FilesystemFacts} from '../../domain/run/run-events.js';

export type DisksPort = {
	diskInfo(paths: string[]): Promise<FilesystemInfo[]>;
	filesystemOf(path: string): Promise<FilesystemFacts | undefined>;
};
