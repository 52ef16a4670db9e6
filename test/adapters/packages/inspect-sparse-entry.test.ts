// A package holding a file stored sparse: tar keeps only its data (a few blocks) but unpacking
// writes the whole apparent size (8 GiB here) on a filesystem that cannot keep the holes. The
// disk estimate must count what unpacking takes, not what the archive stores. The archives are
// written by GNU tar itself (`--sparse`), in its default gnu format (type 'S') and in posix (pax
// GNU.sparse.* records, format 1.0).
import {execFile} from 'node:child_process';
import {mkdir, mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {inspectPackage} from '../../../source/adapters/packages/inspect-package.js';
import {TarStream, type TarHeader} from '../../../source/adapters/packages/tar-stream.js';
import {stepDiskBytes} from '../../../source/domain/plan/estimate-disk-needs.js';
import {buildPackage} from '../../helpers/build-package.js';

const run = promisify(execFile);
const gib = 1024 ** 3;
const apparent = 8 * gib;
const scatteredSize = 64 * 1024 * 1024;

describe('a package with an 8 GiB sparse file in it', () => {
	let dir = '';
	const packages: Record<string, string> = {};
	let plainBytes = 0;

	beforeAll(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'inspect-sparse-'));
		const built = await buildPackage({dir: path.join(dir, 'built'), version: 'v0.9.5', arch: 'amd64'});
		const plain = await inspectPackage(built.path, {useCache: false});
		expect(plain.complete).toBe(true);
		plainBytes = plain.uncompressedBytes;
		const tree = path.join(dir, 'tree');
		await mkdir(tree);
		await run('tar', ['-xzf', built.path, '-C', tree]);
		// A file of 8 GiB apparent size with one 4 KiB block of data in the middle: holes around it.
		const sparseFile = path.join(tree, 'disk.img');
		await run('truncate', ['-s', String(apparent), sparseFile]);
		await run('dd', ['if=/dev/urandom', `of=${sparseFile}`, 'bs=4096', 'count=1', `seek=${gib / 4096}`, 'conv=notrunc'], {});
		// Six data regions: more than a GNU header's four, so its sparse map goes on in an extension block.
		const scattered = path.join(tree, 'scattered.img');
		await run('truncate', ['-s', String(scatteredSize), scattered]);
		for (let region = 0; region < 6; region++) {
			await run('dd', ['if=/dev/urandom', `of=${scattered}`, 'bs=4096', 'count=1', `seek=${region * 1024}`, 'conv=notrunc']);
		}

		for (const format of ['gnu', 'posix']) {
			await mkdir(path.join(dir, format));
			packages[format] = path.join(dir, format, built.fileName);
			await run('tar', [`--format=${format}`, '--sparse', '-czf', packages[format], '-C', tree, '.']);
		}
	}, 120_000);

	afterAll(async () => rm(dir, {recursive: true, force: true}));

	it.each(['gnu', 'posix'])('estimates the disk by the apparent size (%s format)', async format => {
		const inspection = await inspectPackage(packages[format]!, {useCache: false});
		expect(inspection.complete).toBe(true);
		expect(inspection.findings.filter(finding => finding.severity === 'error')).toEqual([]);
		// The tar stream holds the data blocks only: a few KiB, not 8 GiB.
		expect(inspection.uncompressedBytes).toBeGreaterThanOrEqual(plainBytes + apparent + scatteredSize);
		expect(inspection.uncompressedBytes).toBeLessThan(plainBytes + apparent + scatteredSize + 1024 * 1024);
		expect(stepDiskBytes([inspection])).toBeGreaterThanOrEqual(apparent);
	});

	it.each(['gnu', 'posix'])('names the sparse entry by its real name and apparent size, as tar -tv does (%s format)', async format => {
		const {stdout} = await run('sh', ['-c', `gzip -dc '${packages[format]!}'`], {encoding: 'buffer', maxBuffer: 256 * 1024 * 1024});
		const headers: TarHeader[] = [];
		const tar = new TarStream(header => {
			headers.push(header);
			return undefined;
		});
		for (let position = 0; position < stdout.length; position += 777) {
			void tar.write(stdout.subarray(position, position + 777));
		}

		tar.end();
		const listing = await run('tar', ['-tvf', packages[format]!]);
		const line = listing.stdout.split('\n').find(item => item.endsWith('./disk.img'));
		expect(line).toContain(String(apparent));
		const entry = headers.find(header => header.name === './disk.img');
		expect(entry?.apparentSize).toBe(apparent);
		expect(entry!.size).toBeLessThan(1024 * 1024);
		const scattered = headers.find(header => header.name === './scattered.img');
		expect(scattered?.apparentSize).toBe(scatteredSize);
		// Every entry after it is read where tar -tv has it: the map's extension block was not taken for data.
		expect(headers.map(header => header.name).sort()).toEqual(
			listing.stdout
				.split('\n')
				.filter(Boolean)
				.map(item => item.slice(item.indexOf('./')))
				.sort(),
		);
	});
});
