// When the wizard reads the installer's capture files. Reading and logging a burst while the
// installer is still writing it competes with the installer for memory bandwidth and the page
// cache (measured: +10-15% on the installer's own time on a 2-vCPU machine), so during a burst the
// wizard waits for it to end, for at most a second, then catches up at full speed.

/** Output growing faster than this is a burst: far more than anyone can read as it scrolls. */
export const burstBytesPerSecond = 8 << 20;
/** The longest a burst keeps the wizard from reading: how far the screen and log may lag. */
export const maxDeferMs = 1000;
/** How often the files are looked at while a burst is waited out. */
export const burstPollMs = 10;

export type Pacing = {
	/** Bytes written to the capture files when last looked at, and when that was. */
	written: number;
	at: number;
	/** When the wizard began waiting out the current burst. */
	deferSince?: number;
	/** Catching up after a wait: read to the end before waiting again, so the lag stays bounded. */
	catchingUp: boolean;
};

export const initialPacing = (now: number): Pacing => ({written: 0, at: now, catchingUp: false});

/** Whether to read now or wait, given how much the installer has written in all. */
export function pace(state: Pacing, written: number, now: number): {read: boolean; state: Pacing} {
	const elapsedMs = Math.max(now - state.at, 1);
	const burst = ((written - state.written) * 1000) / elapsedMs > burstBytesPerSecond;
	const looked = {written, at: now};
	if (burst && !state.catchingUp) {
		const deferSince = state.deferSince ?? now;
		if (now - deferSince < maxDeferMs) {
			return {read: false, state: {...looked, deferSince, catchingUp: false}};
		}
	}

	return {read: true, state: {...looked, catchingUp: state.catchingUp}};
}

/** After a read: whether a backlog is left decides if the next burst may be waited out. */
export function afterRead(state: Pacing, backlogLeft: boolean): Pacing {
	return {written: state.written, at: state.at, catchingUp: backlogLeft};
}
