// `attach`: the run-event stream of a run started elsewhere (an SSH session that dropped). The
// whole history is rebuilt from the run log's journal first, so a re-attached view shows what a
// never-dropped one would; then the log is followed live. When the wizard that ran the step died
// and its installer still runs, the installer's own capture files are watched instead, with the
// same step monitor the live run uses.
import {parseOutputLine} from '../../domain/run/installer-output.js';
import {secretMasker} from '../../domain/shared/mask-secrets.js';
import {exitCodes, type WizardError} from '../../domain/shared/wizard-error.js';
import {targetDirName} from '../../domain/packages/target-dir-name.js';
import type {LingeringProcess, RunEvent, RunProgress} from '../../domain/run/run-events.js';
import type {PlanStep} from '../../domain/plan/plan.js';
import {advanceProgress, initialProgress, withUnpacked} from '../../domain/run/run-progress.js';
import {createTally, type TallyBuilder} from '../../domain/run/run-tally.js';
import {createChannel} from './event-channel.js';
import type {AttachDeps, JournalEntry, JournalReader, RunLog, RunRecord, RunStream} from '../ports/ports.js';
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

/**
 * What the journal said so far: per step the lines logged, the progress and the tally as the lines
 * themselves say (the journal's own progress is thinned to one a second, so it may lag the last
 * lines), and whether the run started and ended.
 */
type Seen = {lines: Map<string, number>; progress: Map<string, RunProgress>; tallies: Map<string, TallyBuilder>; ended: boolean; started: boolean; plan: RunRecord['plan']};

function counted(seen: Seen, stepId: string): {progress: RunProgress; tally: TallyBuilder} | undefined {
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

function note(seen: Seen, entry: JournalEntry): RunEvent | undefined {
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

function lostRun(record: RunRecord, followedOrphan: boolean, leftover: boolean | undefined): WizardError {
	const cwd = record.plan.steps[record.stepIndex]?.cwd;
	if (!followedOrphan) {
		return {kind: 'run-lost', message: `The run (wizard pid ${record.wizardPid}) ended without recording a result.`, hint: `Read the log ${record.logPath}; if ${targetDirName} is left over, run again with --cleanup`, exitCode: exitCodes.runFailed};
	}

	const who = record.detachedAt === undefined
		? `its exit status went with the wizard (pid ${record.wizardPid}) that started it`
		: 'its exit status was not recorded: the view was left (d) while it ran, so nobody waited for it';
	const next = record.stepIndex + 1 < record.plan.steps.length ? ` Step ${record.stepIndex + 2} of ${record.plan.steps.length} was not started: run again with --from-step ${record.stepIndex + 2} once this one is checked.` : '';
	return {
		kind: 'run-lost',
		message: `The installer (pid ${record.installerPid}) has ended; ${who}. ${leftover ? `${targetDirName} is still in ${cwd}, which is what a failed step leaves.` : `${targetDirName} is gone, which is what a successful step leaves.`}${next}`,
		hint: leftover ? 'Read the output above, then run the step again with --cleanup (in the wizard: r on the Result screen)' : `Check the cluster and the installer output above; the log ${record.logPath} holds the rest`,
		exitCode: exitCodes.runFailed,
	};
}

export function attachRun(initial: RunRecord, deps: AttachDeps & {openLog(path: string): RunLog}, signal: AbortSignal): RunStream {
	const channel = createChannel<RunEvent>();
	const mask = secretMasker(deps.secrets);
	const seen: Seen = {lines: new Map(), progress: new Map(), tallies: new Map(), ended: false, started: false, plan: initial.plan};
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

		// The counts as every replayed line says, not as the last (thinned) progress event did.
		if (!seen.ended) {
			for (const [stepId, progress] of seen.progress) {
				channel.push({type: 'progress', at: deps.now(), stepId, progress});
			}
		}
	}

	async function followLog(journal: JournalReader): Promise<boolean> {
		const {entries} = await journal.read();
		for (const entry of entries) {
			const event = note(seen, entry);
			if (event?.type === 'progress') {
				channel.push({...event, progress: seen.progress.get(event.stepId) ?? event.progress});
			} else if (event) {
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
		const so = counted(seen, step.id);
		const watch = watchStep({step, capture: record.capture!, emit: event => channel.push(event), log, mask, watched, from: {progress: so?.progress ?? initialProgress(step), skip, tally: so?.tally.result()}, deps});
		const pid = record.installerPid!;
		let lingering: LingeringProcess[] = [];
		// Until the installer and every process of its group are gone: helpers it left may still write.
		for (;;) {
			if (channel.detached) {
				break;
			}

			const leader = deps.processes.isAlive(pid);
			const members = leader ? [] : deps.processes.groupMembers(pid);
			if (!leader && members.map(item => item.pid).join() !== lingering.map(item => item.pid).join()) {
				lingering = members;
				channel.push({type: 'lingering', at: deps.now(), stepId: step.id, leaderPid: pid, processes: members});
			}

			if (!leader && members.length === 0) {
				break;
			}

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

					// The journal lost its end (a full disk): the record's word, and the step says the same as the run.
					const ok = record.status === 'ok';
					const outcome = {ok, failedStepIndex: record.failedStepIndex, interrupted: record.status === 'interrupted'};
					channel.push({type: 'step-end', at: record.endedAt ?? deps.now(), stepId: record.stepId, failure: record.failure, status: ok ? 'done' : 'failed', ...(ok ? {exitCode: exitCodes.ok} : {})});
					channel.push({type: 'run-end', at: record.endedAt ?? deps.now(), ok: outcome.ok, outcome});
					return;
				}

				// A wizard that left the view (d) no longer follows its installer, even while its process lives.
				if (!deps.processes.isAlive(record.wizardPid) || record.detachedAt !== undefined) {
					await followLog(journal);
					const step = record.plan.steps[record.stepIndex];
					const orphan = record.installerPid !== undefined && record.capture !== undefined && step !== undefined
						&& (deps.processes.isAlive(record.installerPid) || deps.processes.groupMembers(record.installerPid).length > 0);
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
