import {describe, expect, it} from 'vitest';
import {afterRead, burstBytesPerSecond, initialPacing, maxDeferMs, pace, type Pacing} from '../../../source/domain/run/output-pacing.js';

/** Feeds (ms, bytes written in all) looks in order; returns which of them read. */
function reads(looks: Array<[number, number]>, backlogAfterRead = () => false): boolean[] {
	let state: Pacing = initialPacing(0);
	return looks.map(([now, written]) => {
		const decision = pace(state, written, now);
		state = decision.read ? afterRead(decision.state, backlogAfterRead()) : decision.state;
		return decision.read;
	});
}

const burstPer10Ms = (burstBytesPerSecond / 100) * 2;

describe('pace', () => {
	it('reads ordinary output at every look', () => {
		expect(
			reads([
				[50, 2000],
				[100, 4000],
				[150, 4000],
				[200, 9000],
			]),
		).toEqual([true, true, true, true]);
	});

	it('leaves a burst alone while it is written, and reads it as soon as it ends', () => {
		const looks: Array<[number, number]> = [
			[50, 1000],
			[60, 1000 + burstPer10Ms],
			[70, 1000 + 2 * burstPer10Ms],
			[80, 1000 + 3 * burstPer10Ms],
			[90, 1000 + 3 * burstPer10Ms],
		];
		expect(reads(looks)).toEqual([true, false, false, false, true]);
	});

	it('waits out a burst for at most a second, then reads although it goes on', () => {
		const looks: Array<[number, number]> = [];
		for (let now = 10; now <= maxDeferMs + 30; now += 10) {
			looks.push([now, (now / 10) * burstPer10Ms]);
		}

		const result = reads(looks);
		const firstRead = result.indexOf(true);
		expect(result.slice(0, firstRead).every(read => !read)).toBe(true);
		expect(looks[firstRead]![0] - looks[0]![0]).toBeGreaterThanOrEqual(maxDeferMs);
		expect(looks[firstRead]![0] - looks[0]![0]).toBeLessThanOrEqual(maxDeferMs + 10);
	});

	it('once it has waited, reads to the end of the backlog before waiting out another burst', () => {
		let backlog = 3;
		const looks: Array<[number, number]> = [];
		for (let now = 10; now <= 1100; now += 10) {
			looks.push([now, (now / 10) * burstPer10Ms]);
		}

		const result = reads(looks, () => backlog-- > 0);
		const firstRead = result.indexOf(true);
		// Three more reads while catching up, though the burst goes on; then it may wait again.
		expect(result.slice(firstRead, firstRead + 5)).toEqual([true, true, true, true, false]);
	});
});
