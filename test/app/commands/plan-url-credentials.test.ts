// A login written into the registry's URL (`externalImageRepo: http://admin:PASS@host`, the chart
// repository's too) is a password like any other: `plan`, in text and JSON, names the URL with the
// user kept and the password masked, and the password itself appears nowhere in the output.
import {readFile, rm, writeFile} from 'node:fs/promises';
import process from 'node:process';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {cliPath, clusterConfigText, makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';
import {runProgram} from '../../helpers/run-program.js';

const password = 'Url-Pass-4711';
let f: ClusterFixture;

beforeAll(async () => {
	f = await makeClusterFixture({packages: [{version: 'v0.30.0', arch: 'amd64'}]});
	// Nothing listens on port 1: the plan names the registry and says it could not be read.
	const block = [
		'  imagesAndCharts:',
		'    type: external',
		`    externalImageRepo: http://admin:${password}@127.0.0.1:1`,
		`    externalChartRepo: http://charts:${encodeURIComponent(password)}@127.0.0.1:1`,
		'',
	].join('\n');
	await writeFile(f.configPath, clusterConfigText(undefined, '', block));
}, 120_000);

afterAll(async () => {
	await f?.stop();
	await rm(f?.root ?? '/nonexistent', {recursive: true, force: true});
});

const plan = async (...extra: string[]) =>
	runProgram(process.execPath, [cliPath, 'plan', '-c', f.configPath, '-p', f.packages[0]!.path, ...extra], {
		cwd: f.workdir,
		env: {...f.env, CI: 'true'},
		timeoutMs: 60_000,
	});

it('masks the password of a URL login in the text plan, and says which URL it read', async () => {
	const result = await plan();
	expect(result.stdout).toContain('imagesAndCharts.externalImageRepo is http://admin:********@127.0.0.1:1');
	expect(result.stdout + result.stderr).not.toContain(password);
	expect(await readFile(f.configPath, 'utf8')).toContain(password);
});

it('masks it in the JSON plan too', async () => {
	const result = await plan('--json');
	expect(() => JSON.parse(result.stdout) as unknown).not.toThrow();
	expect(result.stdout).toContain('charts:********@127.0.0.1:1');
	expect(result.stdout + result.stderr).not.toContain(password);
	expect(result.stdout + result.stderr).not.toContain(encodeURIComponent(password));
});
