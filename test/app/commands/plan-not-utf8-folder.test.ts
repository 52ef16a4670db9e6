// A package in a folder whose name is not UTF-8: the plan blocks it once, for the true reason (the
// installer cannot be given the path), and not a second time as "gone since it was read".
import {mkdir, rename, rm} from 'node:fs/promises';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runPlanCommand} from '../../../source/app/commands/plan-command.js';
import {planDocumentSchema} from '../../../source/report/contract/plan.js';
import {makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';
import {servicesFor} from '../../helpers/services.js';

describe('plan of a package in a folder named with a byte that is not UTF-8', () => {
	let fixture: ClusterFixture;
	let escaped: string;

	beforeAll(async () => {
		fixture = await makeClusterFixture({packages: [{version: 'v0.9.5', arch: 'amd64'}], imagesAndCharts: 'official-service'});
		const built = fixture.packages[0]!;
		const folder = Buffer.concat([Buffer.from(`${fixture.root}/`), Buffer.of(0xff), Buffer.from('pkgs')]);
		await mkdir(folder);
		await rename(built.path, Buffer.concat([folder, Buffer.from(`/${built.fileName}`)]));
		escaped = `${fixture.root}/\\xffpkgs/${built.fileName}`;
	});

	afterAll(async () => rm(fixture.root, {recursive: true, force: true}));

	it('names only the path that cannot be handed to the installer', async () => {
		const {options, services, output} = servicesFor(['plan', '--json', '-c', fixture.configPath, '-p', escaped], {
			cwd: fixture.workdir,
			env: fixture.env,
		});
		const code = await runPlanCommand(options, services);
		const plan = planDocumentSchema.parse(JSON.parse(output.stdout));
		expect(code).not.toBe(0);
		const said = JSON.stringify(plan);
		expect(said).toContain('is not UTF-8');
		expect(said).not.toContain('gone since it was read');
		const blocks = plan.preflight.filter(check => check.status === 'block');
		expect(blocks.map(check => check.message).join('\n')).not.toMatch(/gone since/);
	});
});
