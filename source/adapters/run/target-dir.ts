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
import {dirSize} from '../host/dir-size.js';

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

export async function measureLeftover(step: Pick<PlanStep, 'cwd'>): Promise<{path: string; bytes: number} | undefined> {
	const target = path.join(step.cwd, targetDirName);
	const info = await lstat(target).catch(() => undefined);
	if (!info) {
		return undefined;
	}

	return {path: target, bytes: info.isDirectory() ? await dirSize(target) : info.size};
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

/** Who is writing into a directory right now; empty when nobody is. */
export type WriterCheck = (target: string, workdir: string) => Promise<LiveWriter[]>;

/**
 * Removes the step's leftover after the checks above and `writers`: asked last, just before the
 * removal, so the answer is as fresh as it can be. Without `writers` only the directory is checked
 * (tests of the directory rules); every caller in the product passes one.
 */
export async function cleanupLeftover(
	step: Pick<PlanStep, 'cwd'>,
	writers?: WriterCheck,
): Promise<{path: string; freedBytes: number} | WizardError> {
	const checked = await checkLeftover(step.cwd);
	if ('exitCode' in checked) {
		return checked;
	}

	const live = writers ? await writers(await realpath(checked.path), await realpath(step.cwd)) : [];
	if (live.length > 0) {
		return liveWriterRefusal(checked.path, live);
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
