// `plan` against a real docker-registry and chart repository (the test bed), through the
// composition root: the installer simulator really imports v0.10.3 amd64 and integrates arm64
// into them, then the plans of the v0.11.2 upgrade are read back. No --cluster-arches anywhere:
// the registry says the cluster is multi-arch although clusterConfig.yaml names amd64 only.
import {execFile} from 'node:child_process';
import {rename, rm, writeFile} from 'node:fs/promises';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {preparePlan, runPlanCommand} from '../../../source/app/commands/plan-command.js';
import {isWizardError} from '../../../source/domain/shared/wizard-error.js';
import {planDocumentSchema} from '../../../source/report/contract/plan.js';
import type {Plan} from '../../../source/domain/plan/plan.js';
import {registryEnvironment} from '../../../source/domain/registry/location.js';
import {seedUpgradePackages} from '../../helpers/build-package.js';
import {clusterConfigText, makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';
import {freePort, startRegistry, type TestRegistry} from '../../helpers/registry.js';
import {servicesFor} from '../../helpers/services.js';

const run = promisify(execFile);
type Captured = {code: number; stdout: string; stderr: string};

const tagKeys = [
	'docker.m.daocloud.io/bitnami/nginx:1.25.1',
	'docker.m.daocloud.io/metrics-server/metrics-server:v0.6.2',
	'release.daocloud.io/daocloud/dao-2048:v1.4.1',
];

describe('plan against the registry the simulator filled', () => {
	let fixture: ClusterFixture;
	let oldAmd = '';
	let newAmd = '';
	let newArm = '';
	let tlsRegistry: TestRegistry;

	async function plan(argv: string[], env: Record<string, string> = {}): Promise<Captured> {
		const {options, services, output} = servicesFor(['plan', '-c', fixture.configPath, ...argv], {
			cwd: fixture.workdir,
			env: {...fixture.env, ...env},
		});
		const code = await runPlanCommand(options, services);
		return {code, ...output};
	}

	/** The plan itself, for what only the screens show (each tag, the arch sources); the JSON document is the contract. */
	async function planned(argv: string[], env: Record<string, string> = {}, config = fixture.configPath): Promise<Plan> {
		const {options, services} = servicesFor(['plan', '-c', config, ...argv], {cwd: fixture.workdir, env: {...fixture.env, ...env}});
		const prepared = await preparePlan(options, services);
		if (isWizardError(prepared)) {
			throw new Error(prepared.message);
		}

		return prepared.plan;
	}

	beforeAll(async () => {
		fixture = await makeClusterFixture({
			packages: seedUpgradePackages(),
			current: 0,
			testBed: {},
		});
		let oldArm = '';
		[oldAmd, oldArm, newAmd, newArm] = fixture.packages.map(item => item.path) as [string, string, string, string];
		// What the operator did before: the seed's import, then its multi-arch integration.
		const installer = path.join(fixture.home, 'dce5-installer');
		const options = {cwd: fixture.workdir, env: fixture.env};
		await run(installer, ['cluster-create', '-c', fixture.configPath, '-m', fixture.manifestPath, '-d', '-j13'], options);
		await run(installer, ['import', '-addon', '-c', fixture.configPath, `--addon-path=${oldArm}`], options);
		tlsRegistry = await startRegistry({tls: true});
	});

	afterAll(async () => {
		await tlsRegistry?.stop();
		await fixture?.stop();
		await rm(fixture.root, {recursive: true, force: true});
	});

	it('warns with no flag that upgrading to v0.11.2 with amd64 alone takes arm64 from 3 tags, and says to choose the arm64 package too', async () => {
		const result = await plan(['--json', '-p', newAmd]);
		expect(result.code).toBe(0);
		const document = planDocumentSchema.parse(JSON.parse(result.stdout));
		expect(document.registry).toMatchObject({checked: true, tags: {count: 3, byChange: {overwritten: 3}}, losingArches: ['arm64']});
		expect(document.hazards).toEqual([{id: 'below-0.12-single-arch', message: expect.stringContaining('amd64-only'), accepted: false}]);
		expect(document).toMatchObject({changed: true, blocked: false});
		const parsed = await planned(['-p', newAmd]);
		expect(parsed.cluster.addonPackagePaths).toEqual([oldAmd]);
		expect(parsed.registry).toMatchObject({
			checked: true,
			clusterArches: {arches: ['amd64', 'arm64'], sources: ['registry']},
			multiArchNow: 3,
			multiArchAfter: 0,
		});
		expect(parsed.registry!.tags.map(tag => [tag.key, tag.nowArches, tag.afterArches, tag.change])).toEqual(
			tagKeys.map(key => [key, ['amd64', 'arm64'], ['amd64'], 'overwritten']),
		);
		expect(parsed.registry!.images).toMatchObject({total: 3, different: 3, absent: 0});
		const hazard = parsed.findings.find(finding => finding.code === 'arch-conflict-below-0.12');
		expect(hazard?.message).toBe(
			'Upgrading to v0.11.2 (below 0.12.0) turns 3 multi-arch tags in the registry into amd64-only images, and nothing in the plan puts arm64 back: arm64 nodes cannot pull them.',
		);
		expect(hazard?.hint).toBe('Choose the v0.11.2 arm64 package too, so the plan integrates it right after the upgrade.');
		expect(parsed.preflight?.find(check => check.code === 'arch-conflict-below-0.12')?.status).toBe('warn');
		expect(parsed.diffs.chartsAgainst).toEqual({source: 'repository', url: `${fixture.testBed!.chart.url}/index.yaml`});
		expect(parsed.diffs.charts.map(chart => `${chart.name} ${chart.from} ${chart.change} ${chart.to}`)).toEqual([
			'dao-2048 1.4.1 upgraded 1.4.2',
			'metrics-server 3.8.3 upgraded 3.8.4',
			'nginx 15.1.0 upgraded 15.1.1',
		]);
	});

	it('with the v0.11.2 arm64 package chosen too, integrates it right after and says the tags are restored', async () => {
		const parsed = await planned(['-p', newAmd, '-p', newArm]);
		expect(parsed.steps.map(step => step.kind)).toEqual(['cluster-create', 'import-addon']);
		expect(parsed.registry!.tags.map(tag => [tag.afterArches, tag.lostDuringPlan, tag.lostAtEnd])).toEqual(
			tagKeys.map(() => [['amd64', 'arm64'], ['arm64'], []]),
		);
		const hazard = parsed.findings.find(finding => finding.code === 'arch-conflict-below-0.12');
		expect(hazard?.message).toBe(
			'Upgrading to v0.11.2 (below 0.12.0) turns 3 multi-arch tags in the registry into amd64-only images until step 2 integrates arm64 again.',
		);
		expect(parsed.diffs.multiArchImages.map(image => image.ref)).toEqual(tagKeys);
	});

	it('prints the Registry section in text: where, the counts, the tags, and the hazard', async () => {
		const result = await plan(['-p', newAmd]);
		expect(result.stdout).toContain(
			`Registry ${fixture.testBed!.image.url}: imagesAndCharts.externalImageRepo is ${fixture.testBed!.image.url}; user ${fixture.testBed!.image.username} from clusterConfig.yaml; plain HTTP, nothing encrypted`,
		);
		expect(result.stdout).toContain('  Images: 3 in the plan: 0 absent, 0 the same image, 3 a different image (by config digest)');
		expect(result.stdout).toContain('  Cluster arches: amd64, arm64 (the registry shows amd64 in 3, arm64 in 3 of the 3 tags read)');
		expect(result.stdout).toContain('  [WARN] 3 tags lose arm64 (the plan does not put them back)');
		expect(result.stdout).toContain('    release.daocloud.io/daocloud/dao-2048:v1.4.1  amd64+arm64 -> amd64  overwritten (loses arm64)');
		expect(result.stdout).toContain('  Registry spaces: none needed:');
		expect(result.stdout).not.toContain(fixture.testBed!.image.password);
	});

	it('compares the charts with the repository even when the package clusterConfig.yaml names is gone', async () => {
		const aside = `${oldAmd}.moved`;
		await rename(oldAmd, aside);
		try {
			const parsed = await planned(['-p', newAmd]);
			expect(parsed.baselines).toEqual([]);
			expect(parsed.diffs.chartsAgainst).toEqual({source: 'repository', url: `${fixture.testBed!.chart.url}/index.yaml`});
			expect(parsed.diffs.charts.map(chart => chart.change)).toEqual(['upgraded', 'upgraded', 'upgraded']);
			expect(parsed.findings.map(finding => finding.code)).toContain('arch-conflict-below-0.12');
		} finally {
			await rename(aside, oldAmd);
		}
	});

	it('--create-spaces on a plain registry says none are needed and why, and creates nothing', async () => {
		const result = await plan(['-p', newAmd, '--create-spaces']);
		expect(result.stderr).toContain(
			`addon-wizard: --create-spaces: nothing to create: ${fixture.testBed!.image.url} answers the registry API but not Harbor's (/api/v2.0/ping), so it has no projects and none need to exist.`,
		);
		expect(result.code).toBe(0);
	});

	it('finds a builtin registry on the bootstrap node the config names, HTTPS on tinderKind.registryPort, trusting the CA given', async () => {
		const chartPort = new URL(fixture.testBed!.chart.url).port;
		const builtin = path.join(fixture.root, 'builtin-clusterConfig.yaml');
		await writeFile(
			builtin,
			clusterConfigText(
				oldAmd,
				`  bootstrapNode: 127.0.0.1\n  tinderKind:\n    registryPort: ${new URL(tlsRegistry.url).port}\n    chartmuseumPort: ${chartPort}\n`,
				'  imagesAndCharts:\n    type: builtin\n',
			),
		);
		const parsed = await planned(
			['-p', newAmd, '--registry-ca', tlsRegistry.caPath!],
			{[registryEnvironment.registryUser]: tlsRegistry.username, [registryEnvironment.registryPassword]: tlsRegistry.password},
			builtin,
		);
		expect(parsed.registry).toMatchObject({
			checked: true,
			registry: {
				url: tlsRegistry.url,
				reason: `spec.bootstrapNode names 127.0.0.1, HTTPS on tinderKind.registryPort ${new URL(tlsRegistry.url).port}`,
				tls: `HTTPS, certificate checked against ${tlsRegistry.caPath} (--registry-ca)`,
			},
			chartRepo: {url: `http://127.0.0.1:${chartPort}`, type: 'chartmuseum'},
			tagChanges: {added: 3},
			// The chart repository holds the v0.10.3 charts the simulator synced; the builtin ChartMuseum's default login read it.
			charts: {checked: true},
		});
	});

	it("says which of this host's addresses it took for a builtin registry with no bootstrapNode, and why", async () => {
		const builtin = path.join(fixture.root, 'default-clusterConfig.yaml');
		await writeFile(builtin, clusterConfigText(oldAmd, '', '  imagesAndCharts:\n    type: builtin\n'));
		const {options, services, output} = servicesFor(['plan', '-c', builtin, '-p', newAmd], {cwd: fixture.workdir, env: fixture.env});
		await runPlanCommand(options, services);
		expect(output.stdout).toMatch(
			/^Registry https:\/\/\S+: the registry is builtin and (the wizard assumes it runs on the bootstrap node, so it uses this host's address \S+(?: \(first of \d+: [^)]+\))?|this host has no other address, so the wizard uses 127\.0\.0\.1), HTTPS on tinderKind\.registryPort 443; no login \(anonymous\); HTTPS, certificate checked against the system CAs$/m,
		);
	});

	describe('when the registry cannot be read', () => {
		it('says the registry is unreachable and why, plans on what it knows, labelled unchecked, and does not block', async () => {
			const gone = `http://127.0.0.1:${await freePort()}`;
			const parsed = await planned(['-p', newAmd, '--registry', gone]);
			expect(parsed.blocked).toBe(false);
			expect(parsed.registry).toMatchObject({
				checked: false,
				problem: {kind: 'registry-unreachable', message: `Cannot reach the registry at ${gone}: connection refused (ECONNREFUSED).`},
				clusterArches: {arches: ['amd64'], sources: ['config']},
			});
			// Without the registry the config's amd64 is all there is: no hazard can be seen, and the label says so.
			expect(parsed.findings.map(finding => finding.code)).not.toContain('arch-conflict-below-0.12');
			const text = await plan(['-p', newAmd, '--registry', gone]);
			expect(text.stdout).toContain(`Registry ${gone}: --registry ${gone} was given;`);
			expect(text.stdout).toContain(`  [WARN] Cannot reach the registry at ${gone}: connection refused (ECONNREFUSED).`);
			expect(text.stdout).toContain(
				"  [WARN] Not checked against the registry: the cluster's arches amd64 come from clusterConfig.yaml's addonPackage.path names amd64;",
			);
		});

		it('names the registry it waits for when the first answer takes over a second, and says nothing when it is quick', async () => {
			// Accepts the connection and keeps quiet 1.5 s: a slow or packet-dropping address looks so to the plan.
			const slow = createServer((request, response) => {
				setTimeout(
					() => {
						response.writeHead(request.url === '/v2/' ? 200 : 404, {'content-type': 'application/json'});
						response.end('{}');
					},
					request.url === '/v2/' ? 1500 : 0,
				);
			});
			await new Promise<void>(resolve => {
				slow.listen(0, '127.0.0.1', resolve);
			});
			try {
				const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
				const waited = await plan(['-p', newAmd, '--registry', url]);
				expect(waited.stderr).toContain(`waiting for the registry at ${url} to answer…`);
				expect(waited.stdout).toContain(`Registry ${url}:`);
				const quick = await plan(['-p', newAmd]);
				expect(quick.stderr).not.toContain('waiting for the registry');
			} finally {
				slow.closeAllConnections();
				await new Promise<void>(resolve => {
					slow.close(() => {
						resolve();
					});
				});
			}
		});

		it('falls back on --cluster-arches and says it used the flag', async () => {
			const parsed = await planned(['-p', newAmd, '--registry', `http://127.0.0.1:${await freePort()}`, '--cluster-arches', 'amd64,arm64']);
			expect(parsed.registry?.clusterArches).toMatchObject({arches: ['amd64', 'arm64'], sources: ['flag'], checked: false});
			expect(parsed.findings.find(finding => finding.code === 'arch-conflict-below-0.12')?.hint).toBe(
				'Choose the v0.11.2 arm64 package too, so the plan integrates it right after the upgrade.',
			);
		});

		it('blocks with --require-registry, naming the cause', async () => {
			const gone = `http://127.0.0.1:${await freePort()}`;
			const result = await plan(['-p', newAmd, '--registry', gone, '--require-registry']);
			expect(result.code).toBe(3);
			expect(result.stdout).toContain(
				`[BLOCK] The registry at ${gone} could not be read, so the plan is not checked against the registry (Cannot reach the registry at ${gone}: connection refused (ECONNREFUSED).); --require-registry makes that block.`,
			);
			expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('Plan is BLOCKED: fix the errors above first.');
		});

		it('names the user whose password the registry refused, never the password', async () => {
			const result = await plan(['--json', '-p', newAmd], {[registryEnvironment.registryPassword]: 'not-the-password'});
			expect(planDocumentSchema.parse(JSON.parse(result.stdout)).registry?.problem?.id).toBe('registry-auth');
			const parsed = await planned(['-p', newAmd], {[registryEnvironment.registryPassword]: 'not-the-password'});
			expect(parsed.registry?.problem).toMatchObject({
				kind: 'registry-auth',
				message: `The registry at ${fixture.testBed!.image.url} refused the login of user "${fixture.testBed!.image.username}" (401).`,
			});
			expect(parsed.registry?.problem?.hint).toContain(registryEnvironment.registryPassword);
			expect(parsed.registry?.registry?.login).toBe(`user ${fixture.testBed!.image.username} from ADDON_WIZARD_REGISTRY_USER / _PASSWORD`);
			expect(result.stdout + result.stderr).not.toContain('not-the-password');
		});

		it('says a certificate is signed by a CA this host does not trust, and reads the registry with --registry-ca or --registry-insecure', async () => {
			const login = {
				[registryEnvironment.registryUser]: tlsRegistry.username,
				[registryEnvironment.registryPassword]: tlsRegistry.password,
			};
			const untrusted = await planned(['-p', newAmd, '--registry', tlsRegistry.url], login);
			expect(untrusted.registry?.problem?.kind).toBe('registry-tls');
			expect(untrusted.registry?.problem?.message).toMatch(
				/^TLS with the registry at https:\/\/127\.0\.0\.1:\d+ failed: its certificate is signed by a CA this host does not trust/,
			);
			expect(untrusted.registry?.problem?.hint).toBe(
				'Pass the CA that signed it with --registry-ca FILE, or --registry-insecure to skip the check (Review will show it).',
			);

			const trusted = await planned(['-p', newAmd, '--registry', tlsRegistry.url, '--registry-ca', tlsRegistry.caPath!], login);
			expect(trusted.registry).toMatchObject({
				checked: true,
				registry: {tls: `HTTPS, certificate checked against ${tlsRegistry.caPath} (--registry-ca)`},
				tagChanges: {added: 3},
			});
			const insecure = await planned(['-p', newAmd, '--registry', tlsRegistry.url, '--registry-insecure'], login);
			expect(insecure.registry).toMatchObject({checked: true, registry: {tls: 'HTTPS, certificate NOT checked (--registry-insecure)'}});
		});
	});
});
