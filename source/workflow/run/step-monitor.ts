// Watches one installer step from its capture files: lines are sanitised, masked, logged and
// turned into events; progress and the tally of what was pushed are folded from them and from the
// bytes measured in addon-offline-target-package; the disks are sampled, and a long silence is
// said once. The live run and `attach` (following an installer whose wizard died) both watch a
// step through this one monitor.
import {diskFloor, diskLevel} from '../../domain/run/disk-level.js';
import {parseOutputLine} from '../../domain/run/installer-output.js';
import {targetDirName} from '../../domain/packages/target-dir-name.js';
import type {DiskSample, RunEvent, RunProgress, StepTally} from '../../domain/run/run-events.js';
import type {PlanStep} from '../../domain/plan/plan.js';
import {afterRead, burstPollMs, initialPacing, pace} from '../../domain/run/output-pacing.js';
import {advanceProgress, initialProgress, withUnpacked} from '../../domain/run/run-progress.js';
import {createTally} from '../../domain/run/run-tally.js';
import {sanitizeLine} from '../../domain/shared/sanitize-output.js';
import type {CaptureFiles, CaptureReader, OpenCapture, RunDeps, RunLog} from '../ports/ports.js';

/** Error-looking lines kept for the failure cause: the newest few are what the operator needs. */
const keptErrorLines = 20;
const keptRecentLines = 5;
/** The installer printing nothing for this long is worth saying (the operator wonders if it hangs). */
export const defaultSilentAfterMs = 5 * 60 * 1000;

export type StepWatch = {
	/** Stops reading after the last line is in; call once the installer (and its group) has exited. */
	finish(): Promise<StepSummary>;
	/** Stops watching at once without reading to the end (the view was left; `attach` reads the rest). */
	abandon(): void;
};

export type StepSummary = {
	progress: RunProgress;
	/** The last error-looking lines (the installer's `[Error]:`, kubean's `[err]`, …), oldest first. */
	errorLines: string[];
	/** The last lines of any kind, for a failure that printed nothing error-like. */
	recentLines: string[];
	/** Lines seen per stream in this watch (for `attach` to skip what a log already holds). */
	linesSeen: {stdout: number; stderr: number};
	/** What the output said was synced, pushed or skipped, by name. */
	tally: StepTally;
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
	deps: Pick<RunDeps, 'sampleMs' | 'pollMs' | 'diskFloorBytes' | 'dirSize' | 'diskInfo' | 'now' | 'silentAfterMs'> & {openCapture: OpenCapture};
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

		const decision = pace(pacing, readers.reduce((sum, reader) => sum + reader.written(), 0), now());
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

export function watchStep(options: WatchOptions): StepWatch {
	const {step, emit, log, mask, deps} = options;
	let progress = options.from?.progress ?? initialProgress(step);
	let lastProgressAt = 0;
	const errorLines: string[] = [];
	const recentLines: string[] = [];
	const linesSeen = {stdout: 0, stderr: 0};
	const tally = createTally(step.arch, options.from?.tally);
	const silentAfterMs = deps.silentAfterMs ?? defaultSilentAfterMs;
	let lastOutputAt = deps.now();
	let saidSilent = false;
	const target = `${step.cwd.replace(/\/$/, '')}/${targetDirName}`;
	const pushProgress = (force = false) => {
		const now = deps.now();
		if (force || now - lastProgressAt >= 100) {
			lastProgressAt = now;
			emit({type: 'progress', at: now, stepId: step.id, progress});
		}
	};

	const onLines = (stream: 'stdout' | 'stderr') => (rawLines: string[]) => {
		const lines = rawLines.map(line => mask(sanitizeLine(line)));
		linesSeen[stream] += lines.length;
		log?.output(step.id, stream, lines);
		const at = deps.now();
		lastOutputAt = at;
		saidSilent = false;
		recentLines.push(...lines.slice(-keptRecentLines));
		recentLines.splice(0, recentLines.length - keptRecentLines);
		for (const line of lines) {
			emit({type: 'output', at, stepId: step.id, stream, line});
			const parsed = parseOutputLine(line);
			if (parsed.kind === 'error') {
				errorLines.push(line);
				errorLines.splice(0, errorLines.length - keptErrorLines);
				tally.add(parsed);
			} else if (parsed.kind !== 'other') {
				progress = advanceProgress(progress, parsed);
				tally.add(parsed);
			}
		}

		pushProgress();
	};

	const readers = (['stdout', 'stderr'] as const).map(stream => deps.openCapture(options.capture[stream], stream, onLines(stream), {skipLines: options.from?.skip[stream]}));
	const pump = pumpCapture(readers, deps.now, deps.pollMs);

	let sampling = true;
	let wake: (() => void) | undefined;
	const sampler = (async () => {
		while (sampling) {
			await new Promise<void>(resolve => {
				// Waking early clears the timer too: a pending one would keep the process alive
				// for up to sampleMs after the last step ended.
				const timer = setTimeout(resolve, deps.sampleMs);
				wake = () => {
					clearTimeout(timer);
					resolve();
				};
			});
			if (!sampling) {
				break;
			}

			// Read `progress` only after the await: output lines counted meanwhile must not be lost.
			const unpacked = await deps.dirSize(target);
			progress = withUnpacked(progress, unpacked);
			pushProgress(true);
			const samples: DiskSample[] = (await deps.diskInfo(options.watched).catch(() => [])).map(info => ({
				path: info.path,
				freeBytes: info.freeBytes,
				level: diskLevel(info.freeBytes, diskFloor(info.totalBytes, deps.diskFloorBytes)),
			}));
			if (samples.length > 0) {
				emit({type: 'disk', at: deps.now(), samples});
			}

			const quietFor = deps.now() - lastOutputAt;
			if (!saidSilent && quietFor >= silentAfterMs) {
				saidSilent = true;
				emit({type: 'silent', at: deps.now(), stepId: step.id, since: lastOutputAt});
			}
		}
	})();

	const stopSampling = () => {
		sampling = false;
		wake?.();
	};

	return {
		async finish() {
			await pump.stop();
			stopSampling();
			await sampler;
			pushProgress(true);
			return {progress, errorLines: [...errorLines], recentLines: [...recentLines], linesSeen: {...linesSeen}, tally: tally.result()};
		},
		abandon() {
			void pump.abandon();
			stopSampling();
		},
	};
}
