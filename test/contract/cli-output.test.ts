// The v1 contract as a script meets it: the built CLI against a real docker-registry and chart
// repository (the test bed), with the installer simulator pushing for real. Every `--json`
// document and line of every command is checked against the contract's schemas, envelope first.
import {existsSync} from 'node:fs';
import {appendFile, mkdir, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {historyFile, resolveCluster} from '../../source/adapters/run/run-history.js';
import {recordPath} from '../../source/adapters/run/run-record.js';
import {apiVersion, type DocumentKind} from '../../source/report/contract/envelope.js';
import {documentSchemas} from '../../source/report/contract/schemas.js';
import {cliPath, makeClusterFixture, type ClusterFixture} from '../helpers/cluster-fixture.js';
import {runProgram, type ProgramResult} from '../helpers/run-program.js';

let f: ClusterFixture;
const pkg = (version: string, arch: string) =>
	f.packages.find(item => item.fileName === `addon-offline-full-package-${version}-${arch}.tar.gz`)!.path;

async function cli(args: string[]): Promise<ProgramResult> {
	return runProgram(process.execPath, [cliPath, ...args], {
		cwd: f.workdir,
		env: {...f.env, CI: 'true', DCE5_SIM_DELAY_MS: '0'},
		timeoutMs: 60_000,
	});
}

/** The document as a script reads it: envelope first, then the kind's schema, whole. */
function document<K extends DocumentKind>(text: string, kind: K): Record<string, unknown> {
	const value = JSON.parse(text) as Record<string, unknown>;
	expect(Object.keys(value).slice(0, 2)).toEqual(['apiVersion', 'kind']);
	expect(value).toMatchObject({apiVersion, kind});
	const parsed = documentSchemas[kind]!.safeParse(value);
	expect(parsed.success, parsed.success ? '' : `${kind}: ${parsed.error.message}\n${text.slice(0, 400)}`).toBe(true);
	return value;
}

const stateDir = () => path.join(f.env['XDG_STATE_HOME']!, 'addon-wizard');

beforeAll(async () => {
	expect(existsSync(cliPath), 'run `npm run build` first (npm test does)').toBe(true);
	f = await makeClusterFixture({
		packages: [
			{version: 'v0.12.1', arch: 'amd64'},
			{version: 'v0.12.1', arch: 'arm64'},
		],
		testBed: {},
	});
}, 120_000);

afterAll(async () => {
	await f?.stop();
	await rm(f?.root ?? '/nonexistent', {recursive: true, force: true});
});

describe('every --json output is a v1 document', () => {
	it('list and inspect', async () => {
		const listed = await cli(['list', '--json', '--search', f.packagesDir]);
		expect(listed.code).toBe(0);
		const list = document(listed.stdout, 'PackageList') as {packages: Array<{file: string; arch?: string}>};
		expect(list.packages.map(item => item.file).sort()).toEqual(f.packages.map(item => item.fileName).sort());

		const inspected = await cli(['inspect', '--json', '-p', pkg('v0.12.1', 'arm64')]);
		expect(inspected.code).toBe(0);
		const inspection = document(inspected.stdout, 'Inspection') as {packages: Array<{arch: {agreed?: string}; complete: boolean}>};
		expect(inspection.packages).toMatchObject([{arch: {agreed: 'arm64'}, complete: true}]);
	});

	it('plan: changes pending before the import, with the steps a script would run', async () => {
		const planned = await cli(['plan', '--json', '-c', f.configPath, '-p', pkg('v0.12.1', 'amd64')]);
		expect(planned.code, planned.stderr).toBe(0);
		const plan = document(planned.stdout, 'Plan');
		expect(plan).toMatchObject({operation: 'single-arch-import', changed: true, blocked: false, hazards: []});
		expect(plan['steps']).toMatchObject([{index: 1, kind: 'cluster-create', package: pkg('v0.12.1', 'amd64')}]);
	});

	it('run --yes: a Plan line, RunEvent lines that end in run-end, then one RunResult', async () => {
		const ran = await cli(['run', '--yes', '--json', '-c', f.configPath, '-p', pkg('v0.12.1', 'amd64')]);
		expect(ran.code, ran.stderr).toBe(0);
		const [first, ...rest] = ran.stdout.trim().split('\n');
		document(first!, 'Plan');
		const events = rest.slice(0, -1).map(line => document(line, 'RunEvent') as {event: string});
		const names = events.map(event => event.event);
		expect(names[0]).toBe('run-start');
		expect(names).toContain('step-start');
		expect(names).toContain('step-verified');
		expect(events.find(event => event.event === 'step-end')).toMatchObject({verdict: 'done'});
		expect(names.at(-1)).toBe('run-end');
		expect(document(rest.at(-1)!, 'RunResult')).toMatchObject({outcome: 'succeeded', exitCode: 0, changed: true});

		const status = await cli(['status', '--json', '-c', f.configPath]);
		expect(status.code).toBe(0);
		expect(document(status.stdout, 'Status')).toMatchObject({state: 'ended', outcome: 'succeeded', exitCode: 0});
	});

	it('plan, verify and history after the run: nothing left to change', async () => {
		const again = await cli(['plan', '--json', '-c', f.configPath, '-p', pkg('v0.12.1', 'amd64')]);
		expect(document(again.stdout, 'Plan')).toMatchObject({changed: false, summary: expect.stringMatching(/^nothing to change/)});

		const verified = await cli(['verify', '--json', '-c', f.configPath]);
		expect(verified.code, verified.stderr).toBe(0);
		expect(document(verified.stdout, 'Verification')).toMatchObject({verified: true, checkedImages: 3});

		const nothing = await cli(['run', '--yes', '--json', '-c', f.configPath, '-p', pkg('v0.12.1', 'amd64')]);
		expect(nothing.code, nothing.stderr).toBe(0);
		const lines = nothing.stdout.trim().split('\n');
		expect(lines).toHaveLength(2);
		document(lines[0]!, 'Plan');
		expect(document(lines[1]!, 'RunResult')).toMatchObject({outcome: 'nothing-to-do', exitCode: 0, changed: false});

		const history = await cli(['history', '--json', '-c', f.configPath]);
		expect(history.code).toBe(0);
		expect(document(history.stdout, 'History')).toMatchObject({entries: [{stepKind: 'cluster-create', verdict: 'done'}], problems: []});
	});

	it('an error: the Error document on stdout, the cause on stderr, exit 2', async () => {
		const missing = path.join(f.root, 'nowhere', 'clusterConfig.yaml');
		const failed = await cli(['plan', '--json', '-c', missing, '-p', pkg('v0.12.1', 'amd64')]);
		expect(failed.code).toBe(2);
		expect(document(failed.stdout, 'Error')).toMatchObject({error: {id: 'path-missing'}, exitCode: 2});
		expect(failed.stderr).toContain(`--config ${missing}: no such file.`);
	});
});

describe('a stored record that cannot be read', () => {
	it('attach names the run record, why it cannot be read and what to do; the record is not used', async () => {
		const file = recordPath(stateDir(), f.configPath);
		await mkdir(path.dirname(file), {recursive: true});
		const cut = '{"wizardPid": 12, "configPath": "/x", "plan": {"ste';
		await writeFile(file, cut);
		const text = await cli(['attach', '-c', f.configPath]);
		expect(text.code).toBe(1);
		expect(text.stderr.split('\n')[0]).toBe(
			`addon-wizard: The run record ${file} cannot be read (truncated JSON at byte ${cut.length}); it is not used.`,
		);
		expect(text.stderr).toContain(`next: If an installer still runs`);
		const json = await cli(['attach', '--json', '-c', f.configPath]);
		expect(document(json.stdout, 'Error')).toMatchObject({error: {id: 'run-record-unreadable'}, exitCode: 1});
	});

	it('history leaves out a line a newer wizard wrote and says so, in text and in the document', async () => {
		const before = await cli(['history', '--json', '-c', f.configPath]);
		const entries = (JSON.parse(before.stdout) as {entries: unknown[]}).entries.length;
		const file = historyFile(stateDir(), await resolveCluster({configPath: f.configPath, clusterName: 'my-cluster'}));
		await appendFile(file, `${JSON.stringify({schemaVersion: 9, at: 1})}\n`);
		const json = await cli(['history', '--json', '-c', f.configPath]);
		const history = document(json.stdout, 'History') as {entries: unknown[]; problems: Array<{id: string; message: string}>};
		expect(history.entries).toHaveLength(entries);
		expect(history.problems).toEqual([
			{
				id: 'history-line-unreadable',
				message: `Line ${entries + 1} of the run history ${file} cannot be read (written by a newer addon-wizard (format 9; this one reads up to 1)); that step is left out.`,
				hint: 'Read the history with the addon-wizard that wrote it (or a newer one).',
			},
		]);
		expect(json.stderr).toContain(`addon-wizard: Line ${entries + 1} of the run history ${file} cannot be read`);
	});
});
