// What one step's output lines add up to while it runs: each line sanitised, masked, logged and
// turned into an output event; progress and the tally of what was pushed folded from the lines
// and from the unpacked bytes sampled; the last error-looking and recent lines kept for the
// failure cause; and when the installer last said anything.
import {parseOutputLine} from '../../../domain/run/installer-output.js';
import type {RunEvent, RunProgress, StepTally} from '../../../domain/run/run-events.js';
import type {PlanStep} from '../../../domain/plan/plan.js';
import {advanceProgress, initialProgress, withUnpacked} from '../../../domain/run/run-progress.js';
import {createTally} from '../../../domain/run/run-tally.js';
import {sanitizeLine} from '../../../domain/shared/sanitize-output.js';
import type {RunLog} from '../../ports/run-log-port.js';

/** Error-looking lines kept for the failure cause: the newest few are what the operator needs. */
const keptErrorLines = 20;
const keptRecentLines = 5;

export type StepSummary = {
	progress: RunProgress;
	/** The last error-looking lines (the installer's `[Error]:`, kubean's `[err]`, …), oldest first. */
	errorLines: string[];
	/** The first error-looking line: a retry loop hides it behind later, often unrelated ones. */
	firstErrorLine?: string;
	/** Every error-looking line the step printed (`errorLines` keeps the last few). */
	errorLineCount: number;
	/** The last lines of any kind, for a failure that printed nothing error-like. */
	recentLines: string[];
	/** Lines seen per stream in this watch (for `attach` to skip what a log already holds). */
	linesSeen: {stdout: number; stderr: number};
	/** What the output said was synced, pushed or skipped, by name. */
	tally: StepTally;
};

export type OutputSinks = {emit(event: RunEvent): void; log?: RunLog; mask(line: string): string; now(): number};

const keepLast = (kept: string[], lines: string[], count: number) => {
	kept.push(...lines.slice(-count));
	kept.splice(0, kept.length - count);
};

export class StepOutput {
	private progress: RunProgress;
	private lastProgressAt = 0;
	private readonly errorLines: string[] = [];
	private firstErrorLine: string | undefined;
	private errorLineCount = 0;
	private readonly recentLines: string[] = [];
	private readonly linesSeen = {stdout: 0, stderr: 0};
	private readonly tally;
	private lastOutputAt: number;
	private saidSilent = false;

	constructor(
		private readonly step: PlanStep,
		private readonly sinks: OutputSinks,
		from?: {progress: RunProgress; tally?: StepTally},
	) {
		this.progress = from?.progress ?? initialProgress(step);
		this.tally = createTally(step.arch, from?.tally);
		this.lastOutputAt = sinks.now();
	}

	/** Progress as an event, at most one each 100 ms unless forced. */
	pushProgress(force = false): void {
		const now = this.sinks.now();
		if (force || now - this.lastProgressAt >= 100) {
			this.lastProgressAt = now;
			this.sinks.emit({type: 'progress', at: now, stepId: this.step.id, progress: this.progress});
		}
	}

	lines(stream: 'stdout' | 'stderr', rawLines: string[]): void {
		const {step, sinks} = this;
		const lines = rawLines.map(line => sinks.mask(sanitizeLine(line)));
		this.linesSeen[stream] += lines.length;
		sinks.log?.output(step.id, stream, lines);
		const at = sinks.now();
		this.lastOutputAt = at;
		this.saidSilent = false;
		keepLast(this.recentLines, lines, keptRecentLines);
		for (const line of lines) {
			sinks.emit({type: 'output', at, stepId: step.id, stream, line});
			const parsed = parseOutputLine(line);
			if (parsed.kind === 'error') {
				keepLast(this.errorLines, [line], keptErrorLines);
				this.firstErrorLine ??= line;
				this.errorLineCount++;
				this.tally.add(parsed);
			} else if (parsed.kind !== 'other') {
				this.progress = advanceProgress(this.progress, parsed);
				this.tally.add(parsed);
			}
		}

		this.pushProgress();
	}

	unpacked(bytes: number): void {
		this.progress = withUnpacked(this.progress, bytes);
		this.pushProgress(true);
	}

	/** Says once that the installer has printed nothing for `afterMs` (said again after new output). */
	checkSilence(afterMs: number): void {
		if (!this.saidSilent && this.sinks.now() - this.lastOutputAt >= afterMs) {
			this.saidSilent = true;
			this.sinks.emit({type: 'silent', at: this.sinks.now(), stepId: this.step.id, since: this.lastOutputAt});
		}
	}

	summary(): StepSummary {
		return {
			progress: this.progress,
			errorLines: [...this.errorLines],
			...(this.firstErrorLine === undefined ? {} : {firstErrorLine: this.firstErrorLine}),
			errorLineCount: this.errorLineCount,
			recentLines: [...this.recentLines],
			linesSeen: {...this.linesSeen},
			tally: this.tally.result(),
		};
	}
}
