// The Registry section against Harbor's stand-in in front of a real docker-registry: the Bearer
// token flow, the projects the images need named before the run, created with `c` on Review (the
// wizard mounted on the real composition root) and with --create-spaces, a refusal naming the
// account, and then a real run of the built CLI that the missing project no longer fails.
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {rm} from 'node:fs/promises';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {preparePlan, runPlanCommand} from '../../../source/app/commands/plan-command.js';
import type {Plan} from '../../../source/domain/plan/plan.js';
import {planDocumentSchema} from '../../../source/report/contract/plan.js';
import {registryEnvironment} from '../../../source/domain/registry/location.js';
import {isWizardError} from '../../../source/domain/shared/wizard-error.js';
import {defaultCharts} from '../../helpers/build-package.js';
import {cliPath, makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';
import {frameLines, renderWizard, unwrap, type FakePorts} from '../../helpers/fake-ports.js';
import {inspectTag} from '../../helpers/registry.js';
import {servicesFor} from '../../helpers/services.js';

const run = promisify(execFile);
type Captured = {code: number; stdout: string; stderr: string};

/** An arm64 package whose extra chart brings an image with no registry: Harbor project `localhost` (the seed's case). */
const withLocalhost = [
	...defaultCharts('arm64'),
	{name: 'kube-bench', version: '0.6.8', repo: 'addon', images: [{ref: 'localhost/aquasec/kube-bench:v0.6.8'}]},
];
/** An image in a project nobody creates, for the refusal. */
const withGhcr = [...defaultCharts('amd64'), {name: 'tool', version: '1.0.0', repo: 'addon', images: [{ref: 'ghcr.io/acme/tool:1.0.0'}]}];

describe('Harbor projects, before the run', () => {
	let fixture: ClusterFixture;
	let amd64 = '';
	let arm64 = '';
	let ghcr = '';

	async function plan(argv: string[], env: Record<string, string> = {}): Promise<Captured> {
		const {options, services, output} = servicesFor(['plan', '-c', fixture.configPath, ...argv], {
			cwd: fixture.workdir,
			env: {...fixture.env, ...env},
		});
		return {code: await runPlanCommand(options, services), ...output};
	}

	/** The plan itself, for the registry facts only the screens show; the JSON document is the contract. */
	async function planned(argv: string[]): Promise<Plan> {
		const {options, services} = servicesFor(['plan', '-c', fixture.configPath, ...argv], {cwd: fixture.workdir, env: fixture.env});
		const prepared = await preparePlan(options, services);
		if (isWizardError(prepared)) {
			throw new Error(prepared.message);
		}

		return prepared.plan;
	}

	beforeAll(async () => {
		expect(existsSync(cliPath), 'run `npm run build` first (npm test does)').toBe(true);
		fixture = await makeClusterFixture({
			packages: [
				{version: 'v0.13.9', arch: 'amd64'},
				{version: 'v0.13.9', arch: 'arm64', charts: withLocalhost},
				{version: 'v0.13.8', arch: 'amd64', charts: withGhcr},
			],
			testBed: {harbor: {projects: ['release.daocloud.io'], readOnly: {username: 'reader', password: 'reader-pass'}}},
		});
		[amd64, arm64, ghcr] = fixture.packages.map(item => item.path) as [string, string, string];
	});

	afterAll(async () => {
		await fixture?.stop();
		await rm(fixture.root, {recursive: true, force: true});
	});

	it('logs in with a Bearer token and blocks on the projects that do not exist, naming c and --create-spaces', async () => {
		const result = await plan(['--json', '-p', ghcr]);
		expect(result.code).toBe(3);
		const parsed = await planned(['-p', ghcr]);
		expect(planDocumentSchema.parse(JSON.parse(result.stdout)).preflight.find(check => check.id === 'registry-spaces')?.status).toBe(
			'block',
		);
		expect(parsed.registry).toMatchObject({
			checked: true,
			read: {auth: 'bearer', harbor: true},
			spaces: {kind: 'harbor', existing: ['release.daocloud.io'], missing: ['docker.m.daocloud.io', 'ghcr.io']},
		});
		expect(parsed.preflight?.find(check => check.id === 'registry-spaces')).toMatchObject({
			status: 'block',
			then: {key: 'c', flag: '--create-spaces'},
		});
		const text = await plan(['-p', ghcr]);
		expect(text.stdout).toContain(
			`[BLOCK] Registry spaces missing in ${fixture.testBed!.image.url}: docker.m.daocloud.io, ghcr.io: pushing into them fails.`,
		);
		expect(text.stdout).toContain(
			'next: Run again with --create-spaces to create them as public Harbor projects (shown first); if this login may not create projects, have a Harbor administrator create them (Projects > New Project).',
		);
	});

	it('--create-spaces as an account without the rights: says who was refused, creates nothing, stays blocked', async () => {
		const result = await plan(['-p', ghcr, '--create-spaces'], {
			[registryEnvironment.registryUser]: 'reader',
			[registryEnvironment.registryPassword]: 'reader-pass',
		});
		expect(result.stderr).toContain(
			`addon-wizard: --create-spaces: creating 2 public Harbor project(s) in ${fixture.testBed!.image.url} (user reader from ADDON_WIZARD_REGISTRY_USER / _PASSWORD): docker.m.daocloud.io, ghcr.io`,
		);
		expect(result.stderr).toContain(
			'addon-wizard: --create-spaces: Harbor refused to create project "docker.m.daocloud.io" for user "reader" (403)',
		);
		expect(result.code).toBe(3);
		expect(await fixture.testBed!.harbor!.hasProject('docker.m.daocloud.io')).toBe(false);
		expect(result.stdout + result.stderr).not.toContain('reader-pass');
	});

	it('creates the missing project with c on Review after asking, reads the plan again, and the block is gone', async () => {
		const {services} = servicesFor(['-c', fixture.configPath, '-p', amd64], {cwd: fixture.workdir, env: fixture.env});
		const context = await services.cluster();
		if (isWizardError(context)) {
			throw new Error(context.message);
		}

		// The real ports behind the screens: the harness only mounts them.
		const harness = renderWizard({ports: context.ports as FakePorts, initial: {preselected: [amd64]}, rows: 60, columns: 100});
		try {
			const blocked = await harness.waitForFrame('The plan is blocked', 20_000);
			expect(unwrap(blocked)).toContain(
				`Registry spaces missing in ${fixture.testBed!.image.url}: docker.m.daocloud.io: pushing into them fails.`,
			);
			expect(unwrap(blocked)).toContain(
				'next: Press c to create them as public Harbor projects (shown first); if this login may not create projects',
			);
			expect(frameLines(blocked).at(-1)).toMatch(/^c create registry spaces · /);

			const asking = unwrap(await harness.pressAndWait('c', 'y creates it'));
			expect(asking).toContain(
				`⚠ Create 1 public Harbor project in ${fixture.testBed!.image.url} (user admin from clusterConfig.yaml): docker.m.daocloud.io? y creates it, n keeps the plan as it is.`,
			);
			expect(await fixture.testBed!.harbor!.hasProject('docker.m.daocloud.io')).toBe(false);

			const ready = unwrap(
				await harness.pressAndWait('y', frame => unwrap(frame).includes('the plan was read again') && frame.includes('✔ Ready'), 20_000),
			);
			expect(ready).toContain(`Harbor projects in ${fixture.testBed!.image.url}: docker.m.daocloud.io (created); the plan was read again.`);
			expect(ready).toContain('Harbor projects: 2 needed, all there (docker.m.daocloud.io, release.daocloud.io)');
			expect(await fixture.testBed!.harbor!.hasProject('docker.m.daocloud.io')).toBe(true);
		} finally {
			harness.unmount();
		}
	});

	it('--create-spaces says what it creates, creates it, and a real run of the built CLI then pushes into it', async () => {
		const result = await run(
			process.execPath,
			[cliPath, 'run', '--yes', '--create-spaces', '-c', fixture.configPath, '-p', amd64, '-p', arm64],
			{cwd: fixture.workdir, env: fixture.env},
		).then(
			output => ({code: 0, ...output}),
			(error: {code: number; stdout: string; stderr: string}) => error,
		);
		expect(result.stderr).toMatch(
			new RegExp(
				`addon-wizard: --create-spaces: creating \\d public Harbor project\\(s\\) in ${fixture.testBed!.image.url.replaceAll('.', '\\.')} \\(user admin from clusterConfig.yaml\\): (docker\\.m\\.daocloud\\.io, )?localhost\\n`,
			),
		);
		expect(result.stderr).toContain('addon-wizard: --create-spaces: localhost: created');
		expect(result.stdout).toContain('Harbor projects: 3 needed, all there (docker.m.daocloud.io, localhost, release.daocloud.io)');
		expect(result.code, result.stdout + result.stderr).toBe(0);
		const tag = await inspectTag(fixture.testBed!.image, 'localhost/aquasec/kube-bench', 'v0.6.8');
		expect(tag).toMatchObject({kind: 'list', platforms: ['arm64']});
	});
});
