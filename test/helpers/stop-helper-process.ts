// How every test-bed helper stops what it started: the process (SIGTERM, then SIGKILL after 3 s),
// then its temp folder, then the ledger line crossed out. Calling it again does nothing.
import type {ChildProcess} from 'node:child_process';
import {rm} from 'node:fs/promises';
import {recordStop} from './test-bed-ledger.js';

export function helperStopper(child: ChildProcess, root: string, ledgerId: string): () => Promise<void> {
	let stopped = false;
	return async () => {
		if (stopped) {
			return;
		}

		stopped = true;
		if (child.exitCode === null && child.signalCode === null) {
			const exited = new Promise(resolve => child.once('exit', resolve));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
			await exited;
			clearTimeout(timer);
		}

		await rm(root, {recursive: true, force: true});
		recordStop(ledgerId);
	};
}
