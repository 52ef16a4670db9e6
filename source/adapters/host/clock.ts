// The system clock behind the workflow's Clock port: the environment's `now`, and a sleep that an
// AbortSignal cuts short without rejecting.
import {setTimeout as delay} from 'node:timers/promises';
import type {Clock} from '../../workflow/ports/clock-port.js';

export function systemClock(now: () => number): Clock {
	return {
		now,
		async sleep(ms, signal) {
			await delay(ms, undefined, {signal}).catch(() => undefined);
		},
	};
}
