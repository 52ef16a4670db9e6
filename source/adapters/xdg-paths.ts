// Where addon-wizard keeps what it learns (cache) and what it must remember across
// sessions (state: run records, logs), following the XDG base-directory convention.
import os from 'node:os';
import path from 'node:path';

type Env = Record<string, string | undefined>;

function base(env: Env, variable: string, fallback: string): string {
	const value = env[variable];
	// XDG says relative values are invalid and must be ignored.
	return value && path.isAbsolute(value) ? value : path.join(env['HOME'] ?? os.homedir(), fallback);
}

export function cacheDir(env: Env = process.env): string {
	return path.join(base(env, 'XDG_CACHE_HOME', '.cache'), 'addon-wizard');
}

export function stateDir(env: Env = process.env): string {
	return path.join(base(env, 'XDG_STATE_HOME', path.join('.local', 'state')), 'addon-wizard');
}

export function logsDir(env: Env = process.env): string {
	return path.join(stateDir(env), 'logs');
}
