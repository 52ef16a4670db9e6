// The fleet on Ansible: the example playbook (ansible/examples/fleet.yml) with the addon_wizard role
// drives three sites on this machine, each reached over its own real sshd on 127.0.0.1 and each with
// its own real docker-registry, chart repository stand-in, clusterConfig.yaml, working directory and
// installer simulator. One site carries the seed's pitfall: a registry of amd64+arm64 lists and a
// v0.11.2 amd64 package, the below-0.12.0 hazard. Ansible's results come from a JSON callback and the
// summary file the example writes; the registries are read back with skopeo, a client the project
// did not write. A CLI that misses a point of the v1 contract fails the host with a message naming
// it ("broke contract addon-wizard/v1: …", "no JSON document on stdout (contract …: …)"), which each
// assertion below prints with Ansible's output.
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ansibleUnavailable, runPlaybook, type PlaybookRun} from '../helpers/ansible-playbook.js';
import {defaultCharts, seedUpgradePackages, type FixturePackageOptions} from '../helpers/build-package.js';
import {cliPath, makeClusterFixture, repoRoot, type ClusterFixture} from '../helpers/cluster-fixture.js';
import {inspectTag, type TagContents} from '../helpers/registry.js';
import {startSshd, sshdUnavailable, type TestSshd} from '../helpers/sshd.js';

const run = promisify(execFile);
const playbook = path.join(repoRoot, 'ansible', 'examples', 'fleet.yml');
const hazardId = 'below-0.12-single-arch';
const images = defaultCharts('amd64').flatMap(chart => chart.images.map(image => image.ref));

type SiteSpec = {
	name: string;
	packages: Array<Omit<FixturePackageOptions, 'dir'>>;
	/** Indexes of the packages the role imports. */
	use: number[];
	/** Index of the package clusterConfig.yaml names already. */
	current?: number;
	/**
	 * The installer ran before the fleet came: cluster-create with the config's package, then
	 * these packages (indexes) integrated, so the registry has a history.
	 */
	seed?: {integrate: number[]};
};

const specs: SiteSpec[] = [
	{name: 'site-amd64', packages: [{version: 'v0.13.9', arch: 'amd64'}], use: [0]},
	{
		name: 'site-multiarch',
		packages: [
			{version: 'v0.12.1', arch: 'amd64'},
			{version: 'v0.12.1', arch: 'arm64'},
		],
		use: [0, 1],
	},
	// amd64+arm64 lists from v0.10.3; the upgrade names v0.11.2 amd64 alone.
	{name: 'site-below-0.12', packages: seedUpgradePackages(), use: [2], current: 0, seed: {integrate: [1]}},
];

type Site = SiteSpec & {fixture: ClusterFixture; sshd: TestSshd};

const unavailable = sshdUnavailable() ?? ansibleUnavailable();
const sites: Site[] = [];
let dir: string;
let inventory: string;

/** What the installer did at a site before the fleet came (the seed: v0.10.3 amd64, then arm64 integrated). */
async function seed(fixture: ClusterFixture, integrate: number[]): Promise<void> {
	const installer = path.join(fixture.home, 'dce5-installer');
	const where = {cwd: fixture.workdir, env: fixture.env};
	await run(installer, ['cluster-create', '-c', fixture.configPath, '-m', fixture.manifestPath, '-d', '-j13'], where);
	for (const index of integrate) {
		await run(installer, ['import', '-addon', '-c', fixture.configPath, `--addon-path=${fixture.packages[index]!.path}`], where);
	}
}

async function startSite(spec: SiteSpec): Promise<Site> {
	const [fixture, sshd] = await Promise.all([
		makeClusterFixture({packages: spec.packages, current: spec.current, testBed: {}, simulatorEnv: {DCE5_SIM_DELAY_MS: '5'}}),
		startSshd(),
	]);
	const site = {...spec, fixture, sshd};
	sites.push(site);
	if (spec.seed) {
		await seed(fixture, spec.seed.integrate);
	}

	return site;
}

/** One host per site: 127.0.0.1 through the site's own sshd, and the role's variables for that site. */
function hostVars(site: Site): Record<string, unknown> {
	const {fixture, sshd} = site;
	return {
		ansible_host: '127.0.0.1',
		ansible_port: sshd.port,
		ansible_user: sshd.user,
		ansible_connection: 'ssh',
		ansible_ssh_private_key_file: sshd.keyPath,
		ansible_ssh_common_args: `-o StrictHostKeyChecking=no -o UserKnownHostsFile=${sshd.dir}/known_hosts`,
		ansible_python_interpreter: '/usr/bin/python3',
		ansible_remote_tmp: path.join(fixture.root, 'ansible-tmp'),
		addon_wizard_copy_bin_from: cliPath,
		addon_wizard_bin: path.join(fixture.root, 'bin', 'addon-wizard.mjs'),
		addon_wizard_node: process.execPath,
		addon_wizard_config: fixture.configPath,
		addon_wizard_packages: site.use.map(index => fixture.packages[index]!.path),
		addon_wizard_installer: path.join(fixture.home, 'dce5-installer'),
		addon_wizard_workdir: fixture.workdir,
		addon_wizard_environment: fixture.env,
	};
}

async function writeInventory(): Promise<string> {
	const file = path.join(dir, 'inventory.yml');
	const hosts = Object.fromEntries(sites.map(site => [site.name, hostVars(site)]));
	// JSON is YAML: the yaml inventory plugin reads it with every type kept.
	await writeFile(file, JSON.stringify({all: {children: {addon_wizard_sites: {hosts}}}}, null, 2));
	return file;
}

type SummaryRow = {
	site: string;
	outcome: string;
	exitCode: number | null;
	changed: boolean | null;
	summary: string;
	failure: string | null;
	hazards: string[];
	verified: boolean | null;
};

/** The example playbook over the three sites at once; one failed site of three must not stop the others. */
async function fleet(options: {check?: boolean; limit?: string; extraVars?: Record<string, unknown>} = {}) {
	const summaryFile = path.join(dir, 'summary.json');
	await rm(summaryFile, {force: true});
	const played = await runPlaybook({
		playbook,
		inventory,
		dir,
		check: options.check,
		limit: options.limit,
		extraVars: {fleet_serial: '100%', fleet_max_fail_percentage: 34, fleet_summary_file: summaryFile, ...options.extraVars},
	});
	const summary = existsSync(summaryFile) ? (JSON.parse(await readFile(summaryFile, 'utf8')) as SummaryRow[]) : [];
	const row = (name: string) => {
		const found = summary.find(item => item.site === name);
		if (!found) {
			throw new Error(`The example's closing summary has no row for ${name}:\n${played.output}`);
		}

		return found;
	};

	return {...played, summary, row};
}

const failures = (played: PlaybookRun, host: string) =>
	played.tasks.filter(task => task.host === host && task.status === 'failed').map(task => task.msg ?? '');

/** What a site's registry holds at each image's tag, read with skopeo. */
async function registryState(site: Site): Promise<Record<string, TagContents>> {
	const target = site.fixture.testBed!.image;
	const entries = await Promise.all(
		images.map(async ref => {
			const colon = ref.lastIndexOf(':');
			return [ref, await inspectTag(target, ref.slice(0, colon), ref.slice(colon + 1))] as const;
		}),
	);
	return Object.fromEntries(entries);
}

const archesOf = (tag: TagContents) => (tag.kind === 'list' ? [...tag.platforms].sort() : tag.kind === 'image' ? [tag.arch] : []);

const site = (name: string) => sites.find(item => item.name === name)!;

beforeAll(async () => {
	if (unavailable) {
		return;
	}

	expect(existsSync(cliPath), 'run `npm run build` first (npm test does)').toBe(true);
	dir = await mkdtemp(path.join(tmpdir(), 'addon-wizard-fleet-'));
	for (const spec of specs) {
		await startSite(spec);
	}

	inventory = await writeInventory();
}, 240_000);

afterAll(async () => {
	for (const item of sites.splice(0)) {
		await item.sshd.stop();
		await item.fixture.stop();
		await rm(item.fixture.root, {recursive: true, force: true});
	}

	if (dir) {
		await rm(dir, {recursive: true, force: true});
	}
});

describe.skipIf(unavailable !== undefined)(
	`the addon_wizard role over three sites${unavailable ? ` (skipped: ${unavailable})` : ''}`,
	() => {
		it(`check mode plans every site, reports changed, and changes nothing`, async () => {
			const before = await Promise.all(sites.map(async item => registryState(item)));
			const configs = await Promise.all(sites.map(async item => readFile(item.fixture.configPath, 'utf8')));

			const played = await fleet({check: true});

			for (const item of sites) {
				expect(failures(played, item.name), `${item.name} failed in check mode:\n${played.output}`).toEqual([]);
				// The plan task itself, not the copy of the CLI (which also happens in check mode).
				const plan = played.tasks.find(task => task.host === item.name && task.task.includes('Plan the import'));
				expect(plan?.changed, `${item.name}: check mode reports changed when changes are pending (exit 8):\n${played.output}`).toBe(true);
				expect(played.row(item.name).outcome).toBe('changes pending');
			}

			expect(played.row('site-below-0.12').hazards, 'the plan names the hazard by its id').toContain(hazardId);
			expect(await Promise.all(sites.map(async item => registryState(item)))).toEqual(before);
			expect(await Promise.all(sites.map(async item => readFile(item.fixture.configPath, 'utf8')))).toEqual(configs);
		}, 240_000);

		it(`apply imports and verifies two sites; the hazard site fails naming ${hazardId} and keeps its arches`, async () => {
			const hazardBefore = await registryState(site('site-below-0.12'));

			const played = await fleet();

			for (const name of ['site-amd64', 'site-multiarch']) {
				expect(failures(played, name), `${name} failed:\n${played.output}`).toEqual([]);
				expect(played.stats[name]?.changed, `${name} ran the installer`).toBeGreaterThan(0);
				expect(played.row(name)).toMatchObject({outcome: 'succeeded', exitCode: 0, changed: true, verified: true});
			}

			expect(played.exitCode, 'ansible-playbook exits non-zero when a host failed').not.toBe(0);
			const refused = failures(played, 'site-below-0.12').join('\n');
			expect(refused, `the hazard site's failure names the id:\n${played.output}`).toContain(hazardId);
			expect(played.row('site-below-0.12')).toMatchObject({outcome: 'failed', exitCode: 3, changed: false});
			expect(played.stats['site-below-0.12']?.changed).toBe(0);

			for (const state of Object.values(await registryState(site('site-amd64')))) {
				expect(archesOf(state)).toEqual(['amd64']);
			}

			for (const state of Object.values(await registryState(site('site-multiarch')))) {
				expect(archesOf(state)).toEqual(['amd64', 'arm64']);
			}

			expect(await registryState(site('site-below-0.12')), 'a refused run changes nothing').toEqual(hazardBefore);
		}, 240_000);

		it(`a second apply is changed=0 everywhere; the hazard site still refuses`, async () => {
			const played = await fleet();

			for (const item of sites) {
				expect(played.stats[item.name]?.changed, `${item.name} changed on the second apply:\n${played.output}`).toBe(0);
			}

			for (const name of ['site-amd64', 'site-multiarch']) {
				expect(failures(played, name), `${name} failed on the second apply:\n${played.output}`).toEqual([]);
				expect(played.row(name)).toMatchObject({outcome: 'nothing-to-do', changed: false, verified: true});
			}

			expect(failures(played, 'site-below-0.12').join('\n'), `the hazard site refuses again:\n${played.output}`).toContain(hazardId);
		}, 240_000);

		it(`with addon_wizard_accept naming ${hazardId}, the hazard site goes ahead`, async () => {
			const played = await fleet({
				limit: 'site-below-0.12,localhost',
				extraVars: {addon_wizard_accept: [hazardId], fleet_max_fail_percentage: 100},
			});

			expect(failures(played, 'site-below-0.12').join('\n'), `the run was refused despite --accept:\n${played.output}`).not.toMatch(
				/outcome refused/,
			);
			expect(played.stats['site-below-0.12']?.changed, `the installer ran:\n${played.output}`).toBeGreaterThan(0);
			// Its only host failed (the registry now lacks arm64: not verified), so Ansible ends the playbook
			// before the summary play; the host's own failure says why.
			expect(failures(played, 'site-below-0.12').join('\n')).toMatch(/verification-failed|not verified|lost/i);
			// What was accepted happened: v0.11.2 amd64 turned the lists into amd64-only images.
			for (const state of Object.values(await registryState(site('site-below-0.12')))) {
				expect(archesOf(state)).toEqual(['amd64']);
			}
		}, 240_000);
	},
);
