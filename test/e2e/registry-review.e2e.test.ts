// The seed's worst pitfall in a real terminal, with a real registry underneath and no flag: the
// simulator imports v0.10.3 amd64 and integrates arm64 (clusterConfig.yaml still names amd64
// alone); choosing v0.11.2 amd64 alone, Review warns that its tags lose arm64 and says to choose
// the arm64 package too; with it chosen, the plan integrates it right after, and the run leaves
// every tag a list of both arches again.
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {rm} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {seedUpgradePackages} from '../helpers/build-package.js';
import {cliPath, makeClusterFixture, type ClusterFixture} from '../helpers/cluster-fixture.js';
import {flat} from '../helpers/e2e-scratch.js';
import {inspectTag} from '../helpers/registry.js';
import {startTmux, type TmuxSession} from '../helpers/tmux.js';

const run = promisify(execFile);
const images = [
	'release.daocloud.io/daocloud/dao-2048:v1.4.1',
	'docker.m.daocloud.io/metrics-server/metrics-server:v0.6.2',
	'docker.m.daocloud.io/bitnami/nginx:1.25.1',
];

describe('the multi-arch upgrade below 0.12.0, on Review', () => {
	let fixture: ClusterFixture;
	let session: TmuxSession | undefined;

	beforeAll(async () => {
		expect(existsSync(cliPath), 'run `npm run build` first (npm test does)').toBe(true);
		fixture = await makeClusterFixture({
			packages: seedUpgradePackages(),
			current: 0,
			testBed: {},
			simulatorEnv: {DCE5_SIM_DELAY_MS: '5'},
		});
		const installer = path.join(fixture.home, 'dce5-installer');
		const where = {cwd: fixture.workdir, env: fixture.env};
		await run(installer, ['cluster-create', '-c', fixture.configPath, '-m', fixture.manifestPath, '-d', '-j13'], where);
		await run(installer, ['import', '-addon', '-c', fixture.configPath, `--addon-path=${fixture.packages[1]!.path}`], where);
	});

	afterAll(async () => {
		await session?.kill();
		await session?.ended();
		await fixture?.stop();
		await rm(fixture.root, {recursive: true, force: true});
	});

	it('warns with no flag, then, with the arm64 package chosen too, integrates it right after and the lists stay', async () => {
		session = await startTmux({
			argv: [process.execPath, cliPath, '-c', fixture.configPath, '--search', fixture.packagesDir],
			cwd: fixture.workdir,
			env: fixture.env,
			columns: 80,
			rows: 24,
		});
		await session.waitFor(screen => (screen.match(/read ok/g) ?? []).length === 4);
		// The list shows v0.11.2 amd64 first.
		await session.sendKeys('Space', 'Enter');
		const warned = flat(await session.waitFor('Ready, with', 20_000));
		expect(warned).toContain(
			'Upgrading to v0.11.2 (below 0.12.0) turns 3 multi-arch tags in the registry into amd64-only images, and nothing in the plan puts arm64 back: arm64 nodes cannot pull them.',
		);
		expect(warned).toContain('next: Choose the v0.11.2 arm64 package too, so the plan integrates it right after the upgrade.');

		// Further down, the Registry section says where the arches came from and which tags lose one.
		await session.sendKeys('PageDown', 'PageDown');
		const registry = flat(await session.waitFor('Cluster arches'));
		expect(registry).toContain('Cluster arches: amd64, arm64 (the registry shows amd64 in 3, arm64 in 3 of the 3 tags read)');
		expect(registry).toContain('3 tags lose arm64 (the plan does not put them back)');

		await session.sendKeys('b');
		await session.waitFor('PACKAGES');
		await session.sendKeys('Down', 'Space', 'Enter');
		const fixed = flat(await session.waitFor('Multi-arch upgrade', 20_000));
		expect(fixed).toContain('v0.11.2 (amd64) is upgraded with cluster-create, then v0.11.2 (arm64) is integrated');
		expect(fixed).toContain('into amd64-only images until step 2 integrates arm64 again.');
		expect(fixed).not.toContain('nothing in the plan puts arm64 back');

		await session.sendKeys('Enter');
		await session.waitFor('Run now?');
		await session.type('yes');
		await session.sendKeys('Enter');
		await session.waitFor('Done in', 60_000);
		await session.sendKeys('q');
		expect(await session.waitForExit()).toBe(0);
		for (const ref of images) {
			const colon = ref.lastIndexOf(':');
			expect(await inspectTag(fixture.testBed!.image, ref.slice(0, colon), ref.slice(colon + 1))).toMatchObject({
				kind: 'list',
				platforms: ['amd64', 'arm64'],
			});
		}
	});
});
