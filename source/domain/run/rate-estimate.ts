// A rate and an estimated time left, once there is enough to go on: samples of how much is done,
// spaced out over a sliding window. No estimate from one sample, from a few seconds, or from a
// count that has not moved: an ETA that jumps about is worse than none.

export type RateSample = {at: number; done: number};

export type RateTracker = {samples: RateSample[]};

export const emptyRate: RateTracker = {samples: []};

/** Samples closer together than this are not kept (progress arrives several times a second). */
const spacingMs = 2000;
/** The window the rate is measured over: the newest minute. */
const windowMs = 60_000;
/** Less than this, and the rate is not said at all. */
export const minEstimateMs = 10_000;

export function trackRate(tracker: RateTracker, at: number, done: number): RateTracker {
	const last = tracker.samples.at(-1);
	if (last && done < last.done) {
		return {samples: [{at, done}]}; // A restart (a new step, a directory removed): measure anew.
	}

	if (last && at - last.at < spacingMs) {
		return tracker;
	}

	const samples = [...tracker.samples, {at, done}];
	const newest = samples.at(-1)!.at;
	// Keep one sample older than the window, so the window is always full once it can be.
	while (samples.length > 2 && newest - samples[1]!.at >= windowMs) {
		samples.shift();
	}

	return {samples};
}

/** Units done per second over the window, or undefined when there is not enough to say. */
export function rateOf(tracker: RateTracker, now?: number): number | undefined {
	const first = tracker.samples[0];
	const last = tracker.samples.at(-1);
	if (!first || !last || tracker.samples.length < 3) {
		return undefined;
	}

	const span = (now ?? last.at) - first.at;
	if (span < minEstimateMs || last.done <= first.done) {
		return undefined;
	}

	return ((last.done - first.done) * 1000) / span;
}

/** Milliseconds until `remaining` more units are done at the current rate. */
export function etaMs(tracker: RateTracker, remaining: number, now?: number): number | undefined {
	const rate = rateOf(tracker, now);
	if (rate === undefined || remaining < 0) {
		return undefined;
	}

	return (remaining / rate) * 1000;
}
