// Where addon-wizard keeps what it learns (cache) and what it must remember across sessions
// (state: run records, logs, locks), by the XDG base-directory convention. Pure: the composition
// root passes the environment in.
import path from 'node:path';

type Env = Record<string, string | undefined>;

export type WizardPaths = {cache: string; state: string; logs: string; capture: string};

function base(env: Env, home: string, variable: string, fallback: string): string {
	const value = env[variable];
	// XDG says relative values are invalid and must be ignored.
	return value && path.isAbsolute(value) ? value : path.join(home, fallback);
}

export function wizardPaths(env: Env, home: string): WizardPaths {
	const state = path.join(base(env, home, 'XDG_STATE_HOME', path.join('.local', 'state')), 'addon-wizard');
	return {
		cache: path.join(base(env, home, 'XDG_CACHE_HOME', '.cache'), 'addon-wizard'),
		state,
		logs: path.join(state, 'logs'),
		capture: path.join(state, 'capture'),
	};
}
