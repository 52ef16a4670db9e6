// Disk needs per filesystem. The installer unpacks the package into
// addon-offline-target-package (its uncompressed size), then unpacks each chart bundle to load
// its images (about the bundles' size again). Steps run one after another and the directory
// is removed after a success, so the workdir needs the largest step, not the sum.
import type {DiskNeed} from './plan.js';
import type {Finding} from '../shared/findings.js';
import {formatBytes} from '../shared/format-bytes.js';

export type FilesystemInfo = {path: string; device: string; freeBytes: number; totalBytes: number};

/** What one step writes under its working directory at its peak. */
export function stepDiskBytes(inspections: Array<{uncompressedBytes: number; charts: Array<{bytes: number}>}>): number {
	return inspections.reduce(
		(sum, item) => sum + item.uncompressedBytes + item.charts.reduce((bundles, chart) => bundles + chart.bytes, 0),
		0,
	);
}

export function estimateDiskNeeds(
	paths: Array<{path: string; role: 'workdir' | 'package' | 'watch'}>,
	filesystems: FilesystemInfo[],
	workdirBytes: number,
	margin: number,
): DiskNeed[] {
	const byDevice = new Map<string, DiskNeed>();
	for (const item of paths) {
		const fs = filesystems.find(candidate => candidate.path === item.path);
		if (!fs) {
			continue;
		}

		const need = byDevice.get(fs.device) ?? {
			device: fs.device,
			paths: [],
			neededBytes: 0,
			freeBytes: fs.freeBytes,
			totalBytes: fs.totalBytes,
			shortBytes: 0,
			basis: 'nothing is written here',
		};
		if (!need.paths.some(existing => existing.path === item.path && existing.role === item.role)) {
			need.paths.push(item);
		}

		if (item.role === 'workdir' && need.neededBytes === 0) {
			need.neededBytes = Math.ceil(workdirBytes * (1 + margin));
			need.basis = `unpacked package + chart bundles unpacked to load images (${formatBytes(workdirBytes)}) + ${Math.round(margin * 100)}% margin`;
		}

		need.shortBytes = Math.max(0, need.neededBytes - need.freeBytes);
		byDevice.set(fs.device, need);
	}

	return [...byDevice.values()];
}

export function diskFindings(needs: DiskNeed[]): Finding[] {
	return needs
		.filter(need => need.shortBytes > 0)
		.map(need => {
			const where = need.paths.map(item => item.path).join(', ');
			return {
				code: 'disk-short',
				severity: 'error',
				message: `Not enough disk on ${where}: needs ${formatBytes(need.neededBytes)}, ${formatBytes(need.freeBytes)} free, short by ${formatBytes(need.shortBytes)}.`,
				hint: 'Free that much space, or run from a larger filesystem with --workdir DIR.',
				details: {device: need.device, neededBytes: need.neededBytes, freeBytes: need.freeBytes, shortBytes: need.shortBytes},
			};
		});
}
