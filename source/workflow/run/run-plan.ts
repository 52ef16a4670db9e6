// Runs a plan's steps in order and streams what happens as one sequence of run events: takes the
// locks (config and working directory), opens the log (with its event journal, for `attach`) and
// the run record, runs the steps (run-steps.ts, each one run-step.ts) and ends the record, the log
// and the lock. Aborting the signal stops the installer's process group; leaving the stream (the
// screens' `d`) leaves the installer running for `attach`.
import {maskPlan} from '../../domain/plan/mask-plan.js';
import {secretMasker} from '../../domain/shared/mask-secrets.js';
import {exitCodes, isWizardError, type WizardError} from '../../domain/shared/wizard-error.js';
import type {RunEvent} from '../../domain/run/run-events.js';
import type {Plan} from '../../domain/plan/plan.js';
import {createChannel, type Channel} from './event-channel.js';
import {journalFilter} from './run-journal.js';
import type {RunOptions, RunStream} from '../ports/ports.js';
import type {RunDeps} from '../ports/run-deps.js';
import type {RunLog} from '../ports/run-log-port.js';
import type {Lock, RunRecord} from '../ports/run-record-port.js';
import {watchedPaths, type RunContext} from './run-context.js';
import {lockRequest, noteLockNotices, saveRecord} from './run-record.js';
import {cleanupFirst, restoreConfig, runSteps, type StepsRun} from './run-steps.js';
import {createRunVerifier, type RunVerifier} from './verify-run.js';

type RunStart = {plan: Plan; fromStep: number; stop: AbortSignal; detach: AbortSignal; channel: Channel<RunEvent>};

function refuse(channel: Channel<RunEvent>, error: WizardError, now: number): void {
	channel.push({type: 'run-error', at: now, error});
	channel.push({type: 'run-end', at: now, ok: false, outcome: {ok: false, error}});
}

/** The lock and the log, or why the run cannot start (nothing was run then). */
function openRun({plan, fromStep}: RunStart, deps: Pick<RunDeps, 'record' | 'log' | 'settings'>): {lock: Lock; log: RunLog} | WizardError {
	const lock = deps.record.lock(lockRequest(plan, fromStep, deps.settings.logPath));
	if (isWizardError(lock)) {
		return lock;
	}

	try {
		const log = deps.log.open(deps.settings.logPath);
		noteLockNotices(lock, log);
		return {lock, log};
	} catch (error) {
		lock.release();
		const code = (error as NodeJS.ErrnoException).code ?? String(error);
		return {
			kind: 'log-not-writable',
			message: `Cannot write the run log ${deps.settings.logPath} (${code}); nothing was run.`,
			hint: 'Pass --log-file PATH in a writable folder, or free space where the log goes.',
			exitCode: exitCodes.badInput,
		};
	}
}

function runContext({plan, fromStep, stop, detach, channel}: RunStart, log: RunLog, secrets: readonly string[]): RunContext {
	const journal = journalFilter(event => log.event(event));
	const emit = (event: RunEvent) => {
		journal(event);
		channel.push(event);
	};

	return {plan, fromStep, stop, detach, emit, log, mask: secretMasker(secrets), watched: watchedPaths(plan)};
}

/** The clean-up asked for, then the steps, then the config put back after a failure when asked. */
async function runAll(
	record: RunRecord,
	context: RunContext,
	deps: RunDeps,
	options: RunOptions,
	verifier: RunVerifier,
): Promise<StepsRun> {
	const {plan, fromStep, log} = context;
	log.note(`run: ${plan.operation}, steps ${fromStep + 1}..${plan.steps.length}; ${plan.reason}`);
	context.emit({
		type: 'run-start',
		at: record.startedAt,
		logPath: log.path,
		steps: plan.steps.map(({id, title, argv}) => ({id, title, argv})),
	});
	await saveRecord(record, log, deps.record);
	const notCleaned = options.cleanup || plan.removeLeftover ? await cleanupFirst(context, deps) : undefined;
	if (notCleaned) {
		log.note(`not cleaned: ${notCleaned.message} Next: ${notCleaned.hint}`);
		context.emit({type: 'run-error', at: deps.clock.now(), error: notCleaned});
		return {outcome: {ok: false, failedStepIndex: fromStep, error: notCleaned}, record, written: []};
	}

	const ran = await runSteps(record, context, deps, verifier);
	if (ran.outcome !== 'detached' && !ran.outcome.ok && options.restoreConfigOnFailure) {
		await restoreConfig(ran.written, context, deps);
	}

	return ran;
}

/** The record, the log and the lock as the run leaves them. */
async function finishRun(
	{outcome, record}: StepsRun,
	context: RunContext,
	deps: Pick<RunDeps, 'record' | 'clock'>,
	lock: Lock,
): Promise<void> {
	const {log} = context;
	if (outcome === 'detached') {
		// Left as a crash would leave it: the record says running and the lock stays, so a
		// second wizard is refused while the installer lives, and `attach` follows it.
		await saveRecord({...record, detachedAt: deps.clock.now()}, log, deps.record);
		log.close();
		return;
	}

	const status = outcome.ok ? 'ok' : outcome.interrupted ? 'interrupted' : 'failed';
	log.note(
		`run ended: ${status}${outcome.withErrors ? ' (finished with errors)' : outcome.unverified ? ' (finished, not verified)' : outcome.verificationFailed ? ' (not verified: the registry does not hold what the step should have left)' : ''}`,
	);
	await deps.record.write({...record, status, endedAt: deps.clock.now(), failedStepIndex: outcome.failedStepIndex}).catch(() => undefined);
	context.emit({type: 'run-end', at: deps.clock.now(), ok: outcome.ok, outcome});
	log.close();
	lock.release();
}

async function runPlan(start: RunStart, deps: RunDeps, options: RunOptions): Promise<void> {
	const opened = openRun(start, deps);
	if (isWizardError(opened)) {
		refuse(start.channel, opened, deps.clock.now());
		return;
	}

	const {plan, fromStep} = start;
	const context = runContext(start, opened.log, deps.settings.secrets);
	const verifier = createRunVerifier(plan, deps.verification, context.emit, deps.clock.now);
	const record: RunRecord = {
		// The record is read by attach and sits outside the operator's file: it keeps no password.
		wizardPid: deps.settings.wizardPid,
		configPath: plan.cluster.path,
		logPath: opened.log.path,
		startedAt: deps.clock.now(),
		stepIndex: fromStep,
		stepId: plan.steps[fromStep]?.id ?? '',
		packagePath: plan.steps[fromStep]?.packagePath ?? '',
		status: 'running',
		plan: maskPlan(plan, context.mask),
	};
	let ended: StepsRun = {outcome: {ok: false}, record, written: []};
	try {
		ended = await runAll(record, context, deps, options, verifier);
	} finally {
		await verifier.close().catch(() => undefined);
		await finishRun(ended, context, deps, opened.lock);
	}
}

export function startRun(plan: Plan, fromStep: number, deps: RunDeps, signal: AbortSignal, options: RunOptions = {}): RunStream {
	const detach = new AbortController();
	const channel = createChannel<RunEvent>(() => detach.abort());
	runPlan({plan, fromStep, stop: signal, detach: detach.signal, channel}, deps, options).then(
		() => channel.end(),
		async (error: unknown) => {
			// A bug, not the installer: the stream still ends, and says so; the log only when there is one.
			const logged = await deps.files.exists(deps.settings.logPath).catch(() => false);
			const problem: WizardError = {
				kind: 'run-crashed',
				message: `The run could not continue: ${error instanceof Error ? error.message : String(error)}`,
				hint: logged
					? `See the log ${deps.settings.logPath}, fix the cause and run the wizard again.`
					: 'Nothing was logged: fix the cause named above and run the wizard again.',
				exitCode: exitCodes.failure,
			};
			refuse(channel, problem, deps.clock.now());
			channel.end();
		},
	);
	return channel;
}
