// What of a run goes into its log's event journal, so `attach` can rebuild the view a never-dropped
// terminal would show: every event but output (the log holds those lines already), with progress,
// disk samples and the verification's "n of m tags" thinned, the last one before a step ends
// always kept. The verification's start and result are journaled whole: attach replays them.
import type {RunEvent} from '../../domain/run/run-events.js';

const thinMs = {progress: 1000, disk: 5000, 'verify-progress': 1000} as const;

type Thinned = Extract<RunEvent, {type: 'progress' | 'disk' | 'verify-progress'}>;

function thinKey(event: Thinned): string {
	return event.type === 'disk' ? 'disk' : `${event.type} ${event.stepId}`;
}

export function journalFilter(write: (event: RunEvent) => void): (event: RunEvent) => void {
	const lastWritten = new Map<string, number>();
	let lastDiskLevels = '';
	const held = new Map<string, Thinned>();
	const flush = () => {
		for (const event of held.values()) {
			write(event);
		}

		held.clear();
	};

	return event => {
		switch (event.type) {
			case 'output':
			case 'output-skipped': {
				return;
			}

			case 'progress':
			case 'verify-progress':
			case 'disk': {
				const key = thinKey(event);
				// A disk that starts running low is news at once, not up to five seconds later.
				const levels = event.type === 'disk' ? event.samples.map(sample => sample.level).join() : lastDiskLevels;
				if (event.at - (lastWritten.get(key) ?? Number.NEGATIVE_INFINITY) >= thinMs[event.type] || levels !== lastDiskLevels) {
					lastWritten.set(key, event.at);
					lastDiskLevels = levels;
					held.delete(key);
					write(event);
				} else {
					held.set(key, event);
				}

				return;
			}

			case 'run-start':
			case 'step-start':
			case 'step-end':
			case 'verify-start':
			case 'step-verified':
			case 'lingering':
			case 'silent':
			case 'cleanup':
			case 'config-written':
			case 'config-restored':
			case 'config-restore-refused':
			case 'run-error':
			case 'run-end': {
				flush();
				write(event);
			}
		}
	};
}
