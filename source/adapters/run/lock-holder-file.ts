// Where a run's locks are and what they hold. The working directory's lock is
// `<workdir>/.addon-wizard.lock`: the installer writes addon-offline-target-package there, so every
// operator who can run there can create and remove it. The config's lock is
// `.<name>.addon-wizard.lock` beside the real clusterConfig.yaml (through symlinks, so every path to
// one file meets one lock): the wizard writes the config's backup there already, and two operators
// in different working directories still meet there. Its text is JSON (the holder), ending in a
// newline so a reader can tell a finished lock from one being written; it holds no password.
import {realpathSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {z} from 'zod';
import type {LockHolder} from '../../domain/run/lock-holder.js';
import {sameProcessAlive} from '../host/process-identity.js';

export const workdirLockName = '.addon-wizard.lock';

const real = (file: string) => {
	try {
		return realpathSync(path.resolve(file));
	} catch {
		return path.resolve(file);
	}
};

export function workdirLockFile(workdir: string): string {
	return path.join(real(workdir), workdirLockName);
}

export function configLockFile(configPath: string): string {
	const file = real(configPath);
	return path.join(path.dirname(file), `.${path.basename(file)}.addon-wizard.lock`);
}

const holderSchema = z.object({
	apiVersion: z.literal('addon-wizard/v1'),
	kind: z.literal('RunLock'),
	pid: z.number().int().positive(),
	identity: z.string().optional(),
	user: z.string(),
	uid: z.number().int(),
	host: z.string(),
	command: z.string(),
	since: z.iso.datetime(),
	configPath: z.string(),
	recordPath: z.string(),
	logPath: z.string().optional(),
});

export function holderText(holder: LockHolder): string {
	const {since, ...rest} = holder;
	return `${JSON.stringify({apiVersion: 'addon-wizard/v1', kind: 'RunLock', ...rest, since: new Date(since).toISOString()})}\n`;
}

/** The holder a finished lock names; undefined for anything else (damaged, or not a lock at all): such a lock is stale. */
export function parseHolder(text: string): LockHolder | undefined {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return undefined;
	}

	const parsed = holderSchema.safeParse(value);
	if (!parsed.success) {
		return undefined;
	}

	const {apiVersion: _version, kind: _kind, since, ...holder} = parsed.data;
	return {...holder, since: Date.parse(since)};
}

export const thisHost = (): string => os.hostname();

/** Whether the holder still runs: a live pid that is still that process. On another host (a shared folder) it cannot be told: it counts as running. */
export function holderAlive(holder: LockHolder | undefined): boolean {
	if (!holder) {
		return false;
	}

	return holder.host !== thisHost() || sameProcessAlive(holder.pid, holder.identity);
}
