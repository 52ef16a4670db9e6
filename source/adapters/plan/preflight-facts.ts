// The facts the pre-flight checklist needs from the filesystem, read without changing anything:
// the working directory, a leftover addon-offline-target-package in it, and each chosen package
// as it is now (a download tool's partial file beside it, its size and time).
import {access, constants, lstat, stat} from 'node:fs/promises';
import path from 'node:path';
import {targetDirName} from '../../domain/packages/target-dir-name.js';
import type {PreflightFacts} from '../../domain/plan/plan.js';
import {dirSize} from '../host/dir-size.js';
import {resolveLossyPath} from '../host/lossy-path.js';
import {unexplainedInLeftover} from '../run/leftover-contents.js';

export type PreflightQuery = {workdir: string; packages: Array<{path: string; fileName: string}>};

export type GatheredFacts = Pick<PreflightFacts, 'workdir' | 'leftover' | 'packages'>;

/** What browsers and download tools keep beside a file they are still writing (Firefox, Chrome, aria2, Safari). */
const partialSuffixes = ['.part', '.crdownload', '.aria2', '.download'];

/** Root passes access(2) everywhere; a folder its owner made read-only still is not ours to fill. */
export async function canWriteDir(dir: string): Promise<boolean> {
	const info = await stat(dir).catch(() => undefined);
	if (!info?.isDirectory() || (info.mode & 0o222) === 0) {
		return false;
	}

	return access(dir, constants.W_OK | constants.X_OK).then(
		() => true,
		() => false,
	);
}

async function workdirFacts(dir: string): Promise<PreflightFacts['workdir']> {
	const info = await stat(dir).catch(() => undefined);
	return {path: dir, exists: info !== undefined, isDirectory: info?.isDirectory() ?? false, writable: await canWriteDir(dir)};
}

async function leftoverFacts(dir: string, packages: readonly string[]): Promise<PreflightFacts['leftover']> {
	const target = path.join(dir, targetDirName);
	const info = await lstat(target).catch(() => undefined);
	if (!info) {
		return undefined;
	}

	const type = info.isDirectory() ? 'directory' : info.isSymbolicLink() ? 'symlink' : info.isFile() ? 'file' : 'other';
	if (type !== 'directory') {
		return {path: target, type, bytes: info.size};
	}

	// Said on the plan, before anything asks: what a clean-up would refuse to delete.
	const unexplained = await unexplainedInLeftover(target, packages);
	return {path: target, type, bytes: await dirSize(target), ...(unexplained.count > 0 ? {unexplained} : {})};
}

async function packageFacts(item: {path: string; fileName: string}): Promise<PreflightFacts['packages'][number]> {
	// A path that is not UTF-8 comes as shown (`\xff` escaped): stat its bytes, or it would look gone.
	const target = (await resolveLossyPath(item.path)) ?? item.path;
	const beside = (suffix: string) => (typeof target === 'string' ? `${target}${suffix}` : Buffer.concat([target, Buffer.from(suffix)]));
	const [now, siblings] = await Promise.all([
		stat(target).catch(() => undefined),
		Promise.all(
			partialSuffixes.map(async suffix =>
				lstat(beside(suffix)).then(
					() => `${item.fileName}${suffix}`,
					() => undefined,
				),
			),
		),
	]);
	const partial = siblings.find(name => name !== undefined);
	return {
		path: item.path,
		fileName: item.fileName,
		...(partial ? {partial} : {}),
		...(now ? {sizeNow: now.size, mtimeNow: now.mtimeMs} : {}),
	};
}

export async function gatherPreflightFacts(query: PreflightQuery): Promise<GatheredFacts> {
	const [workdir, leftover, packages] = await Promise.all([
		workdirFacts(query.workdir),
		leftoverFacts(
			query.workdir,
			query.packages.map(item => item.path),
		),
		Promise.all(query.packages.map(async item => packageFacts(item))),
	]);
	return {workdir, ...(leftover ? {leftover} : {}), packages};
}
