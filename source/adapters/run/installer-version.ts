// `dce5-installer --version`, for the run history: asked once per installer path and process, with
// a short timeout and its output capped, so an installer that does something else with the flag
// (prints its help, waits, leaves a helper running) costs two seconds at most and is simply not
// named by version.
import {execa} from 'execa';

const timeoutMs = 2000;
const seen = new Map<string, Promise<string | undefined>>();

async function ask(installerPath: string, env: Record<string, string | undefined>): Promise<string | undefined> {
	// Its own process group, killed whole at the timeout: a helper it leaves behind holding stdout
	// would otherwise keep the answer (and the history entry) waiting for as long as it lives.
	const child = execa(installerPath, ['--version'], {
		detached: true,
		cleanup: false,
		env,
		extendEnv: false,
		maxBuffer: 64 * 1024,
		stdin: 'ignore',
		stderr: 'ignore',
		reject: false,
	});
	const timer = setTimeout(() => {
		try {
			process.kill(-child.pid!, 'SIGKILL');
		} catch {}
	}, timeoutMs);
	const result = await child.finally(() => {
		clearTimeout(timer);
	});
	// `dce5-installer v0.27.0 (simulator)`: the first line that names a version.
	const line = result.failed ? undefined : result.stdout.split('\n').find(text => /\bv?\d+\.\d+\.\d+/.test(text));
	return line?.trim().slice(0, 120);
}

/** `env` is the whole environment the installer runs with (the run's, less the wizard's logins). */
export async function installerVersion(installerPath: string, env: Record<string, string | undefined>): Promise<string | undefined> {
	let answer = seen.get(installerPath);
	if (!answer) {
		answer = ask(installerPath, env);
		seen.set(installerPath, answer);
	}

	return answer;
}
