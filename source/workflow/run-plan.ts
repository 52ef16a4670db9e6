// Runs a plan's steps in order: writes the config edit, starts the installer, turns its output
// and the disk into events, classifies a failure, and keeps the log, lock and run record.
import path from 'node:path';
import {classifyFailure, parseOutputLine} from '../domain/installer-output.js';
import {diskFloor, diskLevel} from '../domain/disk-level.js';
import {secretMasker} from '../domain/mask-secrets.js';
import {advanceProgress, initialProgress, withUnpacked} from '../domain/run-progress.js';
import {exitCodes, targetDirName, type ConfigEdit, type DiskSample, type Plan, type PlanStep, type RunEvent, type RunProgress, type WizardError} from '../domain/model.js';
import type {FilesystemInfo} from '../domain/estimate-disk-needs.js';
import type {InstallerProcess, SpawnOptions} from '../adapters/installer-process.js';
import type {RunLog} from '../adapters/run-log.js';
import type {RunRecord} from '../adapters/run-record.js';
import type {RunHandle, RunOutcome} from './ports.js';
import {isWizardError} from '../domain/wizard-error.js';

export type RunDeps = {
	logPath: string;
	graceMs: number;
	/** Free bytes under which the wizard offers to stop the installer; derived from the disk size when unset. */
	diskFloorBytes?: number;
	sampleMs: number;
	env?: Record<string, string | undefined>;
	/** Private folder for the installer's raw output while it is read (see installer-process.ts). */
	captureDir?: string;
	/** Registry passwords from clusterConfig.yaml: masked in every output line, on screen and in the log. */
	secrets?: readonly string[];
	openLog(path: string): RunLog;
	spawn(options: SpawnOptions): InstallerProcess;
	acquireLock(): {release(): void} | WizardError;
	writeRecord(record: RunRecord): Promise<void>;
	applyConfigEdit(edit: ConfigEdit): Promise<{backupPath: string} | WizardError>;
	readText(path: string): Promise<string | undefined>;
	statFile(path: string): Promise<{size: number; mtimeMs: number} | undefined>;
	/** Whether the installer can create addon-offline-target-package in `dir`. */
	canWriteDir(dir: string): Promise<boolean>;
	dirSize(path: string): Promise<number>;
	diskInfo(paths: string[]): Promise<FilesystemInfo[]>;
};


/** Refuses to run a package that changed after it was inspected: its checks no longer hold. */
async function checkPackage(plan: Plan, step: PlanStep, deps: RunDeps): Promise<WizardError | undefined> {
	const inspected = plan.packages.find(item => item.path === step.packagePath);
	const now = await deps.statFile(step.packagePath);
	if (!now) {
		return {kind: 'package-changed', message: `Package ${step.packagePath} is gone (deleted or moved after it was inspected).`, hint: 'Put it back, or start again and choose another package.', exitCode: exitCodes.badInput};
	}

	if (inspected && (inspected.size !== now.size || Math.trunc(inspected.mtimeMs) !== Math.trunc(now.mtimeMs))) {
		return {kind: 'package-changed', message: `Package ${path.basename(step.packagePath)} changed after it was inspected (size or time differs).`, hint: 'Start again so it is inspected (and its checksum verified) anew.', exitCode: exitCodes.badInput};
	}

	if (!await deps.canWriteDir(step.cwd)) {
		return {kind: 'workdir-not-writable', message: `The installer's working directory ${step.cwd} is not writable.`, hint: 'Run from a writable folder or pass --workdir DIR on a filesystem with room for the unpack.', exitCode: exitCodes.badInput};
	}

	return undefined;
}

/** Applies the step's clusterConfig.yaml edit unless a previous try already did. */
async function writeConfig(step: PlanStep, deps: RunDeps, emit: (event: RunEvent) => void, log: RunLog): Promise<WizardError | undefined> {
	const edit = step.configEdit;
	if (!edit || await deps.readText(edit.path) === edit.newText) {
		return undefined;
	}

	const written = await deps.applyConfigEdit(edit);
	if (isWizardError(written)) {
		return written;
	}

	log.note(`wrote ${edit.path} (spec.addonPackage.path = ${edit.newPaths.join(', ')}); backup ${written.backupPath}`);
	emit({type: 'config-written', at: Date.now(), path: edit.path, backupPath: written.backupPath});
	return undefined;
}

/** The record is for `attach`: a run must not fail because it could not be written (e.g. a full disk). */
async function saveRecord(deps: RunDeps, record: RunRecord, log: RunLog): Promise<void> {
	await deps.writeRecord(record).catch((error: unknown) => {
		log.note(`could not write the run record: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
	});
}

export function startRun(plan: Plan, fromStep: number, onEvent: (event: RunEvent) => void, deps: RunDeps): RunHandle {
	let current: InstallerProcess | undefined;
	let stoppedBy: 'user' | 'disk-floor' | undefined;
	const mask = secretMasker(deps.secrets ?? []);
	const watched = plan.disk.map(need => need.paths[0]?.path).filter((item): item is string => item !== undefined);

	async function runStep(step: PlanStep, index: number, log: RunLog, record: RunRecord): Promise<boolean> {
		const emit = onEvent;
		let progress: RunProgress = initialProgress(step);
		let lastProgressAt = 0;
		const errorLines: string[] = [];
		// Context for a failure that printed no error-looking line (a crash, a killed helper).
		const recentLines: string[] = [];
		const target = path.join(step.cwd, targetDirName);
		const pushProgress = (force = false) => {
			const now = Date.now();
			if (force || now - lastProgressAt >= 100) {
				lastProgressAt = now;
				emit({type: 'progress', at: now, stepId: step.id, progress});
			}
		};

		log.note(`step ${index + 1}/${plan.steps.length} ${step.id}: ${JSON.stringify(step.argv)} in ${step.cwd}`);
		const child = deps.spawn({
			argv: step.argv,
			cwd: step.cwd,
			env: deps.env,
			graceMs: deps.graceMs,
			captureDir: deps.captureDir,
			onLines(stream, rawLines) {
				const lines = rawLines.map(mask);
				log.output(step.id, stream, lines);
				const at = Date.now();
				recentLines.push(...lines.slice(-5));
				recentLines.splice(0, recentLines.length - 5);
				for (const line of lines) {
					emit({type: 'output', at, stepId: step.id, stream, line});
					const parsed = parseOutputLine(line);
					if (parsed.kind === 'error') {
						errorLines.push(line);
						errorLines.splice(0, errorLines.length - 20);
					}

					progress = advanceProgress(progress, parsed);
				}

				pushProgress();
			},
		});
		current = child;
		emit({type: 'step-start', at: Date.now(), stepId: step.id, argv: step.argv, cwd: step.cwd, pid: child.pid});
		// The record follows the step, so the final one names the step that ended the run.
		Object.assign(record, {stepIndex: index, stepId: step.id, packagePath: step.packagePath, installerPid: child.pid, capture: child.capture});
		await saveRecord(deps, record, log);

		let sampling = true;
		let wake: (() => void) | undefined;
		const sampler = (async () => {
			while (sampling) {
				await new Promise<void>(resolve => {
					// Waking early clears the timer too: a pending one would keep the process alive
					// for up to sampleMs after the last step ended.
					const timer = setTimeout(resolve, deps.sampleMs);
					wake = () => {
						clearTimeout(timer);
						resolve();
					};
				});
				if (!sampling) {
					break;
				}

				// Read `progress` only after the await: output lines counted meanwhile must not be lost.
				const unpacked = await deps.dirSize(target);
				progress = withUnpacked(progress, unpacked);
				pushProgress(true);
				const samples: DiskSample[] = (await deps.diskInfo(watched).catch(() => [])).map(info => ({
					path: info.path,
					freeBytes: info.freeBytes,
					level: diskLevel(info.freeBytes, diskFloor(info.totalBytes, deps.diskFloorBytes)),
				}));
				if (samples.length > 0) {
					emit({type: 'disk', at: Date.now(), samples});
				}
			}
		})();

		const exit = await child.exited;
		sampling = false;
		wake?.();
		await sampler;
		current = undefined;
		pushProgress(true);
		const ok = exit.exitCode === 0 && !exit.signal && !exit.spawnError;
		const failure = ok ? undefined : classifyFailure({...exit, installerPath: step.argv[0]!, cwd: step.cwd, errorLines: errorLines.length > 0 ? errorLines : recentLines, stoppedBy});
		log.note(ok ? `step ${step.id} succeeded` : `step ${step.id} failed: exit ${exit.exitCode ?? '-'} signal ${exit.signal ?? '-'}${exit.spawnError ? ` ${exit.spawnError}` : ''}: ${failure?.message} Next: ${failure?.hint}`);
		emit({type: 'step-end', at: Date.now(), stepId: step.id, exitCode: exit.exitCode, signal: exit.signal, failure});
		record.failure = failure;
		return ok;
	}

	async function run(): Promise<RunOutcome> {
		const lock = deps.acquireLock();
		if (isWizardError(lock)) {
			onEvent({type: 'run-error', at: Date.now(), error: lock});
			return {ok: false, error: lock};
		}

		let log: RunLog;
		try {
			log = deps.openLog(deps.logPath);
		} catch (error) {
			lock.release();
			const code = (error as NodeJS.ErrnoException).code ?? String(error);
			const problem: WizardError = {kind: 'log-not-writable', message: `Cannot write the run log ${deps.logPath} (${code}); nothing was run.`, hint: 'Pass --log-file PATH in a writable folder, or free space where the log goes.', exitCode: exitCodes.badInput};
			onEvent({type: 'run-error', at: Date.now(), error: problem});
			return {ok: false, error: problem};
		}

		const startedAt = Date.now();
		const record: RunRecord = {
			wizardPid: process.pid, configPath: plan.cluster.path, logPath: log.path, startedAt, stepIndex: fromStep, stepId: plan.steps[fromStep]?.id ?? '', packagePath: plan.steps[fromStep]?.packagePath ?? '', status: 'running', plan,
		};
		let outcome: RunOutcome = {ok: true};
		try {
			log.note(`run: ${plan.operation}, steps ${fromStep + 1}..${plan.steps.length}; ${plan.reason}`);
			onEvent({type: 'run-start', at: startedAt, logPath: log.path, steps: plan.steps.map(({id, title, argv}) => ({id, title, argv}))});
			for (let index = fromStep; index < plan.steps.length; index++) {
				const step = plan.steps[index]!;
				const problem = stoppedBy ? undefined : await checkPackage(plan, step, deps) ?? await writeConfig(step, deps, onEvent, log);
				if (stoppedBy) {
					// Stopped between steps: the next installer is never started.
					log.note(`stopped before ${step.id} (${stoppedBy})`);
					outcome = {ok: false, failedStepIndex: index, interrupted: stoppedBy === 'user'};
					break;
				}

				if (problem) {
					log.note(`stopped before ${step.id}: ${problem.message} Next: ${problem.hint}`);
					onEvent({type: 'run-error', at: Date.now(), error: problem});
					outcome = {ok: false, failedStepIndex: index, error: problem};
					break;
				}

				if (!await runStep(step, index, log, record)) {
					outcome = {ok: false, failedStepIndex: index, interrupted: stoppedBy === 'user'};
					break;
				}
			}
		} finally {
			const status = outcome.ok ? 'ok' : outcome.interrupted ? 'interrupted' : 'failed';
			log.note(`run ended: ${status}`);
			await deps.writeRecord({...record, status, endedAt: Date.now(), failedStepIndex: outcome.failedStepIndex}).catch(() => undefined);
			log.close();
			lock.release();
			onEvent({type: 'run-end', at: Date.now(), ok: outcome.ok});
		}

		return outcome;
	}

	return {
		logPath: deps.logPath,
		done: run(),
		async stop(reason = 'user') {
			stoppedBy = reason;
			await current?.stop();
		},
	};
}
