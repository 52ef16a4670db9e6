// Gzip bombs, inspected in a process of their own so its peak RSS is the inspection's alone: a
// chart .tgz of a few MB that inflates to 6 GiB, inside a bundle, inside a package (once read with
// gunzipSync, which took GBs), and a package whose own gzip does the same. Both must end in
// seconds, under 200 MB RSS, with an error finding that names what went past its cap.
import {execFile} from 'node:child_process';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {buildPackage, gzipBomb} from '../../helpers/build-package.js';
import {repoRoot} from '../../helpers/cluster-fixture.js';

const run = promisify(execFile);
const gib = 1024 * 1024 * 1024;

type ChildResult = {
	seconds: number;
	maxRSSKiB: number;
	complete: boolean;
	findings: Array<{code: string; severity: string; message: string}>;
};

async function inspectInChild(file: string): Promise<ChildResult & {wallSeconds: number}> {
	const started = performance.now();
	const {stdout} = await run(
		path.join(repoRoot, 'node_modules', '.bin', 'tsx'),
		[path.join(repoRoot, 'scripts', 'bench-inspect.ts'), file],
		{cwd: repoRoot, timeout: 60_000},
	);
	return {...(JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildResult), wallSeconds: (performance.now() - started) / 1000};
}

describe('inspectPackage on gzip bombs', () => {
	let dir = '';
	let bomb: Buffer;

	beforeAll(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'inspect-bomb-'));
		bomb = await gzipBomb(6 * gib);
	});

	afterAll(async () => rm(dir, {recursive: true, force: true}));

	it('stops a chart .tgz that inflates to 6 GiB at its cap: seconds, under 200 MB, named, blocked', async () => {
		expect(bomb.length).toBeLessThan(8 * 1024 * 1024);
		const built = await buildPackage({
			dir: path.join(dir, 'nested'),
			charts: [
				{name: 'bomb', version: '1.0.0', repo: 'addon', images: [{ref: 'release.daocloud.io/x/bomb:1'}], chartArchive: bomb},
				{name: 'fine', version: '1.0.0', repo: 'addon', images: [{ref: 'release.daocloud.io/x/fine:1'}]},
			],
		});
		const result = await inspectInChild(built.path);
		expect(result.maxRSSKiB).toBeLessThan(200 * 1024);
		expect(result.wallSeconds).toBeLessThan(20);
		expect(result.complete).toBe(false);
		const overCap = result.findings.find(item => item.code === 'entry-over-cap');
		expect(overCap?.severity).toBe('error');
		expect(overCap?.message).toContain('addon-offline-package/addon/bomb-1.0.0.bundle.tar › original-chart/bomb-1.0.0.tgz');
		expect(overCap?.message).toContain('cap for a chart archive');
	});

	it('stops a package whose own gzip inflates past 100× its size', async () => {
		const file = path.join(dir, 'addon-offline-full-package-v0.9.5-amd64.tar.gz');
		await writeFile(file, bomb);
		const result = await inspectInChild(file);
		expect(result.maxRSSKiB).toBeLessThan(200 * 1024);
		expect(result.wallSeconds).toBeLessThan(20);
		expect(result.complete).toBe(false);
		expect(result.findings[0]).toMatchObject({code: 'entry-over-cap', severity: 'error'});
		expect(result.findings[0]!.message).toContain('gzip bomb');
	});
});
