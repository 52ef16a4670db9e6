// What the installer has done out of what the package holds, from its output lines and the
// bytes measured in addon-offline-target-package. Two phases, each its own honest fraction: the
// unpack (bytes on disk) and the import (charts and images named in the output). Neither is ever
// shown past what was counted, and a count above the plan's says so instead of "8/5".
import {formatBytes, formatDuration} from '../shared/format-bytes.js';
import type {OutputLine} from './installer-output.js';
import type {PlanStep} from '../plan/plan.js';
import type {RunProgress} from './run-events.js';
import {etaMs, rateOf, type RateTracker} from './rate-estimate.js';

export function initialProgress(step: Pick<PlanStep, 'expectedBytes' | 'expectedCharts' | 'expectedImages'>): RunProgress {
	return {
		unpackedBytes: 0,
		expectedBytes: step.expectedBytes,
		chartsSeen: 0,
		expectedCharts: step.expectedCharts,
		imagesSeen: 0,
		expectedImages: step.expectedImages,
	};
}

export function advanceProgress(progress: RunProgress, line: OutputLine): RunProgress {
	switch (line.kind) {
		case 'chart': {
			return {...progress, chartsSeen: progress.chartsSeen + 1, chartsSkipped: (progress.chartsSkipped ?? 0) + (line.skipped ? 1 : 0)};
		}

		case 'image': {
			return {...progress, imagesSeen: progress.imagesSeen + 1, imagesSkipped: (progress.imagesSkipped ?? 0) + (line.skipped ? 1 : 0)};
		}

		case 'merge': {
			return {...progress, imagesSeen: progress.imagesSeen + 1};
		}

		case 'merge-skip': {
			// The tag already listed this architecture: that image was already there.
			return {...progress, imagesSkipped: Math.min(progress.imagesSeen, (progress.imagesSkipped ?? 0) + 1)};
		}

		case 'step':
		case 'error':
		case 'other': {
			return progress;
		}
	}
}

/** The unpack is measured on disk; the directory shrinks again when the installer cleans up. */
export function withUnpacked(progress: RunProgress, bytes: number): RunProgress {
	return {...progress, unpackedBytes: Math.max(progress.unpackedBytes, bytes)};
}

const clamp = (value: number) => (Number.isFinite(value) ? Math.max(0, Math.min(1, value)) : 0);

/** The unpack's fraction: bytes on disk out of the plan's estimate, never past 1. */
export function unpackFraction(progress: RunProgress): number {
	return progress.expectedBytes > 0 ? clamp(progress.unpackedBytes / progress.expectedBytes) : 0;
}

/**
 * The import's fraction: charts and images the output named, each capped at what the plan
 * expects, out of both expected. It moves only when a count does, so it cannot run ahead of them.
 */
export function importFraction(progress: RunProgress): number {
	const expected = progress.expectedCharts + progress.expectedImages;
	if (expected <= 0) {
		return 0;
	}

	return clamp(
		(Math.min(progress.chartsSeen, progress.expectedCharts) + Math.min(progress.imagesSeen, progress.expectedImages)) / expected,
	);
}

/** Kept for callers that want one number: the import's, which never runs ahead of the counts. */
export const progressFraction = importFraction;

/** The import has begun once the output named a chart or an image. */
export function importStarted(progress: RunProgress): boolean {
	return progress.chartsSeen > 0 || progress.imagesSeen > 0;
}

/** `charts 3/20`, or `charts 8 (5 expected)` when the output named more than the plan holds. */
export function countText(word: string, seen: number, expected: number): string {
	return seen > expected ? `${word} ${seen} (${expected} expected)` : `${word} ${seen}/${expected}`;
}

/** `6.20 GB of 10.0 GB unpacked`, or `716.8 KB unpacked (more than the 624.6 KB expected)`. */
export function unpackText(progress: RunProgress): string {
	return progress.unpackedBytes > progress.expectedBytes
		? `${formatBytes(progress.unpackedBytes)} unpacked (more than the ${formatBytes(progress.expectedBytes)} expected)`
		: `${formatBytes(progress.unpackedBytes)} of ${formatBytes(progress.expectedBytes)} unpacked`;
}

/** The counts line: charts and images named, and how many of them were already there. */
export function countsText(progress: RunProgress): string {
	const skipped = (progress.chartsSkipped ?? 0) + (progress.imagesSkipped ?? 0);
	return [
		countText('charts', progress.chartsSeen, progress.expectedCharts),
		countText('images', progress.imagesSeen, progress.expectedImages),
		...(skipped > 0 ? [`${skipped} already there`] : []),
	].join(' · ');
}

/** Rate and time left of the phase under way, once there is enough to estimate them. */
export function paceText(progress: RunProgress, rates: {unpack: RateTracker; import: RateTracker}, now: number): string | undefined {
	if (importStarted(progress)) {
		const rate = rateOf(rates.import, now);
		if (rate === undefined) {
			return undefined;
		}

		const left = progress.expectedCharts + progress.expectedImages - progress.chartsSeen - progress.imagesSeen;
		const eta = left > 0 ? etaMs(rates.import, left, now) : undefined;
		return `${(rate * 60).toFixed(rate * 60 < 10 ? 1 : 0)} charts and images a minute${eta === undefined ? '' : ` · about ${formatDuration(eta)} left`}`;
	}

	const rate = rateOf(rates.unpack, now);
	if (rate === undefined) {
		return undefined;
	}

	const left = progress.expectedBytes - progress.unpackedBytes;
	const eta = left > 0 ? etaMs(rates.unpack, left, now) : undefined;
	return `unpacking ${formatBytes(rate)}/s${eta === undefined ? '' : ` · unpack done in about ${formatDuration(eta)}`}`;
}
