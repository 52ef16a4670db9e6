// The one directory the wizard may delete: the installer's `addon-offline-target-package`
// inside a step's working directory, only when it is what it claims to be and no live installer
// (the wizard's own, another wizard's, one an operator started by hand) is still writing there.
import {lstat, readdir, realpath, rm, stat} from 'node:fs/promises';
import path from 'node:path';
import {formatBytes} from '../../domain/shared/format-bytes.js';
import {liveWriterRefusal, type LiveWriter} from '../../domain/run/live-writers.js';
import {exitCodes, type WizardError} from '../../domain/shared/wizard-error.js';
import {targetDirName} from '../../domain/packages/target-dir-name.js';
import type {PlanStep} from '../../domain/plan/plan.js';
import {
	consentCovers,
	describeUnexplained,
	type UnexplainedConsent,
	type UnexplainedFiles,
} from '../../domain/packages/leftover-explained.js';
import {dirSize} from '../host/dir-size.js';
import {unexplainedInLeftover} from './leftover-contents.js';

export {targetDirName} from '../../domain/packages/target-dir-name.js';

/** Names the installer writes; one of them inside proves the directory is its unpack. */
const installerMarks = /(\.bundle\.tar|\.bundle|^hints\.yaml|^Chart\.yaml|^images\.tar|^metadata\.yaml|^addon-offline-package)$/;

const refuse = (message: string, hint: string): WizardError => ({kind: 'cleanup-refused', message, hint, exitCode: exitCodes.failure});

async function looksLikeInstallers(dir: string, depth = 4): Promise<boolean> {
	const entries = await readdir(dir, {withFileTypes: true});
	if (depth === 4 && entries.length === 0) {
		return true; // The installer failed right after mkdir.
	}

	for (const entry of entries) {
		if (installerMarks.test(entry.name)) {
			return true;
		}

		if (depth > 0 && entry.isDirectory() && (await looksLikeInstallers(path.join(dir, entry.name), depth - 1))) {
			return true;
		}
	}

	return false;
}

/** The packages a step's leftover was unpacked from: the step's own, unless the caller knows the plan's. */
const stepPackages = (step: Pick<PlanStep, 'cwd'> & Partial<Pick<PlanStep, 'packagePath' | 'packagePaths'>>) =>
	step.packagePaths ?? (step.packagePath ? [step.packagePath] : []);

export async function measureLeftover(
	step: Pick<PlanStep, 'cwd'> & Partial<Pick<PlanStep, 'packagePath' | 'packagePaths'>>,
	packages: readonly string[] = stepPackages(step),
): Promise<{path: string; bytes: number; unexplained?: UnexplainedFiles} | undefined> {
	const target = path.join(step.cwd, targetDirName);
	const info = await lstat(target).catch(() => undefined);
	if (!info) {
		return undefined;
	}

	if (!info.isDirectory()) {
		return {path: target, bytes: info.size};
	}

	const unexplained = await unexplainedInLeftover(target, packages);
	return {path: target, bytes: await dirSize(target), ...(unexplained.count > 0 ? {unexplained} : {})};
}

/** The refusal when the directory holds what the packages do not explain and the operator did not name it. */
export function unexplainedRefusal(target: string, found: UnexplainedFiles): WizardError {
	const files = found.count === 1 ? '1 file' : `${found.count} files`;
	const why = found.why ? ` (${found.why})` : '';
	return {
		kind: 'cleanup-refused',
		message: `Refusing to clean ${target}: it holds ${files} the package does not explain${why}: ${describeUnexplained(found)}. Nothing was deleted.`,
		hint: `Move ${found.count === 1 ? 'it' : 'them'} out of ${target} if you want to keep ${found.count === 1 ? 'it' : 'them'}, or confirm the deletion with --cleanup-unexplained.`,
		exitCode: exitCodes.blocked,
	};
}

/** Checks that deleting `target` is safe; an error says why not. */
export async function checkLeftover(cwd: string): Promise<{path: string} | WizardError> {
	const target = path.join(cwd, targetDirName);
	const info = await lstat(target).catch(() => undefined);
	if (!info) {
		return refuse(`Nothing to clean: ${target} does not exist.`, 'Retry directly.');
	}

	if (info.isSymbolicLink()) {
		return refuse(
			`Refusing to clean ${target}: it is a symlink, not the installer's directory.`,
			'Check where it points and remove the link by hand if you are sure.',
		);
	}

	if (!info.isDirectory()) {
		return refuse(`Refusing to clean ${target}: it is a file, not the installer's directory.`, 'Move it aside by hand, then retry.');
	}

	const [realParent, realTarget] = await Promise.all([realpath(cwd), realpath(target)]);
	if (path.dirname(realTarget) !== realParent || path.basename(realTarget) !== targetDirName) {
		return refuse(`Refusing to clean ${target}: it resolves outside ${cwd}.`, 'Remove it by hand if you are sure.');
	}

	const parentInfo = await stat(realParent);
	if (parentInfo.dev !== info.dev) {
		return refuse(`Refusing to clean ${target}: it is a mount point.`, 'Unmount it or clean it by hand.');
	}

	if (!(await looksLikeInstallers(target))) {
		return refuse(
			`Refusing to clean ${target}: it holds no chart bundles, so it may not be the installer's.`,
			"Look inside; if it is the installer's, run rm -rf on it yourself.",
		);
	}

	return {path: target};
}

/**
 * What the clean-up compares the directory with (the packages; the step's own when absent) and what
 * the operator agreed may go that they do not explain. Every caller in the product passes one.
 */
export type LeftoverExplanation = {packages?: readonly string[]; consent?: UnexplainedConsent};

/** Who is writing into a directory right now; empty when nobody is. */
export type WriterCheck = (target: string, workdir: string) => Promise<LiveWriter[]>;

/**
 * Removes the step's leftover after the checks above and `writers`: asked last, just before the
 * removal, so the answer is as fresh as it can be. Without `writers` only the directory is checked
 * (tests of the directory rules); every caller in the product passes one.
 */
export async function cleanupLeftover(
	step: Pick<PlanStep, 'cwd'> & Partial<Pick<PlanStep, 'packagePath' | 'packagePaths'>>,
	writers?: WriterCheck,
	explain?: LeftoverExplanation,
): Promise<{path: string; freedBytes: number} | WizardError> {
	const checked = await checkLeftover(step.cwd);
	if ('exitCode' in checked) {
		return checked;
	}

	const live = writers ? await writers(await realpath(checked.path), await realpath(step.cwd)) : [];
	if (live.length > 0) {
		return liveWriterRefusal(checked.path, live);
	}

	// Read just before the removal: a file put there after the plan or the question is refused too.
	if (explain) {
		const found = await unexplainedInLeftover(checked.path, explain.packages ?? stepPackages(step));
		if (!consentCovers(found, explain.consent)) {
			return unexplainedRefusal(checked.path, found);
		}
	}

	const bytes = await dirSize(checked.path);
	try {
		// fs.rm removes symlinks inside the tree as links; it never follows them out.
		await rm(checked.path, {recursive: true});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? 'error';
		return refuse(
			`Could not remove ${checked.path} (${code}); ${formatBytes(bytes)} remain.`,
			'Check the permissions of the working directory, then retry.',
		);
	}

	return {path: checked.path, freedBytes: bytes};
}
