// The one reader of installer output: complete lines, UTF-8 kept whole, and a line without a
// newline never allowed to take the wizard's memory (a 50 MB line took 0.7 GB before the cap).
import {execFile} from 'node:child_process';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {lineSplitter, openCaptureReader} from '../../../source/adapters/run/capture-tail.js';
import {maxLineBytes} from '../../../source/domain/shared/sanitize-output.js';

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'capture-tail-'));
});

afterAll(async () => {
	await rm(dir, {recursive: true, force: true});
});

describe('lineSplitter', () => {
	it('cuts a line longer than the cap, says how many bytes it dropped, and goes on with the next line whole', () => {
		const lines: string[] = [];
		const splitter = lineSplitter(batch => lines.push(...batch));
		const chunk = 'x'.repeat(1 << 20);
		for (let index = 0; index < 10; index++) {
			splitter.push(chunk);
		}

		expect(lines).toEqual([]);
		splitter.push('tail\nnext line\n');
		expect(lines).toHaveLength(2);
		const dropped = (10 << 20) + 'tail'.length - maxLineBytes;
		expect(lines[0]).toBe(`${'x'.repeat(maxLineBytes)} … [${dropped} more bytes of this line cut; the installer wrote them]`);
		expect(lines[1]).toBe('next line');
	});

	it('cuts a long line that arrives whole in one chunk too, and the last line at the end of the output', () => {
		const lines: string[] = [];
		const splitter = lineSplitter(batch => lines.push(...batch));
		splitter.push(`${'y'.repeat(maxLineBytes + 10)}\n${'z'.repeat(maxLineBytes + 5)}`);
		splitter.flush();
		expect(lines.map(line => line.length)).toEqual(
			[maxLineBytes, maxLineBytes].map(
				(length, index) => length + ` … [${index === 0 ? 10 : 5} more bytes of this line cut; the installer wrote them]`.length,
			),
		);
	});

	it('drops the lines a log already holds, and splits CRLF', () => {
		const lines: string[] = [];
		const splitter = lineSplitter(batch => lines.push(...batch), 2);
		splitter.push('one\r\ntwo\r\nthree\r\nfour');
		splitter.flush();
		expect(lines).toEqual(['three', 'four']);
	});
});

describe('openCaptureReader', () => {
	it('reads a 50 MB line without a newline in flat memory, delivering it cut', async () => {
		const file = path.join(dir, 'flood.out');
		await writeFile(file, Buffer.alloc(50 << 20, 'a'));
		// In a process of its own, so its peak RSS is the reader's alone.
		const script = `
			const {openCaptureReader} = await import(${JSON.stringify(path.resolve('source/adapters/run/capture-tail.ts'))});
			const lines = [];
			const reader = openCaptureReader(${JSON.stringify(file)}, 'stdout', batch => lines.push(...batch.map(line => line.length)));
			while (reader.read()) {}
			await reader.finish();
			console.log(JSON.stringify({lines, maxRss: process.resourceUsage().maxRSS}));
		`;
		const {stdout} = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
			cwd: path.resolve('.'),
			maxBuffer: 1 << 20,
		});
		const result = JSON.parse(stdout) as {lines: number[]; maxRss: number};
		expect(result.lines).toHaveLength(1);
		expect(result.lines[0]).toBeLessThan(maxLineBytes + 100);
		// maxRSS is in KiB; Node itself with tsx is ~100 MB, the cap keeps the line's share small.
		expect(result.maxRss / 1024).toBeLessThan(200);
	}, 60_000);

	it('keeps a UTF-8 character whole when a read ends inside it', async () => {
		const file = path.join(dir, 'utf8.out');
		// Short lines up to one byte before the reader's 1 MiB read boundary, then 镜 across it.
		const filler = `${'a'.repeat(99)}\n`.repeat(10_485);
		const last = `${'b'.repeat((1 << 20) - 1 - filler.length)}镜像`;
		const text = Buffer.from(`${filler}${last}\n`);
		expect(text.indexOf(Buffer.from('镜'))).toBe((1 << 20) - 1);
		await writeFile(file, text);
		const lines: string[] = [];
		const reader = openCaptureReader(file, 'stdout', batch => lines.push(...batch));
		while (reader.read()) {
			// Bounded reads, as the pump does them.
		}

		await reader.finish();
		expect(lines).toHaveLength(10_486);
		expect(lines.at(-1)).toBe(last);
		expect(lines.join('')).not.toContain('\uFFFD');
	});
});
