// The installer has exited; processes of its group may still run and write (helpers it did not
// wait for). The step is over once the group is empty, or once the operator stops what is left.
// Every wait here has a bound: a group that outlives it is reported (a `lingering` event and a log
// note naming what still runs), never waited on in silence.
import type {LingeringProcess} from '../../../domain/run/run-events.js';
import type {PlanStep} from '../../../domain/plan/plan.js';
import {lingerBoundMs, lingerDecision, lingerGraceMs} from '../../../domain/run/step-verdict.js';
import type {Clock} from '../../ports/clock-port.js';
import type {ProcessControl} from '../../ports/process-port.js';
import type {RunSettings} from '../../ports/run-settings.js';
import type {RunContext} from '../run-context.js';

/** A group killed with its leader is gone within this, or reported as still running. */
const killedGroupGoneMs = 5000;
/** A stopped group is given the signals' graces (SIGINT, SIGTERM) and this much after SIGKILL. */
const afterKillMs = 5000;

export type GroupWaitDeps = {
	processes: Pick<ProcessControl, 'groupMembers'>;
	clock: Clock;
	settings: Pick<RunSettings, 'pollMs' | 'graceMs' | 'lingerGraceMs' | 'lingerBoundMs' | 'groupGoneMs'>;
};

type GroupWatch = {step: PlanStep; pid: number; exitCode?: number; context: Pick<RunContext, 'emit' | 'log'>; deps: GroupWaitDeps};

const sameMembers = (a: LingeringProcess[], b: LingeringProcess[]) => a.map(item => item.pid).join() === b.map(item => item.pid).join();
const named = (processes: LingeringProcess[]) => processes.map(item => `${item.command} (pid ${item.pid})`).join(', ');

function sayLingering({step, pid, exitCode, context, deps}: GroupWatch, processes: LingeringProcess[]): void {
	context.log.note(
		processes.length > 0
			? `the installer (pid ${pid}) exited with status ${exitCode ?? '-'}, but its process group still runs: ${named(processes)}`
			: `the installer's remaining processes have exited (group ${pid})`,
	);
	context.emit({type: 'lingering', at: deps.clock.now(), stepId: step.id, leaderPid: pid, exitCode, processes});
}

/**
 * Polls the group until it is empty or `boundMs` has gone by; what is left then is said (the step
 * ends without it) and returned, empty when the group is gone.
 */
export async function waitGroupGone(watch: GroupWatch, boundMs: number, everyMs: number): Promise<LingeringProcess[]> {
	const {processes, clock} = watch.deps;
	let members = processes.groupMembers(watch.pid);
	for (let waited = 0; members.length > 0 && waited < boundMs; waited += everyMs) {
		await clock.sleep(everyMs);
		members = processes.groupMembers(watch.pid);
	}

	if (members.length > 0) {
		watch.context.log.note(
			`the installer's process group (${watch.pid}) still runs ${boundMs} ms after it was stopped: ${named(members)}; the step ends without waiting for it`,
		);
		watch.context.emit({
			type: 'lingering',
			at: watch.deps.clock.now(),
			stepId: watch.step.id,
			leaderPid: watch.pid,
			exitCode: watch.exitCode,
			processes: members,
		});
	}

	return members;
}

/** How the wait on a group ended when processes were still in it: stopped by the operator, or left running at the bound. */
export type GroupEnd = {stopped: LingeringProcess[]} | {left: LingeringProcess[]};

/**
 * Waits out the group of an installer that exited. Returns the processes that were stopped, or
 * that still ran when the bound ran out (named, left running), or 'detached' when the view was left.
 */
export async function waitForGroup(
	step: PlanStep,
	pid: number,
	exit: {exitCode?: number; signal?: string},
	context: Pick<RunContext, 'stop' | 'detach' | 'emit' | 'log'>,
	deps: GroupWaitDeps,
): Promise<GroupEnd | 'detached' | undefined> {
	const watch: GroupWatch = {step, pid, exitCode: exit.exitCode, context, deps};
	if (exit.signal || context.stop.aborted) {
		// The group is being killed with its leader (installer-process.ts, or our stop): only wait for it.
		await waitGroupGone(watch, killedGroupGoneMs, 25);
		return undefined;
	}

	let members = deps.processes.groupMembers(pid);
	if (members.length === 0) {
		return undefined;
	}

	sayLingering(watch, members);
	const since = deps.clock.now();
	const graceMs = deps.settings.lingerGraceMs ?? lingerGraceMs;
	const boundMs = Math.max(graceMs, deps.settings.lingerBoundMs ?? lingerBoundMs);
	// The group is reported; after the grace the screens offer the stop; after the bound the step ends without it.
	for (;;) {
		await deps.clock.sleep(deps.settings.pollMs ?? 500, context.detach);
		if (context.detach.aborted) {
			return 'detached';
		}

		// Judged on the processes last seen: a stop asked for while they ran is a stop, even if
		// they are gone by the time we look again.
		if (
			lingerDecision({remaining: members.length, sinceMs: deps.clock.now() - since, graceMs, stopRequested: context.stop.aborted}) ===
			'stop'
		) {
			// The run's abort handler is stopping the group (SIGINT, SIGTERM, SIGKILL); the step ends once it is empty.
			await waitGroupGone(watch, deps.settings.groupGoneMs ?? 2 * deps.settings.graceMs + afterKillMs, 50);
			return {stopped: members};
		}

		const now = deps.processes.groupMembers(pid);
		if (!sameMembers(now, members)) {
			sayLingering(watch, now);
		}

		members = now;
		// 'wait' and 'offer-stop' follow on (the screens offer the stop after the grace); 'over' ends the step.
		const decision = lingerDecision({remaining: members.length, sinceMs: deps.clock.now() - since, graceMs, boundMs, stopRequested: false});
		if (decision === 'over') {
			return undefined;
		}

		if (decision === 'left') {
			context.log.note(
				`the installer's process group (${pid}) still runs ${boundMs} ms after the installer exited: ${named(members)}; the step ends without it, not clean`,
			);
			return {left: members};
		}
	}
}
