// The chart versions a step uploaded, in undo: those its snapshot saw absent from the chart
// repository before the step. Listed always; deleted only with --remove-added, through the chart
// repository's API where it allows deletes (ChartMuseum `DELETE /api/charts/NAME/VERSION`), and
// said so where it does not. A version that was there before the step is never touched.
import type {SavedChart, StepSnapshot} from '../../../domain/registry/tag-snapshot.js';
import {isWizardError} from '../../../domain/shared/wizard-error.js';
import type {RestorePort} from '../../ports/snapshot-port.js';

export type UndoChartResult = {name: string; version: string; result: 'removed' | 'not-removed' | 'failed' | 'left'; detail?: string};

/** The versions the step uploaded; empty when the snapshot did not read the chart repository. */
export function chartsAddedByStep(snapshot: StepSnapshot): SavedChart[] {
	return (snapshot.charts ?? []).filter(chart => !chart.existedBefore);
}

/** One at a time: a handful of versions per step, and ChartMuseum rewrites its index per delete. */
export async function removeAddedCharts(
	charts: SavedChart[],
	port: RestorePort,
	removeAdded: boolean,
	signal?: AbortSignal,
): Promise<UndoChartResult[]> {
	const results: UndoChartResult[] = [];
	for (const {name, version} of charts) {
		if (!removeAdded) {
			results.push({name, version, result: 'left'});
			continue;
		}

		const removed = await port.removeChart(name, version, signal);
		results.push(
			isWizardError(removed)
				? {name, version, result: 'failed', detail: removed.message}
				: removed.deleted
					? {name, version, result: 'removed'}
					: {name, version, result: 'not-removed', detail: removed.reason},
		);
	}

	return results;
}
