// `dce5-installer --version`, for the run history: asked once per installer path and process, with
// a short timeout and its output capped, so an installer that does something else with the flag
// (prints its help, waits) costs two seconds at most and is simply not named by version.
import {execFile} from 'node:child_process';

const timeoutMs = 2000;
const seen = new Map<string, Promise<string | undefined>>();

function ask(installerPath: string): Promise<string | undefined> {
	return new Promise(resolve => {
		execFile(installerPath, ['--version'], {timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024, encoding: 'utf8'}, (error, stdout) => {
			// `dce5-installer v0.27.0 (simulator)`: the first line that names a version.
			const line = error ? undefined : stdout.split('\n').find(text => /\bv?\d+\.\d+\.\d+/.test(text));
			resolve(line?.trim().slice(0, 120));
		});
	});
}

export async function installerVersion(installerPath: string): Promise<string | undefined> {
	let answer = seen.get(installerPath);
	if (!answer) {
		answer = ask(installerPath);
		seen.set(installerPath, answer);
	}

	return answer;
}
