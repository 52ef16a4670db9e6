// Reading a 25 GB package takes a minute or more: without screens, say how far it has got every
// two seconds (on stderr, so --json output stays clean).
import {formatBytes} from '../../domain/shared/format-bytes.js';
import type {InspectionProgress} from '../../domain/packages/inspection.js';
import type {Io} from '../io.js';

export function inspectionProgressPrinter(io: Io, label: string, everyMs = 2000): (progress: InspectionProgress) => void {
	let last = 0;
	return progress => {
		if (progress.elapsedMs - last >= everyMs) {
			last = progress.elapsedMs;
			const percent = progress.totalBytes > 0 ? Math.floor((progress.bytesRead / progress.totalBytes) * 100) : 0;
			io.stderr(`inspecting ${label}: ${percent}% (${formatBytes(progress.bytesRead)} of ${formatBytes(progress.totalBytes)})\n`);
		}
	};
}
