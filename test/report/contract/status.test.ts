// The Status document from a run record and what the host says of it: each way a run ends maps to
// RunResult's outcome words and the exit code `run` ended with; what the last registry check said
// is `verified`, read from a real run log's journal. Every document validates against the schema.
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir, userInfo} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {readRunFacts} from '../../../source/adapters/run/run-facts.js';
import {openRunLog} from '../../../source/adapters/run/run-log.js';
import type {RunFacts} from '../../../source/domain/run/run-facts.js';
import type {Plan} from '../../../source/domain/plan/plan.js';
import type {RunEvent} from '../../../source/domain/run/run-events.js';
import {runIdOf} from '../../../source/report/contract/run-id.js';
import {statusDocument} from '../../../source/report/contract/status-document.js';
import {statusSchema} from '../../../source/report/contract/status.js';
import type {RunRecord} from '../../../source/workflow/ports/run-record-port.js';

const startedAt = Date.UTC(2026, 10, 25, 11, 34, 2, 5);
const plan = {
	steps: [
		{id: 'cluster-create', title: 'Upgrade addon to v0.11.2 (amd64) with cluster-create -j13'},
		{id: 'integrate-arm64-1', title: 'Integrate arm64 images of v0.11.2 with import -addon'},
	],
} as unknown as Plan;

function record(overrides: Partial<RunRecord> = {}): RunRecord {
	return {
		wizardPid: 4242,
		configPath: '/home/dce5/sample/clusterConfig.yaml',
		logPath: '/var/log/run.log',
		startedAt,
		stepIndex: 1,
		stepId: 'integrate-arm64-1',
		packagePath: '/home/p.tar.gz',
		status: 'running',
		plan,
		...overrides,
	};
}

const gone: RunFacts = {wizardAlive: false, installerAlive: false};

describe('the Status document', () => {
	it('says none, with the config asked about, when no run is recorded', () => {
		expect(statusDocument('/c.yaml', undefined, undefined)).toEqual({
			apiVersion: 'addon-wizard/v1',
			kind: 'Status',
			config: '/c.yaml',
			state: 'none',
		});
		expect(statusSchema.parse(statusDocument(null, undefined, undefined)).config).toBeNull();
	});

	it('reports a running run: its step from 1, the processes, no outcome yet', () => {
		const status = statusSchema.parse(
			statusDocument(null, record({installerPid: 777}), {
				wizardAlive: true,
				installerAlive: true,
				user: 'dce5',
				lastVerification: 'deferred',
			}),
		);
		expect(status).toEqual({
			apiVersion: 'addon-wizard/v1',
			kind: 'Status',
			config: '/home/dce5/sample/clusterConfig.yaml',
			state: 'running',
			runId: 'run',
			step: {index: 2, count: 2, title: 'Integrate arm64 images of v0.11.2 with import -addon'},
			// Step 1 lost arm64, which step 2 integrates again: not verified (yet).
			verified: false,
			logPath: '/var/log/run.log',
			startedAt: '2026-11-25T11:34:02.005Z',
			pid: 4242,
			user: 'dce5',
			wizardAlive: true,
			installerPid: 777,
			installerAlive: true,
		});
		expect(runIdOf(record().logPath)).toBe(status.runId);
	});

	it('still says running while only the installer lives (the wizard was killed or detached)', () => {
		expect(statusDocument(null, record(), {wizardAlive: false, installerAlive: true}).state).toBe('running');
	});

	it.each([
		['ok', undefined, 'succeeded', 0],
		['interrupted', undefined, 'stopped', 130],
		['failed', 'no-space', 'failed', 4],
		['failed', 'finished-with-errors', 'finished-with-errors', 5],
		['failed', 'verification-failed', 'verification-failed', 6],
		['failed', 'not-verified', 'not-verified', 7],
	] as const)('maps a run that ended %s (%s) to %s, exit code %i', (status, kind, outcome, exitCode) => {
		const failure = kind ? ({kind, message: 'm', hint: 'h'} as RunRecord['failure']) : undefined;
		const document = statusSchema.parse(
			statusDocument(null, record({status, failure, endedAt: startedAt + 60_000, ...(failure ? {failedStepIndex: 0} : {})}), gone),
		);
		expect(document).toMatchObject({state: 'ended', outcome, exitCode, endedAt: '2026-11-25T11:35:02.005Z'});
		// A failed run names the step that failed, not the one it would have gone on to.
		expect(document.step?.index).toBe(failure ? 1 : 2);
	});

	it('says a record left running with every process gone ended, how unknown', () => {
		expect(statusDocument(null, record(), gone)).toMatchObject({state: 'ended', outcome: 'unknown'});
		expect(statusDocument(null, record(), gone).exitCode).toBeUndefined();
	});

	it.each([
		['verified', true],
		['failed', false],
		['unreadable', false],
		['skipped', undefined],
		[undefined, undefined],
	] as const)('takes verified from the last registry check: %s → %s', (lastVerification, verified) => {
		const document = statusDocument(null, record({status: 'ok'}), {...gone, ...(lastVerification ? {lastVerification} : {})});
		expect(document.verified).toBe(verified);
		expect('verified' in document).toBe(verified !== undefined);
	});
});

describe('what the host says of a run', () => {
	let dir: string;
	beforeAll(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'addon-wizard-status-'));
	});
	afterAll(async () => {
		await rm(dir, {recursive: true, force: true});
	});

	it("reads this wizard alive, its owner, and the last step-verified state from the run log's journal", async () => {
		const logPath = path.join(dir, 'run.log');
		const log = openRunLog(logPath, []);
		const verified = (stepId: string, state: 'deferred' | 'verified') =>
			({
				type: 'step-verified',
				at: 1,
				stepId,
				verification: {state, registry: 'r', result: {}, chain: [], tagArches: []},
			}) as unknown as RunEvent;
		log.event(verified('cluster-create', 'deferred'));
		log.output('integrate-arm64-1', 'stdout', ['[Info]: Step 13/13: import addon offline package']);
		log.event(verified('integrate-arm64-1', 'verified'));
		log.close();

		const facts = await readRunFacts(record({wizardPid: process.pid, logPath}));
		expect(facts).toEqual({wizardAlive: true, installerAlive: false, user: userInfo().username, lastVerification: 'verified'});
	});

	it('names no owner and no verification when the wizard is gone and its log is missing', async () => {
		const facts = await readRunFacts(record({wizardPid: 2 ** 22 + 1, logPath: path.join(dir, 'missing.log')}));
		expect(facts).toEqual({wizardAlive: false, installerAlive: false, lastVerification: undefined});
	});
});
