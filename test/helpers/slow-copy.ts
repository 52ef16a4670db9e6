// A copy under way, as scp makes one: a real child process that holds the target open for writing
// and appends a package's bytes slowly, never finishing until the test creates the gate file; then
// it writes the rest, closes the file and exits.
import {spawn, type ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import {writeFile} from 'node:fs/promises';

const writer = String.raw`
const fs = require('node:fs');
const [source, target, gate] = process.argv.slice(1);
const bytes = fs.readFileSync(source);
const fd = fs.openSync(target, 'w');
let written = Math.floor(bytes.length / 2);
fs.writeSync(fd, bytes, 0, written);
process.stdout.write('started\n');
const tick = setInterval(() => {
	if (fs.existsSync(gate)) {
		clearInterval(tick);
		fs.writeSync(fd, bytes, written, bytes.length - written);
		fs.closeSync(fd);
		process.exit(0);
	}
	// Slowly (80 bytes a second: a small package keeps growing for most of a minute), and never
	// to the end: the last bytes wait for the gate.
	const step = Math.min(16, Math.floor(bytes.length * 0.95) - written);
	if (step > 0) {
		fs.writeSync(fd, bytes, written, step);
		written += step;
	}
}, 200);
`;

export type SlowCopy = {child: ChildProcess; finish(): Promise<void>; stop(): void};

export async function startSlowCopy(source: string, target: string, gate: string): Promise<SlowCopy> {
	const child = spawn(process.execPath, ['-e', writer, source, target, gate], {stdio: ['ignore', 'pipe', 'inherit']});
	// Wait for its first bytes to be on disk with the file held open.
	await new Promise<void>((resolve, reject) => {
		child.stdout!.on('data', (chunk: Buffer) => {
			if (chunk.toString().includes('started')) {
				resolve();
			}
		});
		child.once('exit', code => {
			reject(new Error(`the slow copy exited early (${code})`));
		});
	});
	return {
		child,
		async finish() {
			const exited = child.exitCode === null ? once(child, 'exit') : Promise.resolve();
			await writeFile(gate, '');
			await exited;
		},
		stop() {
			if (child.exitCode === null) {
				child.kill('SIGKILL');
			}
		},
	};
}
