import {mkdir, mkdtemp, rm, symlink, truncate, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {discoverPackages} from '../../../source/adapters/packages/discover-packages.js';

const gb = 1_000_000_000;

describe('discoverPackages', () => {
	let root = '';
	const file = async (relative: string, size: number) => {
		const full = path.join(root, relative);
		await mkdir(path.dirname(full), {recursive: true});
		await writeFile(full, '');
		await truncate(full, size);
		return full;
	};

	beforeAll(async () => {
		root = await mkdtemp(path.join(tmpdir(), 'discover-'));
		await file('work/addon-offline-full-package-v0.11.0-amd64.tar.gz', 18 * gb);
		await file('work/addon-offline-full-package-v0.11.0-arm64.tar.gz', 11 * gb);
		await file('home/dl/addon-offline-full-package-v0.12.0-amd64.tar.gz', 24 * gb);
		await file('home/dl/addon-offline-full-package-v0.12.0-amd64.tar.gz.part', 3 * gb);
		await file('home/dl/standard-addon-offline-package-v0.18.0-arm64.tar.gz', 0);
		await file('home/deep/a/b/addon-offline-full-package-v0.9.0-amd64.tar.gz', 14 * gb);
		await file('extra/addon-offline-full-package-v0.10.0-amd64.tar.gz', 17 * gb);
		await file('extra/addon-offline-full-package-v0.10.0-arm64.tar.gz', 1 * gb);
		await file('extra/addon-offline-package-new.tar.gz', 5 * gb);
		await file('extra/notes.txt', 10);
		await symlink(path.join(root, 'home'), path.join(root, 'home', 'dl', 'loop'));
	});

	afterAll(async () => rm(root, {recursive: true, force: true}));

	const run = async (extra: Partial<Parameters<typeof discoverPackages>[0]> = {}) =>
		discoverPackages({
			cwd: path.join(root, 'work'),
			home: path.join(root, 'home'),
			roots: [],
			...extra,
		});

	it('finds packages one level deep, newest version first, and skips deeper ones', async () => {
		const found = await run();
		expect(found.map(item => item.fileName)).toEqual([
			'standard-addon-offline-package-v0.18.0-arm64.tar.gz',
			'addon-offline-full-package-v0.12.0-amd64.tar.gz',
			'addon-offline-full-package-v0.12.0-amd64.tar.gz.part',
			'addon-offline-full-package-v0.11.0-amd64.tar.gz',
			'addon-offline-full-package-v0.11.0-arm64.tar.gz',
		]);
		expect(found.find(item => item.fileName.includes('v0.9.0'))).toBeUndefined();
		expect(found.find(item => item.fileName.startsWith('addon-offline-full-package-v0.11.0-amd64'))).toMatchObject({
			status: 'candidate',
			size: 18 * gb,
			name: {version: 'v0.11.0', arch: 'amd64'},
		});
	});

	it('lists unfinished downloads and empty files as incomplete, with the reason', async () => {
		const found = await run();
		expect(found.find(item => item.fileName.endsWith('.part'))).toMatchObject({
			status: 'incomplete',
			findings: [{code: 'incomplete-download'}],
		});
		expect(found.find(item => item.fileName.startsWith('standard'))).toMatchObject({
			status: 'incomplete',
			findings: [{message: 'The file is empty.'}],
		});
	});

	it('goes deeper with depth, survives a symlink loop, and counts each file once', async () => {
		const found = await run({depth: 4});
		expect(found.filter(item => item.fileName === 'addon-offline-full-package-v0.9.0-amd64.tar.gz')).toHaveLength(1);
		expect(found.filter(item => item.fileName === 'addon-offline-full-package-v0.12.0-amd64.tar.gz')).toHaveLength(1);
	});

	it('searches --search folders, flags a package far smaller than its sibling, and lists unparseable names', async () => {
		const found = await run({extraDirs: [path.join(root, 'extra')]});
		expect(found.find(item => item.fileName === 'addon-offline-full-package-v0.10.0-arm64.tar.gz')).toMatchObject({
			status: 'incomplete',
			findings: [{code: 'suspiciously-small'}],
		});
		expect(found.find(item => item.fileName === 'addon-offline-full-package-v0.10.0-amd64.tar.gz')?.status).toBe('candidate');
		expect(found.find(item => item.fileName === 'addon-offline-package-new.tar.gz')).toMatchObject({
			status: 'incomplete',
			findings: [{code: 'name-unrecognised'}],
		});
		expect(found.find(item => item.fileName === 'notes.txt')).toBeUndefined();
	});

	it('looks beside clusterConfig.yaml and beside the package it names', async () => {
		const found = await run({
			cwd: path.join(root, 'nowhere'),
			home: path.join(root, 'nowhere'),
			configPath: path.join(root, 'extra', 'clusterConfig.yaml'),
			currentAddonPaths: [path.join(root, 'work', 'x.tar.gz')],
		});
		expect(found.map(item => item.fileName)).toEqual(
			expect.arrayContaining(['addon-offline-full-package-v0.10.0-amd64.tar.gz', 'addon-offline-full-package-v0.11.0-arm64.tar.gz']),
		);
	});

	it('marks the package clusterConfig.yaml names as in the cluster, also when named through a symlink', async () => {
		await symlink(path.join(root, 'work'), path.join(root, 'work-link'));
		const found = await run({currentAddonPaths: [path.join(root, 'work-link', 'addon-offline-full-package-v0.11.0-amd64.tar.gz')]});
		expect(found.filter(item => item.inCluster).map(item => item.fileName)).toEqual(['addon-offline-full-package-v0.11.0-amd64.tar.gz']);
	});
});
