// The built CLI against the Harbor stand-in in front of a real docker-registry, with the installer
// simulator pushing for real: every run verified, the <0.12.0 conversion caught with the exact
// command of the chained integration (and --chain running it), `verify` with and without -p,
// --json and its exit codes, and `history` after the runs.
import {historyDocumentSchema} from '../../../source/report/contract/history.js';
import {verificationDocumentSchema} from '../../../source/report/contract/verification.js';
import {existsSync} from 'node:fs';
import {rm} from 'node:fs/promises';
import process from 'node:process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {bumpedCharts, seedUpgradePackages} from '../../helpers/build-package.js';
import {cliPath, makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';
import {freePort, skopeoRaw} from '../../helpers/registry.js';
import {runProgram, type ProgramResult} from '../../helpers/run-program.js';
import {startTestBed, type TestBed} from '../../helpers/test-bed.js';

const refs = [
	'release.daocloud.io/daocloud/dao-2048:v1.4.1',
	'docker.m.daocloud.io/metrics-server/metrics-server:v0.6.2',
	'docker.m.daocloud.io/bitnami/nginx:1.25.1',
];

let bed: TestBed;
let f: ClusterFixture;
const pkg = (version: string, arch: string) =>
	f.packages.find(item => item.fileName === `addon-offline-full-package-${version}-${arch}.tar.gz`)!.path;

async function cli(args: string[], env: Record<string, string> = {}): Promise<ProgramResult> {
	return runProgram(process.execPath, [cliPath, ...args], {
		cwd: f.workdir,
		env: {...f.env, CI: 'true', DCE5_SIM_DELAY_MS: '0', ...env},
		timeoutMs: 60_000,
	});
}

async function platforms(ref: string): Promise<string> {
	const raw = JSON.parse((await skopeoRaw(bed.image, ref))!) as {manifests?: Array<{platform: {architecture: string}}>; config?: unknown};
	return raw.manifests
		? raw.manifests
				.map(item => item.platform.architecture)
				.sort()
				.join('+')
		: 'single image';
}

beforeAll(async () => {
	expect(existsSync(cliPath), 'run `npm run build` first (npm test does)').toBe(true);
	bed = await startTestBed({harbor: {projects: ['release.daocloud.io', 'docker.m.daocloud.io']}});
	f = await makeClusterFixture({
		packages: [
			...seedUpgradePackages(),
			{version: 'v0.11.3', arch: 'amd64', charts: bumpedCharts('amd64', 2)},
			{version: 'v0.11.3', arch: 'arm64', charts: bumpedCharts('arm64', 2)},
		],
		testBed: bed,
	});
}, 120_000);

afterAll(async () => {
	await f?.stop();
	await bed?.stop();
	await rm(f?.root ?? '/nonexistent', {recursive: true, force: true});
});

describe('run, verify and history against Harbor', () => {
	it('verify before anything ran: nothing to verify, exit 2, saying what to pass', async () => {
		const result = await cli(['verify', '-c', f.configPath]);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('Nothing to verify: no package given, and none found from the history or clusterConfig.yaml.');
		expect(result.stderr).toContain('next: Pass the packages the cluster should have with -p PATH');
	});

	it('imports v0.10.3 amd64 and integrates v0.10.3 arm64, each verified against Harbor (exit 0)', async () => {
		const imported = await cli(['run', '--yes', '-c', f.configPath, '-p', pkg('v0.10.3', 'amd64')]);
		expect(imported.code, imported.stdout + imported.stderr).toBe(0);
		expect(imported.stdout).toContain(
			`addon-wizard: step cluster-create: Verified against ${bed.image.url}: all 3 images of the v0.10.3 amd64 package are in the registry; tags carry amd64.`,
		);
		const integrated = await cli(['run', '--yes', '-c', f.configPath, '-p', pkg('v0.10.3', 'arm64')]);
		expect(integrated.code, integrated.stdout + integrated.stderr).toBe(0);
		expect(integrated.stdout).toMatch(
			/step integrate-arm64-\d: Verified against .*: all 3 images of the v0\.10\.3 arm64 package are in the registry; tags carry amd64, arm64\./,
		);
	});

	it('history after two runs: both steps, newest first, with installer and verification; --json the same', async () => {
		const plain = await cli(['history', '-c', f.configPath]);
		expect(plain.code).toBe(0);
		const lines = plain.stdout.split('\n');
		expect(lines[0]).toBe(`addon-wizard: 2 step(s) run against ${f.configPath} (cluster my-cluster), newest first:`);
		expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC {2}import -addon v0\.10\.3 arm64 {2}installer ok$/);
		expect(lines[2]).toMatch(
			/^ {2}verified: All 3 images of the v0\.10\.3 arm64 package are in the registry; tags carry amd64, arm64\. All 3 chart versions are in the chart repository http:\/\/127\.0\.0\.1:\d+\.$/,
		);
		// Each step says whether undo can put its tags back (a snapshot was saved before it).
		expect(lines[5]).toMatch(/^ {2}undo: available \(addon-wizard undo --run run-[\d-]+ --step 1\)$/);
		expect(lines[6]).toMatch(/cluster-create v0\.10\.3 amd64 {2}installer ok$/);
		expect(plain.stdout).toContain('dce5-installer v0.27.0 (simulator)');
		const json = historyDocumentSchema.parse(JSON.parse((await cli(['history', '--json', '-c', f.configPath])).stdout));
		expect(json.entries.map(entry => [entry.stepKind, entry.verification?.verified])).toEqual([
			['import-addon', true],
			['cluster-create', true],
		]);
	});

	it('the amd64-only upgrade to v0.11.2: exit 6, the lost tags and cause, and the exact command of the chained integration, which then verifies', async () => {
		// The conversion loses arm64: an unattended run goes ahead only with it accepted by id.
		const upgraded = await cli([
			'run',
			'--yes',
			'--accept',
			'below-0.12-single-arch',
			'-c',
			f.configPath,
			'--search',
			f.packagesDir,
			'-p',
			pkg('v0.11.2', 'amd64'),
		]);
		expect(upgraded.code, upgraded.stdout + upgraded.stderr).toBe(6);
		expect(upgraded.stdout).toMatch(
			/Not verified against .*: 3 tag\(s\) lost arm64 \(.*\)\. v0\.11\.2 is below 0\.12\.0: its charts-syncer replaced their multi-arch lists with amd64-only images\./,
		);
		expect(upgraded.stdout).toContain('addon-wizard: import finished, but the registry does not hold what it should after');
		const command = `addon-wizard run --yes -c ${f.configPath} -p ${pkg('v0.11.2', 'arm64')}`;
		expect(upgraded.stdout).toContain(`addon-wizard: next: integrate the v0.11.2 arm64 package (tags lost arm64):\n  ${command}\n`);
		// Running the same step again would only lose arm64 again: that is not what it suggests.
		expect(upgraded.stderr).not.toContain('--cleanup --from-step');
		expect(await platforms(refs[0]!)).toBe('single image');
		// attach on the run that ended says how, with the same exit code.
		const attached = await cli(['attach', '-c', f.configPath]);
		expect(attached.code).toBe(6);
		expect(attached.stdout).toMatch(/ended: not verified \(the registry does not hold what the step should have left\) after \d+:\d\d\./);

		const chained = await cli(command.split(' ').slice(1));
		expect(chained.code, chained.stdout + chained.stderr).toBe(0);
		expect(chained.stdout).toMatch(
			/Verified against .*: all 3 images of the v0\.11\.2 arm64 package are in the registry; tags carry amd64, arm64\./,
		);
		for (const ref of refs) {
			expect(await platforms(ref), ref).toBe('amd64+arm64');
		}
	});

	it('with --chain, run --yes integrates the other arch itself after the conversion, and exits as that run did (0)', async () => {
		const result = await cli([
			'run',
			'--yes',
			'--chain',
			'--accept',
			'below-0.12-single-arch',
			'-c',
			f.configPath,
			'--search',
			f.packagesDir,
			'-p',
			pkg('v0.11.3', 'amd64'),
		]);
		expect(result.code, result.stdout + result.stderr).toBe(0);
		expect(result.stdout).toContain('addon-wizard: --chain: integrating the v0.11.3 arm64 package now');
		expect(result.stdout).toMatch(
			/3 tag\(s\) lost arm64[\s\S]*--chain: integrating[\s\S]*all 3 images of the v0\.11\.3 arm64 package are in the registry; tags carry amd64, arm64\./,
		);
		for (const ref of refs) {
			expect(await platforms(ref), ref).toBe('amd64+arm64');
		}
	});

	it('verify without -p checks what the history says the cluster has (v0.11.3 amd64 and arm64): verified, exit 0', async () => {
		const result = await cli(['verify', '-c', f.configPath]);
		expect(result.code, result.stdout + result.stderr).toBe(0);
		const [summary, registry, charts, packages] = result.stdout.split('\n');
		expect(summary).toMatch(
			/^addon-wizard: verified: All 6 images of the v0\.11\.3 amd64, v0\.11\.3 arm64 packages are at their tags in the registry; tags carry amd64, arm64\. All 3 chart versions are in the chart repository http:\/\/127\.0\.0\.1:\d+\.$/,
		);
		expect(charts).toMatch(/^ {2}charts: http:\/\/127\.0\.0\.1:\d+; 3 of 3 chart versions listed in its index\.yaml$/);
		expect(registry).toMatch(
			new RegExp(`^ {2}registry: ${bed.image.url} \\(plain HTTP: nothing is encrypted\\); 6 images at 3 tags, read in \\d+\\.\\d s$`),
		);
		expect(packages).toMatch(
			/^ {2}packages: the run history: cluster-create of addon-offline-full-package-v0\.11\.3-amd64\.tar\.gz on .*; import-addon of addon-offline-full-package-v0\.11\.3-arm64\.tar\.gz on .*; the cluster runs amd64, arm64$/,
		);
		// Progress only when the read takes over a second (a loaded machine), and then nothing else on stderr.
		expect(
			result.stderr
				.split('\n')
				.filter(Boolean)
				.every(line => /^verifying \d of 3 tags$|^waiting for the registry at \S+ to answer…$/.test(line)),
			result.stderr,
		).toBe(true);
	});

	it("verify without -p and without a history (another user's state): what clusterConfig.yaml names, said as its source", async () => {
		const result = await cli(['verify', '-c', f.configPath], {XDG_STATE_HOME: `${f.root}/other-state`});
		expect(result.code, result.stdout + result.stderr).toBe(0);
		expect(result.stdout).toContain('addon-wizard: verified: All 3 images of the v0.11.3 amd64 package are at their tags in the registry.');
		expect(result.stdout).toContain(
			'  packages: spec.addonPackage.path of clusterConfig.yaml (the wizard has not run against this cluster)',
		);
	});

	it('verify -p of a version the registry no longer holds: exit 6 naming the tags with another image; --json says the same', async () => {
		const plain = await cli(['verify', '-c', f.configPath, '-p', pkg('v0.10.3', 'amd64')]);
		expect(plain.code).toBe(6);
		expect(plain.stdout.split('\n')[0]).toMatch(
			/^addon-wizard: NOT verified: 3 tag\(s\) hold another image than the v0\.10\.3 amd64 package's \(/,
		);
		expect(plain.stdout).toContain('  next: Something else pushed over them');
		const json = await cli(['verify', '--json', '-c', f.configPath, '-p', pkg('v0.10.3', 'amd64')]);
		expect(json.code).toBe(6);
		const report = verificationDocumentSchema.parse(JSON.parse(json.stdout));
		expect(report).toMatchObject({
			apiVersion: 'addon-wizard/v1',
			kind: 'Verification',
			verified: false,
			registry: bed.image.url,
			different: {count: 3},
			missing: {count: 0},
		});
	});

	it('verify against a registry that does not answer: exit 7, the cause and what to check', async () => {
		const url = `http://127.0.0.1:${await freePort()}`;
		const result = await cli(['verify', '-c', f.configPath, '--registry', url, '-p', pkg('v0.11.3', 'amd64')]);
		expect(result.code).toBe(7);
		expect(result.stderr).toContain(`Cannot reach the registry at ${url}: connection refused (ECONNREFUSED).`);
		expect(result.stderr).toContain('next: ');
	});
});
