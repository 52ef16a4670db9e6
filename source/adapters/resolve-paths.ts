// Finds the files the procedure names: clusterConfig.yaml, manifest.yaml and dce5-installer.
import {access, constants, stat} from 'node:fs/promises';
import path from 'node:path';
import {exitCodes, type WizardError} from '../domain/model.js';
import {whyNotExecutable} from './why-not-executable.js';

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
	found: boolean;
	executable: boolean;
	/** Why the kernel would refuse to run it although it is executable (a binary for another CPU). */
	cannotRun?: string;
};

async function probe(file: string): Promise<InstallerLocation> {
	const found = await isFile(file);
	const executable = found && await access(file, constants.X_OK).then(() => true, () => false);
	const cannotRun = executable ? whyNotExecutable(file) : undefined;
	return cannotRun ? {path: file, found, executable, cannotRun} : {path: file, found, executable};
}

/** --installer, else ~/dce5-installer (where the procedure runs it from), else dce5-installer on PATH. */
export async function resolveInstaller(explicit: string | undefined, env: {HOME: string; PATH?: string}): Promise<InstallerLocation> {
	if (explicit) {
		return probe(path.resolve(explicit));
	}

	const home = await probe(path.join(env.HOME, 'dce5-installer'));
	if (home.found) {
		return home;
	}

	for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
		const candidate = await probe(path.join(dir, 'dce5-installer'));
		if (candidate.found) {
			return candidate;
		}
	}

	return home;
}
