// The addon_wizard role's decisions, site by site, with the example playbook and real ansible-core
// on this machine (connection local) over a stand-in CLI that speaks the v1 contract
// (contract-double.mjs): what each exit code and outcome makes of the host, the cause it fails with,
// idempotence, `--accept`, the result file, and a CLI that predates the contract. The real CLI over
// SSH is ansible-fleet.e2e.test.ts.
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ansibleUnavailable, runPlaybook} from '../helpers/ansible-playbook.js';
import {repoRoot} from '../helpers/cluster-fixture.js';

const double = path.join(repoRoot, 'test', 'fleet', 'contract-double.mjs');
const playbook = path.join(repoRoot, 'ansible', 'examples', 'fleet.yml');
const unavailable = ansibleUnavailable();

/** Host name → scenario of the double (and the variables it needs beyond the shared ones). */
const hosts: Record<string, {scenario: string; vars?: Record<string, unknown>}> = {
	ok: {scenario: 'ok'},
	hazard: {scenario: 'hazard'},
	accepted: {scenario: 'hazard', vars: {addon_wizard_accept: ['below-0.12-single-arch']}},
	'installer-fails': {scenario: 'installer-fails'},
	'bad-input': {scenario: 'bad-input'},
	'before-v1': {scenario: 'before-v1'},
	'result-file-only': {scenario: 'result-file-only'},
	async: {scenario: 'ok', vars: {addon_wizard_async: 60, addon_wizard_poll: 1}},
};

let dir: string;
let inventory: string;

async function writeInventory(): Promise<string> {
	const entries = await Promise.all(
		Object.entries(hosts).map(async ([name, {scenario, vars}]) => {
			const workdir = path.join(dir, 'sites', name);
			await mkdir(workdir, {recursive: true});
			return [
				name,
				{
					...vars,
					addon_wizard_workdir: workdir,
					addon_wizard_environment: {DOUBLE_SCENARIO: scenario, DOUBLE_STATE: path.join(workdir, 'imported')},
				},
			] as const;
		}),
	);
	const shared = {
		ansible_connection: 'local',
		ansible_python_interpreter: '/usr/bin/python3',
		addon_wizard_bin: double,
		addon_wizard_node: process.execPath,
		addon_wizard_config: path.join(dir, 'clusterConfig.yaml'),
		addon_wizard_packages: [path.join(dir, 'packages', 'addon offline package v0.13.9 amd64.tar.gz')],
	};
	const file = path.join(dir, 'inventory.yml');
	await writeFile(file, JSON.stringify({all: {children: {addon_wizard_sites: {hosts: Object.fromEntries(entries), vars: shared}}}}));
	return file;
}

type Row = {
	site: string;
	outcome: string;
	exitCode: number | null;
	changed: boolean | null;
	failure: string | null;
	hazards: string[];
	verified: boolean | null;
};

async function fleet(check = false) {
	const summaryFile = path.join(dir, 'summary.json');
	await rm(summaryFile, {force: true});
	const played = await runPlaybook({
		playbook,
		inventory,
		dir: path.join(dir, 'ansible'),
		check,
		extraVars: {fleet_serial: '100%', fleet_max_fail_percentage: 100, fleet_summary_file: summaryFile},
	});
	const rows = JSON.parse(await readFile(summaryFile, 'utf8').catch(() => '[]')) as Row[];
	const row = (site: string) => rows.find(item => item.site === site) ?? {site, outcome: `no summary row:\n${played.output}`};
	return {...played, row};
}

const calls = async (host: string) =>
	(await readFile(path.join(dir, 'sites', host, 'imported.calls'), 'utf8').catch(() => ''))
		.split('\n')
		.filter(Boolean)
		.map(line => JSON.parse(line) as string[]);

beforeAll(async () => {
	if (unavailable) {
		return;
	}

	dir = await mkdtemp(path.join(tmpdir(), 'addon-wizard-role-'));
	inventory = await writeInventory();
});

afterAll(async () => {
	if (dir) {
		await rm(dir, {recursive: true, force: true});
	}
});

describe.skipIf(unavailable !== undefined)(`the addon_wizard role's decisions${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
	it('check mode only plans, and reports changed where changes are pending', async () => {
		const played = await fleet(true);

		for (const host of ['ok', 'hazard', 'installer-fails']) {
			expect(played.stats[host], played.output).toMatchObject({changed: 1, failures: 0});
			expect((await calls(host)).map(([command]) => command)).toEqual(['plan']);
		}

		expect(played.row('hazard')).toMatchObject({outcome: 'changes pending', hazards: ['below-0.12-single-arch']});
	}, 240_000);

	it('applies: runs only what is pending, fails each host with the cause, reads the result file when stdout lost it', async () => {
		const played = await fleet();
		const failure = (host: string) => played.tasks.find(task => task.host === host && task.status === 'failed')?.msg ?? '';

		for (const host of ['ok', 'accepted', 'result-file-only', 'async']) {
			expect(played.stats[host], `${host}:\n${played.output}`).toMatchObject({failures: 0, changed: 1});
			expect(played.row(host)).toMatchObject({outcome: 'succeeded', exitCode: 0, changed: true, verified: true});
		}

		expect(failure('hazard')).toContain('below-0.12-single-arch');
		expect(failure('hazard')).toContain('addon_wizard_accept');
		expect(played.stats['hazard']).toMatchObject({failures: 1, changed: 0});
		expect(played.row('hazard')).toMatchObject({outcome: 'failed', exitCode: 3, changed: false});
		expect((await calls('accepted')).find(([command]) => command === 'run')).toContain('--accept=below-0.12-single-arch');
		expect(failure('installer-fails')).toMatch(/exited 4, outcome failed: step 1 failed: the installer exited 1 Next: read the log/);
		expect(played.stats['installer-fails']).toMatchObject({failures: 1, changed: 1});
		expect(failure('bad-input')).toBe(
			'addon-wizard plan --detailed-exitcode exited 2: [package-missing] -p /x.tar.gz: no such file Next: check the path',
		);
		expect(failure('before-v1')).toContain('broke contract addon-wizard/v1');
		expect((await calls('ok')).map(([command]) => command)).toEqual(['plan', 'plan', 'run', 'verify']);
	}, 240_000);

	it('a second apply changes nothing and starts no run where nothing is pending', async () => {
		const played = await fleet();

		for (const host of ['ok', 'accepted', 'result-file-only', 'async']) {
			expect(played.stats[host], `${host}:\n${played.output}`).toMatchObject({failures: 0, changed: 0});
			expect(played.row(host)).toMatchObject({outcome: 'nothing-to-do', changed: false});
			expect((await calls(host)).filter(([command]) => command === 'run')).toHaveLength(1);
		}
	}, 240_000);
});
