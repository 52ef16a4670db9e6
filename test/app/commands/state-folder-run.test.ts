// run --yes with a state folder that cannot be written (a part of XDG_STATE_HOME is a regular file,
// which stops root as well): one line naming the folder and why, a next step that works, no "see
// the log" (none could be written) and no duration for a run that never started.
import {existsSync} from 'node:fs';
import {readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliPath, makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';
import {runProgram, type ProgramResult} from '../../helpers/run-program.js';

let made: ClusterFixture;
let blocker: string;
let stateHome: string;

async function cli(args: string[]): Promise<ProgramResult> {
	return runProgram(process.execPath, [cliPath, ...args], {
		cwd: made.workdir,
		env: {...made.env, CI: 'true', XDG_STATE_HOME: stateHome},
	});
}

const run = (...extra: string[]) => ['run', '--yes', '--no-verify', '-c', made.configPath, '-p', made.packages[0]!.path, ...extra];

beforeAll(async () => {
	expect(existsSync(cliPath), 'run `npm run build` first (npm test does)').toBe(true);
	made = await makeClusterFixture({packages: [{version: 'v0.13.9', arch: 'amd64'}], imagesAndCharts: 'official-service'});
	blocker = path.join(made.root, 'not-a-folder');
	await writeFile(blocker, 'x');
	stateHome = path.join(blocker, 'state');
});

afterAll(async () => {
	await rm(made.root, {recursive: true, force: true});
});

describe('a state folder that cannot be written', () => {
	it('run --yes names the folder and why, says what to do, and runs nothing', async () => {
		const configBefore = await readFile(made.configPath, 'utf8');
		const result = await cli(run());
		expect(result.code).toBe(2);
		const state = path.join(stateHome, 'addon-wizard');
		const said = `${result.stdout}${result.stderr}`;
		expect(said).toContain(
			`addon-wizard: Cannot write the wizard's state folder ${state} (run records and logs): ${blocker} is a file, not a folder; nothing was run.`,
		);
		expect(said).toContain(`next: Move it aside (mv ${blocker} ${blocker}.bak), or set XDG_STATE_HOME to a writable folder`);
		expect(said).toContain('addon-wizard: import failed before it started');
		// What the run says (the plan above it reads the history, and says so on its own line).
		const runLines = said.split('\n').filter(line => line.startsWith('addon-wizard:') || line.startsWith('  next:'));
		expect(runLines.join('\n')).not.toMatch(/see the log|failed after|ENOENT|ENOTDIR|mkdir '/i);
		expect(await readFile(made.configPath, 'utf8')).toBe(configBefore);
		expect(existsSync(path.join(made.workdir, 'addon-offline-target-package'))).toBe(false);
	});

	it('--json ends in a RunResult with the error id and the same next step', async () => {
		const result = await cli(run('--json'));
		expect(result.code).toBe(2);
		const last = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
		expect(last).toMatchObject({kind: 'RunResult', outcome: 'failed', exitCode: 2, changed: false, errorId: 'state-not-writable'});
		expect(last['summary']).toContain(`${blocker} is a file, not a folder`);
		expect(last['nextStep']).toContain('export XDG_STATE_HOME=/var/tmp/addon-wizard-$(id -un)');
		expect(last['logPath']).toBeUndefined();
	});

	it('runs once XDG_STATE_HOME names a writable folder, as the next step says', async () => {
		stateHome = path.join(made.root, 'writable-state');
		const result = await cli(run());
		expect(result.code).toBe(0);
		expect(existsSync(path.join(stateHome, 'addon-wizard', 'logs'))).toBe(true);
	});
});
