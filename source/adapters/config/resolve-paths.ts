// Finds the files the procedure names: clusterConfig.yaml, manifest.yaml and dce5-installer.
import {access, constants, stat} from 'node:fs/promises';
import path from 'node:path';
import {exitCodes, type WizardError} from '../../domain/shared/wizard-error.js';
import {missingInterpreter, whyNotExecutable} from '../host/why-not-executable.js';

const configCandidates = ['clusterConfig.yaml', path.join('offline', 'sample', 'clusterConfig.yaml')];

async function isFile(file: string): Promise<boolean> {
	return (await stat(file).catch(() => undefined))?.isFile() ?? false;
}

export async function locateClusterConfig(explicit: string | undefined, cwd: string): Promise<string | WizardError> {
	if (explicit) {
		return path.resolve(cwd, explicit);
	}

	for (const candidate of configCandidates) {
		const full = path.join(cwd, candidate);
		if (await isFile(full)) {
			return full;
		}
	}

	return {
		kind: 'config-missing',
		message: `No clusterConfig.yaml in ${cwd} or ${path.join(cwd, 'offline', 'sample')}.`,
		hint: 'Pass -c /path/to/clusterConfig.yaml.',
		exitCode: exitCodes.badInput,
	};
}

export function manifestPathFor(configPath: string, explicit?: string): string {
	return explicit ? path.resolve(explicit) : path.join(path.dirname(configPath), 'manifest.yaml');
}

export type InstallerLocation = {
	path: string;
	/** Something is at `path`: the program, or a directory where it should be. */
	found: boolean;
	executable: boolean;
	/** The path is a directory (an unpacked installer folder), not the program. */
	isDirectory?: true;
	/** Why the kernel would refuse to run it although it is executable (a binary for another CPU). */
	cannotRun?: string;
	/** The interpreter its `#!` line names, when this machine lacks it. */
	missingInterpreter?: string;
};

/** What is at `file`, checked the way exec(2) will: a regular file, executable, for this CPU, with its interpreter. */
export async function probeInstaller(file: string, searchPath?: string): Promise<InstallerLocation> {
	const info = await stat(file).catch(() => undefined);
	if (info?.isDirectory()) {
		return {path: file, found: true, executable: false, isDirectory: true};
	}

	if (!info?.isFile()) {
		return {path: file, found: false, executable: false};
	}

	const executable = await access(file, constants.X_OK).then(
		() => true,
		() => false,
	);
	const cannotRun = executable ? whyNotExecutable(file) : undefined;
	const interpreter = executable && !cannotRun ? missingInterpreter(file, searchPath) : undefined;
	return {
		path: file,
		found: true,
		executable,
		...(cannotRun ? {cannotRun} : {}),
		...(interpreter ? {missingInterpreter: interpreter} : {}),
	};
}

const usable = (location: InstallerLocation) => location.found && !location.isDirectory;

/**
 * --installer, else ~/dce5-installer (where the procedure runs it from), else dce5-installer on
 * PATH. A directory of that name is passed over for a program further on, and named when there is none.
 */
export async function resolveInstaller(explicit: string | undefined, env: {HOME: string; PATH?: string}): Promise<InstallerLocation> {
	if (explicit) {
		return probeInstaller(path.resolve(explicit), env.PATH);
	}

	const home = await probeInstaller(path.join(env.HOME, 'dce5-installer'), env.PATH);
	if (usable(home)) {
		return home;
	}

	for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
		const candidate = await probeInstaller(path.join(dir, 'dce5-installer'), env.PATH);
		if (usable(candidate)) {
			return candidate;
		}
	}

	return home;
}
