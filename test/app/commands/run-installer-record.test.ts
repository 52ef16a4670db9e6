// `run --yes` (the built CLI) against real sites, on what the installer's own record says about
// the end of an import: the first error of a retry loop is quoted beside the last; a successful
// import says the charts show in Container Management only after "sync repository"; a step that
// finished but whose registry could not be read back (exit 7) advises `verify` with the flag it
// lacked, never "clean up and retry", which would re-run a good import.
import {existsSync} from 'node:fs';
import {rm} from 'node:fs/promises';
import process from 'node:process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runResultSchema} from '../../../source/report/contract/run-result.js';
import {cliPath, makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';
import {runProgram} from '../../helpers/run-program.js';

const fixtures: ClusterFixture[] = [];

async function site(options: Parameters<typeof makeClusterFixture>[0]): Promise<ClusterFixture> {
	const made = await makeClusterFixture(options);
	fixtures.push(made);
	return made;
}

async function cli(f: ClusterFixture, args: string[], env: Record<string, string> = {}) {
	return runProgram(process.execPath, [cliPath, ...args], {
		cwd: f.workdir,
		env: {...f.env, CI: 'true', DCE5_SIM_DELAY_MS: '0', ...env},
		timeoutMs: 120_000,
	});
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as unknown;

beforeAll(() => {
	expect(existsSync(cliPath), 'run `npm run build` first (npm test does)').toBe(true);
});

afterAll(async () => {
	for (const made of fixtures) {
		await made.stop();
		await rm(made.root, {recursive: true, force: true});
	}
});

describe('run --yes: what the installer record says about the end of an import', () => {
	it('quotes the first error of a retry loop as well as the last, in text and in the RunResult', async () => {
		const f = await site({packages: [{version: 'v0.10.3', arch: 'amd64'}]});
		const args = ['run', '--yes', '-c', f.configPath, '-p', f.packages[0]!.path];
		const text = await cli(f, args, {DCE5_SIM_RETRY_FAIL: '8'});
		expect(text.code, text.stdout + text.stderr).toBe(4);
		const said = text.stdout + text.stderr;
		expect(said).toMatch(
			/ {2}first error line \(of 9\): Error: failed to push image \S+ \(attempt 1\/8\): Patch "[^"]+\/blobs\/uploads\/": EOF/,
		);
		expect(said).toContain('  last error line: [Error]:[Error] import addon failed');

		// The leftover of the failed step is removed by --cleanup; the same loop fails the same way.
		const json = await cli(f, [...args, '--json', '--cleanup'], {DCE5_SIM_RETRY_FAIL: '8'});
		const result = runResultSchema.parse(lastJson(json.stdout));
		expect(result.outcome).toBe('failed');
		expect(result.installerErrors?.first).toMatch(/\(attempt 1\/8\): Patch ".*": EOF$/);
		expect(result.installerErrors?.last).toBe('[Error]:[Error] import addon failed');
		const stepEnd = json.stdout
			.trim()
			.split('\n')
			.map(line => JSON.parse(line) as {event?: string; failure?: {firstError?: string}})
			.find(line => line.event === 'step-end');
		expect(stepEnd?.failure?.firstError).toMatch(/\(attempt 1\/8\)/);
	});

	it('says after a successful import that the charts show in Container Management only after "sync repository"', async () => {
		const f = await site({packages: [{version: 'v0.10.3', arch: 'amd64'}], testBed: {}});
		const text = await cli(f, ['run', '--yes', '-c', f.configPath, '-p', f.packages[0]!.path]);
		expect(text.code, text.stdout + text.stderr).toBe(0);
		expect(text.stdout).toContain(
			'addon-wizard: note: Container Management shows the imported charts (Helm templates) only once its addon Helm repository is synced: choose "sync repository" on that repository\'s row.',
		);

		const json = await cli(f, ['run', '--yes', '--json', '--reimport', '-c', f.configPath, '-p', f.packages[0]!.path]);
		const result = runResultSchema.parse(lastJson(json.stdout));
		expect(result.outcome).toBe('succeeded');
		expect(result.notes?.map(note => note.id)).toEqual(['sync-chart-repository']);
	});

	it('after exit 7 (a certificate not trusted) advises verify with --registry-ca, and that command verifies the import', async () => {
		const f = await site({packages: [{version: 'v0.10.3', arch: 'amd64'}], testBed: {tls: true}});
		const text = await cli(f, ['run', '--yes', '-c', f.configPath, '-p', f.packages[0]!.path]);
		expect(text.code, text.stdout + text.stderr).toBe(7);
		expect(text.stderr).not.toContain('clean up and retry');
		const advice =
			/addon-wizard: to check what the step left: (addon-wizard verify .*--registry-ca FILE) \(the CA that signed its certificate; or --registry-insecure to skip the check\)/.exec(
				text.stderr,
			);
		expect(advice, text.stderr).not.toBeNull();
		expect(text.stdout).not.toContain('note: Container Management');

		const caPath = f.testBed!.registry.caPath!;
		const [, ...verifyArgs] = advice![1]!.replace('FILE', caPath).split(' ');
		const verified = await cli(f, verifyArgs);
		expect(verified.code, verified.stdout + verified.stderr).toBe(0);
	});
});
