// The wizard's own registry and chart repository logins (ADDON_WIZARD_*_USER / _PASSWORD) are for
// its reads: a real `run --yes` hands the installer simulator (and its `--version` probe) an
// environment without them, while the rest (PATH, HOME, the simulator's knobs) still arrives.
import {readFile, rm} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {cliPath, makeClusterFixture, type ClusterFixture} from '../helpers/cluster-fixture.js';
import {runProgram} from '../helpers/run-program.js';

let f: ClusterFixture;

beforeAll(async () => {
	f = await makeClusterFixture({packages: [{version: 'v0.30.0', arch: 'amd64'}], testBed: {}});
}, 120_000);

afterAll(async () => {
	await f?.stop();
	await rm(f?.root ?? '/nonexistent', {recursive: true, force: true});
});

/** Each invocation the simulator saw: its arguments and the names of the variables it was given. */
async function invocations(report: string): Promise<Array<{args: string; names: string[]}>> {
	const text = await readFile(report, 'utf8');
	return text
		.split('--\n')
		.filter(Boolean)
		.map(block => {
			const [args = '', ...names] = block.trimEnd().split('\n');
			return {args, names};
		});
}

it('keeps the wizard’s own logins out of the installer’s environment', async () => {
	const report = path.join(f.root, 'installer-env.txt');
	const result = await runProgram(process.execPath, [cliPath, 'run', '--yes', '-c', f.configPath, '-p', f.packages[0]!.path], {
		cwd: f.workdir,
		env: {
			...f.env,
			CI: 'true',
			DCE5_SIM_ENV_REPORT: report,
			ADDON_WIZARD_REGISTRY_USER: 'wizard-reader',
			ADDON_WIZARD_REGISTRY_PASSWORD: 'wizard-secret',
			ADDON_WIZARD_CHART_REPO_USER: 'chart-reader',
			ADDON_WIZARD_CHART_REPO_PASSWORD: 'chart-secret',
		},
		timeoutMs: 90_000,
	});
	const seen = await invocations(report);
	// The import itself and the --version probe for the history both ran under the report.
	expect(seen.map(item => item.args)).toEqual(expect.arrayContaining([expect.stringMatching(/^cluster-create /), '--version']));
	for (const item of seen) {
		expect(item.names, item.args).toContain('PATH');
		expect(item.names, item.args).toContain('DCE5_SIM_ENV_REPORT');
		expect(
			item.names.filter(name => name.startsWith('ADDON_WIZARD_')),
			item.args,
		).toEqual([]);
	}

	expect(result.stdout + result.stderr).not.toContain('wizard-secret');
}, 120_000);
