// The wizard in a real terminal with a state folder it cannot write (a part of XDG_STATE_HOME is
// a regular file, which stops root as well): the Result names the folder and why, says what to
// do, never "see the log", and gives no duration for a run that never started.
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {describe, expect, it} from 'vitest';
import {cliPath} from '../helpers/cluster-fixture.js';
import {e2eScratch, flat} from '../helpers/e2e-scratch.js';

const {fixture, tmux} = e2eScratch();

describe('a state folder the wizard cannot write', () => {
	it('the Result says which folder and why, and what to do, before anything ran', async () => {
		const made = await fixture({packages: [{version: 'v0.13.9', arch: 'amd64'}], simulatorEnv: {DCE5_SIM_DELAY_MS: '5'}});
		const blocker = path.join(made.root, 'not-a-folder');
		await writeFile(blocker, 'x');
		const session = await tmux({
			argv: [process.execPath, cliPath, '-c', made.configPath, '--search', made.packagesDir, '--no-verify'],
			cwd: made.workdir,
			env: {...made.env, XDG_STATE_HOME: path.join(blocker, 'state')},
			columns: 100,
			rows: 30,
		});
		await session.waitFor(screen => screen.includes('read ok, no checksum'));
		await session.sendKeys('Space', 'Enter');
		await session.waitFor('Pre-flight');
		await session.sendKeys('Enter');
		await session.waitFor('Run now?');
		await session.sendKeys('y');
		const result = flat(await session.waitFor('Failed before it started', 60_000));
		expect(result).toContain('✘ Failed before it started: nothing was run.');
		expect(result).toContain(`Cause: Cannot write the wizard's state folder ${path.join(blocker, 'state', 'addon-wizard')}`);
		expect(result).toContain(`${blocker} is a file, not a folder`);
		expect(result).toContain(`Next: Move it aside (mv ${blocker} ${blocker}.bak), or set XDG_STATE_HOME to a writable folder`);
		expect(result).not.toMatch(/see the log|failed after|l open the log/i);
		await session.sendKeys('q');
		expect(await session.waitForExit()).toBe(2);
	}, 120_000);
});
