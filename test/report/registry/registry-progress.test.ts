// What `plan` and `verify` say on stderr while the registry is read: nothing when it is quick,
// whom they wait for when the first answer takes over a second, and how far the read got.
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {registryProgressPrinter} from '../../../source/report/registry/registry-progress.js';

function capture() {
	const lines: string[] = [];
	const io = {stdout: (text: string) => lines.push(`out:${text}`), stderr: (text: string) => lines.push(text)};
	return {lines, io};
}

describe('registry progress without screens', () => {
	beforeEach(() => {
		vi.useFakeTimers();
	});

	afterEach(() => {
		vi.useRealTimers();
	});

	it('says nothing for a registry that answers at once and a read under a second', () => {
		const {lines, io} = capture();
		const printer = registryProgressPrinter(io, (done, total) => `verifying ${done} of ${total} tags`);
		printer.onProgress({done: 0, total: 3, elapsedMs: 0, connectingTo: 'https://10.6.135.222'});
		vi.advanceTimersByTime(200);
		for (const done of [1, 2, 3]) {
			printer.onProgress({done, total: 3, elapsedMs: 200 + done * 100});
		}

		printer.done();
		vi.advanceTimersByTime(5000);
		expect(lines).toEqual([]);
	});

	it('names the registry it waits for after a second, once, then counts each second and says the last', () => {
		const {lines, io} = capture();
		const printer = registryProgressPrinter(io, (done, total) => `verifying ${done} of ${total} tags`);
		printer.onProgress({done: 0, total: 1000, elapsedMs: 0, connectingTo: 'https://10.6.135.222'});
		vi.advanceTimersByTime(15_000);
		expect(lines).toEqual(['waiting for the registry at https://10.6.135.222 to answer…\n']);
		printer.onProgress({done: 400, total: 1000, elapsedMs: 15_400});
		printer.onProgress({done: 700, total: 1000, elapsedMs: 15_700});
		printer.onProgress({done: 1000, total: 1000, elapsedMs: 16_000});
		expect(lines.slice(1)).toEqual(['verifying 400 of 1000 tags\n', 'verifying 1000 of 1000 tags\n']);
	});

	it('stops waiting when the read ends without an answer (a refused connection after a moment)', () => {
		const {lines, io} = capture();
		const printer = registryProgressPrinter(io, (done, total) => `reading the registry: ${done} of ${total} tags`);
		printer.onProgress({done: 0, total: 10, elapsedMs: 0, connectingTo: 'http://127.0.0.1:5000'});
		vi.advanceTimersByTime(500);
		printer.done();
		vi.advanceTimersByTime(5000);
		expect(lines).toEqual([]);
	});
});
