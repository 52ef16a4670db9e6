// `attach`: the run-event stream of a run started elsewhere (an SSH session that dropped). The
// whole history is rebuilt from the run log's journal first (attach-replay.ts), so a re-attached
// view shows what a never-dropped one would; then the log is followed live. When the wizard that
// ran the step died and its installer still runs, the installer's own capture files are watched
// instead (attach-orphan.ts), with the same step monitor the live run uses.
import {exitCodes, type WizardError} from '../../../domain/shared/wizard-error.js';
import {targetDirName} from '../../../domain/packages/target-dir-name.js';
import type {RunEvent} from '../../../domain/run/run-events.js';
import {createChannel, type Channel} from '../event-channel.js';
import type {RunStream} from '../../ports/ports.js';
import type {AttachDeps} from '../../ports/run-deps.js';
import type {JournalReader} from '../../ports/run-log-port.js';
import type {RunRecord} from '../../ports/run-record-port.js';
import {followJournal, newSeen, replayJournal, type Seen} from './attach-replay.js';
import {followOrphan} from './attach-orphan.js';
import {targetOf} from '../run-context.js';
import {recordLostStep, verifyCommandFor} from '../lost-step-history.js';

function lostRun(record: RunRecord, followedOrphan: boolean, leftover: boolean | undefined): WizardError {
	const cwd = record.plan.steps[record.stepIndex]?.cwd;
	// Only the registry can tell now what the step left: its exit status is lost either way.
	const verify = `${verifyCommandFor(record.plan, record.stepIndex)} shows what the step left`;
	if (!followedOrphan) {
		return {
			kind: 'run-lost',
			message: `The run (wizard pid ${record.wizardPid}) ended without recording a result: its exit status went with the wizard; the history records the step as outcome unknown.`,
			hint: `${verify}; read the log ${record.logPath}; if ${targetDirName} is left over, run again with --cleanup`,
			exitCode: exitCodes.runFailed,
		};
	}

	const who =
		record.detachedAt === undefined
			? `its exit status went with the wizard (pid ${record.wizardPid}) that started it`
			: 'its exit status was not recorded: the view was left (d) while it ran, so nobody waited for it';
	const next =
		record.stepIndex + 1 < record.plan.steps.length
			? ` Step ${record.stepIndex + 2} of ${record.plan.steps.length} was not started: run again with --from-step ${record.stepIndex + 2} once this one is checked.`
			: '';
	return {
		kind: 'run-lost',
		message: `The installer (pid ${record.installerPid}) has ended; ${who}. ${leftover ? `${targetDirName} is still in ${cwd}, which is what a failed step leaves.` : `${targetDirName} is gone, which is what a successful step leaves.`}${next}`,
		hint: leftover
			? `${verify}; then run the step again with --cleanup (in the wizard: r on the Result screen)`
			: `${verify}; the installer output above and the log ${record.logPath} hold the rest`,
		exitCode: exitCodes.runFailed,
	};
}

function end(channel: Channel<RunEvent>, error: WizardError, record: RunRecord, now: number): void {
	channel.push({type: 'run-error', at: now, error});
	channel.push({type: 'run-end', at: now, ok: false, outcome: {ok: false, failedStepIndex: record.stepIndex, error}});
}

/** The wizard ended the run but the journal lost its end (a full disk): the record's word, the step saying the same as the run. */
function endAsRecorded(channel: Channel<RunEvent>, record: RunRecord, now: number): void {
	const ok = record.status === 'ok';
	const outcome = {ok, failedStepIndex: record.failedStepIndex, interrupted: record.status === 'interrupted'};
	channel.push({
		type: 'step-end',
		at: record.endedAt ?? now,
		stepId: record.stepId,
		failure: record.failure,
		status: ok ? 'done' : 'failed',
		...(ok ? {exitCode: exitCodes.ok} : {}),
	});
	channel.push({type: 'run-end', at: record.endedAt ?? now, ok: outcome.ok, outcome});
}

type Following = {journal: JournalReader; seen: Seen; channel: Channel<RunEvent>; stop: AbortSignal};

/** Nobody follows the installer any more (its wizard died, or left the view): watch it, then say the run is lost. */
async function followLost(record: RunRecord, {journal, seen, channel, stop}: Following, deps: AttachDeps): Promise<void> {
	const push = (event: RunEvent) => channel.push(event);
	await followJournal(journal, seen, push);
	const step = record.plan.steps[record.stepIndex];
	const orphan =
		record.installerPid !== undefined &&
		record.capture !== undefined &&
		step !== undefined &&
		(deps.processes.isAlive(record.installerPid) || deps.processes.groupMembers(record.installerPid).length > 0);
	if (orphan) {
		await followOrphan({record, step, seen, push, isDetached: () => channel.detached, stop}, deps);
	}

	const leftover = step ? await deps.files.exists(targetOf(step.cwd)) : undefined;
	if (deps.history) {
		// Never missing from the history: the step is there, its outcome unknown.
		await recordLostStep(record, deps.history, deps.clock.now()).catch(() => undefined);
	}

	end(channel, lostRun(record, orphan, leftover), record, deps.clock.now());
}

async function follow(initial: RunRecord, following: Following, deps: AttachDeps): Promise<void> {
	const {journal, seen, channel} = following;
	const push = (event: RunEvent) => channel.push(event);
	await replayJournal(journal, seen, initial, push, {keep: deps.settings.replayLines, now: deps.clock.now});
	for (;;) {
		if (channel.detached || (await followJournal(journal, seen, push))) {
			return;
		}

		const record = deps.record.read() ?? initial;
		if (record.status !== 'running') {
			// The wizard ended the run; its last journal lines may have landed after our read.
			if (!(await followJournal(journal, seen, push))) {
				endAsRecorded(channel, record, deps.clock.now());
			}

			return;
		}

		// A wizard that left the view (d) no longer follows its installer, even while its process lives.
		if (!deps.processes.isAlive(record.wizardPid) || record.detachedAt !== undefined) {
			await followLost(record, following, deps);
			return;
		}

		await deps.clock.sleep(deps.settings.pollMs ?? 500);
	}
}

async function attach(initial: RunRecord, channel: Channel<RunEvent>, stop: AbortSignal, deps: AttachDeps): Promise<void> {
	const journal = deps.log.openJournal(initial.logPath);
	try {
		await follow(initial, {journal, seen: newSeen(initial.plan), channel, stop}, deps);
	} finally {
		await journal.close();
	}
}

export function attachRun(initial: RunRecord, deps: AttachDeps, signal: AbortSignal): RunStream {
	const channel = createChannel<RunEvent>();
	signal.addEventListener(
		'abort',
		() => {
			const pid = deps.record.read()?.installerPid ?? initial.installerPid;
			if (pid !== undefined) {
				void deps.processes.stopGroup(pid, deps.settings.graceMs);
			}
		},
		{once: true},
	);
	attach(initial, channel, signal, deps).then(
		() => channel.end(),
		(error: unknown) => {
			const problem: WizardError = {
				kind: 'attach-failed',
				message: `Could not follow the run: ${error instanceof Error ? error.message : String(error)}`,
				hint: `Read the log ${initial.logPath}`,
				exitCode: exitCodes.failure,
			};
			end(channel, problem, initial, deps.clock.now());
			channel.end();
		},
	);
	return channel;
}
