// `attach` rebuilds a run's history from its log's journal: every event in order, only the newest
// output lines repeated (the rest counted), and per step the lines, progress and tally the lines
// themselves say, so a re-attached view shows what a never-dropped one would.
import {parseOutputLine} from '../../../domain/run/installer-output.js';
import type {RunEvent, RunProgress} from '../../../domain/run/run-events.js';
import {advanceProgress, initialProgress, withUnpacked} from '../../../domain/run/run-progress.js';
import {createTally, type TallyBuilder} from '../../../domain/run/run-tally.js';
import type {JournalEntry, JournalReader} from '../../ports/run-log-port.js';
import type {RunRecord} from '../../ports/run-record-port.js';

const defaultReplayLines = 200;

type Sequenced = {seq: number; event: RunEvent};

/**
 * The history as it was written, with only the newest `keep` output lines repeated; the rest are
 * counted in one `output-skipped` where they were. Every other event is kept in order.
 */
class Replay {
	private readonly events: Sequenced[] = [];
	private readonly outputs: Sequenced[] = [];
	private dropped = 0;
	private droppedStep = '';
	private seq = 0;

	constructor(private readonly keep: number) {}

	add(event: RunEvent): void {
		const item = {seq: this.seq++, event};
		if (event.type !== 'output') {
			this.events.push(item);
			return;
		}

		this.outputs.push(item);
		if (this.outputs.length > this.keep * 2) {
			const cut = this.outputs.splice(0, this.outputs.length - this.keep);
			this.dropped += cut.length;
			this.droppedStep = (cut.at(-1)!.event as {stepId: string}).stepId;
		}
	}

	drain(now: number): RunEvent[] {
		if (this.outputs.length > this.keep) {
			const cut = this.outputs.splice(0, this.outputs.length - this.keep);
			this.dropped += cut.length;
			this.droppedStep = (cut.at(-1)!.event as {stepId: string}).stepId;
		}

		const firstKept = this.outputs[0]?.seq ?? Number.POSITIVE_INFINITY;
		const merged = [...this.events, ...this.outputs].sort((a, b) => a.seq - b.seq);
		const result: RunEvent[] = [];
		let skippedSaid = this.dropped === 0;
		for (const item of merged) {
			if (!skippedSaid && item.seq >= firstKept) {
				result.push({type: 'output-skipped', at: now, stepId: this.droppedStep, count: this.dropped});
				skippedSaid = true;
			}

			result.push(item.event);
		}

		if (!skippedSaid) {
			result.push({type: 'output-skipped', at: now, stepId: this.droppedStep, count: this.dropped});
		}

		return result;
	}
}

/**
 * What the journal said so far: per step the lines logged, the progress and the tally as the lines
 * themselves say (the journal's own progress is thinned to one a second, so it may lag the last
 * lines), and whether the run started and ended.
 */
export type Seen = {
	lines: Map<string, number>;
	progress: Map<string, RunProgress>;
	tallies: Map<string, TallyBuilder>;
	ended: boolean;
	started: boolean;
	plan: RunRecord['plan'];
};

export function counted(seen: Seen, stepId: string): {progress: RunProgress; tally: TallyBuilder} | undefined {
	const step = seen.plan.steps.find(item => item.id === stepId);
	if (!step) {
		return undefined;
	}

	let tally = seen.tallies.get(stepId);
	if (!tally) {
		tally = createTally(step.arch);
		seen.tallies.set(stepId, tally);
	}

	return {progress: seen.progress.get(stepId) ?? initialProgress(step), tally};
}

export function note(seen: Seen, entry: JournalEntry): RunEvent | undefined {
	if (entry.kind === 'note') {
		return undefined;
	}

	if (entry.kind === 'output') {
		const key = `${entry.stepId} ${entry.stream}`;
		seen.lines.set(key, (seen.lines.get(key) ?? 0) + 1);
		const parsed = parseOutputLine(entry.line);
		const step = parsed.kind === 'other' || parsed.kind === 'error' ? undefined : counted(seen, entry.stepId);
		if (step) {
			seen.progress.set(entry.stepId, advanceProgress(step.progress, parsed));
			step.tally.add(parsed);
		}

		return {type: 'output', at: 0, stepId: entry.stepId, stream: entry.stream, line: entry.line};
	}

	const {event} = entry;
	if (event.type === 'progress') {
		// The bytes come from the journal; the counts from the lines, which are never thinned.
		const step = counted(seen, event.stepId);
		seen.progress.set(event.stepId, withUnpacked(step?.progress ?? event.progress, event.progress.unpackedBytes));
	}

	seen.ended ||= event.type === 'run-end';
	seen.started ||= event.type === 'run-start';
	return event;
}

export const newSeen = (plan: RunRecord['plan']): Seen => ({
	lines: new Map(),
	progress: new Map(),
	tallies: new Map(),
	ended: false,
	started: false,
	plan,
});

/** The journal from its start, pushed as the history; then the counts as every replayed line says. */
export async function replayJournal(
	journal: JournalReader,
	seen: Seen,
	initial: RunRecord,
	push: (event: RunEvent) => void,
	options: {keep?: number; now(): number},
): Promise<void> {
	const history = new Replay(options.keep ?? defaultReplayLines);
	for (let more = true; more;) {
		const read = await journal.read();
		for (const entry of read.entries) {
			const event = note(seen, entry);
			if (event) {
				history.add(event);
			}
		}

		more = read.more;
	}

	if (!seen.started) {
		// A log with no journal yet (the run had only just begun): the record says what it is.
		push({
			type: 'run-start',
			at: initial.startedAt,
			logPath: initial.logPath,
			steps: initial.plan.steps.map(({id, title, argv}) => ({id, title, argv})),
		});
	}

	for (const event of history.drain(options.now())) {
		push(event);
	}

	// Not the last (thinned) progress event's counts.
	if (!seen.ended) {
		for (const [stepId, progress] of seen.progress) {
			push({type: 'progress', at: options.now(), stepId, progress});
		}
	}
}

/** What the journal gained since the last read, pushed live; true once the run has ended. */
export async function followJournal(journal: JournalReader, seen: Seen, push: (event: RunEvent) => void): Promise<boolean> {
	const {entries} = await journal.read();
	for (const entry of entries) {
		const event = note(seen, entry);
		if (event?.type === 'progress') {
			push({...event, progress: seen.progress.get(event.stepId) ?? event.progress});
		} else if (event) {
			push(event);
		}
	}

	return seen.ended;
}
