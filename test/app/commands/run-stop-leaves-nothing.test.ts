// Stopping `run --yes` (SIGINT, as CI cancel sends it) with the built CLI and the installer
// simulator: whatever the installer started goes with it, a child that took a process group of its
// own included, and the output names what was stopped. /proc is read straight, after the wizard exited.
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {rm} from 'node:fs/promises';
import process from 'node:process';
import {setTimeout as delay} from 'node:timers/promises';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliPath, makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';
import {sessionMembers, type SessionMember} from '../../helpers/proc-session.js';

let made: ClusterFixture;
const leftovers: number[] = [];

beforeAll(async () => {
	expect(existsSync(cliPath), 'run `npm run build` first (npm test does)').toBe(true);
	made = await makeClusterFixture({packages: [{version: 'v0.13.9', arch: 'amd64'}], imagesAndCharts: 'official-service'});
});

afterAll(async () => {
	// Whatever a failed case left running goes, so it cannot outlive the suite.
	for (const pid of leftovers) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			// Gone already: what the test wants.
		}
	}

	await rm(made.root, {recursive: true, force: true});
});

/** Polls /proc until `found` holds for the installer's group and session. */
async function waitForMembers(leader: number, found: (members: SessionMember[]) => boolean): Promise<SessionMember[]> {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const members = await sessionMembers(leader);
		if (found(members)) {
			return members;
		}

		if (Date.now() > deadline) {
			throw new Error(`never seen; last: ${JSON.stringify(members)}`);
		}

		await delay(50);
	}
}

describe('SIGINT to run --yes while the installer has a child in a group of its own', () => {
	it('stops every process the installer started, leaves none alive after the wizard exits, and names them', async () => {
		const wizard = spawn(
			process.execPath,
			[cliPath, 'run', '--yes', '--no-verify', '--stop-grace', '1', '-c', made.configPath, '-p', made.packages[0]!.path],
			{
				cwd: made.workdir,
				// Slow enough that the import is still going when the orphan is there; the orphan outlives the simulator.
				env: {...made.env, CI: 'true', DCE5_SIM_DELAY_MS: '1000', DCE5_SIM_ORPHAN: '300'},
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		let output = '';
		wizard.stdout.on('data', (chunk: Buffer) => {
			output += chunk.toString();
		});
		wizard.stderr.on('data', (chunk: Buffer) => {
			output += chunk.toString();
		});
		const exited = new Promise<number | null>(resolve => {
			wizard.once('exit', resolve);
		});
		const installer = await (async () => {
			const deadline = Date.now() + 60_000;
			for (;;) {
				const found = /\(in \S+, pid (\d+)\)/.exec(output);
				if (found) {
					return Number(found[1]);
				}

				expect(Date.now(), output).toBeLessThan(deadline);
				await delay(50);
			}
		})();
		const before = await waitForMembers(installer, members => members.some(item => item.command === 'sleep'));
		leftovers.push(...before.map(item => item.pid));
		const orphan = before.find(item => item.command === 'sleep')!.pid;

		wizard.kill('SIGINT');
		expect(await exited).toBe(130);
		expect(await sessionMembers(installer), output).toEqual([]);
		expect(output).toContain('stopping the installer');
		expect(output).toMatch(new RegExp(`Stopped: [^\\n]*sleep \\(pid ${orphan}\\)`));
		expect(output).toMatch(new RegExp(`Stopped: [^\\n]*\\(pid ${installer}\\)`));
	}, 120_000);
});
