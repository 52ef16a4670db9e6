// The plan's steps in order, from `fromStep`: each one's preconditions, then its installer. The
// run stops at the first step that is not done (a step that finished with errors is not a base the
// next step may build on), at a stop, or when the view is left. Before the steps: the leftover
// clean-up (--cleanup, `x` on Review); after a failure: the config put back (--restore-config).
import type {RunOutcome} from '../../domain/run/run-events.js';
import {isWizardError, type WizardError} from '../../domain/shared/wizard-error.js';
import type {RunDeps} from '../ports/run-deps.js';
import type {RunRecord} from '../ports/run-record-port.js';
import {stopReasonOf, targetOf, type RunContext} from './run-context.js';
import {runStep, type StepDeps, type StepEnd} from './run-step.js';
import {checkPackages, writeConfig, type WriteConfigDeps, type WrittenEdit} from './step-preconditions.js';
import type {RunVerifier} from './verify-run.js';

export type StepsRun = {outcome: RunOutcome | 'detached'; record: RunRecord; written: WrittenEdit[]};

/** The outcome of a run that ended at step `index`, which ended as `end`. */
function endedAt(index: number, end: Exclude<StepEnd, 'detached' | 'done'>, record: RunRecord, stop: AbortSignal): RunOutcome {
	return {
		ok: false,
		failedStepIndex: index,
		interrupted: stop.aborted && stopReasonOf(stop) === 'user',
		...(end === 'errors' ? {withErrors: true} : {}),
		...(end === 'unverified' ? {unverified: true} : {}),
		...(record.failure?.kind === 'verification-failed' ? {verificationFailed: true} : {}),
	};
}

/** The step's packages and working directory, then its config edit: a problem, or what was written. */
async function prepareStep(
	index: number,
	context: RunContext,
	deps: Pick<RunDeps, 'files'> & WriteConfigDeps,
): Promise<WizardError | WrittenEdit | undefined> {
	const step = context.plan.steps[index]!;
	if (context.stop.aborted) {
		return undefined;
	}

	return (await checkPackages(context.plan, step, deps.files)) ?? writeConfig(step, context, deps);
}

export async function runSteps(
	first: RunRecord,
	context: RunContext,
	deps: StepDeps & Pick<RunDeps, 'config'>,
	verifier: RunVerifier,
): Promise<StepsRun> {
	const {plan, stop, log} = context;
	const written: WrittenEdit[] = [];
	let record = first;
	for (let index = context.fromStep; index < plan.steps.length; index++) {
		const step = plan.steps[index]!;
		const prepared = await prepareStep(index, context, deps);
		if (prepared && !isWizardError(prepared)) {
			written.push(prepared);
		}

		if (stop.aborted) {
			// Stopped between steps: the next installer is never started.
			log.note(`stopped before ${step.id} (${stopReasonOf(stop)})`);
			return {outcome: {ok: false, failedStepIndex: index, interrupted: stopReasonOf(stop) === 'user'}, record, written};
		}

		if (isWizardError(prepared)) {
			log.note(`stopped before ${step.id}: ${prepared.message} Next: ${prepared.hint}`);
			context.emit({type: 'run-error', at: deps.clock.now(), error: prepared});
			return {outcome: {ok: false, failedStepIndex: index, error: prepared}, record, written};
		}

		const ran = await runStep(step, index, record, context, deps, verifier);
		record = ran.record;
		if (ran.end === 'detached') {
			return {outcome: 'detached', record, written};
		}

		if (ran.end !== 'done') {
			return {outcome: endedAt(index, ran.end, record, stop), record, written};
		}
	}

	return {outcome: {ok: true}, record, written};
}

/**
 * --cleanup (RunOptions.cleanup) or `x` on Review (plan.removeLeftover): the first step's leftover
 * goes while this run holds the working directory, through the guarded clean-up.
 */
export async function cleanupFirst(
	context: RunContext,
	deps: Pick<RunDeps, 'files' | 'leftover' | 'clock'>,
): Promise<WizardError | undefined> {
	const step = context.plan.steps[context.fromStep];
	if (!step || !(await deps.files.exists(targetOf(step.cwd)))) {
		return undefined;
	}

	const cleaned = await deps.leftover.cleanup(step, {packages: context.plan.packages.map(item => item.path)});
	if (isWizardError(cleaned)) {
		return cleaned;
	}

	context.log.note(`removed ${cleaned.path} (${cleaned.freedBytes} bytes) before step ${step.id}`);
	context.emit({type: 'cleanup', at: deps.clock.now(), path: cleaned.path, freedBytes: cleaned.freedBytes});
	return undefined;
}

/** RunOptions.restoreConfigOnFailure: put back what this run changed in clusterConfig.yaml, newest first. */
export async function restoreConfig(written: WrittenEdit[], context: RunContext, deps: Pick<RunDeps, 'config' | 'clock'>): Promise<void> {
	for (const {edit, backupPath} of [...written].reverse()) {
		const restored = await deps.config.restore(edit, backupPath);
		if (isWizardError(restored)) {
			context.log.note(`did not put ${edit.path} back from ${backupPath}: ${restored.message}`);
			context.emit({type: 'config-restore-refused', at: deps.clock.now(), path: edit.path, backupPath, error: restored});
		} else {
			context.log.note(`put ${restored.restoredPath} back from ${backupPath}; what the run wrote is kept as ${restored.replacedCopyPath}`);
			context.emit({
				type: 'config-restored',
				at: deps.clock.now(),
				path: edit.path,
				backupPath,
				replacedCopyPath: restored.replacedCopyPath,
			});
		}
	}
}
