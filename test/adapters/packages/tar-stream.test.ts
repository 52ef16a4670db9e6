// The reader's own contract beyond conformance: sinks that ask it to wait, and archives it must refuse.
import {execFile} from 'node:child_process';
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {setTimeout as delay} from 'node:timers/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {extendedHeaderLimit, parsePaxRecords, TarFormatError, TarStream} from '../../../source/adapters/packages/tar-stream.js';

const run = promisify(execFile);

describe('TarStream', () => {
	let dir = '';
	let archive: Buffer;

	beforeAll(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'tar-stream-'));
		await mkdir(path.join(dir, 'src'));
		for (const [name, size] of [
			['a.bin', 3000],
			['b.bin', 10],
			['c.bin', 0],
		] as const) {
			await writeFile(path.join(dir, 'src', name), Buffer.alloc(size, name.codePointAt(0)));
		}

		await run('tar', ['--format=posix', '-cf', path.join(dir, 'abc.tar'), '-C', path.join(dir, 'src'), 'a.bin', 'b.bin', 'c.bin']);
		archive = await readFile(path.join(dir, 'abc.tar'));
	});

	afterAll(async () => rm(dir, {recursive: true, force: true}));

	it('waits for a sink that returns a promise before it reads on, and keeps the order', async () => {
		const events: string[] = [];
		// Earlier entries take longer: a reader that did not wait would see the later ones finish first.
		const delays: Record<string, number> = {'a.bin': 40, 'b.bin': 20, 'c.bin': 1};
		const pace = async (name: string) => delay(delays[name]);
		const tar = new TarStream(header => ({
			async data(chunk) {
				await pace(header.name);
				events.push(`${header.name}:${chunk.length}`);
			},
			async end() {
				await pace(header.name);
				events.push(`${header.name}:end`);
			},
		}));
		const pending = tar.write(archive);
		expect(pending).toBeInstanceOf(Promise);
		await pending;
		tar.end();
		expect(events).toEqual(['a.bin:3000', 'a.bin:end', 'b.bin:10', 'b.bin:end', 'c.bin:end']);
		expect(tar.finished).toBe(true);
	});

	it('refuses a header whose checksum does not match, saying where', () => {
		const damaged = Buffer.from(archive);
		const first = damaged.indexOf('a.bin');
		damaged[first] = 0x41;
		const tar = new TarStream(() => undefined);
		expect(() => tar.write(damaged)).toThrow(TarFormatError);
	});

	it('refuses an extended header larger than its cap instead of collecting it', async () => {
		const pax = path.join(dir, 'pax.tar');
		await run('python3', [
			'-c',
			`
import tarfile, sys
with tarfile.open(sys.argv[1], 'w', format=tarfile.PAX_FORMAT) as t:
    info = tarfile.TarInfo('x')
    info.pax_headers = {'comment': 'c' * ${extendedHeaderLimit + 10}}
    t.addfile(info)
`,
			pax,
		]);
		const bytes = await readFile(pax);
		const tar = new TarStream(() => undefined);
		expect(() => tar.write(bytes)).toThrow(/extended header of \d+ bytes \(the cap is \d+\)/);
	});

	it('says an archive cut in the middle of an entry ends in the middle', () => {
		const tar = new TarStream(() => undefined);
		tar.write(archive.subarray(0, 512 * 4));
		expect(() => tar.end()).toThrow(/ends in the middle of an entry/);
	});

	it('ignores what follows the end blocks', () => {
		const names: string[] = [];
		const tar = new TarStream(header => {
			names.push(header.name);
			return undefined;
		});
		tar.write(Buffer.concat([archive, Buffer.from('trailing garbage that is not a header')]));
		tar.end();
		expect(names).toEqual(['a.bin', 'b.bin', 'c.bin']);
	});

	it('reads pax records by their length, so a value may hold a newline', () => {
		const record = (key: string, value: string) => {
			const body = ` ${key}=${value}\n`;
			// The length counts its own digits.
			let length = body.length + 1;
			while (String(length).length + body.length !== length) {
				length++;
			}

			return `${length}${body}`;
		};

		expect(parsePaxRecords(Buffer.from(record('path', 'a\nb') + record('size', '42')))).toEqual({path: 'a\nb', size: '42'});
	});
});
