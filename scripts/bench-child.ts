// A measurement in a process of its own, so its peak RSS is its own: the bundled bench script run
// with `--child JOB`, its stdout parsed as the measurement (shared by bench-registry and bench-undo).
import {spawn} from 'node:child_process';
import process from 'node:process';

export async function measureInChild<T>(script: string, flags: string[], job: {phase: string; size: number}): Promise<T> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [...flags, script, '--child', JSON.stringify(job)], {stdio: ['ignore', 'pipe', 'inherit']});
		let out = '';
		child.stdout.on('data', (chunk: Buffer) => {
			out += chunk.toString();
		});
		child.on('error', reject);
		child.on('close', code =>
			code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`measurement ${job.phase} ${job.size} exited ${code}`)),
		);
	});
}
