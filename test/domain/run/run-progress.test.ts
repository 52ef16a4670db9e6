// The Run pane's numbers: the percentage never runs ahead of what was counted, a count above the
// plan's says so, and a rate and time left appear only once there is enough to go on.
import {describe, expect, it} from 'vitest';
import {emptyRate, etaMs, rateOf, trackRate, type RateTracker} from '../../../source/domain/run/rate-estimate.js';
import {
	countText,
	countsText,
	importFraction,
	paceText,
	progressFraction,
	unpackFraction,
	unpackText,
} from '../../../source/domain/run/run-progress.js';
import type {RunProgress} from '../../../source/domain/run/run-events.js';

const progress = (extra: Partial<RunProgress>): RunProgress => ({
	unpackedBytes: 0,
	expectedBytes: 10e9,
	chartsSeen: 0,
	expectedCharts: 20,
	imagesSeen: 0,
	expectedImages: 20,
	...extra,
});

describe('progress fractions', () => {
	it('never runs ahead of the counts: charts 3/20 and images 3/20 after a full unpack is 15%, not 57%', () => {
		const p = progress({unpackedBytes: 10e9, chartsSeen: 3, imagesSeen: 3});
		expect(progressFraction(p)).toBeCloseTo(6 / 40);
		expect(importFraction(p)).toBeLessThanOrEqual((p.chartsSeen + p.imagesSeen) / (p.expectedCharts + p.expectedImages));
		expect(unpackFraction(p)).toBe(1);
	});

	it('caps counts and bytes above the plan\'s at 100% and says "more than expected" instead of 8/5', () => {
		const p = progress({
			unpackedBytes: 716_800,
			expectedBytes: 624_600,
			chartsSeen: 8,
			expectedCharts: 5,
			imagesSeen: 2,
			expectedImages: 5,
		});
		expect(importFraction(p)).toBeCloseTo(7 / 10);
		expect(unpackFraction(p)).toBe(1);
		expect(countText('charts', 8, 5)).toBe('charts 8 (5 expected)');
		expect(countsText(p)).toBe('charts 8 (5 expected) · images 2/5');
		expect(countsText(p)).not.toContain('8/5');
		expect(unpackText(p)).toBe('716.8 KB unpacked (more than the 624.6 KB expected)');
		expect(unpackText(progress({unpackedBytes: 6.2e9}))).toBe('6.20 GB of 10.0 GB unpacked');
	});

	it('names what was skipped as already there', () => {
		expect(countsText(progress({chartsSeen: 3, chartsSkipped: 1, imagesSeen: 4, imagesSkipped: 2}))).toBe(
			'charts 3/20 · images 4/20 · 3 already there',
		);
	});
});

function steady(perSecond: number, seconds: number, start = 0): RateTracker {
	let tracker = emptyRate;
	for (let second = 0; second <= seconds; second++) {
		tracker = trackRate(tracker, start + second * 1000, second * perSecond);
	}

	return tracker;
}

describe('rate and ETA', () => {
	it('says nothing from a few seconds or a count that does not move', () => {
		expect(rateOf(steady(10, 5))).toBeUndefined();
		expect(rateOf(steady(0, 60))).toBeUndefined();
		expect(etaMs(emptyRate, 100)).toBeUndefined();
	});

	it('measures a steady rate over the window and the time left at it', () => {
		const tracker = steady(10, 30);
		expect(rateOf(tracker)).toBeCloseTo(10);
		expect(etaMs(tracker, 600)).toBeCloseTo(60_000);
	});

	it('follows a change of pace within a minute, and starts again when the count goes back', () => {
		let tracker = steady(10, 120);
		for (let second = 121; second <= 240; second++) {
			tracker = trackRate(tracker, second * 1000, 1200 + (second - 120) * 2);
		}

		expect(rateOf(tracker)).toBeCloseTo(2, 0);
		expect(trackRate(tracker, 241_000, 5).samples).toHaveLength(1);
	});

	it('words the pace of the phase under way', () => {
		const unpacking = progress({unpackedBytes: 3e9});
		const bytes = (() => {
			let tracker = emptyRate;
			for (let second = 0; second <= 30; second++) {
				tracker = trackRate(tracker, second * 1000, second * 100e6);
			}

			return tracker;
		})();
		expect(paceText(unpacking, {unpack: bytes, import: emptyRate}, 30_000)).toBe('unpacking 100.0 MB/s · unpack done in about 1:10');
		expect(paceText(progress({chartsSeen: 1}), {unpack: bytes, import: emptyRate}, 30_000)).toBeUndefined();
		expect(paceText(progress({chartsSeen: 10, imagesSeen: 10}), {unpack: bytes, import: steady(0.5, 30)}, 30_000)).toBe(
			'30 charts and images a minute · about 0:40 left',
		);
	});
});
