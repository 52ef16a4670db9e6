// Runs a program with pipes for stdin, stdout and stderr (no terminal), as a script on a jump
// host would, and gives back what a person would look at: exit status and both streams.
import {execFile} from 'node:child_process';

export type ProgramResult = {code: number | null; stdout: string; stderr: string};

export async function runProgram(
	file: string,
	args: string[],
	options: {cwd: string; env: Record<string, string>; timeoutMs?: number},
): Promise<ProgramResult> {
	return new Promise(resolve => {
		execFile(
			file,
			args,
			{cwd: options.cwd, env: options.env, maxBuffer: 64 << 20, timeout: options.timeoutMs ?? 30_000},
			(error, stdout, stderr) => {
				const code = error ? (typeof (error as {code?: unknown}).code === 'number' ? (error as {code: number}).code : null) : 0;
				resolve({code, stdout, stderr});
			},
		);
	});
}
