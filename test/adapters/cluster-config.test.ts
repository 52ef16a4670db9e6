import {chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeEach, describe, expect, it} from 'vitest';
import {applyConfigEdit, planConfigEdit, readClusterConfig} from '../../source/adapters/cluster-config.js';
import {locateClusterConfig, manifestPathFor, resolveInstaller} from '../../source/adapters/resolve-paths.js';
import type {ConfigEdit, WizardError} from '../../source/domain/model.js';
import {clusterConfigText} from '../helpers/cluster-fixture.js';

const isError = (value: unknown): value is WizardError => typeof value === 'object' && value !== null && 'exitCode' in value;

describe('clusterConfig.yaml', () => {
	let dir = '';
	let file = '';
	beforeEach(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'config-'));
		file = path.join(dir, 'clusterConfig.yaml');
	});
	afterAll(async () => rm(dir, {recursive: true, force: true}));

	it('reads addonPackage.path as a string or a list, the registry type and the secrets', async () => {
		await writeFile(file, clusterConfigText('/home/addon-offline-full-package-v0.9.0-amd64.tar.gz', '  masterNodes:\n    - ansiblePass: "dangerous"\n'));
		const info = await readClusterConfig(file);
		expect(info).toMatchObject({
			apiVersion: 'provision.daocloud.io/v1alpha3',
			addonPackagePaths: ['/home/addon-offline-full-package-v0.9.0-amd64.tar.gz'],
			addonPathShape: 'string',
			imagesAndCharts: {type: 'builtin'},
			secrets: ['dangerous'],
		});
		await writeFile(file, 'spec:\n  addonPackage:\n    path:\n      - /a.tar.gz\n      - /b.tar.gz\n');
		expect(await readClusterConfig(file)).toMatchObject({addonPackagePaths: ['/a.tar.gz', '/b.tar.gz'], addonPathShape: 'list'});
	});

	it('names the line of malformed YAML and what to do', async () => {
		await writeFile(file, 'spec:\n  clusterName: x\n  addonPackage:\n    path: "unterminated\n  other: [\n');
		const error = await readClusterConfig(file);
		expect(isError(error) && error.kind).toBe('config-malformed');
		expect(isError(error) && error.message).toMatch(/line \d+, column \d+/);
		expect(isError(error) && error.exitCode).toBe(2);
	});

	it('says when the file is missing or has no spec', async () => {
		expect(await readClusterConfig(path.join(dir, 'nope.yaml'))).toMatchObject({kind: 'config-missing', hint: expect.stringContaining('-c')});
		await writeFile(file, 'apiVersion: v1\n');
		expect(await readClusterConfig(file)).toMatchObject({kind: 'config-invalid'});
	});

	it('plans an edit that keeps comments and formatting and shows it as a diff', async () => {
		const original = clusterConfigText('/home/old-amd64.tar.gz');
		await writeFile(file, original);
		const edit = await planConfigEdit(file, ['/home/new-amd64.tar.gz']) as ConfigEdit;
		expect(edit.newText).toBe(original.replace('path: "/home/old-amd64.tar.gz"', 'path: "/home/new-amd64.tar.gz"'));
		expect(edit.diff).toContain('-    path: "/home/old-amd64.tar.gz"   # set by hand last time');
		expect(edit.diff).toContain('+    path: "/home/new-amd64.tar.gz"   # set by hand last time');
		expect(await readFile(file, 'utf8')).toBe(original);
	});

	it('adds the path where only a comment was, and writes a list for several packages', async () => {
		await writeFile(file, clusterConfigText(undefined));
		const edit = await planConfigEdit(file, ['/p/standard-amd64.tar.gz', '/p/gpu-amd64.tar.gz']) as ConfigEdit;
		expect(edit.newText).toContain('# Offline resources');
		expect(edit.newText).toMatch(/addonPackage:\n(.*\n)*\s+path:\n\s+- \/p\/standard-amd64.tar.gz\n\s+- \/p\/gpu-amd64.tar.gz/);
	});

	it('keeps the commented-out path the operator left under an empty addonPackage', async () => {
		await writeFile(file, clusterConfigText(undefined));
		const edit = await planConfigEdit(file, ['/root/new.tar.gz']) as ConfigEdit;
		expect(edit.newText).toContain('  addonPackage:\n    # path: "/root/addon-offline-full-package-v0.4.8-amd64.tar.gz"\n    path: /root/new.tar.gz\n');
	});

	it('applies atomically with a timestamped backup of the same mode', async () => {
		const original = clusterConfigText('/home/old.tar.gz');
		await writeFile(file, original, {mode: 0o640});
		await chmod(file, 0o640);
		const edit = await planConfigEdit(file, ['/home/new.tar.gz']) as ConfigEdit;
		const result = await applyConfigEdit(edit, {now: new Date(2026, 10, 24, 20, 15, 30)});
		expect(result).toEqual({backupPath: `${file}.bak-20261124-201530`});
		expect(await readFile(`${file}.bak-20261124-201530`, 'utf8')).toBe(original);
		expect(await readFile(file, 'utf8')).toBe(edit.newText);
		expect((await stat(file)).mode & 0o777).toBe(0o640);
		expect((await stat(`${file}.bak-20261124-201530`)).mode & 0o777).toBe(0o640);
		expect((await readdir(dir)).filter(name => name.endsWith('.tmp'))).toEqual([]);
	});

	it('refuses a read-only file and leaves it untouched', async () => {
		const original = clusterConfigText('/home/old.tar.gz');
		await writeFile(file, original);
		const edit = await planConfigEdit(file, ['/home/new.tar.gz']) as ConfigEdit;
		await chmod(file, 0o444);
		const result = await applyConfigEdit(edit);
		expect(result).toMatchObject({kind: 'config-not-writable', hint: expect.stringContaining('chmod')});
		expect(await readFile(file, 'utf8')).toBe(original);
		expect((await readdir(dir)).filter(name => name !== 'clusterConfig.yaml')).toEqual([]);
	});

	it('refuses to apply when the file changed after planning', async () => {
		await writeFile(file, clusterConfigText('/home/old.tar.gz'));
		const edit = await planConfigEdit(file, ['/home/new.tar.gz']) as ConfigEdit;
		await writeFile(file, `${clusterConfigText('/home/old.tar.gz')}# edited meanwhile\n`);
		expect(await applyConfigEdit(edit)).toMatchObject({kind: 'config-changed'});
	});

	it('locates the config, the manifest beside it, and the installer in HOME or on PATH', async () => {
		await mkdir(path.join(dir, 'offline', 'sample'), {recursive: true});
		await writeFile(path.join(dir, 'offline', 'sample', 'clusterConfig.yaml'), 'spec: {}\n');
		const located = await locateClusterConfig(undefined, dir);
		expect(located).toBe(path.join(dir, 'offline', 'sample', 'clusterConfig.yaml'));
		expect(manifestPathFor(located as string)).toBe(path.join(dir, 'offline', 'sample', 'manifest.yaml'));
		expect(await locateClusterConfig(undefined, path.join(dir, 'offline'))).toMatchObject({kind: 'config-missing'});
		const bin = path.join(dir, 'bin');
		await mkdir(bin);
		await writeFile(path.join(bin, 'dce5-installer'), '#!/bin/sh\n', {mode: 0o755});
		expect(await resolveInstaller(undefined, {HOME: path.join(dir, 'home'), PATH: `/nonexistent:${bin}`})).toEqual({path: path.join(bin, 'dce5-installer'), found: true, executable: true});
		expect(await resolveInstaller(undefined, {HOME: path.join(dir, 'home'), PATH: ''})).toMatchObject({found: false});
	});
});
