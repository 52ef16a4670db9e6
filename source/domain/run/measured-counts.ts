// A run's counts as the registry and the chart repository showed them: each step's read before and
// after it (domain/registry/step-counts.ts), added up over the run. These are the counts the Result,
// `run --yes` and the RunResult give; the installer's "Syncing"/"Pushing" lines are only its account.
import type {ImageCounts, StepCounts} from '../registry/step-counts.js';
import {plural} from '../shared/plural.js';
import type {StepVerification} from './run-events.js';

export type MeasuredCounts = {
	/** Steps whose registry was read after them; `unmeasured` those that finished without such a read. */
	measuredSteps: number;
	unmeasured: Array<{reason: string}>;
	images: ImageCounts & {byArch: Array<ImageCounts & {arch: string}>};
	/** `name@version`; absent when no step's chart repository was read. */
	charts?: {uploaded: string[]; alreadyThere: string[]; missing: string[]; notToldApart: string[]};
	/** Steps whose packages hold charts, but whose chart repository could not be read. */
	chartsUnread: number;
};

const buckets = ['pushed', 'alreadyThere', 'missing', 'notToldApart', 'unread'] as const;

function addImages(into: MeasuredCounts['images'], counts: StepCounts['images']): void {
	for (const bucket of buckets) {
		into[bucket] += counts[bucket];
	}

	for (const arch of counts.byArch) {
		let mine = into.byArch.find(item => item.arch === arch.arch);
		if (!mine) {
			mine = {arch: arch.arch, pushed: 0, alreadyThere: 0, missing: 0, notToldApart: 0, unread: 0};
			into.byArch.push(mine);
		}

		for (const bucket of buckets) {
			mine[bucket] += arch[bucket];
		}
	}
}

type ChartState = 'uploaded' | 'alreadyThere' | 'missing' | 'notToldApart';

/**
 * A chart version by what the last step that read it saw, except that one a step uploaded stays
 * "uploaded" when a later step finds it there (it was there because of this run).
 */
function addCharts(into: Map<string, ChartState>, charts: NonNullable<StepCounts['charts']>): void {
	for (const state of ['uploaded', 'alreadyThere', 'missing', 'notToldApart'] as const) {
		for (const name of charts[state]) {
			const was = into.get(name);
			into.set(name, was === 'uploaded' && state !== 'missing' ? 'uploaded' : state);
		}
	}
}

function reasonOf(verification: StepVerification | undefined): string {
	switch (verification?.state) {
		case undefined: {
			return 'the step ended before the registry was read';
		}

		case 'skipped': {
			return verification.reason;
		}

		case 'unreadable': {
			return `the registry could not be read after the step (${verification.error.message.replace(/\.$/, '')})`;
		}

		case 'verified':
		case 'failed':
		case 'deferred': {
			return 'this wizard version did not count the step';
		}
	}
}

/** `verifications`: one per step that ended, in order (undefined: it ended without a read). */
export function measureRun(verifications: ReadonlyArray<StepVerification | undefined>): MeasuredCounts {
	const measured: MeasuredCounts = {
		measuredSteps: 0,
		unmeasured: [],
		images: {pushed: 0, alreadyThere: 0, missing: 0, notToldApart: 0, unread: 0, byArch: []},
		chartsUnread: 0,
	};
	const charts = new Map<string, ChartState>();
	let chartsRead = false;
	for (const verification of verifications) {
		const counts = verification && 'counts' in verification ? verification.counts : undefined;
		if (!counts || !verification || !('result' in verification)) {
			measured.unmeasured.push({reason: reasonOf(verification)});
			continue;
		}

		measured.measuredSteps++;
		addImages(measured.images, counts.images);
		if (counts.charts) {
			chartsRead = true;
			addCharts(charts, counts.charts);
		} else if (verification.result.charts?.state === 'unreadable') {
			measured.chartsUnread++;
		}
	}

	if (chartsRead) {
		const named = (state: ChartState) => [...charts].filter(([, value]) => value === state).map(([name]) => name);
		measured.charts = {
			uploaded: named('uploaded'),
			alreadyThere: named('alreadyThere'),
			missing: named('missing'),
			notToldApart: named('notToldApart'),
		};
	}

	return measured;
}

function imageWords(images: MeasuredCounts['images']): string {
	const perArch = (bucket: (typeof buckets)[number]) =>
		images.byArch.length > 1 && images[bucket] > 0
			? ` (${images.byArch
					.filter(item => item[bucket] > 0)
					.map(item => `${item[bucket]} ${item.arch}`)
					.join(', ')})`
			: '';
	return [
		`${images.pushed} pushed${perArch('pushed')}`,
		`${images.alreadyThere} already there${perArch('alreadyThere')}`,
		`${images.missing} missing${perArch('missing')}`,
		...(images.notToldApart > 0
			? [`${images.notToldApart} at their tag, not read before the step (pushed or already there is not known)`]
			: []),
		...(images.unread > 0 ? [`${images.unread} could not be read back`] : []),
	].join(', ');
}

const firstNames = (names: string[]) => (names.length > 0 ? ` (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''})` : '');

function chartWords(measured: MeasuredCounts): string {
	const {charts} = measured;
	if (!charts) {
		return measured.chartsUnread > 0 ? 'not counted, the chart repository could not be read' : 'none to count';
	}

	return [
		`${charts.uploaded.length} uploaded`,
		`${charts.alreadyThere.length} already there`,
		`${charts.missing.length} missing${firstNames(charts.missing)}`,
		...(charts.notToldApart.length > 0 ? [`${charts.notToldApart.length} listed, not read before the step`] : []),
	].join(', ');
}

/**
 * The counts in words, measured first: `Images: 3 pushed, 2 already there, 0 missing. Charts: …`.
 * `installer`: the installer's own account (run-tally.ts installerWords), said after, as its own.
 */
export function wordMeasured(measured: MeasuredCounts, installer?: string): string[] {
	const supporting = installer ? [`(${installer})`] : [];
	if (measured.measuredSteps === 0) {
		const why = measured.unmeasured[0]?.reason;
		const what = why ? `the registry was not read back: ${why.replace(/\.$/, '')}` : 'no step was read back';
		return [`Images and charts: not counted, ${what}.`, ...supporting];
	}

	const partly =
		measured.unmeasured.length > 0
			? [`${plural(measured.unmeasured.length, 'step')} not counted: ${measured.unmeasured[0]!.reason.replace(/\.$/, '')}.`]
			: [];
	return [`Images: ${imageWords(measured.images)}. Charts: ${chartWords(measured)}.`, ...partly, ...supporting];
}
