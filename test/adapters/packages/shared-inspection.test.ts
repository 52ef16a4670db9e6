// Two requests for the package being read (the background list and the plan's baseline) share
// one read of its tens of GB, and both see its progress.
import {describe, expect, it} from 'vitest';
import {shareInspections} from '../../../source/adapters/packages/shared-inspection.js';
import type {InspectionProgress, PackageInspection} from '../../../source/domain/packages/inspection.js';
import type {InspectOptions} from '../../../source/workflow/ports/ports.js';
import {full} from '../../domain/packages/make-inspection.js';

function slowInspector() {
	const reads: Array<{path: string; options?: InspectOptions; finish(): void}> = [];
	const inspect = async (path: string, options?: InspectOptions) =>
		new Promise<PackageInspection>(resolve => {
			reads.push({path, options, finish: () => resolve({...full('v0.11.0', 'amd64'), path})});
		});
	return {reads, inspect};
}

const progress = (path: string, bytesRead: number): InspectionProgress => ({path, bytesRead, totalBytes: 100, entries: 1, elapsedMs: 10});

describe('shareInspections', () => {
	it('joins a second request for a package already being read: one read, progress to both, one result', async () => {
		const {reads, inspect} = slowInspector();
		const shared = shareInspections(inspect);
		const seenByList: number[] = [];
		const seenByPlan: number[] = [];
		const first = shared('/p/a.tar.gz', {onProgress: update => seenByList.push(update.bytesRead)});
		const second = shared('/p/a.tar.gz', {onProgress: update => seenByPlan.push(update.bytesRead)});
		expect(reads).toHaveLength(1);

		reads[0]!.options!.onProgress!(progress('/p/a.tar.gz', 40));
		reads[0]!.finish();
		const [a, b] = await Promise.all([first, second]);
		expect(a).toBe(b);
		expect(seenByList).toEqual([40]);
		expect(seenByPlan).toEqual([40]);
	});

	it('reads again once the earlier read is over, and never joins a request that asked for a fresh read', async () => {
		const {reads, inspect} = slowInspector();
		const shared = shareInspections(inspect);
		const first = shared('/p/a.tar.gz');
		const fresh = shared('/p/a.tar.gz', {useCache: false});
		expect(reads).toHaveLength(2);
		reads[0]!.finish();
		reads[1]!.finish();
		await Promise.all([first, fresh]);

		const later = shared('/p/a.tar.gz');
		expect(reads).toHaveLength(3);
		reads[2]!.finish();
		await later;
		const other = shared('/p/b.tar.gz');
		expect(reads.map(read => read.path)).toEqual(['/p/a.tar.gz', '/p/a.tar.gz', '/p/a.tar.gz', '/p/b.tar.gz']);
		reads[3]!.finish();
		await other;
	});
});
