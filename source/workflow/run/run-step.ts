// One installer step of a run: start the installer, watch it (step-monitor.ts) until it and its
// process group are gone (group-wait.ts), read the registry back (verify-run.ts), judge the step
// (domain/run/step-verdict.ts) and record it. A stop aborts `context.stop`: the step's installer
// group is stopped; leaving the view leaves the installer running for `attach`.
import {targetDirName} from '../../domain/packages/target-dir-name.js';
import type {LingeringProcess, StepVerdict} from '../../domain/run/run-events.js';
import type {PlanStep} from '../../domain/plan/plan.js';
import {settledTally} from '../../domain/run/run-tally.js';
import {stepVerdict, type StepOutcome} from '../../domain/run/step-verdict.js';
import type {InstallerProcess, ProcessExit} from '../ports/installer-port.js';
import type {RunDeps} from '../ports/run-deps.js';
import type {RunRecord} from '../ports/run-record-port.js';
import {stopReasonOf, targetOf, untilAborted, type RunContext} from './run-context.js';
import {saveRecord} from './run-record.js';
import {rememberStep, stepState} from './step-aftermath.js';
import {saveAfterStep, saveBeforeStep} from './step-snapshot.js';
import {waitForGroup, type GroupEnd} from './watch/group-wait.js';
import {watchStep, type StepSummary} from './watch/step-monitor.js';
import type {BeforeRead, RunVerifier} from './verify-run.js';

/** How a step ended for the run: its verdict, or the view was left while it ran. */
export type StepEnd = StepVerdict | 'detached';

type Followed = {exit: ProcessExit; lingering?: GroupEnd; summary?: StepSummary; stoppedWith?: LingeringProcess[]};

export type StepDeps = Pick<
	RunDeps,
	'settings' | 'clock' | 'installer' | 'processes' | 'capture' | 'record' | 'files' | 'disks' | 'history' | 'snapshot'
>;

/** Until the installer and its group are gone, or the view is left. */
async function followInstaller(
	step: PlanStep,
	child: InstallerProcess,
	context: RunContext,
	deps: StepDeps,
): Promise<Followed | 'detached'> {
	const watch = child.capture
		? watchStep({step, capture: child.capture, emit: context.emit, log: context.log, mask: context.mask, watched: context.watched, deps})
		: undefined;
	const exit = await Promise.race([child.exited, untilAborted(context.detach)]);
	const lingering = exit === 'detached' || child.pid === undefined ? undefined : await waitForGroup(step, child.pid, exit, context, deps);
	if (exit === 'detached' || lingering === 'detached') {
		// The view was left: the installer goes on alone; `attach` reads its capture files from here.
		watch?.abandon();
		child.release?.();
		context.log.note(`the view was left (d); the installer (pid ${child.pid ?? '-'}) keeps running: addon-wizard attach follows it`);
		return 'detached';
	}

	const summary = await watch?.finish();
	if (child.capture) {
		deps.capture.remove(child.capture);
	}

	return {exit, lingering, summary};
}

type Judged = StepOutcome & {
	clean: boolean;
	stoppedBy?: ReturnType<typeof stopReasonOf>;
	verification?: Awaited<ReturnType<RunVerifier['after']>>['verification'];
};

/** A step is done only when every check says so: the registry read back after it is one. A stop skips it. */
async function judgeStep(
	step: PlanStep,
	targetBefore: boolean,
	before: BeforeRead | undefined,
	{exit, lingering, summary, stoppedWith}: Followed,
	context: RunContext,
	deps: StepDeps,
	verifier: RunVerifier,
): Promise<Judged> {
	const errorLines = summary?.errorLines ?? [];
	const clean = exit.exitCode === 0 && !exit.signal && !exit.spawnError && errorLines.length === 0 && !lingering;
	const stoppedBy = context.stop.aborted ? stopReasonOf(context.stop) : undefined;
	const state = clean ? undefined : await stepState(step, targetBefore, deps);
	const verified = context.stop.aborted ? undefined : await verifier.after(step, before, context.stop);
	const verdict = stepVerdict({
		exit: {
			...exit,
			installerPath: step.argv[0]!,
			cwd: step.cwd,
			errorLines,
			firstErrorLine: summary?.firstErrorLine,
			errorLineCount: summary?.errorLineCount,
			recentLines: summary?.recentLines,
			stoppedBy,
			state,
		},
		stoppedLingering: lingering && 'stopped' in lingering ? lingering.stopped : undefined,
		leftRunning: lingering && 'left' in lingering ? lingering.left : undefined,
		stoppedWith,
		checks: verified ? [verified.check] : [],
	});
	return {...verdict, clean, stoppedBy, verification: verified?.verification};
}

function sayStepEnd(step: PlanStep, {exit, summary}: Followed, judged: Judged, context: RunContext, now: number): void {
	const {failure} = judged;
	const verdictWords = {done: 'succeeded', errors: 'finished with errors', failed: 'failed', unverified: 'finished, not verified'}[
		judged.status
	];
	context.log.note(
		judged.status === 'done'
			? `step ${step.id} succeeded`
			: `step ${step.id} ${verdictWords}: exit ${exit.exitCode ?? '-'} signal ${exit.signal ?? '-'}${exit.spawnError ? ` ${exit.spawnError}` : ''}: ${failure?.message} Next: ${failure?.hint}`,
	);
	const tally = summary ? settledTally(summary.tally, judged.clean) : undefined;
	context.emit({
		type: 'step-end',
		at: now,
		stepId: step.id,
		exitCode: exit.exitCode,
		signal: exit.signal,
		failure,
		status: judged.status,
		tally,
	});
}

/** Runs one step; the record it returns names the step (and its failure) for the run's last record. */
export async function runStep(
	step: PlanStep,
	index: number,
	record: RunRecord,
	context: RunContext,
	deps: StepDeps,
	verifier: RunVerifier,
): Promise<{end: StepEnd; record: RunRecord}> {
	const {settings, clock} = deps;
	const targetBefore = await deps.files.exists(targetOf(step.cwd));
	context.log.note(
		`step ${index + 1}/${context.plan.steps.length} ${step.id}: ${JSON.stringify(step.argv)} in ${step.cwd}${targetBefore ? ` (${targetDirName} is already there)` : ''}`,
	);
	// What the registry holds before the step, so the read after it can tell what it lost.
	const before = context.stop.aborted ? undefined : await verifier.before(step, context.stop);
	// What undo puts back, on disk before the installer can change anything.
	const snapshot = context.stop.aborted
		? undefined
		: await saveBeforeStep(step, index, context, deps.snapshot, clock.now, before?.error, before?.charts);
	const child = deps.installer.spawn({argv: step.argv, cwd: step.cwd, env: settings.env, captureDir: settings.captureDir});
	const {pid} = child;
	context.emit({type: 'step-start', at: clock.now(), stepId: step.id, argv: step.argv, cwd: step.cwd, pid});
	const running: RunRecord = {
		...record,
		stepIndex: index,
		stepId: step.id,
		packagePath: step.packagePath,
		installerPid: pid,
		installerIdentity: pid === undefined ? undefined : deps.installer.identify?.(pid),
		capture: child.capture,
		...(snapshot ? {snapshots: [...(record.snapshots ?? []), {stepIndex: index, path: snapshot.path}]} : {}),
	};
	await saveRecord(running, context.log, deps.record);
	// Every process the stop reached, named on the step's end: nothing it stopped goes unsaid.
	let stopping: Promise<LingeringProcess[]> | undefined;
	const stopGroup = () => {
		if (pid !== undefined) {
			stopping = deps.processes.stopGroup(pid, settings.graceMs);
		}
	};

	context.stop.addEventListener('abort', stopGroup, {once: true});
	if (context.stop.aborted) {
		stopGroup();
	}

	let judged: Judged;
	let followed: Followed | 'detached';
	try {
		followed = await followInstaller(step, child, context, deps);
		if (followed === 'detached') {
			return {end: 'detached', record: running};
		}

		const stoppedWith = await stopping;
		if (stoppedWith && stoppedWith.length > 0) {
			context.log.note(`stopped the installer's processes: ${stoppedWith.map(item => `${item.command} (pid ${item.pid})`).join(', ')}`);
		}

		judged = await judgeStep(step, targetBefore, before, {...followed, stoppedWith}, context, deps, verifier);
	} finally {
		context.stop.removeEventListener('abort', stopGroup);
	}

	if (snapshot && deps.snapshot) {
		await saveAfterStep(snapshot, context, deps.snapshot, clock.now);
	}

	sayStepEnd(step, followed, judged, context, clock.now());
	await rememberStep(
		{
			step,
			verdict: judged.status,
			failure: judged.failure,
			stoppedBy: judged.stoppedBy,
			verification: judged.verification,
			snapshotPath: snapshot?.path,
		},
		context,
		deps,
	);
	return {end: judged.status, record: {...running, failure: judged.failure}};
}
