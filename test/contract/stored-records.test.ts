// What the wizard reads back from disk is checked before it is used: a run record, a history line,
// a journal line or a cached inspection that is cut off, corrupt, of another shape or written by a
// newer wizard is refused whole, and where an operator reads it, with one line saying why.
import {readdir, mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {
	cacheKeyOf,
	inspectionSchema,
	readCachedInspection,
	writeCachedInspection,
} from '../../source/adapters/packages/inspection-cache.js';
import {createRunHistory} from '../../source/adapters/run/run-history.js';
import {parseLogLine} from '../../source/adapters/run/run-log.js';
import {findRecord, findRecordOrCause, readRecord, recordPath, writeRecord} from '../../source/adapters/run/run-record.js';
import type {HistoryEntry, HistoryProblem} from '../../source/workflow/ports/history-port.js';
import type {RunRecord} from '../../source/workflow/ports/run-record-port.js';
import {full} from '../domain/packages/make-inspection.js';
import {storedPlan} from '../helpers/stored-plan.js';
import {statSync} from 'node:fs';

let root: string;
beforeAll(async () => {
	root = await mkdtemp(path.join(tmpdir(), 'stored-'));
});
afterAll(async () => {
	await rm(root, {recursive: true, force: true});
});

const record = (configPath: string): RunRecord => ({
	wizardPid: 1,
	configPath,
	logPath: '/l',
	startedAt: 5,
	stepIndex: 0,
	stepId: 'step-1',
	packagePath: '/p',
	status: 'ok',
	plan: storedPlan(),
});

describe('the run record', () => {
	async function stored(name: string, text: (written: string) => string): Promise<{state: string; config: string; file: string}> {
		const state = path.join(root, name);
		const config = path.join(root, `${name}.yaml`);
		await writeRecord(state, record(config));
		const file = recordPath(state, config);
		await writeFile(file, text(await readFile(file, 'utf8')));
		return {state, config, file};
	}

	it('is read back whole, with the format version it was written in', async () => {
		const {state, config, file} = await stored('whole', text => text);
		expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({schemaVersion: 1});
		expect(findRecordOrCause(state, config)).toEqual(record(config));
	});

	it.each([
		[
			'cut off',
			(text: string) => text.slice(0, 120),
			/^The run record \S+ cannot be read \(truncated JSON at byte 120\); it is not used\.$/,
		],
		['corrupt', (text: string) => text.replace('"status"', '"status" x'), /cannot be read \(not JSON at byte \d+\); it is not used\.$/],
		[
			'of another shape (a plan without its checklist)',
			(text: string) => text.replace('"preflight":[]', '"preflightLater":[]'),
			/cannot be read \(not the shape the wizard writes \(plan\.preflight: .+\)\); it is not used\.$/,
		],
		[
			'written by a newer wizard',
			(text: string) => text.replace('"schemaVersion":1', '"schemaVersion":2'),
			/cannot be read \(written by a newer addon-wizard \(format 2; this one reads up to 1\)\); it is not used\.$/,
		],
	])('%s: refused with one line of cause and a next step, never half-used', async (name, damage, cause) => {
		const {state, config, file} = await stored(name.replaceAll(/\W/g, '-'), damage);
		const refused = findRecordOrCause(state, config);
		expect(refused).toMatchObject({kind: 'run-record-unreadable', message: expect.stringMatching(cause), exitCode: 1});
		expect((refused as {message: string}).message).toContain(file);
		expect((refused as {message: string}).message).not.toContain('\n');
		expect((refused as {hint: string}).hint).toMatch(/move \S+ aside/);
		// The lock code and the cleanup guard see no record rather than half of one.
		expect(readRecord(file)).toBeUndefined();
		expect(findRecord(state, config)).toBeUndefined();
	});

	it('without -c: the newest record that can be read, else why none can', async () => {
		const state = path.join(root, 'newest');
		const good = path.join(root, 'good.yaml');
		await writeRecord(state, record(good));
		await mkdir(path.join(state, 'runs'), {recursive: true});
		await writeFile(path.join(state, 'runs', 'broken.json'), '{');
		expect(findRecordOrCause(state)).toMatchObject({configPath: good});
		await rm(recordPath(state, good));
		expect(findRecordOrCause(state)).toMatchObject({kind: 'run-record-unreadable'});
		expect(await readdir(path.join(state, 'runs'))).toEqual(['broken.json']);
	});
});

describe('the run history', () => {
	const entry = (at: number): HistoryEntry => ({
		cluster: {configPath: path.join(root, 'h.yaml')},
		at,
		stepId: 'step-1',
		stepKind: 'cluster-create',
		packages: [{fileName: 'addon-offline-full-package-v0.12.1-amd64.tar.gz'}],
		installer: {path: '/i'},
		outcome: 'ok',
		logPath: '/l',
	});

	it('keeps the lines it can read and says which it cannot, and why', async () => {
		const state = path.join(root, 'history');
		const history = createRunHistory(state);
		await history.append(entry(1));
		const file = path.join(state, 'history', (await readdir(path.join(state, 'history')))[0]!);
		await writeFile(file, `${await readFile(file, 'utf8')}{"at": 2, "stepId": 3}\n`, {flag: 'w'});
		await history.append(entry(3));
		await writeFile(file, `${await readFile(file, 'utf8')}{"schemaVersion": 4}\n{"at": 5, "st`);
		const problems: HistoryProblem[] = [];
		const entries = await history.read(entry(0).cluster, problem => problems.push(problem));
		expect(entries.map(item => item.at)).toEqual([1, 3]);
		expect(problems.map(problem => problem.message)).toEqual([
			expect.stringMatching(
				/^Line 2 of the run history \S+ cannot be read \(not the shape the wizard writes \(cluster: .+\)\); that step is left out\.$/,
			),
			expect.stringMatching(/^Line 4 .* \(written by a newer addon-wizard \(format 4; this one reads up to 1\)\)/),
			expect.stringMatching(/^Line 5 .* \(truncated JSON at byte 13\)/),
		]);
		expect(problems[0]!.hint).toContain('A line cut off by a crash is harmless');
	});
});

describe('the journal', () => {
	const line = (event: object) => `2026-01-01T00:00:00.000Z wizard event| ${JSON.stringify(event)}`;

	it('gives back an event it knows with the fields the replay uses', () => {
		const event = {type: 'step-end', at: 1, stepId: 's', exitCode: 0, status: 'done'};
		expect(parseLogLine(line(event))).toEqual({kind: 'event', event});
	});

	it.each([
		['an event type this wizard does not know', {type: 'step-paused', at: 1, stepId: 's'}],
		['a step-end without its verdict', {type: 'step-end', at: 1, stepId: 's', exitCode: 0}],
		['a run-end without its outcome', {type: 'run-end', at: 1, ok: true}],
	])('is no event for %s', (_name, event) => {
		expect(parseLogLine(line(event))).toBeUndefined();
	});
});

describe('the inspection cache', () => {
	it('reads back what it wrote, and takes a damaged entry for a miss (the package is read again)', async () => {
		const cacheDir = path.join(root, 'cache');
		const file = path.join(root, 'addon-offline-full-package-v0.12.1-amd64.tar.gz');
		await writeFile(file, 'x');
		const key = cacheKeyOf(file, statSync(file, {bigint: true}));
		const inspection = {...full('v0.12.1', 'amd64'), schema: inspectionSchema};
		await writeCachedInspection(cacheDir, key, inspection);
		expect(await readCachedInspection(cacheDir, key)).toEqual(inspection);
		const [entry] = await readdir(path.join(cacheDir, 'inspections'));
		const entryFile = path.join(cacheDir, 'inspections', entry!);
		const text = await readFile(entryFile, 'utf8');
		for (const damaged of [text.slice(0, 200), text.replace('"complete":true', '"complete":"yes"')]) {
			await writeFile(entryFile, damaged);
			expect(await readCachedInspection(cacheDir, key)).toBeUndefined();
		}
	});
});
