// The pre-flight row about the packages themselves: each is still what was read (not gone, not
// grown, not changed), and no partial download lies beside it.
import {formatBytes} from '../shared/format-bytes.js';
import type {Plan, PreflightCheck, PreflightFacts} from './plan.js';

const row = (check: PreflightCheck): PreflightCheck => check;

/** Rows for packages that changed since they were read, or one pass row when none did. */
export function downloadRows(plan: Plan, facts: PreflightFacts): PreflightCheck[] {
	const rows = facts.packages.flatMap((item): PreflightCheck[] => {
		const inspected = plan.packages.find(candidate => candidate.path === item.path);
		// A copy under way has its own block (wait for it): that it grew since is no news.
		if (inspected?.copying) {
			return [];
		}

		const again = 'Start again so it is read (and its checksum checked) anew.';
		if (item.sizeNow === undefined) {
			return [
				row({
					id: 'download',
					status: 'block',
					message: `${item.fileName} is gone since it was read.`,
					hint: 'Put it back, or choose another package.',
				}),
			];
		}

		if (inspected && item.sizeNow > inspected.size) {
			return [
				row({
					id: 'download',
					status: 'block',
					message: `${item.fileName} grew from ${formatBytes(inspected.size)} to ${formatBytes(item.sizeNow)} since it was read: it is still being downloaded.`,
					hint: `Wait for the download to finish. ${again}`,
				}),
			];
		}

		if (inspected && (item.sizeNow !== inspected.size || Math.trunc(item.mtimeNow ?? 0) !== Math.trunc(inspected.mtimeMs))) {
			return [
				row({id: 'download', status: 'block', message: `${item.fileName} changed since it was read (size or time differs).`, hint: again}),
			];
		}

		if (!item.partial) {
			return [];
		}

		const verified = inspected?.integrity.state === 'verified' || inspected?.integrity.state === 'sidecar-verified';
		return verified
			? [
					row({
						id: 'download',
						status: 'warn',
						message: `${item.partial} lies beside ${item.fileName}, which matches its checksum: a stale partial download.`,
						hint: 'Delete the partial file when convenient.',
					}),
				]
			: [
					row({
						id: 'download',
						status: 'block',
						message: `${item.partial} lies beside ${item.fileName}: a download may still be writing it.`,
						hint: `Wait for the download to finish (or delete the stale partial file). ${again}`,
					}),
				];
	});
	if (rows.length > 0 || facts.packages.length === 0) {
		return rows;
	}

	return [
		row({
			id: 'download',
			status: 'pass',
			message: `${facts.packages.length === 1 ? 'The package is' : `All ${facts.packages.length} packages are`} as read; none is still downloading`,
		}),
	];
}
