// Runs a plan's steps in order and streams what happens as one sequence of run events: writes the
// config edit, starts the installer, watches it (step-monitor.ts), classifies a failure, and keeps
// the log (with its event journal, for `attach`), the lock and the run record. Aborting the signal
// stops the installer's process group.
import path from 'node:path';
import {classifyFailure} from '../domain/installer-output.js';
import {secretMasker} from '../domain/mask-secrets.js';
import {exitCodes, type Plan, type PlanStep, type RunEvent, type RunOutcome, type StopReason, type WizardError} from '../domain/model.js';
import {isWizardError} from '../domain/wizard-error.js';
import {createChannel} from './event-channel.js';
import {journalFilter} from './run-journal.js';
import type {RunDeps, RunLog, RunRecord, RunStream} from './ports.js';
import {watchStep} from './step-monitor.js';

export type {RunDeps} from './ports.js';

const stopReasonOf = (signal: AbortSignal): StopReason => (signal.reason === 'disk-floor' ? 'disk-floor' : 'user');

/** Refuses to run a package that changed after it was inspected: its checks no longer hold. */
async function checkPackages(plan: Plan, step: PlanStep, deps: RunDeps): Promise<WizardError | undefined> {
	// A cluster-create step imports every file of the primary arch; each must still be what was read.
	for (const packagePath of step.packagePaths ?? [step.packagePath]) {
		const inspected = plan.packages.find(item => item.path === packagePath);
		const now = await deps.statFile(packagePath);
		if (!now) {
			return {kind: 'package-changed', message: `Package ${packagePath} is gone (deleted or moved after it was inspected).`, hint: 'Put it back, or start again and choose another package.', exitCode: exitCodes.badInput};
		}

		if (inspected && (inspected.size !== now.size || Math.trunc(inspected.mtimeMs) !== Math.trunc(now.mtimeMs))) {
			return {kind: 'package-changed', message: `Package ${path.basename(packagePath)} changed after it was inspected (size or time differs).`, hint: 'Start again so it is inspected (and its checksum verified) anew.', exitCode: exitCodes.badInput};
		}
	}

	if (!await deps.canWriteDir(step.cwd)) {
		return {kind: 'workdir-not-writable', message: `The installer's working directory ${step.cwd} is not writable.`, hint: 'Run from a writable folder or pass --workdir DIR on a filesystem with room for the unpack.', exitCode: exitCodes.badInput};
	}

	return undefined;
}

export function startRun(plan: Plan, fromStep: number, deps: RunDeps, signal: AbortSignal): RunStream {
	const channel = createChannel<RunEvent>();
	const mask = secretMasker(deps.secrets);
	const watched = plan.disk.map(need => need.paths[0]?.path).filter((item): item is string => item !== undefined);
	let currentPid: number | undefined;
	let log: RunLog | undefined;
	const journal = journalFilter(event => log?.event(event));
	const emit = (event: RunEvent) => {
		journal(event);
		channel.push(event);
	};

	const onAbort = () => {
		if (currentPid !== undefined) {
			void deps.processes.stopGroup(currentPid, deps.graceMs);
		}
	};

	signal.addEventListener('abort', onAbort, {once: true});

	/** Applies the step's clusterConfig.yaml edit unless a previous try already did. */
	async function writeConfig(step: PlanStep): Promise<WizardError | undefined> {
		const edit = step.configEdit;
		if (!edit || await deps.readText(edit.path) === edit.newText) {
			return undefined;
		}

		const written = await deps.applyConfigEdit(edit);
		if (isWizardError(written)) {
			return written;
		}

		log?.note(`wrote ${edit.path} (spec.addonPackage.path = ${edit.newPaths.join(', ')}); backup ${written.backupPath}`);
		emit({type: 'config-written', at: deps.now(), path: edit.path, backupPath: written.backupPath});
		return undefined;
	}

	/** The record is for `attach`: a run must not fail because it could not be written (e.g. a full disk). */
	async function saveRecord(record: RunRecord): Promise<void> {
		await deps.writeRecord(record).catch((error: unknown) => {
			log?.note(`could not write the run record: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
		});
	}

	async function runStep(step: PlanStep, index: number, record: RunRecord): Promise<boolean> {
		log?.note(`step ${index + 1}/${plan.steps.length} ${step.id}: ${JSON.stringify(step.argv)} in ${step.cwd}`);
		const child = deps.spawn({argv: step.argv, cwd: step.cwd, env: deps.env, captureDir: deps.captureDir});
		currentPid = child.pid;
		emit({type: 'step-start', at: deps.now(), stepId: step.id, argv: step.argv, cwd: step.cwd, pid: child.pid});
		// The record follows the step, so the final one names the step that ended the run.
		Object.assign(record, {stepIndex: index, stepId: step.id, packagePath: step.packagePath, installerPid: child.pid, capture: child.capture});
		await saveRecord(record);
		if (signal.aborted && child.pid !== undefined) {
			onAbort();
		}

		const watch = child.capture ? watchStep({step, capture: child.capture, emit, log, mask, watched, deps}) : undefined;
		const exit = await child.exited;
		const summary = await watch?.finish();
		if (child.capture) {
			deps.removeCapture(child.capture);
		}

		currentPid = undefined;
		const ok = exit.exitCode === 0 && !exit.signal && !exit.spawnError;
		const errorLines = summary?.errorLines.length ? summary.errorLines : summary?.recentLines ?? [];
		const stoppedBy = signal.aborted ? stopReasonOf(signal) : undefined;
		const failure = ok ? undefined : classifyFailure({...exit, installerPath: step.argv[0]!, cwd: step.cwd, errorLines, stoppedBy});
		log?.note(ok ? `step ${step.id} succeeded` : `step ${step.id} failed: exit ${exit.exitCode ?? '-'} signal ${exit.signal ?? '-'}${exit.spawnError ? ` ${exit.spawnError}` : ''}: ${failure?.message} Next: ${failure?.hint}`);
		emit({type: 'step-end', at: deps.now(), stepId: step.id, exitCode: exit.exitCode, signal: exit.signal, failure});
		record.failure = failure;
		return ok;
	}

	async function runSteps(record: RunRecord): Promise<RunOutcome> {
		for (let index = fromStep; index < plan.steps.length; index++) {
			const step = plan.steps[index]!;
			const problem = signal.aborted ? undefined : await checkPackages(plan, step, deps) ?? await writeConfig(step);
			if (signal.aborted) {
				// Stopped between steps: the next installer is never started.
				log?.note(`stopped before ${step.id} (${stopReasonOf(signal)})`);
				return {ok: false, failedStepIndex: index, interrupted: stopReasonOf(signal) === 'user'};
			}

			if (problem) {
				log?.note(`stopped before ${step.id}: ${problem.message} Next: ${problem.hint}`);
				emit({type: 'run-error', at: deps.now(), error: problem});
				return {ok: false, failedStepIndex: index, error: problem};
			}

			if (!await runStep(step, index, record)) {
				return {ok: false, failedStepIndex: index, interrupted: signal.aborted && stopReasonOf(signal) === 'user'};
			}
		}

		return {ok: true};
	}

	function refuse(error: WizardError): void {
		emit({type: 'run-error', at: deps.now(), error});
		emit({type: 'run-end', at: deps.now(), ok: false, outcome: {ok: false, error}});
	}

	async function run(): Promise<void> {
		const lock = deps.acquireLock();
		if (isWizardError(lock)) {
			refuse(lock);
			return;
		}

		try {
			log = deps.openLog(deps.logPath);
		} catch (error) {
			lock.release();
			const code = (error as NodeJS.ErrnoException).code ?? String(error);
			refuse({kind: 'log-not-writable', message: `Cannot write the run log ${deps.logPath} (${code}); nothing was run.`, hint: 'Pass --log-file PATH in a writable folder, or free space where the log goes.', exitCode: exitCodes.badInput});
			return;
		}

		const startedAt = deps.now();
		const record: RunRecord = {
			wizardPid: deps.wizardPid, configPath: plan.cluster.path, logPath: log.path, startedAt, stepIndex: fromStep, stepId: plan.steps[fromStep]?.id ?? '', packagePath: plan.steps[fromStep]?.packagePath ?? '', status: 'running', plan,
		};
		let outcome: RunOutcome = {ok: false};
		try {
			log.note(`run: ${plan.operation}, steps ${fromStep + 1}..${plan.steps.length}; ${plan.reason}`);
			emit({type: 'run-start', at: startedAt, logPath: log.path, steps: plan.steps.map(({id, title, argv}) => ({id, title, argv}))});
			await saveRecord(record);
			outcome = await runSteps(record);
		} finally {
			const status = outcome.ok ? 'ok' : outcome.interrupted ? 'interrupted' : 'failed';
			log.note(`run ended: ${status}`);
			await deps.writeRecord({...record, status, endedAt: deps.now(), failedStepIndex: outcome.failedStepIndex}).catch(() => undefined);
			emit({type: 'run-end', at: deps.now(), ok: outcome.ok, outcome});
			log.close();
			lock.release();
		}
	}

	run().then(
		() => channel.end(),
		(error: unknown) => {
			// A bug, not the installer: the stream still ends, and says so.
			const problem: WizardError = {kind: 'run-crashed', message: `The run could not continue: ${error instanceof Error ? error.message : String(error)}`, hint: 'See the log, fix the cause and run the wizard again.', exitCode: exitCodes.failure};
			channel.push({type: 'run-error', at: deps.now(), error: problem});
			channel.push({type: 'run-end', at: deps.now(), ok: false, outcome: {ok: false, error: problem}});
			channel.end();
		},
	).finally(() => {
		signal.removeEventListener('abort', onAbort);
	});
	return channel;
}
