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
import type {LockHolder} from '../../domain/run/lock-holder.js';
import {sameProcessAlive} from '../host/process-identity.js';
import {int, literal, object, optional, string, type Shape} from '../shared/stored-shape.js';

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

/** An ISO date-time in UTC, as `toISOString` writes it (zod's `iso.datetime()`: `Z`, seconds optional). */
const isoDateTime: Shape = (value, path) =>
	typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z$/.test(value) && !Number.isNaN(Date.parse(value))
		? undefined
		: {path, message: 'Invalid ISO datetime'};

const holderShape = object(
	{
		apiVersion: literal('addon-wizard/v1'),
		kind: literal('RunLock'),
		pid: int({min: 1}),
		identity: optional(string),
		user: string,
		uid: int(),
		host: string,
		command: string,
		since: isoDateTime,
		configPath: string,
		recordPath: string,
		logPath: optional(string),
	},
	{strip: true},
);

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

	if (holderShape(value, []) !== undefined) {
		return undefined;
	}

	const {apiVersion: _version, kind: _kind, since, ...holder} = value as LockHolder & {apiVersion: string; kind: string; since: string};
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
