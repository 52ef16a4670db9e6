// `run --yes` as a script or Ansible drives it, over a real registry and chart repository: the
// plan says whether anything would change (--detailed-exitcode 8, then 0), a second run of the same
// import leaves the installer alone (its own trace proves it was not started) and --reimport starts
// it anyway, the RunResult ends the output and lands in --result-file, and the below-0.12.0
// upgrade over multi-arch tags is refused, by id, before anything changes, until --accept names it.
import {readFile, rm, stat} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runResultSchema} from '../../source/report/contract/run-result.js';
import {seedUpgradePackages} from '../helpers/build-package.js';
import {cliPath, makeClusterFixture, type ClusterFixture} from '../helpers/cluster-fixture.js';
import {inspectTag} from '../helpers/registry.js';
import {runProgram, type ProgramResult} from '../helpers/run-program.js';

let f: ClusterFixture;
let trace: string;
const tags = [
	['release.daocloud.io/daocloud/dao-2048', 'v1.4.1'],
	['docker.m.daocloud.io/metrics-server/metrics-server', 'v0.6.2'],
	['docker.m.daocloud.io/bitnami/nginx', '1.25.1'],
] as const;

const pkg = (version: string, arch: string) =>
	f.packages.find(item => item.fileName === `addon-offline-full-package-${version}-${arch}.tar.gz`)!.path;

async function cli(args: string[]): Promise<ProgramResult> {
	return runProgram(process.execPath, [cliPath, ...args, '-c', f.configPath], {
		cwd: f.workdir,
		env: {...f.env, CI: 'true'},
		timeoutMs: 60_000,
	});
}

/** The installer steps the simulator was started for, from its own trace (not `--version`). */
async function installerStarts(): Promise<string[]> {
	const text = await readFile(trace, 'utf8').catch(() => '');
	return text
		.split('\n')
		.filter(Boolean)
		.map(line => (JSON.parse(line) as {argv: string[]}).argv.slice(0, 2).join(' '))
		.filter(command => command !== '--version');
}

async function arches(): Promise<string[]> {
	const read = await Promise.all(tags.map(async ([repo, tag]) => inspectTag(f.testBed!.image, repo, tag)));
	return read.map(tag =>
		tag.kind === 'list' ? [...tag.platforms].sort().join('+') : tag.kind === 'image' ? `${tag.arch} image` : tag.kind,
	);
}

/** The last line of `--json` output, checked against the RunResult schema. */
const lastLine = (stdout: string): Record<string, unknown> => runResultSchema.parse(JSON.parse(stdout.trimEnd().split('\n').at(-1)!));

beforeAll(async () => {
	f = await makeClusterFixture({packages: seedUpgradePackages(), testBed: {}, simulatorEnv: {DCE5_SIM_DELAY_MS: '0'}});
	trace = path.join(f.root, 'installer-trace.jsonl');
	f.env['DCE5_SIM_TRACE'] = trace;
}, 60_000);

afterAll(async () => {
	await f?.stop();
	await rm(f?.root ?? '/nonexistent', {recursive: true, force: true});
});

describe('an import run twice without a terminal', () => {
	it('refuses a --result-file it could not write as bad input (exit 2), before any plan or installer', async () => {
		const missing = path.join(f.root, 'no-such-folder', 'result.json');
		const refused = await cli(['run', '--yes', '--result-file', missing, '-p', pkg('v0.10.3', 'amd64')]);
		expect(refused.code).toBe(2);
		expect(refused.stdout).toBe('');
		expect(refused.stderr.split('\n')[0]).toBe(
			`addon-wizard: --result-file ${missing}: the folder ${path.dirname(missing)} does not exist; nothing was run.`,
		);
		expect(await installerStarts()).toEqual([]);
	});

	it('plan --detailed-exitcode says 8 before the import; run --json ends with the RunResult that --result-file holds', async () => {
		const before = await cli(['plan', '--detailed-exitcode', '-p', pkg('v0.10.3', 'amd64')]);
		expect(before.code, before.stderr).toBe(8);
		expect(before.stdout).toContain(
			'Changes pending: 3 tags to add, 3 chart versions to upload, clusterConfig.yaml to edit\nPlan is ready.',
		);
		// Without the flag a good plan is 0, whatever it would change.
		expect((await cli(['plan', '-p', pkg('v0.10.3', 'amd64')])).code).toBe(0);

		const resultFile = path.join(f.root, 'result.json');
		const run = await cli(['run', '--yes', '--json', '--result-file', resultFile, '-p', pkg('v0.10.3', 'amd64')]);
		expect(run.code, run.stderr).toBe(0);
		const result = lastLine(run.stdout);
		expect(result).toMatchObject({
			apiVersion: 'addon-wizard/v1',
			kind: 'RunResult',
			outcome: 'succeeded',
			exitCode: 0,
			changed: true,
			config: f.configPath,
			steps: [{index: 1, title: 'Import addon v0.10.3 (amd64) with cluster-create -j13', outcome: 'done', verified: true}],
			hazards: [],
		});
		expect(result['summary']).toBe(
			'import finished: 1 of 1 step done (planned: changes pending: 3 tags to add, 3 chart versions to upload, clusterConfig.yaml to edit)',
		);
		expect(path.basename(String(result['logPath']))).toBe(`${String(result['runId'])}.log`);
		expect(run.stdout.split('\n').filter(line => line.includes('"kind":"RunResult"'))).toHaveLength(1);
		expect(await readFile(resultFile, 'utf8')).toBe(`${run.stdout.trimEnd().split('\n').at(-1)}\n`);
		expect((await stat(resultFile)).mode & 0o777).toBe(0o644);
		expect(await installerStarts()).toEqual(['cluster-create -c']);
		expect(await arches()).toEqual(['amd64 image', 'amd64 image', 'amd64 image']);
	});

	it('plan --detailed-exitcode then says 0, and a second run --yes does not start the installer; --reimport does', async () => {
		const after = await cli(['plan', '--detailed-exitcode', '-p', pkg('v0.10.3', 'amd64')]);
		expect(after.code, after.stderr).toBe(0);
		expect(after.stdout).toContain(
			'Nothing to change: the registry holds all 3 tags and the chart repository all 3 charts as the plan would leave them\n',
		);

		const config = await readFile(f.configPath, 'utf8');
		const again = await cli(['run', '--yes', '-p', pkg('v0.10.3', 'amd64')]);
		expect(again.code, again.stderr).toBe(0);
		expect(again.stdout.trimEnd().split('\n').at(-1)).toBe(
			'addon-wizard: nothing to change: the registry holds all 3 tags and the chart repository all 3 charts as the plan would leave them; the installer was not started (--reimport runs it anyway).',
		);
		expect(await installerStarts()).toEqual(['cluster-create -c']);
		expect(await readFile(f.configPath, 'utf8')).toBe(config);

		const json = await cli(['run', '--yes', '--json', '-p', pkg('v0.10.3', 'amd64')]);
		expect(json.code).toBe(0);
		expect(lastLine(json.stdout)).toMatchObject({
			kind: 'RunResult',
			outcome: 'nothing-to-do',
			exitCode: 0,
			changed: false,
			steps: [{index: 1, outcome: 'not-run'}],
			nextStep: 'Nothing to do; pass --reimport to run the installer anyway (after a registry was restored, say).',
		});
		expect(await installerStarts()).toEqual(['cluster-create -c']);

		const reimport = await cli(['run', '--yes', '--json', '--reimport', '-p', pkg('v0.10.3', 'amd64')]);
		expect(reimport.code, reimport.stderr).toBe(0);
		expect(lastLine(reimport.stdout)).toMatchObject({outcome: 'succeeded', changed: true});
		expect(await installerStarts()).toEqual(['cluster-create -c', 'cluster-create -c']);
	});
});

describe('the below-0.12.0 upgrade over multi-arch tags, unattended', () => {
	beforeAll(async () => {
		// The cluster made multi-arch: v0.10.3 arm64 integrated into the amd64 tags.
		const integrated = await cli(['run', '--yes', '-p', pkg('v0.10.3', 'arm64')]);
		expect(integrated.code, integrated.stdout + integrated.stderr).toBe(0);
		expect(await arches()).toEqual(['amd64+arm64', 'amd64+arm64', 'amd64+arm64']);
	}, 60_000);

	it('is refused with exit 3 before anything changes, naming the hazard and --accept; a mistyped id is said, not taken', async () => {
		const starts = await installerStarts();
		const config = await readFile(f.configPath, 'utf8');
		const refused = await cli(['run', '--yes', '--json', '--accept', 'below-012-single-arch', '-p', pkg('v0.11.2', 'amd64')]);
		expect(refused.code).toBe(3);
		expect(refused.stderr).toContain(
			'addon-wizard: warning: --accept below-012-single-arch: no finding has this id, so it accepts nothing (hazard ids: ',
		);
		expect(refused.stderr).toContain(
			'addon-wizard: refused: hazard below-0.12-single-arch: Upgrading to v0.11.2 (below 0.12.0) turns 3 multi-arch tags in the registry into amd64-only images, and nothing in the plan puts arm64 back: arm64 nodes cannot pull them.\n' +
				'  next: pass --accept below-0.12-single-arch to go ahead anyway. Choose the v0.11.2 arm64 package too, so the plan integrates it right after the upgrade.\n',
		);
		expect(lastLine(refused.stdout)).toMatchObject({
			kind: 'RunResult',
			outcome: 'refused',
			exitCode: 3,
			changed: false,
			summary: 'refused: hazard not accepted: below-0.12-single-arch',
			hazards: [{id: 'below-0.12-single-arch', accepted: false}],
		});
		expect(String(lastLine(refused.stdout)['nextStep'])).toMatch(/^Pass --accept below-0\.12-single-arch to go ahead anyway/);
		// Nothing changed: the tags are lists of both arches still, the config is as it was, no installer started.
		expect(await arches()).toEqual(['amd64+arm64', 'amd64+arm64', 'amd64+arm64']);
		expect(await readFile(f.configPath, 'utf8')).toBe(config);
		expect(await installerStarts()).toEqual(starts);

		// The plan shows the hazard with its id and the flag, above its verdict.
		const plan = await cli(['plan', '--detailed-exitcode', '-p', pkg('v0.11.2', 'amd64')]);
		expect(plan.code).toBe(8);
		expect(plan.stdout).toContain(
			'Hazard (run --yes refuses it until --accept names its id):\n  below-0.12-single-arch: Upgrading to v0.11.2',
		);
		expect(plan.stdout).toContain('          accept: --accept below-0.12-single-arch\n');
	});

	it('goes ahead with --accept below-0.12-single-arch, saying so, and the registry then holds amd64 only', async () => {
		const accepted = await cli(['run', '--yes', '--accept', 'below-0.12-single-arch', '-p', pkg('v0.11.2', 'amd64')]);
		expect(accepted.stderr).toContain('addon-wizard: going ahead despite hazard below-0.12-single-arch (--accept below-0.12-single-arch).');
		// What was accepted happened, and the verification says so (exit 6, as before the gate).
		expect(accepted.code).toBe(6);
		expect((await installerStarts()).at(-1)).toBe('cluster-create -c');
		expect(await arches()).toEqual(['amd64 image', 'amd64 image', 'amd64 image']);
	});
});
