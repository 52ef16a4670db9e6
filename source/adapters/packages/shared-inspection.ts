// One read per package at a time: the wizard reads packages in the background while the plan
// may need one of them (the package the cluster has now) at once. A second request for a path
// already being read joins that read, progress included, instead of reading tens of GB again.
import type {InspectionProgress, PackageInspection} from '../../domain/packages/inspection.js';
import type {InspectOptions} from '../../workflow/ports/ports.js';

type Inspect = (path: string, options?: InspectOptions) => Promise<PackageInspection>;

export function shareInspections(inspect: Inspect): Inspect {
	const reading = new Map<string, {done: Promise<PackageInspection>; listeners: Set<(progress: InspectionProgress) => void>}>();
	return async (path, options = {}) => {
		const joined = reading.get(path);
		if (joined && options.useCache !== false) {
			const listener = options.onProgress;
			if (listener) {
				joined.listeners.add(listener);
			}

			try {
				return await joined.done;
			} finally {
				if (listener) {
					joined.listeners.delete(listener);
				}
			}
		}

		const listeners = new Set<(progress: InspectionProgress) => void>();
		if (options.onProgress) {
			listeners.add(options.onProgress);
		}

		const done = inspect(path, {
			...options,
			onProgress(progress) {
				for (const listener of listeners) {
					listener(progress);
				}
			},
		});
		const entry = {done, listeners};
		reading.set(path, entry);
		try {
			return await done;
		} finally {
			if (reading.get(path) === entry) {
				reading.delete(path);
			}
		}
	};
}
