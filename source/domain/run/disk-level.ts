// When free space becomes a problem during a run. The floor is where the wizard offers to stop
// the installer before "no space left" leaves a half-written unpack.
import type {DiskSample} from './run-events.js';

const gib = 1024 ** 3;

export function diskFloor(totalBytes: number, explicit?: number): number {
	return explicit ?? Math.min(gib, Math.max(16 * 1024 * 1024, totalBytes * 0.02));
}

export function diskLevel(freeBytes: number, floorBytes: number): DiskSample['level'] {
	if (freeBytes < floorBytes) {
		return 'critical';
	}

	return freeBytes < floorBytes * 3 ? 'low' : 'ok';
}
