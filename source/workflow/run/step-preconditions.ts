// What must still hold before a step's installer starts: its packages are what was inspected, its
// working directory is writable, and clusterConfig.yaml names the packages (written here when a
// previous try has not already).
import path from 'node:path';
import {textDigest} from '../../domain/plan/mask-plan.js';
import {exitCodes, isWizardError, type WizardError} from '../../domain/shared/wizard-error.js';
import type {ConfigEdit} from '../../domain/config/config-facts.js';
import type {Plan, PlanStep} from '../../domain/plan/plan.js';
import type {Clock} from '../ports/clock-port.js';
import type {ConfigEditPort} from '../ports/config-edit-port.js';
import type {FilesPort} from '../ports/files-port.js';
import type {RunContext} from './run-context.js';

/** A config edit this run wrote, kept for RunOptions.restoreConfigOnFailure. */
export type WrittenEdit = {edit: ConfigEdit; backupPath: string};

/** Refuses to run a package that changed after it was inspected: its checks no longer hold. */
export async function checkPackages(
	plan: Plan,
	step: PlanStep,
	files: Pick<FilesPort, 'stat' | 'canWriteDir'>,
): Promise<WizardError | undefined> {
	// A cluster-create step imports every file of the primary arch; each must still be what was read.
	for (const packagePath of step.packagePaths ?? [step.packagePath]) {
		const inspected = plan.packages.find(item => item.path === packagePath);
		const now = await files.stat(packagePath);
		if (!now) {
			return {
				kind: 'package-changed',
				message: `Package ${packagePath} is gone (deleted or moved after it was inspected).`,
				hint: 'Put it back, or start again and choose another package.',
				exitCode: exitCodes.badInput,
			};
		}

		if (inspected && (inspected.size !== now.size || Math.trunc(inspected.mtimeMs) !== Math.trunc(now.mtimeMs))) {
			return {
				kind: 'package-changed',
				message: `Package ${path.basename(packagePath)} changed after it was inspected (size or time differs).`,
				hint: 'Start again so it is inspected (and its checksum verified) anew.',
				exitCode: exitCodes.badInput,
			};
		}
	}

	if (!(await files.canWriteDir(step.cwd))) {
		return {
			kind: 'workdir-not-writable',
			message: `The installer's working directory ${step.cwd} is not writable.`,
			hint: 'Run from a writable folder or pass --workdir DIR on a filesystem with room for the unpack.',
			exitCode: exitCodes.badInput,
		};
	}

	return undefined;
}

export type WriteConfigDeps = {files: Pick<FilesPort, 'readText'>; config: Pick<ConfigEditPort, 'apply'>; clock: Pick<Clock, 'now'>};

/** Applies the step's clusterConfig.yaml edit unless a previous try already did; says what it wrote. */
export async function writeConfig(
	step: PlanStep,
	context: Pick<RunContext, 'emit' | 'log'>,
	deps: WriteConfigDeps,
): Promise<WizardError | WrittenEdit | undefined> {
	const edit = step.configEdit;
	const now = edit ? await deps.files.readText(edit.path) : undefined;
	if (!edit || now === edit.newText || (now !== undefined && edit.newTextSha256 === textDigest(now))) {
		return undefined;
	}

	if (edit.masked) {
		return {
			kind: 'config-edit-masked',
			message: `This plan was read back from the run record, which keeps no passwords, so its change to ${edit.path} cannot be written from it.`,
			hint: 'Start the wizard again (without attach): it plans the change afresh from the file as it is now',
			exitCode: exitCodes.badInput,
		};
	}

	const result = await deps.config.apply(edit);
	if (isWizardError(result)) {
		return result;
	}

	context.log.note(`wrote ${edit.path} (spec.addonPackage.path = ${edit.newPaths.join(', ')}); backup ${result.backupPath}`);
	context.emit({type: 'config-written', at: deps.clock.now(), path: edit.path, backupPath: result.backupPath, stepId: step.id});
	return {edit, backupPath: result.backupPath};
}
