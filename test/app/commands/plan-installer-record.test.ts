// `plan` (the built CLI) on settings the installer's own record knows to fail: an external chart
// repository of type jfrog (a known issue of installer v0.8.0), and a builtin registry whose port
// refuses connections (its kind container not restarted after a reboot). Both said with a next step.
import {existsSync} from 'node:fs';
import {rm, writeFile} from 'node:fs/promises';
import process from 'node:process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {planDocumentSchema} from '../../../source/report/contract/plan.js';
import {cliPath, clusterConfigText, makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';
import {freePort} from '../../helpers/registry.js';
import {runProgram} from '../../helpers/run-program.js';

let f: ClusterFixture;

async function plan(args: string[]) {
	return runProgram(process.execPath, [cliPath, 'plan', '-c', f.configPath, '-p', f.packages[0]!.path, ...args], {
		cwd: f.workdir,
		env: {...f.env, CI: 'true'},
		timeoutMs: 60_000,
	});
}

beforeAll(async () => {
	expect(existsSync(cliPath), 'run `npm run build` first (npm test does)').toBe(true);
	f = await makeClusterFixture({packages: [{version: 'v0.10.3', arch: 'amd64'}]});
});

afterAll(async () => {
	await f?.stop();
	await rm(f?.root ?? '/nonexistent', {recursive: true, force: true});
});

describe('plan: what the installer record says', () => {
	it('warns that an external jfrog chart repository is a known failure of installer v0.8.0, in text and JSON', async () => {
		const [registryPort, chartPort] = [await freePort(), await freePort()];
		const block = [
			'  imagesAndCharts:',
			'    type: external',
			`    externalImageRepo: http://127.0.0.1:${registryPort}`,
			'    externalChartRepoType: jfrog',
			`    externalChartRepo: http://127.0.0.1:${chartPort}/artifactory/api/helm/addon`,
			'',
		].join('\n');
		await writeFile(f.configPath, clusterConfigText(undefined, '', block));

		const text = await plan([]);
		const flat = text.stdout.replaceAll(/\n\s*/g, ' ');
		expect(flat).toMatch(
			/\[WARN\]\s+clusterConfig\.yaml sets imagesAndCharts\.externalChartRepoType: jfrog: dce5-installer v0\.8\.0 cannot upload addon packages to an external JFrog chart repository \(a known issue in its release notes\)\./,
		);
		expect(flat).toMatch(/next: Use a ChartMuseum or Harbor chart repository \(externalChartRepoType: chartmuseum or harbor\)/);

		const json = await plan(['--json']);
		const document = planDocumentSchema.parse(JSON.parse(json.stdout));
		const finding = document.findings.find(item => item.id === 'installer-known-issue');
		expect(finding).toMatchObject({severity: 'warning'});
		expect(finding?.hint).toContain('chartmuseum or harbor');
	});

	it('names the kind container when the builtin registry refuses connections, with podman restart as the next step', async () => {
		const [registryPort, chartPort] = [await freePort(), await freePort()];
		const tinder = [
			'  bootstrapNode: 127.0.0.1',
			'  tinderKind:',
			'    instanceName: my-cluster-installer',
			`    registryPort: ${registryPort}`,
			`    chartmuseumPort: ${chartPort}`,
			'',
		].join('\n');
		await writeFile(f.configPath, clusterConfigText(undefined, tinder));

		const text = await plan([]);
		const flat = text.stdout.replaceAll(/\n\s*/g, ' ');
		expect(flat).toContain(
			`Cannot reach the registry at https://127.0.0.1:${registryPort}: connection refused (ECONNREFUSED). The builtin registry lives in the bootstrap node's kind container my-cluster-installer-control-plane, which does not start by itself after a reboot: the likely cause.`,
		);
		expect(flat).toContain(
			'next: On the bootstrap node (127.0.0.1) run podman restart my-cluster-installer-control-plane, then plan again.',
		);

		const json = await plan(['--json']);
		const document = JSON.parse(json.stdout) as {registry?: {problem?: {hint: string}}};
		expect(document.registry?.problem?.hint).toContain('podman restart my-cluster-installer-control-plane');
	});

	it('finds the container by its suffix when clusterConfig.yaml does not name the kind instance', async () => {
		const registryPort = await freePort();
		const tinder = ['  bootstrapNode: 127.0.0.1', '  tinderKind:', `    registryPort: ${registryPort}`, ''].join('\n');
		await writeFile(f.configPath, clusterConfigText(undefined, tinder));

		const flat = (await plan([])).stdout.replaceAll(/\n\s*/g, ' ');
		expect(flat).toContain('kind container *-installer-control-plane, which does not start by itself after a reboot');
		expect(flat).toContain('run podman restart $(podman ps -aq --filter name=installer-control-plane), then plan again.');
	});
});
