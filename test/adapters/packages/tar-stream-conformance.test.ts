// The tar reader against real archives from the writers that make addon packages and their
// neighbours: GNU tar in every format it writes (incremental dumps included), Python's tarfile
// (GNU and PAX) and `git archive`. GNU tar's own listing (`tar -tv`) is the truth: every entry's
// name, type, size and link target must match it. The tree is built to need what breaks readers:
// names over 100 bytes, a directory part over the 155-byte ustar prefix, long link targets,
// unicode, hard links, an empty file, a PAX `size` that overrides the header's.
import {execFile} from 'node:child_process';
import {mkdir, mkdtemp, readFile, rm, symlink, link, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {TarStream, type TarHeader} from '../../../source/adapters/packages/tar-stream.js';

const run = promisify(execFile);

type Listed = {type: string; name: string; size: number; link?: string};

/** `tar -tv` lines: `-rw-r--r-- 0/0 3 2026-01-01 12:00 ./d/short.txt`, with `-> target` / `link to target`. */
function parseListing(text: string): Listed[] {
	return text
		.split('\n')
		.filter(Boolean)
		.map(line => {
			const match = /^(\S)\S{9}\s+\S+\s+(\S+)\s+\S+\s+\S+\s(.*)$/.exec(line);
			if (!match) {
				throw new Error(`unexpected tar -tv line: ${line}`);
			}

			const [, type, size, rest] = match as unknown as [string, string, string, string];
			const separator = type === 'l' ? ' -> ' : type === 'h' ? ' link to ' : undefined;
			const cut = separator ? rest.indexOf(separator) : -1;
			return {
				type,
				name: cut === -1 ? rest : rest.slice(0, cut),
				size: Number(size),
				...(cut === -1 ? {} : {link: rest.slice(cut + separator!.length)}),
			};
		});
}

const listedType: Record<string, string> = {'0': '-', '7': '-', '5': 'd', D: 'd', '2': 'l', '1': 'h', '3': 'c', '4': 'b', '6': 'p'};

function readWithTarStream(data: Buffer): {entries: Listed[]; headers: TarHeader[]} {
	const headers: TarHeader[] = [];
	const sizes = new Map<TarHeader, number>();
	const tar = new TarStream(header => {
		headers.push(header);
		sizes.set(header, 0);
		return {
			data(chunk) {
				sizes.set(header, sizes.get(header)! + chunk.length);
			},
			end() {},
		};
	});
	// Odd-sized pieces, so headers and data straddle the writes as they do in a real stream.
	for (let position = 0; position < data.length; position += 777) {
		void tar.write(data.subarray(position, position + 777));
	}

	tar.end();
	const entries = headers.map(header => ({
		type: listedType[header.type] ?? header.type,
		name: header.name,
		// A directory's size field is listed but it carries no data (as GNU tar reads it).
		size: header.type === '5' ? header.size : sizes.get(header)!,
		...(header.type === '1' || header.type === '2' ? {link: header.linkName} : {}),
	}));
	return {entries, headers};
}

async function gnuListing(file: string): Promise<Listed[]> {
	const {stdout} = await run('tar', ['--quoting-style=literal', '--numeric-owner', '-tvf', file], {
		env: {...process.env, LC_ALL: 'C.UTF-8'},
		maxBuffer: 16 * 1024 * 1024,
	});
	return parseListing(stdout);
}

/** GNU tar exits 2 when a format cannot hold some names; what it did write is still an archive. */
async function gnuTar(args: string[]): Promise<void> {
	await run('tar', args).catch((error: {code?: number}) => {
		if (error.code !== 2) {
			throw error;
		}
	});
}

const python = async (script: string, ...args: string[]) => run('python3', ['-c', script, ...args]);

const pythonWrite = `
import sys, tarfile
fmt = {'gnu': tarfile.GNU_FORMAT, 'pax': tarfile.PAX_FORMAT}[sys.argv[1]]
with tarfile.open(sys.argv[2], 'w', format=fmt) as archive:
    archive.add(sys.argv[3], arcname='tree')
`;

/** A PAX archive whose ustar size field says 0 while its pax header says 5000: only a reader of pax `size` finds the next entry. */
const pythonPaxSize = `
import io, sys, tarfile
payload = bytes((i * 7 + 3) % 251 for i in range(5000))
out = io.BytesIO()
with tarfile.open(fileobj=out, mode='w', format=tarfile.PAX_FORMAT) as archive:
    info = tarfile.TarInfo('pax-size/override.bin')
    info.size = len(payload)
    info.pax_headers = {'size': str(len(payload))}
    archive.addfile(info, io.BytesIO(payload))
    after = tarfile.TarInfo('pax-size/after.txt')
    after.size = 5
    archive.addfile(after, io.BytesIO(b'after'))
raw = bytearray(out.getvalue())
for offset in range(0, len(raw), 512):
    block = raw[offset:offset + 512]
    if block[156:157] == b'0' and block[:22] == b'pax-size/override.bin\\0':
        block[124:136] = b'00000000000\\0'
        block[148:156] = b'        '
        block[148:156] = b'%06o\\0 ' % sum(block)
        raw[offset:offset + 512] = block
        break
else:
    sys.exit('header not found')
open(sys.argv[1], 'wb').write(raw)
`;

describe('TarStream conformance with GNU tar, Python tarfile and git archive', () => {
	let dir = '';
	let tree = '';
	const archives: Array<[string, string]> = [];
	const longName = `${'a'.repeat(120)}.txt`;
	const deepDir = `${'b'.repeat(90)}/${'c'.repeat(90)}`;
	const longTarget = `${'t'.repeat(130)}/target`;
	const unicodeLong = `${'文件'.repeat(30)}-✓.txt`;

	beforeAll(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'tar-conformance-'));
		tree = path.join(dir, 'tree');
		await mkdir(path.join(tree, 'd'), {recursive: true});
		await mkdir(path.join(tree, deepDir), {recursive: true});
		await mkdir(path.join(tree, '中文'), {recursive: true});
		await writeFile(path.join(tree, 'd', 'short.txt'), 'hi\n');
		await writeFile(path.join(tree, 'd', longName), 'long\n');
		await writeFile(path.join(tree, 'd', 'empty'), '');
		await writeFile(path.join(tree, 'd', 'odd.bin'), Buffer.alloc(1000, 7));
		await writeFile(path.join(tree, deepDir, 'f.txt'), 'deep\n');
		await writeFile(path.join(tree, '中文', '文件-✓.txt'), 'u\n');
		await writeFile(path.join(tree, '中文', unicodeLong), 'unicode long\n');
		await symlink('short.txt', path.join(tree, 'd', 'link'));
		await symlink(longTarget, path.join(tree, 'd', 'long-link'));
		await link(path.join(tree, 'd', 'short.txt'), path.join(tree, 'd', 'hard'));

		for (const format of ['gnu', 'oldgnu', 'posix', 'ustar', 'v7']) {
			const file = path.join(dir, `${format}.tar`);
			await gnuTar([`--format=${format}`, '-cf', file, '-C', tree, '.']);
			archives.push([`GNU tar --format=${format}`, file]);
		}

		const incremental = path.join(dir, 'incremental.tar');
		await gnuTar(['--listed-incremental', path.join(dir, 'snapshot'), '-cf', incremental, '-C', tree, '.']);
		archives.push(['GNU tar --listed-incremental', incremental]);

		for (const format of ['gnu', 'pax']) {
			const file = path.join(dir, `python-${format}.tar`);
			await python(pythonWrite, format, file, tree);
			archives.push([`Python tarfile ${format.toUpperCase()}_FORMAT`, file]);
		}

		const paxSize = path.join(dir, 'python-pax-size.tar');
		await python(pythonPaxSize, paxSize);
		archives.push(['Python tarfile PAX with a pax size override', paxSize]);

		const repo = path.join(dir, 'repo');
		await run('cp', ['-a', tree, repo]);
		const git = async (...args: string[]) => run('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args]);
		await git('init', '-q');
		await git('add', '-A');
		await git('commit', '-q', '-m', 'tree');
		const gitArchive = path.join(dir, 'git-archive.tar');
		await git('archive', '--format=tar', '--prefix=repo/', '-o', gitArchive, 'HEAD');
		archives.push(['git archive', gitArchive]);
	}, 60_000);

	afterAll(async () => rm(dir, {recursive: true, force: true}));

	it('lists every entry of every archive as GNU tar -tv does: name, type, size and link target', async () => {
		expect(archives).toHaveLength(10);
		for (const [writer, file] of archives) {
			const expected = await gnuListing(file);
			const {entries} = readWithTarStream(await readFile(file));
			expect.soft(entries, writer).toEqual(expected);
		}
	});

	it('the archives hold what the test claims to cover', async () => {
		const listings = new Map(await Promise.all(archives.map(async ([writer, file]) => [writer, await gnuListing(file)] as const)));
		const names = (writer: string) => listings.get(writer)!.map(entry => entry.name);
		for (const writer of [
			'GNU tar --format=gnu',
			'GNU tar --format=posix',
			'GNU tar --listed-incremental',
			'Python tarfile GNU_FORMAT',
			'Python tarfile PAX_FORMAT',
			'git archive',
		]) {
			expect(
				names(writer).some(name => name.endsWith(longName)),
				`${writer}: a name over 100 bytes`,
			).toBe(true);
			expect(
				names(writer).some(name => name.includes(`${deepDir}/f.txt`)),
				`${writer}: a directory part over the 155-byte prefix`,
			).toBe(true);
			expect(
				names(writer).some(name => name.endsWith(unicodeLong)),
				`${writer}: a long unicode name`,
			).toBe(true);
		}

		expect(
			listings.get('GNU tar --format=gnu')!.find(entry => entry.link === longTarget),
			'a link target over 100 bytes',
		).toBeDefined();
		expect(
			names('GNU tar --format=ustar').some(name => name.length > 100),
			'ustar splits a long path into prefix and name',
		).toBe(true);
		expect(listings.get('Python tarfile PAX with a pax size override')).toEqual([
			{type: '-', name: 'pax-size/override.bin', size: 5000},
			{type: '-', name: 'pax-size/after.txt', size: 5},
		]);
		// GNU incremental dumps keep atime/ctime where ustar keeps its prefix: the trap of issue 10.
		const {headers} = readWithTarStream(await readFile(archives.find(([writer]) => writer === 'GNU tar --listed-incremental')![1]));
		expect(headers.filter(header => header.type === 'D').length).toBeGreaterThan(2);
		expect(headers.find(header => header.name.endsWith('d/short.txt'))?.name).toBe('./d/short.txt');
	});
});
