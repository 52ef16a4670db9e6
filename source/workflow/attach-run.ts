// `attach`: the run-event stream of a run started elsewhere (an SSH session that dropped). The
// whole history is rebuilt from the run log's journal first, so a re-attached view shows what a
// never-dropped one would; then the log is followed live. When the wizard that ran the step died
// and its installer still runs, the installer's own capture files are watched instead, with the
// same step monitor the live run uses.
import {secretMasker} from '../domain/mask-secrets.js';
import {exitCodes, targetDirName, type PlanStep, type RunEvent, type RunProgress, type WizardError} from '../domain/model.js';
import {createChannel} from './event-channel.js';
import type {AttachDeps, JournalEntry, JournalReader, RunLog, RunRecord, RunStream} from './ports.js';
import {watchStep} from './step-monitor.js';

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

/** What the journal said so far: per step the lines logged and the last progress, and whether it ended. */
type Seen = {lines: Map<string, number>; progress: Map<string, RunProgress>; ended: boolean; started: boolean};

function note(seen: Seen, entry: JournalEntry): RunEvent | undefined {
	if (entry.kind === 'note') {
		return undefined;
	}

	if (entry.kind === 'output') {
		const key = `${entry.stepId} ${entry.stream}`;
		seen.lines.set(key, (seen.lines.get(key) ?? 0) + 1);
		return {type: 'output', at: 0, stepId: entry.stepId, stream: entry.stream, line: entry.line};
	}

	const {event} = entry;
	if (event.type === 'progress') {
		seen.progress.set(event.stepId, event.progress);
	}

	seen.ended ||= event.type === 'run-end';
	seen.started ||= event.type === 'run-start';
	return event;
}

function lostRun(record: RunRecord, followedOrphan: boolean, leftover: boolean | undefined): WizardError {
	const cwd = record.plan.steps[record.stepIndex]?.cwd;
	if (!followedOrphan) {
		return {kind: 'run-lost', message: `The run (wizard pid ${record.wizardPid}) ended without recording a result.`, hint: `Read the log ${record.logPath}; if ${targetDirName} is left over, run again with --cleanup`, exitCode: exitCodes.runFailed};
	}

	return {
		kind: 'run-lost',
		message: `The installer (pid ${record.installerPid}) has ended; its exit status went with the wizard (pid ${record.wizardPid}) that started it. ${leftover ? `${targetDirName} is still in ${cwd}, which is what a failed step leaves.` : `${targetDirName} is gone, which is what a successful step leaves.`}`,
		hint: leftover ? 'Read the output above, then run the step again with --cleanup (in the wizard: r on the Result screen)' : `Check the cluster and the installer output above; the log ${record.logPath} holds the rest`,
		exitCode: exitCodes.runFailed,
	};
}

export function attachRun(initial: RunRecord, deps: AttachDeps & {openLog(path: string): RunLog}, signal: AbortSignal): RunStream {
	const channel = createChannel<RunEvent>();
	const mask = secretMasker(deps.secrets);
	const seen: Seen = {lines: new Map(), progress: new Map(), ended: false, started: false};
	const sleep = async (ms: number) => new Promise(resolve => {
		setTimeout(resolve, ms);
	});

	signal.addEventListener('abort', () => {
		const pid = deps.readRecord()?.installerPid ?? initial.installerPid;
		if (pid !== undefined) {
			void deps.processes.stopGroup(pid, deps.graceMs);
		}
	}, {once: true});

	async function replay(journal: JournalReader): Promise<void> {
		const history = new Replay(deps.replayLines ?? defaultReplayLines);
		for (;;) {
			const {entries, more} = await journal.read();
			for (const entry of entries) {
				const event = note(seen, entry);
				if (event) {
					history.add(event);
				}
			}

			if (!more) {
				break;
			}
		}

		if (!seen.started) {
			// A log with no journal yet (the run had only just begun): the record says what it is.
			channel.push({type: 'run-start', at: initial.startedAt, logPath: initial.logPath, steps: initial.plan.steps.map(({id, title, argv}) => ({id, title, argv}))});
		}

		for (const event of history.drain(deps.now())) {
			channel.push(event);
		}
	}

	async function followLog(journal: JournalReader): Promise<boolean> {
		const {entries} = await journal.read();
		for (const entry of entries) {
			const event = note(seen, entry);
			if (event) {
				channel.push(event);
			}
		}

		return seen.ended;
	}

	/** The installer outlived its wizard: watch its capture files until it exits. */
	async function followOrphan(record: RunRecord, step: PlanStep): Promise<void> {
		channel.push({type: 'output', at: deps.now(), stepId: step.id, stream: 'stderr', line: `addon-wizard: the wizard that ran this step (pid ${record.wizardPid}) has stopped; following the installer's own output.`});
		const log = (() => {
			try {
				return deps.openLog(record.logPath);
			} catch {
				return undefined; // The output is still shown; only the log misses it.
			}
		})();
		const watched = record.plan.disk.map(need => need.paths[0]?.path).filter((item): item is string => item !== undefined);
		const skip = {stdout: seen.lines.get(`${step.id} stdout`) ?? 0, stderr: seen.lines.get(`${step.id} stderr`) ?? 0};
		const progress = seen.progress.get(step.id);
		const watch = watchStep({step, capture: record.capture!, emit: event => channel.push(event), log, mask, watched, from: progress ? {progress, skip} : {progress: {unpackedBytes: 0, expectedBytes: step.expectedBytes, chartsSeen: 0, expectedCharts: step.expectedCharts, imagesSeen: 0, expectedImages: step.expectedImages}, skip}, deps});
		while (!channel.detached && record.installerPid !== undefined && deps.processes.isAlive(record.installerPid)) {
			await sleep(deps.pollMs ?? 500);
		}

		await watch.finish();
		deps.removeCapture(record.capture!);
		log?.note(`attach: the installer (pid ${record.installerPid}) of the dead wizard (pid ${record.wizardPid}) has ended`);
		log?.close();
	}

	async function end(error: WizardError, record: RunRecord): Promise<void> {
		channel.push({type: 'run-error', at: deps.now(), error});
		channel.push({type: 'run-end', at: deps.now(), ok: false, outcome: {ok: false, failedStepIndex: record.stepIndex, error}});
	}

	async function follow(): Promise<void> {
		const journal = deps.openJournal(initial.logPath);
		try {
			await replay(journal);
			for (;;) {
				if (channel.detached || await followLog(journal)) {
					return;
				}

				const record = deps.readRecord() ?? initial;
				if (record.status !== 'running') {
					// The wizard ended the run; its last journal lines may have landed after our read.
					if (await followLog(journal)) {
						return;
					}

					const outcome = {ok: record.status === 'ok', failedStepIndex: record.failedStepIndex, interrupted: record.status === 'interrupted'};
					channel.push({type: 'step-end', at: record.endedAt ?? deps.now(), stepId: record.stepId, failure: record.failure});
					channel.push({type: 'run-end', at: record.endedAt ?? deps.now(), ok: outcome.ok, outcome});
					return;
				}

				if (!deps.processes.isAlive(record.wizardPid)) {
					await followLog(journal);
					const step = record.plan.steps[record.stepIndex];
					const orphan = record.installerPid !== undefined && record.capture !== undefined && step !== undefined && deps.processes.isAlive(record.installerPid);
					if (orphan) {
						await followOrphan(record, step);
					}

					const leftover = step ? await deps.exists(`${step.cwd.replace(/\/$/, '')}/${targetDirName}`) : undefined;
					await end(lostRun(record, orphan, leftover), record);
					return;
				}

				await sleep(deps.pollMs ?? 500);
			}
		} finally {
			await journal.close();
		}
	}

	follow().then(
		() => channel.end(),
		(error: unknown) => {
			const problem: WizardError = {kind: 'attach-failed', message: `Could not follow the run: ${error instanceof Error ? error.message : String(error)}`, hint: `Read the log ${initial.logPath}`, exitCode: exitCodes.failure};
			void end(problem, initial).then(() => channel.end());
		},
	);
	return channel;
}
