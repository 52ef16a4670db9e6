// vitest setupFiles entry: after each test file (its own afterAll hooks ran first), fails that file
// when a registry, stand-in or temp folder it started is still there, naming it, and cleans it up.
// test-bed-guard.ts checks the whole run once more at the end, for starts outside any test file.
import {rmSync} from 'node:fs';
import {afterAll, expect} from 'vitest';
import {describeLeak, findLeaks, ledgerEnv} from './test-bed-ledger.js';

afterAll(() => {
	const ledger = process.env[ledgerEnv];
	const testPath = expect.getState().testPath;
	if (!ledger || !testPath) {
		return;
	}

	const leaks = findLeaks(ledger).filter(leak => leak.startedBy === testPath);
	for (const leak of leaks) {
		if (leak.running) {
			try {
				process.kill(leak.pid, 'SIGKILL');
			} catch {}
		}

		if (leak.root) {
			rmSync(leak.root, {recursive: true, force: true});
		}
	}

	if (leaks.length > 0) {
		throw new Error(
			`This file left ${leaks.length} test-bed item(s) behind (now cleaned up):\n${leaks.map(leak => `  - ${describeLeak(leak)}`).join('\n')}`,
		);
	}
});
