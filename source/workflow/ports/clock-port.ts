// Time as the run sees it: the wall clock it stamps events with, and the one way it waits. A test
// passes a clock of its own; the workflow never starts a timer to sleep on.
export type Clock = {
	now(): number;
	/** Resolves after `ms`, or at once when `signal` aborts (never rejects): every wait can be cut short. */
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
};
