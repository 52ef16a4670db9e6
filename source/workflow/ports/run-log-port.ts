// The run log an operator attaches to a ticket, and the journal inside it that `attach` rebuilds
// the view from: written by the live run, read back by `attach`.
import type {RunEvent} from '../../domain/run/run-events.js';

export type RunLog = {
	path: string;
	/** Installer output of one step, one batch per chunk read (already sanitised and masked). */
	output(stepId: string, stream: 'stdout' | 'stderr', lines: string[]): void;
	/** The wizard's own notes: steps, config writes, cleanups, results. */
	note(text: string): void;
	/** A run event, as the journal `attach` replays. */
	event(event: RunEvent): void;
	close(): void;
};

/** One entry read back from a run log, in the order it was written. */
export type JournalEntry =
	| {kind: 'output'; stepId: string; stream: 'stdout' | 'stderr'; line: string}
	| {kind: 'event'; event: RunEvent}
	| {kind: 'note'; text: string};

export type JournalReader = {
	/** Entries appended since the last call, a bounded amount per call; `more` when the file holds more. */
	read(): Promise<{entries: JournalEntry[]; more: boolean}>;
	close(): Promise<void>;
};

export type RunLogPort = {
	/** Opens the log for appending; throws when it cannot be written. */
	open(path: string): RunLog;
	/** Reads a log's journal from its start. */
	openJournal(path: string): JournalReader;
};
