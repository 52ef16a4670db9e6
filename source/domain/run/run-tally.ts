// What a run did, counted from the installer's own lines: the Result says what happened, not what
// the plan held. Charts by name and version, images by the tag they landed at, so the same five
// charts in two arches are five charts, and an integration that only merged images claims no chart.
import type {OutputLine} from './installer-output.js';
import type {StepTally} from './run-events.js';
import {plural} from '../shared/plural.js';

/** Names kept per step: a run's real counts are in the hundreds; a flood of odd lines stays bounded. */
const maxNames = 20_000;

export type TallyBuilder = {add(line: OutputLine): void; result(): StepTally};

/** What an error line says failed, by name (charts-syncer's and the simulator's wording). */
const failedImage = /failed to push image (\S+?):\s/;
const failedChart = /failed to upload "([^"]+)" chart/;
const archSuffix = /-(amd64|arm64|arm|386|ppc64le|s390x|riscv64|loong64|mips64le)$/;

export function createTally(arch?: string, from?: StepTally): TallyBuilder {
	const charts = {synced: new Set(from?.charts.synced), skipped: new Set(from?.charts.skipped)};
	const images = {pushed: new Set(from?.images.pushed), skipped: new Set(from?.images.skipped)};
	let overflow = from?.overflow ?? 0;
	let lastMerge: string | undefined;
	let inFlight: {chart?: string; image?: string} = {...from?.inFlight};
	const put = (set: Set<string>, name: string) => {
		if (set.has(name)) {
			return;
		}

		if (charts.synced.size + charts.skipped.size + images.pushed.size + images.skipped.size >= maxNames) {
			overflow++;
			return;
		}

		set.add(name);
	};

	return {
		add(line) {
			switch (line.kind) {
				case 'chart': {
					put(line.skipped ? charts.skipped : charts.synced, line.chart);
					// A chart line is said before its images move: the one named last is under way. Chart
					// lines (stderr) and image lines (stdout) come from two files, so neither clears the other.
					inFlight = {...inFlight, chart: line.skipped ? undefined : line.chart};
					break;
				}

				case 'error': {
					// An error that names what failed: that, and not merely the last named, was not done.
					const image = failedImage.exec(line.text)?.[1];
					const chart = failedChart.exec(line.text)?.[1];
					if (image || chart) {
						inFlight = {chart: chart ?? (image ? inFlight.chart : undefined), image: image?.replace(archSuffix, '')};
					}

					break;
				}

				case 'image': {
					put(line.skipped ? images.skipped : images.pushed, line.ref);
					inFlight = {chart: inFlight.chart, image: line.skipped ? undefined : line.ref};
					break;
				}

				case 'merge': {
					lastMerge = line.target ?? line.ref;
					put(images.pushed, lastMerge);
					inFlight = {chart: inFlight.chart, image: lastMerge};
					break;
				}

				case 'merge-skip': {
					// kubean found the arch already in the tag's list: that image was there before.
					if (lastMerge && images.pushed.delete(lastMerge)) {
						put(images.skipped, lastMerge);
					}

					inFlight = {chart: inFlight.chart};
					break;
				}

				case 'step':
				case 'other': {
					break;
				}
			}
		},
		result: () => ({
			arch,
			charts: {synced: [...charts.synced], skipped: [...charts.skipped]},
			images: {pushed: [...images.pushed], skipped: [...images.skipped]},
			overflow,
			inFlight,
		}),
	};
}

/**
 * The tally of a step whose installer did not finish cleanly (a non-zero exit, a signal, error
 * lines, helpers stopped): "Pushing x..." and "Syncing y chart..." are said before the work, so the
 * chart and image named last are not counted as done; their push is likely what failed. An
 * installer that exited 0 with no error did the work it named, even when the registry check
 * after it fails (the upgrade below 0.12.0 pushes every image and still loses an arch).
 */
export function settledTally(tally: StepTally, finishedCleanly: boolean): StepTally {
	if (finishedCleanly || !tally.inFlight) {
		return {...tally, inFlight: undefined};
	}

	const {chart, image} = tally.inFlight;
	return {
		...tally,
		charts: {...tally.charts, synced: tally.charts.synced.filter(name => name !== chart)},
		images: {...tally.images, pushed: tally.images.pushed.filter(name => name !== image)},
		inFlight: undefined,
	};
}

export type RunSummary = {
	/** Distinct chart versions synced, and those skipped as already there (and not synced by another step). */
	charts: {synced: number; skipped: number};
	/**
	 * Distinct tags pushed; pushes per architecture; images skipped as already there, counted per
	 * architecture like the pushes (an amd64 image that was there is not undone by its arm64 push).
	 */
	images: {
		tags: number;
		byArch: Array<{arch: string; pushed: number}>;
		skipped: number;
		skippedByArch: Array<{arch: string; skipped: number}>;
	};
	/** Steps that reported nothing at all (an installer whose wording the wizard does not know, or that did nothing). */
	silentSteps: number;
	overflow: number;
};

function addNames(into: Map<string, Set<string>>, arch: string, names: string[]): void {
	if (names.length > 0) {
		const seen = into.get(arch) ?? new Set<string>();
		names.forEach(name => seen.add(name));
		into.set(arch, seen);
	}
}

export function summarizeTallies(tallies: Array<StepTally | undefined>): RunSummary {
	const synced = new Set<string>();
	const chartsSkipped = new Set<string>();
	const tags = new Set<string>();
	// Distinct tags per arch: the same image integrated by three arm64 kinds is one arm64 image.
	const byArch = new Map<string, Set<string>>();
	const skippedByArch = new Map<string, Set<string>>();
	let silentSteps = 0;
	let overflow = 0;
	for (const tally of tallies) {
		if (!tally) {
			continue;
		}

		tally.charts.synced.forEach(name => synced.add(name));
		tally.charts.skipped.forEach(name => chartsSkipped.add(name));
		tally.images.pushed.forEach(name => tags.add(name));
		const arch = tally.arch ?? 'unknown arch';
		addNames(byArch, arch, tally.images.pushed);
		addNames(skippedByArch, arch, tally.images.skipped);

		overflow += tally.overflow;
		silentSteps +=
			tally.charts.synced.length + tally.charts.skipped.length + tally.images.pushed.length + tally.images.skipped.length === 0 ? 1 : 0;
	}

	// Skipped in one step, pushed for the same arch in another (a retry): it was pushed.
	const skipped = [...skippedByArch]
		.map(([arch, names]) => ({arch, skipped: [...names].filter(name => !byArch.get(arch)?.has(name)).length}))
		.filter(item => item.skipped > 0);
	return {
		charts: {synced: synced.size, skipped: [...chartsSkipped].filter(name => !synced.has(name)).length},
		images: {
			tags: tags.size,
			byArch: [...byArch].map(([arch, pushed]) => ({arch, pushed: pushed.size})),
			skipped: skipped.reduce((sum, item) => sum + item.skipped, 0),
			skippedByArch: skipped,
		},
		silentSteps,
		overflow,
	};
}

/** One sentence per part: `charts: 3 synced, 2 already there (skipped)` and the images likewise. */
export function wordSummary(summary: RunSummary): string[] {
	const {charts, images} = summary;
	if (charts.synced + charts.skipped + images.tags + images.skipped === 0) {
		return [
			"The installer's output named no chart and no image: nothing it printed says it imported anything. Check the registry before relying on this import.",
		];
	}

	const chartWords = [
		charts.synced > 0 ? `${plural(charts.synced, 'chart')} synced` : 'no chart synced',
		...(charts.skipped > 0 ? [`${charts.skipped} already there (skipped)`] : []),
	].join(', ');
	const arches =
		images.byArch.length > 1 || (images.byArch.length === 1 && images.byArch[0]!.pushed !== images.tags)
			? ` (${images.byArch.map(item => `${item.pushed} for ${item.arch}`).join(', ')})`
			: images.byArch.length === 1
				? ` for ${images.byArch[0]!.arch}`
				: '';
	// Name the arch of what was skipped once more than one arch is in the sentence.
	const archesNamed = new Set([...images.byArch.map(item => item.arch), ...images.skippedByArch.map(item => item.arch)]);
	const skippedWords =
		archesNamed.size > 1
			? `${images.skippedByArch.map(item => `${item.skipped} for ${item.arch}`).join(', ')} already there (skipped)`
			: `${images.skipped} already there (skipped)`;
	const imageWords = [
		images.tags > 0 ? `${plural(images.tags, 'image')} pushed${arches}` : 'no image pushed',
		...(images.skipped > 0 ? [skippedWords] : []),
	].join(', ');
	return [
		`Charts: ${chartWords}. Images: ${imageWords}.`,
		...(summary.overflow > 0 ? [`(${summary.overflow} more names were not counted one by one.)`] : []),
	];
}

/**
 * The installer's own account, labelled as its own: shown beside the counts the wizard measured,
 * never in their place (`installer reported: 5 charts synced, 3 images pushed for amd64`).
 */
export function installerWords(summary: RunSummary): string {
	const {charts, images} = summary;
	if (charts.synced + charts.skipped + images.tags + images.skipped === 0) {
		return 'installer reported: no chart and no image by name';
	}

	const arches = images.byArch.length > 1 ? ` (${images.byArch.map(item => `${item.pushed} for ${item.arch}`).join(', ')})` : '';
	const parts = [
		`${charts.synced > 0 ? plural(charts.synced, 'chart') : 'no chart'} synced`,
		...(charts.skipped > 0 ? [`${plural(charts.skipped, 'chart')} skipped`] : []),
		`${images.tags > 0 ? plural(images.tags, 'image') : 'no image'} pushed${arches}`,
		...(images.skipped > 0 ? [`${plural(images.skipped, 'image')} skipped as already there`] : []),
	];
	return `installer reported: ${parts.join(', ')}${summary.overflow > 0 ? ` (${summary.overflow} more names not counted one by one)` : ''}`;
}
