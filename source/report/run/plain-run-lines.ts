// The plain reporter's words for each run event: one handler per event type, each a pure function
// of the event and what the reporter remembers of the events before it, returning the lines to
// print and what to remember now. The table is typed over every event type, so a new event cannot
// go unsaid by accident.
import {formatBytes, formatDuration} from '../../domain/shared/format-bytes.js';
import type {DiskSample, RunEvent, StepTally, StepVerification} from '../../domain/run/run-events.js';
import {wordNextStep} from '../../domain/shared/next-step.js';
import {emptyRate, trackRate, type RateTracker} from '../../domain/run/rate-estimate.js';
import {countsText, paceText, unpackText} from '../../domain/run/run-progress.js';
import {countLines} from './count-lines.js';
import {lingerGraceMs} from '../../domain/run/step-verdict.js';
import {notesAfterRun} from '../../domain/run/after-import-notes.js';
import {describeVerification} from '../registry/verification-text.js';
import {runEndingOf, runEndingWords, stepEndingOf, stepEndingWords} from './outcome-words.js';

export type PlainSettings = {
	progressEveryMs: number;
	/** Installer lines shown per second at most; unset: every line. */
	linesPerSecond?: number;
};

/** What the plain reporter remembers between events. */
export type PlainMemory = {
	/** Unset until `run-start`: a run that ended before it started has no duration to say. */
	startedAt?: number;
	lastProgress: number;
	lastDiskLevel: DiskSample['level'];
	rates: {unpack: RateTracker; import: RateTracker};
	tallies: StepTally[];
	/** The read after each step that ended, by step id (its step-verified), for the counts at the end. */
	verifications: ReadonlyArray<{stepId: string; verification?: StepVerification}>;
	/** The installer exited but its group still runs: since when, and whether stopping it was offered. */
	lingering?: {since: number; offered: boolean; pid: number};
	lastVerifyProgress: number;
	stepIds: string[];
	/** Steps whose read-back was said in full: their end need not repeat it. */
	saidVerification: ReadonlySet<string>;
	/** The current second of installer lines: when it began, how many were shown, how many held back. */
	window: {start: number; shown: number; held: number};
};

export const initialPlainMemory: PlainMemory = {
	lastProgress: 0,
	lastDiskLevel: 'ok',
	rates: {unpack: emptyRate, import: emptyRate},
	tallies: [],
	verifications: [],
	lastVerifyProgress: 0,
	stepIds: [],
	saidVerification: new Set(),
	window: {start: 0, shown: 0, held: 0},
};

/** Lines to print (without the newline) and what to remember from now on. */
type PlainStep = {lines: string[]; memory?: Partial<PlainMemory>};

type EventOf<T extends RunEvent['type']> = Extract<RunEvent, {type: T}>;
type Wording<T extends RunEvent['type']> = (event: EventOf<T>, memory: PlainMemory, settings: PlainSettings) => PlainStep;

const say = (...lines: string[]): PlainStep => ({lines: lines.map(text => `addon-wizard: ${text}`)});
const plural = (count: number, word: string) => `${word}${count === 1 ? '' : 's'}`;
const nextLine = (cause: Parameters<typeof wordNextStep>[0]) => `  next: ${wordNextStep(cause, 'plain')}`;

function heldLines(held: number): string[] {
	return held > 0 ? [`addon-wizard: … ${held} more installer ${plural(held, 'line')} (all in the log)`] : [];
}

/**
 * Every installer line carries this mark, so no line the installer prints (`addon-wizard: step …
 * done`, say) can pass for the wizard's own, which all begin `addon-wizard:`.
 */
export const installerMark = 'installer | ';

/** An installer line, unless this second's share is used up: then counted, and named when the second is over. */
const output: Wording<'output'> = (event, memory, settings) => {
	const limit = settings.linesPerSecond;
	const line = `${installerMark}${event.line}`;
	if (limit === undefined) {
		return {lines: [line]};
	}

	const rolled = event.at - memory.window.start >= 1000;
	const window = rolled ? {start: event.at, shown: 0, held: 0} : memory.window;
	const before = rolled ? heldLines(memory.window.held) : [];
	return window.shown < limit
		? {lines: [...before, line], memory: {window: {...window, shown: window.shown + 1}}}
		: {lines: before, memory: {window: {...window, held: window.held + 1}}};
};

function progressLine(event: EventOf<'progress'>, memory: PlainMemory, rates: PlainMemory['rates']): string {
	const p = event.progress;
	const pace = paceText(p, rates, event.at);
	const elapsed = memory.startedAt === undefined ? '' : ` · ${formatDuration(event.at - memory.startedAt)} elapsed`;
	return `progress: ${unpackText(p)} · ${countsText(p)}${pace ? ` · ${pace}` : ''}${elapsed}`;
}

/** The leftover processes, once they have outlived the grace: how to stop them. */
function lingerOffer(at: number, lingering: PlainMemory['lingering']): {line: string; lingering: PlainMemory['lingering']} | undefined {
	if (!lingering || lingering.offered || at - lingering.since < lingerGraceMs) {
		return undefined;
	}

	const line = `the installer's processes still run ${formatDuration(at - lingering.since)} after it exited; Ctrl+C (or kill -INT ${lingering.pid === 0 ? 'the wizard' : `-${lingering.pid}`}) stops them and ends the step.`;
	return {line, lingering: {...lingering, offered: true}};
}

const progress: Wording<'progress'> = (event, memory, settings) => {
	const p = event.progress;
	const rates = {
		unpack: trackRate(memory.rates.unpack, event.at, p.unpackedBytes),
		import: trackRate(memory.rates.import, event.at, p.chartsSeen + p.imagesSeen),
	};
	const due = event.at - memory.lastProgress >= settings.progressEveryMs;
	const offer = lingerOffer(event.at, memory.lingering);
	return {
		...say(...(due ? [progressLine(event, memory, rates)] : []), ...(offer ? [offer.line] : [])),
		memory: {rates, ...(due ? {lastProgress: event.at} : {}), ...(offer ? {lingering: offer.lingering} : {})},
	};
};

const lingering: Wording<'lingering'> = (event, memory) => {
	if (event.processes.length === 0) {
		return {...say("the installer's remaining processes have exited."), memory: {lingering: undefined}};
	}

	const processes = event.processes.map(item => `${item.command} (pid ${item.pid})`).join(', ');
	return {
		...say(
			`the installer (pid ${event.leaderPid}) exited with status ${event.exitCode ?? '?'}, but its process group still runs: ${processes}; following their output until they exit.`,
		),
		memory: {lingering: memory.lingering ?? {since: event.at, offered: false, pid: event.leaderPid}},
	};
};

const disk: Wording<'disk'> = (event, memory) => {
	const worst = event.samples.find(sample => sample.level === 'critical') ?? event.samples.find(sample => sample.level === 'low');
	const level = worst?.level ?? 'ok';
	const changed = worst && level !== memory.lastDiskLevel;
	return {
		...(changed
			? say(
					`WARNING: only ${formatBytes(worst.freeBytes)} free on ${worst.path}${level === 'critical' ? ' (below the floor; Ctrl+C twice stops the installer)' : ''}`,
				)
			: {lines: []}),
		memory: {lastDiskLevel: level},
	};
};

function stepEndLines(event: EventOf<'step-end'>, memory: PlainMemory): string[] {
	const verb = stepEndingWords[stepEndingOf(event)];
	const {failure} = event;
	if (!failure) {
		return say(`step ${event.stepId} ${verb}`).lines;
	}

	const byRegistry = failure.kind === 'verification-failed' || failure.kind === 'not-verified';
	if (byRegistry && memory.saidVerification.has(event.stepId)) {
		return say(`step ${event.stepId} ${verb} (the installer exited ${event.exitCode ?? '?'}; what the registry showed is above)`).lines;
	}

	return say(`step ${event.stepId} ${verb}: ${failure.message}\n${nextLine(failure)}${firstErrorLines(failure)}`).lines;
}

/** A retry loop's first error (often the cause) and its last, quoted when the installer's own lines buried the first. */
function firstErrorLines(failure: NonNullable<EventOf<'step-end'>['failure']>): string {
	if (!failure.firstError || !('lastErrors' in failure)) {
		return '';
	}

	const last = failure.lastErrors.at(-1);
	return `\n  first error line (of ${failure.firstError.ofLines}): ${failure.firstError.line}${last ? `\n  last error line: ${last}` : ''}`;
}

/** One entry per step, the latest read kept (the read may come before or after its step-end). */
function remember(list: PlainMemory['verifications'], stepId: string, verification?: StepVerification): PlainMemory['verifications'] {
	const had = list.find(item => item.stepId === stepId);
	return [...list.filter(item => item.stepId !== stepId), {stepId, verification: verification ?? had?.verification}];
}

const stepEnd: Wording<'step-end'> = (event, memory) => ({
	lines: [...heldLines(memory.window.held), ...stepEndLines(event, memory)],
	memory: {
		window: {...memory.window, held: 0},
		lingering: undefined,
		tallies: event.tally ? [...memory.tallies, event.tally] : memory.tallies,
		verifications: remember(memory.verifications, event.stepId),
	},
});

const verifyStart: Wording<'verify-start'> = event => {
	const before = event.phase === 'before';
	return {
		...say(
			`step ${event.stepId}: ${before ? 'reading what' : 'verifying against'} the registry ${event.registry}${before ? ' holds before the step' : ''} (${event.tags} ${plural(event.tags, 'tag')})…`,
		),
		memory: {lastVerifyProgress: event.at},
	};
};

// A second or two for a thousand tags: a line a second, and the last.
const verifyProgress: Wording<'verify-progress'> = (event, memory) =>
	event.done >= event.total || event.at - memory.lastVerifyProgress >= 1000
		? {
				...say(`${event.phase === 'before' ? 'read' : 'verifying'} ${event.done} of ${event.total} tags`),
				memory: {lastVerifyProgress: event.at},
			}
		: {lines: []};

const stepVerified: Wording<'step-verified'> = (event, memory) => {
	const {verification} = event;
	const later =
		verification.state === 'deferred' && verification.laterStepId
			? `step ${memory.stepIds.indexOf(verification.laterStepId) + 1} (${verification.laterStepId})`
			: undefined;
	const text = describeVerification(verification, later);
	return {
		lines: [
			`addon-wizard: step ${event.stepId}: ${text.summary}`,
			...text.details.map(detail => `  ${detail}`),
			...(text.cause ? [`  cause: ${text.cause}`] : []),
			...(text.hint ? [`  next: ${text.hint}`] : []),
		],
		memory: {
			saidVerification: new Set([...memory.saidVerification, event.stepId]),
			verifications: remember(memory.verifications, event.stepId, verification),
		},
	};
};

const runEnd: Wording<'run-end'> = (event, memory) => {
	const how = runEndingWords[runEndingOf(event.outcome)].reported;
	const ended = memory.verifications.map(item => item.verification);
	const summary = ended.length > 0 || memory.tallies.length > 0 ? countLines(ended, memory.tallies) : [];
	const took = memory.startedAt === undefined ? ' before it started' : ` after ${formatDuration(event.at - memory.startedAt)}`;
	return say(`${how}${took}`, ...summary, ...notesAfterRun(event.outcome).map(note => `note: ${note.message}`));
};

const plainWordings: {[T in RunEvent['type']]: Wording<T>} = {
	'run-start': event => ({
		...say(`running ${event.steps.length} step(s); log: ${event.logPath}`),
		memory: {startedAt: event.at, stepIds: event.steps.map(step => step.id)},
	}),
	'config-written': event => say(`wrote ${event.path} (backup: ${event.backupPath})`),
	'step-start': event => ({
		...say(`step ${event.stepId}: ${JSON.stringify(event.argv)} (in ${event.cwd}, pid ${event.pid ?? '?'})`),
		memory: {rates: {unpack: emptyRate, import: emptyRate}},
	}),
	output,
	'output-skipped': event => say(`… ${event.count} earlier installer ${plural(event.count, 'line')} not repeated (all in the log)`),
	progress,
	silent: event =>
		say(
			`no output from the installer for ${formatDuration(event.at - event.since)}; it may still be working (a large image, a slow registry). Ctrl+C stops it.`,
		),
	lingering,
	'config-restored': event =>
		say(`put ${event.path} back from ${event.backupPath}; what the run had written is kept as ${event.replacedCopyPath}`),
	'config-restore-refused': event => say(`did not put ${event.path} back: ${event.error.message}\n${nextLine(event.error)}`),
	disk,
	'step-end': stepEnd,
	'verify-start': verifyStart,
	'verify-progress': verifyProgress,
	'step-verified': stepVerified,
	cleanup: event => say(`removed ${event.path} (${formatBytes(event.freedBytes)} freed)`),
	'run-error': event => say(`${event.error.message}\n${nextLine(event.error)}`),
	'run-end': runEnd,
};

function wordOne<T extends RunEvent['type']>(type: T, event: EventOf<T>, memory: PlainMemory, settings: PlainSettings): PlainStep {
	return plainWordings[type](event, memory, settings);
}

/** One event's lines and what the reporter remembers after it. */
export function wordPlain(event: RunEvent, memory: PlainMemory, settings: PlainSettings): {lines: string[]; memory: PlainMemory} {
	const step = wordOne(event.type, event, memory, settings);
	return {lines: step.lines, memory: step.memory ? {...memory, ...step.memory} : memory};
}
