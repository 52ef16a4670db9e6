// Charts are verified, and counts are what was measured, over a real registry, the ChartMuseum
// stand-in and the installer simulator told to upload no chart (DCE5_SIM_NO_CHART_UPLOAD=1): it
// still says "Syncing" for every chart and pushes every image. The wizard used to report "Charts:
// 3 charts synced" and `verify` exited 0 on an empty index.yaml; now the step is not verified
// (exit 6) and each missing chart is named by name and version, in `run --yes`, its RunResult and
// `verify` (text and JSON). A chart repository that refuses the wizard is "not verified" (exit 7).
import {readFile, rm} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runResultSchema} from '../../source/report/contract/run-result.js';
import {verificationDocumentSchema} from '../../source/report/contract/verification.js';
import {cliPath, makeClusterFixture, type ClusterFixture} from '../helpers/cluster-fixture.js';
import {runProgram, type ProgramResult} from '../helpers/run-program.js';

let f: ClusterFixture;
const missingCharts = ['dao-2048@1.4.1', 'metrics-server@3.8.3', 'nginx@15.1.0'];

async function cli(args: string[], env: Record<string, string> = {}): Promise<ProgramResult> {
	return runProgram(process.execPath, [cliPath, ...args, '-c', f.configPath], {
		cwd: f.workdir,
		env: {...f.env, CI: 'true', ...env},
		timeoutMs: 120_000,
	});
}

async function indexYaml(): Promise<string> {
	return readFile(path.join(f.testBed!.chartRepo!.storageDir, 'index.yaml'), 'utf8').catch(() => '(none)');
}

beforeAll(async () => {
	f = await makeClusterFixture({
		packages: [{version: 'v0.13.9', arch: 'amd64'}],
		testBed: {},
		simulatorEnv: {DCE5_SIM_DELAY_MS: '0', DCE5_SIM_NO_CHART_UPLOAD: '1'},
	});
}, 120_000);

afterAll(async () => {
	await f?.stop();
	await rm(f?.root ?? '/nonexistent', {recursive: true, force: true});
});

describe('an installer that pushes every image and uploads no chart', () => {
	it('run --yes: the step is not verified (exit 6), each chart named, counts from the reads', async () => {
		const resultFile = path.join(f.root, 'result.json');
		const run = await cli(['run', '--yes', '-p', f.packages[0]!.path, '--result-file', resultFile]);
		const said = run.stdout + run.stderr;
		expect(run.code, said).toBe(6);
		expect(await indexYaml()).not.toMatch(/dao-2048/);
		expect(said).toMatch(
			/3 of 3 charts are not in the chart repository http:\/\/127\.0\.0\.1:\d+ \(dao-2048@1\.4\.1, metrics-server@3\.8\.3, nginx@15\.1\.0\)/,
		);
		// What the registry and the repository showed, and the installer's own account beside it, as its own.
		expect(said).toContain(
			'Images: 3 pushed, 0 already there, 0 missing. Charts: 0 uploaded, 0 already there, 3 missing (dao-2048@1.4.1, metrics-server@3.8.3, nginx@15.1.0).',
		);
		expect(said).toContain('(installer reported: 3 charts synced, 3 images pushed)');
		expect(said).not.toContain('Charts: 3 charts synced');

		const result = runResultSchema.parse(JSON.parse(await readFile(resultFile, 'utf8')));
		expect(result.outcome).toBe('verification-failed');
		expect(result.exitCode).toBe(6);
		expect(result.steps[0]!.chartsMissing).toEqual(missingCharts);
		expect(result.counts?.images).toMatchObject({pushed: 3, alreadyThere: 0, missing: 0});
		expect(result.counts?.charts).toMatchObject({uploaded: [], alreadyThere: [], missing: missingCharts});
		expect(result.counts?.installerReported).toMatchObject({chartsSynced: 3, imagesPushed: 3});
	}, 180_000);

	it('verify: exit 6 naming chart and version, in text and in JSON', async () => {
		const text = await cli(['verify', '-p', f.packages[0]!.path]);
		expect(text.code, text.stdout + text.stderr).toBe(6);
		expect(text.stdout).toContain('addon-wizard: NOT verified: 3 of 3 charts are not in the chart repository');
		expect(text.stdout).toContain('dao-2048@1.4.1');
		expect(text.stdout).toMatch(/charts: http:\/\/127\.0\.0\.1:\d+; 0 of 3 chart versions listed in its index\.yaml/);

		const json = await cli(['verify', '--json', '-p', f.packages[0]!.path]);
		expect(json.code, json.stderr).toBe(6);
		const document = verificationDocumentSchema.parse(JSON.parse(json.stdout));
		expect(document.verified).toBe(false);
		expect(document.missing.count).toBe(0);
		expect(document.charts?.expected).toBe(3);
		expect(document.charts?.missing).toEqual({count: 3, first: missingCharts});
	}, 120_000);

	it('run --yes: a chart repository that refuses the wizard leaves the step not verified (exit 7), with its cause', async () => {
		const run = await cli(['run', '--yes', '--reimport', '-p', f.packages[0]!.path], {
			ADDON_WIZARD_CHART_REPO_PASSWORD: 'not-the-password',
		});
		const said = run.stdout + run.stderr;
		expect(run.code, said).toBe(7);
		expect(said).toMatch(/the chart repository http:\/\/127\.0\.0\.1:\d+ could not be read, so its 3 chart\(s\) are not known: .*\(401\)/i);
		expect(said).toContain('Images: 0 pushed, 3 already there, 0 missing. Charts: not counted, the chart repository could not be read.');
	}, 180_000);

	it('verify: a chart repository that refuses the wizard is not verified (exit 7), with its cause', async () => {
		const refused = await cli(['verify', '-p', f.packages[0]!.path], {ADDON_WIZARD_CHART_REPO_PASSWORD: 'not-the-password'});
		expect(refused.code, refused.stdout + refused.stderr).toBe(7);
		expect(refused.stdout).toMatch(
			/NOT verified: All 3 images .* are at their tags in the registry.*\. The chart repository http:\/\/127\.0\.0\.1:\d+ could not be read/,
		);
		expect(refused.stdout).toMatch(/next: .*addon-wizard verify/);
	}, 120_000);
});
