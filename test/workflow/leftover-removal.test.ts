// The plan option removeLeftover: the run removes the leftover addon-offline-target-package just
// before its first step, through the safety-checked clean-up, and says so in its event stream.
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cleanupLeftover, measureLeftover} from '../../source/adapters/target-dir.js';
import type {Plan, RunEvent} from '../../source/domain/model.js';
import {removeLeftoverFirst} from '../../source/workflow/leftover-removal.js';
import type {RunStream} from '../../source/workflow/ports.js';
import {makePlan, makeStep} from '../helpers/fake-ports.js';

let root = '';

beforeAll(async () => {
	root = await mkdtemp(path.join(tmpdir(), 'addon-wizard-leftover-'));
});

afterAll(async () => {
	await rm(root, {recursive: true, force: true});
});

async function collect(stream: RunStream): Promise<RunEvent[]> {
	const events: RunEvent[] = [];
	for await (const event of stream) {
		events.push(event);
	}

	return events;
}

/** A stand-in run that notes whether the leftover was still there when it started. */
function recordingStart(target: string) {
	const seen: boolean[] = [];
	const start = (): RunStream => (async function * () {
		seen.push(existsSync(target));
		yield {type: 'run-start', at: 1, logPath: '/log', steps: []} satisfies RunEvent;
		yield {type: 'run-end', at: 2, ok: true, outcome: {ok: true}} satisfies RunEvent;
	})();
	return {seen, start};
}

async function workdirWith(name: string, leftover: boolean): Promise<{cwd: string; target: string; plan: Plan}> {
	const cwd = path.join(root, name);
	const target = path.join(cwd, 'addon-offline-target-package');
	await mkdir(cwd, {recursive: true});
	if (leftover) {
		await mkdir(path.join(target, 'addon-offline-package'), {recursive: true});
		await writeFile(path.join(target, 'addon-offline-package', 'x.bundle.tar'), Buffer.alloc(2048));
	}

	return {cwd, target, plan: makePlan({steps: [makeStep(0, {cwd}), makeStep(1, {cwd})], removeLeftover: {path: target, bytes: 2048}})};
}

const deps = {measureLeftover, cleanupLeftover, now: () => 5};

describe('removeLeftoverFirst', () => {
	it('removes the leftover before the run starts and reports what it freed', async () => {
		const {target, plan} = await workdirWith('chosen', true);
		const {seen, start} = recordingStart(target);

		const events = await collect(removeLeftoverFirst(plan, 0, start, deps));
		expect(events.map(event => event.type)).toEqual(['cleanup', 'run-start', 'run-end']);
		expect(events[0]).toEqual({type: 'cleanup', at: 5, path: target, freedBytes: 2048});
		expect(seen).toEqual([false]);
		expect(existsSync(target)).toBe(false);
	});

	it('leaves the leftover alone when the plan did not choose its removal', async () => {
		const {target, plan} = await workdirWith('not-chosen', true);
		const {seen, start} = recordingStart(target);

		const events = await collect(removeLeftoverFirst({...plan, removeLeftover: undefined}, 0, start, deps));
		expect(events.map(event => event.type)).toEqual(['run-start', 'run-end']);
		expect(seen).toEqual([true]);
	});

	it('starts the run as planned when the leftover is already gone (run --cleanup removed it)', async () => {
		const {target, plan} = await workdirWith('gone', false);
		const {seen, start} = recordingStart(target);

		expect((await collect(removeLeftoverFirst(plan, 0, start, deps))).map(event => event.type)).toEqual(['run-start', 'run-end']);
		expect(seen).toEqual([false]);
	});

	it('ends the run before it starts when the clean-up refuses, saying why', async () => {
		const {cwd, target, plan} = await workdirWith('refused', false);
		// Not the installer's: nothing in it that the installer writes.
		await mkdir(path.join(target, 'my-notes'), {recursive: true});
		await writeFile(path.join(target, 'my-notes', 'todo.txt'), 'keep me');
		const {seen, start} = recordingStart(target);

		const events = await collect(removeLeftoverFirst(plan, 0, start, deps));
		expect(events.map(event => event.type)).toEqual(['run-error', 'run-end']);
		expect(events[0]).toMatchObject({type: 'run-error', error: {kind: 'cleanup-refused'}});
		expect(events[1]).toMatchObject({ok: false, outcome: {ok: false, error: {kind: 'cleanup-refused'}}});
		expect(seen).toEqual([]);
		expect(existsSync(path.join(cwd, 'addon-offline-target-package', 'my-notes', 'todo.txt'))).toBe(true);
	});
});
