// `attach` when the installer outlived its wizard: its capture files are watched (the same step
// monitor the live run uses) until it and every process of its group are gone. After a stop the
// group is given the signals' graces and a few seconds; what outlives that is said, not waited on.
import type {LingeringProcess, RunEvent} from '../../../domain/run/run-events.js';
import type {PlanStep} from '../../../domain/plan/plan.js';
import {initialProgress} from '../../../domain/run/run-progress.js';
import {secretMasker} from '../../../domain/shared/mask-secrets.js';
import type {AttachDeps} from '../../ports/run-deps.js';
import type {RunLog} from '../../ports/run-log-port.js';
import type {RunRecord} from '../../ports/run-record-port.js';
import {counted, type Seen} from './attach-replay.js';
import {watchedPaths} from '../run-context.js';
import {watchStep} from '../watch/step-monitor.js';

/** How long after SIGKILL a stopped group may take to empty. */
const afterKillMs = 5000;

export type OrphanWatch = {
	record: RunRecord;
	step: PlanStep;
	seen: Seen;
	push(event: RunEvent): void;
	isDetached(): boolean;
	stop: AbortSignal;
};

function openLog(deps: AttachDeps, path: string): RunLog | undefined {
	try {
		return deps.log.open(path);
	} catch {
		return undefined; // The output is still shown; only the log misses it.
	}
}

/** Until the installer and its group are gone, the view is left, or a stopped group had its time. */
async function waitForOrphan(
	{record, step, push, isDetached, stop}: OrphanWatch,
	deps: AttachDeps,
	log: RunLog | undefined,
): Promise<'gone' | 'outlived' | 'detached'> {
	const pid = record.installerPid!;
	const {processes, clock, settings} = deps;
	let lingering: LingeringProcess[] = [];
	let stoppedAt: number | undefined;
	for (;;) {
		if (isDetached()) {
			return 'detached';
		}

		const leader = processes.isAlive(pid);
		const members = leader ? [] : processes.groupMembers(pid);
		if (!leader && members.map(item => item.pid).join() !== lingering.map(item => item.pid).join()) {
			lingering = members;
			push({type: 'lingering', at: clock.now(), stepId: step.id, leaderPid: pid, processes: members});
		}

		if (!leader && members.length === 0) {
			return 'gone';
		}

		stoppedAt ??= stop.aborted ? clock.now() : undefined;
		if (stoppedAt !== undefined && clock.now() - stoppedAt > (settings.groupGoneMs ?? 2 * settings.graceMs + afterKillMs)) {
			const left = processes.groupMembers(pid);
			log?.note(
				`attach: the installer's process group (${pid}) still runs after it was stopped: ${left.map(item => `${item.command} (pid ${item.pid})`).join(', ')}; no longer following it`,
			);
			push({type: 'lingering', at: clock.now(), stepId: step.id, leaderPid: pid, processes: left});
			return 'outlived';
		}

		await clock.sleep(settings.pollMs ?? 500);
	}
}

export async function followOrphan(watch: OrphanWatch, deps: AttachDeps): Promise<void> {
	const {record, step, seen, push} = watch;
	push({
		type: 'output',
		at: deps.clock.now(),
		stepId: step.id,
		stream: 'stderr',
		line: `addon-wizard: the wizard that ran this step (pid ${record.wizardPid}) has stopped; following the installer's own output.`,
	});
	const log = openLog(deps, record.logPath);
	const skip = {stdout: seen.lines.get(`${step.id} stdout`) ?? 0, stderr: seen.lines.get(`${step.id} stderr`) ?? 0};
	const so = counted(seen, step.id);
	const from = {progress: so?.progress ?? initialProgress(step), skip, tally: so?.tally.result()};
	const stepWatch = watchStep({
		step,
		capture: record.capture!,
		emit: push,
		log,
		mask: secretMasker(deps.settings.secrets),
		watched: watchedPaths(record.plan),
		from,
		deps,
	});
	const waited = await waitForOrphan(watch, deps, log);
	await stepWatch.finish();
	if (waited !== 'outlived') {
		// Read to the end: nothing writes to them any more.
		deps.capture.remove(record.capture!);
		log?.note(`attach: the installer (pid ${record.installerPid}) of the dead wizard (pid ${record.wizardPid}) has ended`);
	}

	log?.close();
}
