// `attach` following an installer whose wizard died, with only the ports it uses faked: the
// processes (a scripted group), the clock, the capture files (empty), the log.
import {describe, expect, it} from 'vitest';
import type {LingeringProcess, RunEvent} from '../../../../source/domain/run/run-events.js';
import type {AttachDeps} from '../../../../source/workflow/ports/run-deps.js';
import type {RunLog} from '../../../../source/workflow/ports/run-log-port.js';
import type {RunRecord} from '../../../../source/workflow/ports/run-record-port.js';
import {newSeen} from '../../../../source/workflow/run/attach/attach-replay.js';
import {followOrphan} from '../../../../source/workflow/run/attach/attach-orphan.js';
import {makePlan} from '../../../helpers/fake-ports.js';

const helper: LingeringProcess = {pid: 4242, command: 'sleep'};
/** Longer than any test: the disk sampler only wakes when the watch ends. */
const neverMs = 1e9;

function fakes(group: () => LingeringProcess[]) {
	let now = 0;
	const notes: string[] = [];
	const removed: unknown[] = [];
	const log = {note: (text: string) => notes.push(text), output() {}, close() {}} as unknown as RunLog;
	const deps = {
		settings: {graceMs: 1000, sampleMs: neverMs, pollMs: 500, secrets: [], groupGoneMs: 3000},
		clock: {
			now: () => now,
			async sleep(ms: number, signal?: AbortSignal) {
				if (ms >= neverMs) {
					await new Promise(resolve => {
						signal?.addEventListener('abort', resolve);
					});
					return;
				}

				now += ms;
			},
		},
		processes: {isAlive: () => false, groupMembers: group, stopGroup: async () => [], killGroup() {}},
		capture: {
			open: () => ({read: () => false, written: () => 0, finish: async () => undefined}),
			remove: (files: unknown) => removed.push(files),
		},
		log: {open: () => log, openJournal: () => ({read: async () => ({entries: [], more: false}), close: async () => undefined})},
		record: {read: () => undefined},
		files: {exists: async () => false, dirSize: async () => 0},
		disks: {diskInfo: async () => []},
	} satisfies AttachDeps;
	const plan = makePlan();
	const record: RunRecord = {
		wizardPid: 1,
		installerPid: 100,
		capture: {stdout: '/tmp/o', stderr: '/tmp/e'},
		configPath: plan.cluster.path,
		logPath: '/tmp/log',
		startedAt: 0,
		stepIndex: 0,
		stepId: plan.steps[0]!.id,
		packagePath: '',
		status: 'running',
		plan,
	};
	return {deps, record, step: plan.steps[0]!, notes, removed, now: () => now};
}

describe('followOrphan', () => {
	it('follows the group until it is empty, then removes the capture files', async () => {
		const looks = [[helper], [helper], []];
		const {deps, record, step, notes, removed} = fakes(() => looks.shift() ?? []);
		const events: RunEvent[] = [];
		await followOrphan(
			{
				record,
				step,
				seen: newSeen(record.plan),
				push: event => events.push(event),
				isDetached: () => false,
				stop: new AbortController().signal,
			},
			deps,
		);
		expect(events.filter(event => event.type === 'lingering').map(event => event.type === 'lingering' && event.processes)).toEqual([
			[helper],
			[],
		]);
		expect(removed).toEqual([record.capture]);
		expect(notes.at(-1)).toMatch(/has ended$/);
	});

	it('gives a stopped group a bound, then says what still runs and keeps its capture files', async () => {
		const {deps, record, step, notes, removed, now} = fakes(() => [helper]);
		const stop = new AbortController();
		const events: RunEvent[] = [];
		const push = (event: RunEvent) => {
			events.push(event);
			stop.abort('user');
		};

		await followOrphan({record, step, seen: newSeen(record.plan), push, isDetached: () => false, stop: stop.signal}, deps);
		expect(now()).toBeLessThanOrEqual(3000 + 1000);
		// The watch's last progress follows; the lingering said at the bound is the last one.
		expect(events.filter(event => event.type === 'lingering').at(-1)).toMatchObject({leaderPid: 100, processes: [helper], at: now()});
		expect(notes.at(-1)).toMatch(/still runs after it was stopped: sleep \(pid 4242\); no longer following it/);
		expect(removed).toEqual([]);
	});
});
