// The wait on an installer's process group after it exited, with only the ports it uses faked:
// the processes (a scripted group) and the clock (time passes only when the wait sleeps).
import {describe, expect, it} from 'vitest';
import type {LingeringProcess, RunEvent} from '../../../../source/domain/run/run-events.js';
import type {Clock} from '../../../../source/workflow/ports/clock-port.js';
import {waitForGroup, type GroupWaitDeps} from '../../../../source/workflow/run/watch/group-wait.js';
import type {RunLog} from '../../../../source/workflow/ports/run-log-port.js';
import {makeStep} from '../../../helpers/fake-ports.js';

const helper: LingeringProcess = {pid: 4242, command: 'sleep'};

/** A clock that moves only when slept on; a group whose members each look returns in turn (the last one repeats). */
function fakes(looks: LingeringProcess[][], settings: Partial<GroupWaitDeps['settings']> = {}) {
	let now = 0;
	let looked = 0;
	const clock: Clock = {
		now: () => now,
		async sleep(ms) {
			now += ms;
		},
	};
	const events: RunEvent[] = [];
	const notes: string[] = [];
	const log = {note: (text: string) => notes.push(text)} as unknown as RunLog;
	const deps: GroupWaitDeps = {
		clock,
		processes: {groupMembers: () => looks[Math.min(looked++, looks.length - 1)]!},
		settings: {pollMs: 500, graceMs: 1000, lingerGraceMs: 60_000, ...settings},
	};
	const stop = new AbortController();
	const detach = new AbortController();
	const context = {stop: stop.signal, detach: detach.signal, emit: (event: RunEvent) => events.push(event), log};
	return {deps, context, events, notes, stop, now: () => now};
}

describe('waitForGroup', () => {
	it('ends at once when the group is empty', async () => {
		const {deps, context, events} = fakes([[]]);
		expect(await waitForGroup(makeStep(0), 100, {exitCode: 0}, context, deps)).toBeUndefined();
		expect(events).toEqual([]);
	});

	it('says the helpers that outlive the installer, then that they are gone', async () => {
		const {deps, context, events} = fakes([[helper], [helper], []]);
		expect(await waitForGroup(makeStep(0), 100, {exitCode: 0}, context, deps)).toBeUndefined();
		expect(events.map(event => event.type === 'lingering' && event.processes)).toEqual([[helper], []]);
	});

	it('gives a group stopped after lingering a bound, then says what still runs and ends the step', async () => {
		const {deps, context, events, notes, stop, now} = fakes([[helper]], {groupGoneMs: 3000});
		// Not killed with its leader: the stop comes once the helpers are said to linger.
		const emit = (event: RunEvent) => {
			context.emit(event);
			stop.abort('user');
		};

		expect(await waitForGroup(makeStep(0), 100, {exitCode: 0}, {...context, emit}, deps)).toEqual({stopped: [helper]});
		expect(now()).toBeLessThanOrEqual(500 + 3000 + 50);
		expect(events.at(-1)).toMatchObject({type: 'lingering', leaderPid: 100, processes: [helper]});
		expect(notes.at(-1)).toMatch(/still runs 3000 ms after it was stopped: sleep \(pid 4242\); the step ends without waiting for it/);
	});

	it('waits at most the bound for helpers the installer left, then ends the step naming them, left running', async () => {
		const {deps, context, events, notes, now} = fakes([[helper]], {lingerGraceMs: 1000, lingerBoundMs: 3000});
		expect(await waitForGroup(makeStep(0), 100, {exitCode: 0}, context, deps)).toEqual({left: [helper]});
		expect(now()).toBeGreaterThanOrEqual(3000);
		expect(now()).toBeLessThan(3000 + 500 + 1);
		expect(events).toMatchObject([{type: 'lingering', processes: [helper]}]);
		expect(notes.at(-1)).toMatch(/still runs 3000 ms after the installer exited: sleep \(pid 4242\); the step ends without it, not clean/);
	});

	it('gives a group killed with its leader 5 s, then says what still runs', async () => {
		const {deps, context, events, now} = fakes([[helper]]);
		expect(await waitForGroup(makeStep(0), 100, {signal: 'SIGKILL'}, context, deps)).toBeUndefined();
		expect(now()).toBeGreaterThanOrEqual(5000);
		expect(now()).toBeLessThan(5100);
		expect(events).toMatchObject([{type: 'lingering', processes: [helper]}]);
	});
});
