// A record `addon-wizard attach` can find after an SSH drop (the locks: run-lock.test.ts).
import {mkdir, mkdtemp, readdir, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeEach, describe, expect, it} from 'vitest';
import {findRecord, readRecord, recordPath, writeRecord, type RunRecord} from '../../../source/adapters/run/run-record.js';
import {storedPlan} from '../../helpers/stored-plan.js';

let root: string;
let state: string;
let config: string;
const roots: string[] = [];

beforeEach(async () => {
	root = await mkdtemp(path.join(tmpdir(), 'run-record-'));
	roots.push(root);
	state = path.join(root, 'state');
	config = path.join(root, 'offline', 'sample', 'clusterConfig.yaml');
	await mkdir(path.dirname(config), {recursive: true});
	await writeFile(config, 'kind: ClusterConfig\n');
});
afterAll(async () => {
	await Promise.all(roots.map(async dir => rm(dir, {recursive: true, force: true})));
});

function record(overrides: Partial<RunRecord> = {}): RunRecord {
	return {
		wizardPid: process.pid,
		installerPid: 4242,
		configPath: config,
		logPath: path.join(state, 'logs', 'run-20261125-113402.log'),
		startedAt: 1_764_000_000_000,
		stepIndex: 1,
		stepId: 'integrate-arm64-1',
		packagePath: '/root/addon-offline-full-package-v0.9.5-arm64.tar.gz',
		status: 'failed',
		endedAt: 1_764_000_100_000,
		failure: {
			kind: 'registry-space-missing',
			space: 'localhost',
			message: 'Registry space "localhost" does not exist in the target registry.',
			hint: 'Create it.',
		},
		failedStepIndex: 1,
		plan: storedPlan(),
		...overrides,
	};
}

describe('run records', () => {
	it('reads back exactly what was written, found by its config path', async () => {
		const written = record();
		await writeRecord(state, written);
		expect(readRecord(recordPath(state, config))).toEqual(written);
		expect(findRecord(state, config)).toEqual(written);
		expect((await stat(recordPath(state, config))).mode & 0o777).toBe(0o600);
	});

	it('keeps one record per config, the latest write winning', async () => {
		await writeRecord(state, record({status: 'running', endedAt: undefined, failure: undefined}));
		await writeRecord(state, record({status: 'ok', failure: undefined, failedStepIndex: undefined}));
		expect(findRecord(state, config)).toMatchObject({status: 'ok'});
		expect(await readdir(path.join(state, 'runs'))).toHaveLength(1);
	});

	it('finds the newest run when no config is named (attach without -c)', async () => {
		const other = path.join(root, 'other.yaml');
		await writeRecord(state, record({startedAt: 1000}));
		await writeRecord(state, record({configPath: other, startedAt: 2000, stepId: 'cluster-create'}));
		expect(findRecord(state)).toMatchObject({configPath: other, stepId: 'cluster-create'});
		expect(findRecord(state, config)).toMatchObject({startedAt: 1000});
	});

	it('returns undefined for no record, and skips a damaged one', async () => {
		expect(findRecord(state)).toBeUndefined();
		expect(findRecord(state, config)).toBeUndefined();
		await writeRecord(state, record({startedAt: 1000}));
		await writeFile(path.join(state, 'runs', 'garbage.json'), '{"wizardPid": 1, trunc');
		expect(readRecord(path.join(state, 'runs', 'garbage.json'))).toBeUndefined();
		expect(findRecord(state)).toMatchObject({startedAt: 1000});
	});
});
