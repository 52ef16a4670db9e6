// What the installer has done out of what the package holds, from its output lines and the
// bytes measured in addon-offline-target-package.
import type {OutputLine} from './installer-output.js';
import type {PlanStep, RunProgress} from './model.js';

export function initialProgress(step: Pick<PlanStep, 'expectedBytes' | 'expectedCharts' | 'expectedImages'>): RunProgress {
	return {unpackedBytes: 0, expectedBytes: step.expectedBytes, chartsSeen: 0, expectedCharts: step.expectedCharts, imagesSeen: 0, expectedImages: step.expectedImages};
}

export function advanceProgress(progress: RunProgress, line: OutputLine): RunProgress {
	switch (line.kind) {
		case 'chart': {
			return {...progress, chartsSeen: progress.chartsSeen + 1};
		}

		case 'image':
		case 'merge': {
			return {...progress, imagesSeen: progress.imagesSeen + 1};
		}

		default: {
			return progress;
		}
	}
}

/** The unpack is measured on disk; the directory shrinks again when the installer cleans up. */
export function withUnpacked(progress: RunProgress, bytes: number): RunProgress {
	return {...progress, unpackedBytes: Math.max(progress.unpackedBytes, bytes)};
}

/** One fraction for a bar: unpacking is the first half of the work, pushing images the second. */
export function progressFraction(progress: RunProgress): number {
	const unpack = progress.expectedBytes > 0 ? Math.min(1, progress.unpackedBytes / progress.expectedBytes) : 0;
	const push = progress.expectedImages > 0 ? Math.min(1, progress.imagesSeen / progress.expectedImages) : 0;
	return (unpack + push) / 2;
}
