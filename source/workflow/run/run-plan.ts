// Runs a plan's steps in order and streams what happens as one sequence of run events: takes the
// locks (config and working directory), writes the config edit, starts the installer, watches it
// (step-monitor.ts) until it and every process of its group are gone, reads the registry back
// (verify-run.ts), judges the step (domain/step-verdict.ts), records it in the run history and
// keeps the log (with its event journal, for `attach`), the lock and the run record. Aborting the signal stops the installer's process group; leaving the stream
// (the screens' `d`) leaves the installer running for `attach`.
import path from 'node:path';
import {maskPlan, textDigest} from '../../domain/plan/mask-plan.js';
import {secretMasker} from '../../domain/shared/mask-secrets.js';
import {exitCodes, type WizardError} from '../../domain/shared/wizard-error.js';
import {targetDirName} from '../../domain/packages/target-dir-name.js';
import type {ConfigEdit} from '../../domain/config/config-facts.js';
import type {LingeringProcess, RunEvent, RunOutcome, StepVerdict, StopReason} from '../../domain/run/run-events.js';
import type {Plan, PlanStep} from '../../domain/plan/plan.js';
import {settledTally} from '../../domain/run/run-tally.js';
import {lingerDecision, lingerGraceMs, stepVerdict, type StepCheck} from '../../domain/run/step-verdict.js';
import type {StepState} from '../../domain/run/installer-output.js';
import {isWizardError} from '../../domain/shared/wizard-error.js';
import {createChannel} from './event-channel.js';
import {journalFilter} from './run-journal.js';
import type {RunDeps, RunLog, RunOptions, RunRecord, RunStream} from '../ports/ports.js';
import {historyEntry, type FinishedStep} from './step-history.js';
import {watchStep, type StepSummary} from './step-monitor.js';
import {createRunVerifier} from './verify-run.js';

export type {RunDeps} from '../ports/ports.js';

const stopReasonOf = (signal: AbortSignal): StopReason => (signal.reason === 'disk-floor' ? 'disk-floor' : 'user');
const targetOf = (cwd: string) => `${cwd.replace(/\/$/, '')}/${targetDirName}`;
const sameMembers = (a: LingeringProcess[], b: LingeringProcess[]) => a.map(item => item.pid).join() === b.map(item => item.pid).join();

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

/** How a step ended for the run: its verdict, or the view was left while it ran. */
type StepEnd = StepVerdict | 'detached';

export function startRun(plan: Plan, fromStep: number, deps: RunDeps, signal: AbortSignal, options: RunOptions = {}): RunStream {
	let onDetach: (() => void) | undefined;
	const detached = new Promise<'detached'>(resolve => {
		onDetach = () => resolve('detached');
	});
	const channel = createChannel<RunEvent>(() => onDetach?.());
	const mask = secretMasker(deps.secrets);
	const watched = plan.disk.map(need => need.paths[0]?.path).filter((item): item is string => item !== undefined);
	const sleep = async (ms: number) => new Promise(resolve => {
		setTimeout(resolve, ms);
	});
	let currentPid: number | undefined;
	let log: RunLog | undefined;
	/** The config edits this run wrote, for RunOptions.restoreConfigOnFailure. */
	const written: Array<{edit: ConfigEdit; backupPath: string}> = [];
	const journal = journalFilter(event => log?.event(event));
	const emit = (event: RunEvent) => {
		journal(event);
		channel.push(event);
	};
	const verifier = createRunVerifier(plan, deps.verification, emit, deps.now);

	const onAbort = () => {
		if (currentPid !== undefined) {
			void deps.processes.stopGroup(currentPid, deps.graceMs);
		}
	};

	signal.addEventListener('abort', onAbort, {once: true});

	/** Applies the step's clusterConfig.yaml edit unless a previous try already did. */
	async function writeConfig(step: PlanStep): Promise<WizardError | undefined> {
		const edit = step.configEdit;
		const now = edit ? await deps.readText(edit.path) : undefined;
		if (!edit || now === edit.newText || (now !== undefined && edit.newTextSha256 === textDigest(now))) {
			return undefined;
		}

		if (edit.masked) {
			return {kind: 'config-edit-masked', message: `This plan was read back from the run record, which keeps no passwords, so its change to ${edit.path} cannot be written from it.`, hint: 'Start the wizard again (without attach): it plans the change afresh from the file as it is now', exitCode: exitCodes.badInput};
		}

		const result = await deps.applyConfigEdit(edit);
		if (isWizardError(result)) {
			return result;
		}

		written.push({edit, backupPath: result.backupPath});
		log?.note(`wrote ${edit.path} (spec.addonPackage.path = ${edit.newPaths.join(', ')}); backup ${result.backupPath}`);
		emit({type: 'config-written', at: deps.now(), path: edit.path, backupPath: result.backupPath, stepId: step.id});
		return undefined;
	}

	/** The record is for `attach`: a run must not fail because it could not be written (e.g. a full disk). */
	async function saveRecord(record: RunRecord): Promise<void> {
		await deps.writeRecord(record).catch((error: unknown) => {
			log?.note(`could not write the run record: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
		});
	}

	/**
	 * The installer has exited; processes of its group may still run and write (helpers it did not
	 * wait for). The step is over once the group is empty, or once the operator stops what is left.
	 * Returns the processes that were stopped, if any.
	 */
	async function waitForGroup(step: PlanStep, pid: number, exit: {exitCode?: number; signal?: string}): Promise<LingeringProcess[] | 'detached' | undefined> {
		let members = deps.processes.groupMembers(pid);
		if (exit.signal || signal.aborted) {
			// The group is being killed with its leader (installer-process.ts, or our stop): only wait for it.
			for (let tries = 0; members.length > 0 && tries < 200; tries++) {
				await sleep(25);
				members = deps.processes.groupMembers(pid);
			}

			return undefined;
		}

		if (members.length === 0) {
			return undefined;
		}

		const say = (processes: LingeringProcess[]) => {
			log?.note(processes.length > 0
				? `the installer (pid ${pid}) exited with status ${exit.exitCode ?? '-'}, but its process group still runs: ${processes.map(item => `${item.command} (pid ${item.pid})`).join(', ')}`
				: `the installer's remaining processes have exited (group ${pid})`);
			emit({type: 'lingering', at: deps.now(), stepId: step.id, leaderPid: pid, exitCode: exit.exitCode, processes});
		};

		say(members);
		const since = deps.now();
		const graceMs = deps.lingerGraceMs ?? lingerGraceMs;
		for (;;) {
			const woke = await Promise.race([sleep(deps.pollMs ?? 500), detached]);
			if (woke === 'detached') {
				return 'detached';
			}

			// Judged on the processes last seen: a stop asked for while they ran is a stop, even if
			// they are gone by the time we look again.
			if (lingerDecision({remaining: members.length, sinceMs: deps.now() - since, graceMs, stopRequested: signal.aborted}) === 'stop') {
				// onAbort is stopping the group (SIGINT, SIGTERM, SIGKILL); the step ends once it is empty.
				while (deps.processes.groupMembers(pid).length > 0) {
					await sleep(50);
				}

				return members;
			}

			const now = deps.processes.groupMembers(pid);
			if (!sameMembers(now, members)) {
				say(now);
			}

			members = now;
			// 'wait' and 'offer-stop' follow on (the screens offer the stop after the grace); 'over' ends the step.
			if (lingerDecision({remaining: members.length, sinceMs: deps.now() - since, graceMs, stopRequested: false}) === 'over') {
				return undefined;
			}
		}
	}

	/** What the step left behind, looked at only when it did not end cleanly. */
	async function stepState(step: PlanStep, targetBefore: boolean): Promise<StepState> {
		const target = targetOf(step.cwd);
		const leftover = await deps.exists(target) ? {path: target, bytes: await deps.dirSize(target).catch(() => 0)} : undefined;
		const filesystem = await deps.filesystemOf(step.cwd).catch(() => undefined);
		return {targetBefore, leftover, filesystem, expectedBytes: step.expectedBytes};
	}

	/** The run history gets every finished step; it never fails the run. */
	async function remember(finished: Omit<FinishedStep, 'plan' | 'logPath' | 'at' | 'installerVersion'>): Promise<void> {
		if (!deps.history) {
			return;
		}

		const installerVersion = await deps.installerVersion?.(finished.step.argv[0]!).catch(() => undefined);
		await deps.history.append(historyEntry({...finished, plan, logPath: log?.path ?? deps.logPath, at: deps.now(), installerVersion})).catch((error: unknown) => {
			log?.note(`could not record step ${finished.step.id} in the run history: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
		});
	}

	async function runStep(step: PlanStep, index: number, record: RunRecord): Promise<StepEnd> {
		const targetBefore = await deps.exists(targetOf(step.cwd));
		log?.note(`step ${index + 1}/${plan.steps.length} ${step.id}: ${JSON.stringify(step.argv)} in ${step.cwd}${targetBefore ? ` (${targetDirName} is already there)` : ''}`);
		// What the registry holds before the step, so the read after it can tell what it lost.
		const before = signal.aborted ? undefined : await verifier.before(step, signal);
		const child = deps.spawn({argv: step.argv, cwd: step.cwd, env: deps.env, captureDir: deps.captureDir});
		currentPid = child.pid;
		emit({type: 'step-start', at: deps.now(), stepId: step.id, argv: step.argv, cwd: step.cwd, pid: child.pid});
		// The record follows the step, so the final one names the step that ended the run.
		Object.assign(record, {stepIndex: index, stepId: step.id, packagePath: step.packagePath, installerPid: child.pid, installerIdentity: child.pid === undefined ? undefined : deps.identify?.(child.pid), capture: child.capture});
		await saveRecord(record);
		if (signal.aborted && child.pid !== undefined) {
			onAbort();
		}

		const watch = child.capture ? watchStep({step, capture: child.capture, emit, log, mask, watched, deps}) : undefined;
		const exit = await Promise.race([child.exited, detached]);
		const lingering = exit === 'detached' || child.pid === undefined ? undefined : await waitForGroup(step, child.pid, exit);
		if (exit === 'detached' || lingering === 'detached') {
			// The view was left: the installer goes on alone; `attach` reads its capture files from here.
			watch?.abandon();
			child.release?.();
			log?.note(`the view was left (d); the installer (pid ${child.pid ?? '-'}) keeps running: addon-wizard attach follows it`);
			return 'detached';
		}

		const summary: StepSummary | undefined = await watch?.finish();
		if (child.capture) {
			deps.removeCapture(child.capture);
		}

		const errorLines = summary?.errorLines ?? [];
		const clean = exit.exitCode === 0 && !exit.signal && !exit.spawnError && errorLines.length === 0 && !lingering;
		const stoppedBy = signal.aborted ? stopReasonOf(signal) : undefined;
		const state = clean ? undefined : await stepState(step, targetBefore);
		// A step is done only when every check says so: the registry read back after it is one
		// (verify-run.ts). A stop skips it; the step is not done anyway.
		const verified = signal.aborted ? undefined : await verifier.after(step, before, signal);
		const checks: StepCheck[] = verified ? [verified.check] : [];
		const verdict = stepVerdict({
			exit: {...exit, installerPath: step.argv[0]!, cwd: step.cwd, errorLines, recentLines: summary?.recentLines, stoppedBy, state},
			stoppedLingering: lingering,
			checks,
		});
		currentPid = undefined;
		const {failure} = verdict;
		const verdictWords = {done: 'succeeded', errors: 'finished with errors', failed: 'failed', unverified: 'finished, not verified'}[verdict.status];
		log?.note(verdict.status === 'done' ? `step ${step.id} succeeded` : `step ${step.id} ${verdictWords}: exit ${exit.exitCode ?? '-'} signal ${exit.signal ?? '-'}${exit.spawnError ? ` ${exit.spawnError}` : ''}: ${failure?.message} Next: ${failure?.hint}`);
		const tally = summary ? settledTally(summary.tally, clean) : undefined;
		emit({type: 'step-end', at: deps.now(), stepId: step.id, exitCode: exit.exitCode, signal: exit.signal, failure, status: verdict.status, tally});
		record.failure = failure;
		await remember({step, verdict: verdict.status, failure, stoppedBy, verification: verified?.verification});
		return verdict.status;
	}

	/**
	 * --cleanup (RunOptions.cleanup) or `x` on Review (plan.removeLeftover): the first step's leftover
	 * goes while this run holds the working directory, through the guarded clean-up.
	 */
	async function cleanupFirst(): Promise<WizardError | undefined> {
		const step = plan.steps[fromStep];
		if (!step || !await deps.exists(targetOf(step.cwd))) {
			return undefined;
		}

		const cleaned = await deps.cleanupLeftover(step);
		if (isWizardError(cleaned)) {
			return cleaned;
		}

		log?.note(`removed ${cleaned.path} (${cleaned.freedBytes} bytes) before step ${step.id}`);
		emit({type: 'cleanup', at: deps.now(), path: cleaned.path, freedBytes: cleaned.freedBytes});
		return undefined;
	}

	async function runSteps(record: RunRecord): Promise<RunOutcome | 'detached'> {
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

			const end = await runStep(step, index, record);
			if (end === 'detached') {
				return end;
			}

			if (end !== 'done') {
				// A step that finished with errors is not a base the next step may build on.
				return {
					ok: false,
					failedStepIndex: index,
					interrupted: signal.aborted && stopReasonOf(signal) === 'user',
					...(end === 'errors' ? {withErrors: true} : {}),
					...(end === 'unverified' ? {unverified: true} : {}),
					...(record.failure?.kind === 'verification-failed' ? {verificationFailed: true} : {}),
				};
			}
		}

		return {ok: true};
	}

	/** RunOptions.restoreConfigOnFailure: put back what this run changed in clusterConfig.yaml. */
	async function restoreConfig(): Promise<void> {
		for (const {edit, backupPath} of written.reverse()) {
			const restored = await deps.restoreConfig(edit, backupPath);
			if (isWizardError(restored)) {
				log?.note(`did not put ${edit.path} back from ${backupPath}: ${restored.message}`);
				emit({type: 'config-restore-refused', at: deps.now(), path: edit.path, backupPath, error: restored});
			} else {
				log?.note(`put ${restored.restoredPath} back from ${backupPath}; what the run wrote is kept as ${restored.replacedCopyPath}`);
				emit({type: 'config-restored', at: deps.now(), path: edit.path, backupPath, replacedCopyPath: restored.replacedCopyPath});
			}
		}
	}

	function refuse(error: WizardError): void {
		emit({type: 'run-error', at: deps.now(), error});
		emit({type: 'run-end', at: deps.now(), ok: false, outcome: {ok: false, error}});
	}

	async function run(): Promise<void> {
		const lock = deps.acquireLock([...new Set(plan.steps.slice(fromStep).map(step => step.cwd))]);
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
			// The record is read by attach and sits outside the operator's file: it keeps no password.
			wizardPid: deps.wizardPid, configPath: plan.cluster.path, logPath: log.path, startedAt, stepIndex: fromStep, stepId: plan.steps[fromStep]?.id ?? '', packagePath: plan.steps[fromStep]?.packagePath ?? '', status: 'running', plan: maskPlan(plan, mask),
		};
		let outcome: RunOutcome | 'detached' = {ok: false};
		try {
			log.note(`run: ${plan.operation}, steps ${fromStep + 1}..${plan.steps.length}; ${plan.reason}`);
			emit({type: 'run-start', at: startedAt, logPath: log.path, steps: plan.steps.map(({id, title, argv}) => ({id, title, argv}))});
			await saveRecord(record);
			const notCleaned = options.cleanup || plan.removeLeftover ? await cleanupFirst() : undefined;
			if (notCleaned) {
				log.note(`not cleaned: ${notCleaned.message} Next: ${notCleaned.hint}`);
				emit({type: 'run-error', at: deps.now(), error: notCleaned});
				outcome = {ok: false, failedStepIndex: fromStep, error: notCleaned};
			} else {
				outcome = await runSteps(record);
			}

			if (outcome !== 'detached' && !outcome.ok && options.restoreConfigOnFailure) {
				await restoreConfig();
			}
		} finally {
			await verifier.close().catch(() => undefined);
			if (outcome === 'detached') {
				// Left as a crash would leave it: the record says running and the lock stays, so a
				// second wizard is refused while the installer lives, and `attach` follows it.
				await saveRecord({...record, detachedAt: deps.now()});
				log.close();
			} else {
				const status = outcome.ok ? 'ok' : outcome.interrupted ? 'interrupted' : 'failed';
				log.note(`run ended: ${status}${outcome.withErrors ? ' (finished with errors)' : outcome.unverified ? ' (finished, not verified)' : outcome.verificationFailed ? ' (not verified: the registry does not hold what the step should have left)' : ''}`);
				await deps.writeRecord({...record, status, endedAt: deps.now(), failedStepIndex: outcome.failedStepIndex}).catch(() => undefined);
				emit({type: 'run-end', at: deps.now(), ok: outcome.ok, outcome});
				log.close();
				lock.release();
			}
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
