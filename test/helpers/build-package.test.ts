import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {execFileSync} from 'node:child_process';
import {afterAll, describe, expect, it} from 'vitest';
import {buildPackage, gunzippedSize} from './build-package.js';

describe('buildPackage fixture', () => {
	let dir = '';
	afterAll(async () => rm(dir, {recursive: true, force: true}));

	it('writes a tar.gz the system tar can list, with one bundle per chart', async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'fixture-test-'));
		const built = await buildPackage({dir, version: 'v0.9.5', arch: 'arm64'});
		expect(built.fileName).toBe('addon-offline-full-package-v0.9.5-arm64.tar.gz');
		const listing = execFileSync('tar', ['-tzf', built.path], {encoding: 'utf8'});
		expect(listing).toContain('addon-offline-package/addon/metrics-server-3.8.3.bundle.tar');
		expect(listing).toContain('addon-offline-package/community/nginx-15.1.0.bundle.tar');
		expect(listing).toContain('addon-offline-package/metadata.yaml');
		expect(await gunzippedSize(built.path)).toBe(built.uncompressedBytes);
		const bundle = execFileSync(
			'sh',
			['-c', 'tar -xzOf "$1" addon-offline-package/addon/dao-2048-1.4.1.bundle.tar | tar -tf -', 'sh', built.path],
			{encoding: 'utf8'},
		);
		expect(bundle.split('\n')).toEqual(expect.arrayContaining(['hints.yaml', 'images.tar', 'original-chart/dao-2048/Chart.yaml']));
	});
});
