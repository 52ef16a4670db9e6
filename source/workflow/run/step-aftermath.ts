// What is looked at and kept once a step ended: what it left in its working directory (only when
// it did not end cleanly), and its entry in the run history (which never fails the run).
import type {PlanStep} from '../../domain/plan/plan.js';
import type {StepState} from '../../domain/run/installer-output.js';
import type {Clock} from '../ports/clock-port.js';
import type {DisksPort} from '../ports/disks-port.js';
import type {FilesPort} from '../ports/files-port.js';
import type {HistoryPort} from '../ports/history-port.js';
import type {InstallerPort} from '../ports/installer-port.js';
import {targetOf, type RunContext} from './run-context.js';
import {historyEntry, type FinishedStep} from './step-history.js';

export async function stepState(
	step: PlanStep,
	targetBefore: boolean,
	deps: {files: Pick<FilesPort, 'exists' | 'dirSize'>; disks: Pick<DisksPort, 'filesystemOf'>},
): Promise<StepState> {
	const target = targetOf(step.cwd);
	const leftover = (await deps.files.exists(target)) ? {path: target, bytes: await deps.files.dirSize(target).catch(() => 0)} : undefined;
	const filesystem = await deps.disks.filesystemOf(step.cwd).catch(() => undefined);
	return {targetBefore, leftover, filesystem, expectedBytes: step.expectedBytes};
}

export type RememberDeps = {history?: HistoryPort; installer: Pick<InstallerPort, 'version'>; clock: Pick<Clock, 'now'>};

export async function rememberStep(
	finished: Omit<FinishedStep, 'plan' | 'logPath' | 'at' | 'installerVersion'>,
	context: Pick<RunContext, 'plan' | 'log'>,
	deps: RememberDeps,
): Promise<void> {
	if (!deps.history) {
		return;
	}

	const installerVersion = await deps.installer.version?.(finished.step.argv[0]!).catch(() => undefined);
	await deps.history
		.append(historyEntry({...finished, plan: context.plan, logPath: context.log.path, at: deps.clock.now(), installerVersion}))
		.catch((error: unknown) => {
			context.log.note(
				`could not record step ${finished.step.id} in the run history: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
			);
		});
}
