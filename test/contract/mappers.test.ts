// The mappers from the internal types to the v1 documents: what each keeps, what it leaves out
// (the plan's pre-flight facts, the config's texts, passwords), and that what they build passes
// the kind's own schema, for every run event there is.
import {describe, expect, it} from 'vitest';
import type {RunEvent} from '../../source/domain/run/run-events.js';
import {secretMasker} from '../../source/domain/shared/mask-secrets.js';
import {errorDocumentSchema} from '../../source/report/contract/error.js';
import {toPublicError} from '../../source/report/public-error.js';
import {historyDocumentSchema, toPublicHistory} from '../../source/report/contract/history.js';
import {inspectionDocumentSchema, toPublicInspection} from '../../source/report/contract/inspection.js';
import {packageListDocumentSchema, toPublicPackageList} from '../../source/report/contract/package-list.js';
import {planDocumentSchema, toPublicPlan} from '../../source/report/contract/plan.js';
import {runEventDocumentSchema, toPublicNextStep, toPublicRunEvent} from '../../source/report/contract/run-event.js';
import {full} from '../domain/packages/make-inspection.js';
import {storedPlan} from '../helpers/stored-plan.js';

const hazardous = storedPlan(
	[
		{
			kind: 'cluster-create',
			configEdit: {
				path: '/root/clusterConfig.yaml',
				newPaths: ['/srv/new.tar.gz'],
				diff: '-    path: old\n+    path: /srv/new.tar.gz\n',
				originalText: 'externalImageRepoPassword: S3cret\n',
				newText: 'externalImageRepoPassword: S3cret\npath: /srv/new.tar.gz\n',
			},
		},
	],
	{
		packages: [full('v0.11.2', 'amd64')],
		findings: [
			{code: 'arch-conflict-below-0.12', severity: 'warning', message: 'turns 3 tags amd64-only (S3cret)', hint: 'Choose arm64 too.'},
			{code: 'checksum-unknown', severity: 'info', message: 'no published checksum'},
		],
		preflight: [
			{id: 'leftover', status: 'block', message: 'a leftover', hint: 'Look inside', then: {key: 'x', flag: '--cleanup', text: 'remove it'}},
		],
		blocked: true,
		preflightFacts: {
			workdir: {path: '/root/work', exists: true, isDirectory: true, writable: true},
			installer: {path: '/root/dce5-installer', found: true},
			fromStep: 1,
			packages: [],
		},
	},
);

describe('toPublicPlan', () => {
	const document = toPublicPlan(hazardous, secretMasker(['S3cret']));

	it('passes the Plan schema, envelope first', () => {
		expect(planDocumentSchema.safeParse(document).success).toBe(true);
		expect(Object.keys(document).slice(0, 2)).toEqual(['apiVersion', 'kind']);
	});

	it('names findings by their public id and marks the hazards, not yet accepted', () => {
		expect(document.findings.map(finding => [finding.id, finding.hazard])).toEqual([
			['below-0.12-single-arch', true],
			['checksum-unknown', false],
		]);
		expect(document.hazards).toEqual([{id: 'below-0.12-single-arch', message: 'turns 3 tags amd64-only (********)', accepted: false}]);
		expect(toPublicPlan(hazardous, secretMasker([]), ['below-0.12-single-arch']).hazards[0]!.accepted).toBe(true);
	});

	it('says changes are pending when the registry was not read, and keeps the blocked verdict', () => {
		expect(document).toMatchObject({changed: true, summary: expect.stringMatching(/^changes assumed pending/), blocked: true});
	});

	it('words a pre-flight row with the flag that does the rest', () => {
		expect(document.preflight).toEqual([
			{id: 'leftover', status: 'block', message: 'a leftover', hint: 'Look inside, then run again with --cleanup to remove it.'},
		]);
	});

	it('leaves the internals out: no pre-flight facts, no config texts, no password', () => {
		const text = JSON.stringify(document);
		for (const internal of ['preflightFacts', 'originalText', 'newText', 'baselines', 'diffs', 'S3cret']) {
			expect(text).not.toContain(internal);
		}

		expect(document.steps).toEqual([
			expect.objectContaining({
				index: 1,
				kind: 'cluster-create',
				configEdit: {path: '/root/clusterConfig.yaml', newPaths: ['/srv/new.tar.gz'], diff: '-    path: old\n+    path: /srv/new.tar.gz\n'},
			}),
		]);
		expect(document.packages).toEqual([expect.objectContaining({version: 'v0.11.2', arch: 'amd64', kind: 'full', verdict: 'usable'})]);
	});
});

const error = {kind: 'locked', message: 'Another addon-wizard runs.', hint: 'Wait.', exitCode: 3};
const verified = {
	verified: true,
	checkedImages: 3,
	checkedTags: 3,
	missing: {count: 0, first: []},
	different: {count: 0, first: []},
	lostArch: {count: 0, first: []},
	lostArchChecked: true,
	lackingClusterArch: {count: 0, first: []},
	unreadable: {count: 0, first: []},
	nextSteps: [],
	message: 'All 3 images are in the registry.',
	hint: '',
};

/** One of every internal event type: the table below does not compile when a type is missing. */
const everyEvent: {[T in RunEvent['type']]: Extract<RunEvent, {type: T}>} = {
	'run-start': {type: 'run-start', at: 1, logPath: '/l', steps: [{id: 's', title: 'Import', argv: ['/i']}]},
	'config-written': {type: 'config-written', at: 1, path: '/c', backupPath: '/c.bak', stepId: 's'},
	'step-start': {type: 'step-start', at: 1, stepId: 's', argv: ['/i', 'import'], cwd: '/w', pid: 9},
	output: {type: 'output', at: 1, stepId: 's', stream: 'stderr', line: 'x'},
	'output-skipped': {type: 'output-skipped', at: 1, stepId: 's', count: 4},
	progress: {
		type: 'progress',
		at: 1,
		stepId: 's',
		progress: {unpackedBytes: 1, expectedBytes: 2, chartsSeen: 0, expectedCharts: 1, imagesSeen: 0, expectedImages: 3},
	},
	disk: {type: 'disk', at: 1, samples: [{path: '/w', freeBytes: 5, level: 'low'}]},
	silent: {type: 'silent', at: 1, stepId: 's', since: 0},
	lingering: {type: 'lingering', at: 1, stepId: 's', leaderPid: 9, exitCode: 0, processes: [{pid: 10, command: 'skopeo'}]},
	'step-end': {
		type: 'step-end',
		at: 1,
		stepId: 's',
		exitCode: 1,
		failure: {kind: 'no-space', message: 'Disk full.', hint: 'Free space.'},
		status: 'failed',
		tally: {charts: {synced: ['a'], skipped: []}, images: {pushed: ['x', 'y'], skipped: ['z']}, overflow: 0},
	},
	'verify-start': {type: 'verify-start', at: 1, stepId: 's', phase: 'after', registry: 'r:5000', tags: 3},
	'verify-progress': {type: 'verify-progress', at: 1, stepId: 's', phase: 'after', done: 1, total: 3},
	'step-verified': {
		type: 'step-verified',
		at: 1,
		stepId: 's',
		verification: {state: 'verified', registry: 'r:5000', result: verified, chain: [], tagArches: ['amd64']},
	},
	cleanup: {type: 'cleanup', at: 1, path: '/w/t', freedBytes: 10},
	'config-restored': {type: 'config-restored', at: 1, path: '/c', backupPath: '/c.bak', replacedCopyPath: '/c.run'},
	'config-restore-refused': {type: 'config-restore-refused', at: 1, path: '/c', backupPath: '/c.bak', error},
	'run-error': {type: 'run-error', at: 1, error},
	'run-end': {type: 'run-end', at: 1, ok: false, outcome: {ok: false, failedStepIndex: 0, withErrors: true}},
};

describe('toPublicRunEvent', () => {
	it.each(Object.values(everyEvent))('$type: a RunEvent line of the same name that passes the schema', (event: RunEvent) => {
		const line = toPublicRunEvent(event);
		expect(line).toMatchObject({apiVersion: 'addon-wizard/v1', kind: 'RunEvent', event: event.type, at: 1});
		const parsed = runEventDocumentSchema.safeParse(line);
		expect(parsed.success, parsed.error?.message).toBe(true);
	});

	it('counts a tally, names a failure by its kind, and counts steps from 1 as --from-step does', () => {
		expect(toPublicRunEvent(everyEvent['step-end'])).toMatchObject({
			verdict: 'failed',
			failure: {id: 'no-space', message: 'Disk full.', hint: 'Free space.'},
			tally: {chartsSynced: 1, chartsSkipped: 0, imagesPushed: 2, imagesSkipped: 1},
		});
		expect(toPublicRunEvent(everyEvent['run-end'])).toMatchObject({
			outcome: {ok: false, failedStep: 1, withErrors: true, interrupted: false, verificationFailed: false, unverified: false},
		});
	});

	it('leaves out what only the screens use: the run-start argv, the tally names', () => {
		const text = JSON.stringify([toPublicRunEvent(everyEvent['run-start']), toPublicRunEvent(everyEvent['step-end'])]);
		expect(text).not.toContain('argv');
		expect(text).not.toContain('"pushed"');
	});

	it('the next-step line names the integration and the command', () => {
		const line = toPublicNextStep(
			5,
			{
				version: 'v0.11.2',
				arch: 'arm64',
				kinds: [],
				fileNames: ['addon-offline-full-package-v0.11.2-arm64.tar.gz'],
				reason: 'tags lost arm64',
			},
			[],
			['addon-offline-full-package-v0.11.2-arm64.tar.gz'],
			'addon-wizard run --yes -c /c -p <folder>/addon-offline-full-package-v0.11.2-arm64.tar.gz',
		);
		expect(runEventDocumentSchema.safeParse(line).success).toBe(true);
		expect(line).toMatchObject({event: 'next-step', integrate: {version: 'v0.11.2', arch: 'arm64'}});
	});
});

describe('the other documents', () => {
	it('Error: the kind as id, the next step worded for plain output, the exit code', () => {
		const document = toPublicError({...error, then: {key: 'r', flag: '--cleanup', text: 'retry'}});
		expect(errorDocumentSchema.safeParse(document).success).toBe(true);
		expect(document).toEqual({
			apiVersion: 'addon-wizard/v1',
			kind: 'Error',
			error: {id: 'locked', message: 'Another addon-wizard runs.', hint: 'Wait, then run again with --cleanup to retry.'},
			exitCode: 3,
		});
	});

	it('PackageList, Inspection and History pass their schemas and use public finding ids', () => {
		const inspection = full('v0.12.1', 'arm64', {
			charts: ['insight@0.30.0'],
			images: ['release.daocloud.io/insight/insight:v0.30.0'],
			findings: [{code: 'arch-lost-in-plan', severity: 'warning', message: 'lost'}],
		});
		const listed = toPublicPackageList([
			{path: inspection.path, fileName: inspection.fileName, size: 1, mtimeMs: 2, status: 'candidate', findings: inspection.findings},
		]);
		expect(packageListDocumentSchema.safeParse(listed).success).toBe(true);
		expect(listed.packages[0]!.findings[0]).toMatchObject({id: 'arch-lost', hazard: true});
		const inspected = toPublicInspection([inspection]);
		expect(inspectionDocumentSchema.safeParse(inspected).success).toBe(true);
		expect(inspected.packages[0]).toMatchObject({version: 'v0.12.1', charts: [{name: 'insight', version: '0.30.0'}]});
		const history = toPublicHistory({configPath: '/c'}, [
			{
				cluster: {configPath: '/c'},
				at: 3,
				stepId: 's',
				stepKind: 'import-addon',
				packages: [{fileName: inspection.fileName, version: 'v0.12.1', arch: 'arm64'}],
				installer: {path: '/i'},
				outcome: 'ok',
				notVerified: {kind: 'registry-unreachable', message: 'refused'},
				verdict: 'unverified',
				logPath: '/l',
			},
		]);
		expect(historyDocumentSchema.safeParse(history).success).toBe(true);
		expect(history.entries[0]).toMatchObject({packages: [{file: inspection.fileName}], notVerified: {id: 'registry-unreachable'}});
	});
});
