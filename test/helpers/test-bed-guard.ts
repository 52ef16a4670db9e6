// vitest globalSetup: opens the test-bed ledger before any test file runs and, after the last one,
// fails the run when a registry, stand-in or temp folder a helper started is still there. The leak
// is cleaned up before failing, so one leaking test does not leave a machine full of registries.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describeLeak, findLeaks, ledgerEnv} from './test-bed-ledger.js';

export default function setup(): () => void {
	const dir = mkdtempSync(path.join(tmpdir(), 'addon-wizard-ledger-'));
	const file = path.join(dir, 'ledger.jsonl');
	// Set before the workers start, so every test file's helpers inherit it.
	process.env[ledgerEnv] = file;
	return () => {
		const leaks = findLeaks(file);
		for (const leak of leaks) {
			if (leak.running) {
				try {
					process.kill(leak.pid, 'SIGKILL');
				} catch {}
			}

			if (leak.rootLeft && leak.root) {
				rmSync(leak.root, {recursive: true, force: true});
			}
		}

		rmSync(dir, {recursive: true, force: true});
		if (leaks.length > 0) {
			process.exitCode = 1;
			throw new Error(
				`The test bed leaked ${leaks.length} item(s); they are cleaned up now, but the test must stop what it starts:\n${leaks.map(leak => `  - ${describeLeak(leak)}`).join('\n')}`,
			);
		}
	};
}
