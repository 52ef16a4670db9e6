// Watches one installer step from its capture files: lines are folded by step-output.ts; the
// unpacked bytes in addon-offline-target-package and the disks are sampled, and a long silence is
// said once. The live run and `attach` (following an installer whose wizard died) both watch a
// step through this one monitor.
import {diskFloor, diskLevel} from '../../../domain/run/disk-level.js';
import type {DiskSample, RunEvent, RunProgress, StepTally} from '../../../domain/run/run-events.js';
import type {PlanStep} from '../../../domain/plan/plan.js';
import {afterRead, burstPollMs, initialPacing, pace} from '../../../domain/run/output-pacing.js';
import type {CaptureFiles, CapturePort, CaptureReader} from '../../ports/capture-port.js';
import type {Clock} from '../../ports/clock-port.js';
import type {DisksPort} from '../../ports/disks-port.js';
import type {FilesPort} from '../../ports/files-port.js';
import type {RunLog} from '../../ports/run-log-port.js';
import type {RunSettings} from '../../ports/run-settings.js';
import {targetOf} from '../run-context.js';
import {StepOutput, type StepSummary} from './step-output.js';

export type {StepSummary} from './step-output.js';

/** The installer printing nothing for this long is worth saying (the operator wonders if it hangs). */
export const defaultSilentAfterMs = 5 * 60 * 1000;

export type StepWatch = {
	/** Stops reading after the last line is in; call once the installer (and its group) has exited. */
	finish(): Promise<StepSummary>;
	/** Stops watching at once without reading to the end (the view was left; `attach` reads the rest). */
	abandon(): void;
};

export type WatchDeps = {
	settings: Pick<RunSettings, 'sampleMs' | 'pollMs' | 'diskFloorBytes' | 'silentAfterMs'>;
	clock: Clock;
	capture: Pick<CapturePort, 'open'>;
	files: Pick<FilesPort, 'dirSize'>;
	disks: Pick<DisksPort, 'diskInfo'>;
};

export type WatchOptions = {
	step: PlanStep;
	capture: CaptureFiles;
	emit(event: RunEvent): void;
	log?: RunLog;
	mask(line: string): string;
	/** Paths whose filesystems are sampled for free space. */
	watched: string[];
	/** Where progress starts (a step re-attached mid-way), lines already delivered per stream, and the tally so far. */
	from?: {progress: RunProgress; skip: {stdout: number; stderr: number}; tally?: StepTally};
	deps: WatchDeps;
};

/** Reads both capture files in bounded turns, waiting out a burst (output-pacing.ts). */
export function pumpCapture(readers: CaptureReader[], now: () => number, pollMs = 50): {stop(): Promise<void>; abandon(): void} {
	let timer: ReturnType<typeof setTimeout> | undefined;
	let pacing = initialPacing(now());
	let stopped = false;
	const readTurn = () => readers.some(reader => reader.read());
	const turn = () => {
		if (stopped) {
			return;
		}

		const decision = pace(
			pacing,
			readers.reduce((sum, reader) => sum + reader.written(), 0),
			now(),
		);
		if (!decision.read) {
			pacing = decision.state;
			timer = setTimeout(turn, burstPollMs);
			return;
		}

		const more = readTurn();
		pacing = afterRead(decision.state, more);
		timer = setTimeout(turn, more ? 0 : pollMs);
	};

	timer = setTimeout(turn, 0);
	return {
		abandon() {
			stopped = true;
			clearTimeout(timer);
		},
		async stop() {
			stopped = true;
			clearTimeout(timer);
			for (const reader of readers) {
				await reader.finish();
			}
		},
	};
}

/** Every `sampleMs` until `stop` aborts: the unpacked bytes, the disks, the silence. */
async function sample(options: WatchOptions, output: StepOutput, stop: AbortSignal): Promise<void> {
	const {settings, clock, files, disks} = options.deps;
	const target = targetOf(options.step.cwd);
	for (;;) {
		// An abort cuts the sleep short: a pending timer would keep the process alive after the last step.
		await clock.sleep(settings.sampleMs, stop);
		if (stop.aborted) {
			return;
		}

		// Lines counted during the await are in `output` already: the bytes are added to them, not over them.
		output.unpacked(await files.dirSize(target));
		const samples: DiskSample[] = (await disks.diskInfo(options.watched).catch(() => [])).map(info => ({
			path: info.path,
			freeBytes: info.freeBytes,
			level: diskLevel(info.freeBytes, diskFloor(info.totalBytes, settings.diskFloorBytes)),
		}));
		if (samples.length > 0) {
			options.emit({type: 'disk', at: clock.now(), samples});
		}

		output.checkSilence(settings.silentAfterMs ?? defaultSilentAfterMs);
	}
}

export function watchStep(options: WatchOptions): StepWatch {
	const {step, emit, log, mask, deps} = options;
	const output = new StepOutput(step, {emit, log, mask, now: deps.clock.now}, options.from);
	const readers = (['stdout', 'stderr'] as const).map(stream =>
		deps.capture.open(
			options.capture[stream],
			stream,
			lines => {
				output.lines(stream, lines);
			},
			{skipLines: options.from?.skip[stream]},
		),
	);
	const pump = pumpCapture(readers, deps.clock.now, deps.settings.pollMs);
	const stopSampling = new AbortController();
	const sampler = sample(options, output, stopSampling.signal);
	return {
		async finish() {
			await pump.stop();
			stopSampling.abort();
			await sampler;
			output.pushProgress(true);
			return output.summary();
		},
		abandon() {
			pump.abandon();
			stopSampling.abort();
		},
	};
}
