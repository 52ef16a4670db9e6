// The installer's raw output as the wizard reads it: two private files per step, tailed while it
// runs (the live run, or `attach` following an orphan) and removed once read to the end.

/** Where an installer's raw output lands while it runs: two private files the wizard tails. */
export type CaptureFiles = {stdout: string; stderr: string};

/** Complete lines of one capture file, in batches; `skip` lines at the start are not delivered again. */
export type CaptureReader = {
	/** Reads what was appended, a bounded amount per call; true when more is waiting. */
	read(): boolean;
	/** Bytes the writer has put in the file so far (for burst pacing). */
	written(): number;
	/** The writer is gone: read to the end, deliver the last partial line, close. */
	finish(): Promise<void>;
};

export type OpenCapture = (
	file: string,
	stream: 'stdout' | 'stderr',
	onLines: (lines: string[]) => void,
	options?: {skipLines?: number},
) => CaptureReader;

export type CapturePort = {
	open: OpenCapture;
	/** Removes a step's capture files once they were read to the end. */
	remove(files: CaptureFiles): void;
};
