// A package some process is still writing (scp, rsync --inplace, cp) is not damaged: it is not
// there yet. What the wizard saw of the copy, and the one finding every view words it with.
import type {Finding} from '../shared/findings.js';
import {formatBytes} from '../shared/format-bytes.js';

/** A process that holds the file open for writing. */
export type CopyWriter = {pid: number; command: string};

export type StillCopying = {
	/** Bytes on disk at the last look. */
	size: number;
	/** Growth between the two looks, when there were two and it grew. */
	bytesPerSecond?: number;
	writers: CopyWriter[];
};

/** Why the file counts as being copied: a writer named, and how fast it grows when that was seen. */
function how(copying: StillCopying): string {
	const rate = copying.bytesPerSecond ? `, growing ${formatBytes(copying.bytesPerSecond)}/s` : '';
	const [first] = copying.writers;
	const others = copying.writers.length - 1;
	const writer = first
		? others > 0
			? `; ${first.command} (pid ${first.pid}) and ${others} more process${others > 1 ? 'es' : ''} are writing it`
			: `; ${first.command} (pid ${first.pid}) is writing it`
		: '';
	return `${rate}${writer}`;
}

/** `next` is what follows in this view: the screen reads it by itself, a command is run again. */
export function stillCopyingFinding(copying: StillCopying, next: 'screen' | 'command' = 'command'): Finding {
	return {
		code: 'still-copying',
		severity: 'error',
		message: `Still being copied: ${formatBytes(copying.size)} so far${how(copying)}.`,
		hint:
			next === 'screen'
				? 'Wait for the copy to finish: this list looks again every second and reads it once it stops growing.'
				: 'Wait for the copy to finish (the size stops growing and the copying program exits), then run this again.',
	};
}

/** Two sizes a known time apart: the growth per second, or undefined when it did not grow. */
export function growthRate(before: number, after: number, elapsedMs: number): number | undefined {
	return after > before && elapsedMs > 0 ? Math.round(((after - before) * 1000) / elapsedMs) : undefined;
}
