import {execFileSync} from 'node:child_process';
import {chmod, chown, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, truncate, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {applyConfigEdit, planConfigEdit, readClusterConfig, restoreConfigBackup} from '../../../source/adapters/config/cluster-config.js';
import {locateClusterConfig, manifestPathFor, resolveInstaller} from '../../../source/adapters/config/resolve-paths.js';
import type {ConfigEdit} from '../../../source/domain/config/config-facts.js';
import type {WizardError} from '../../../source/domain/shared/wizard-error.js';
import {clusterConfigText} from '../../helpers/cluster-fixture.js';

const isError = (value: unknown): value is WizardError => typeof value === 'object' && value !== null && 'exitCode' in value;

describe('clusterConfig.yaml', () => {
	let dir = '';
	let file = '';
	beforeEach(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'config-'));
		file = path.join(dir, 'clusterConfig.yaml');
	});
	afterEach(async () => rm(dir, {recursive: true, force: true}));

	it('reads addonPackage.path as a string or a list, the registry type and the secrets', async () => {
		await writeFile(
			file,
			clusterConfigText('/home/addon-offline-full-package-v0.9.0-amd64.tar.gz', '  masterNodes:\n    - ansiblePass: "dangerous"\n'),
		);
		const info = await readClusterConfig(file);
		expect(info).toMatchObject({
			apiVersion: 'provision.daocloud.io/v1alpha3',
			addonPackagePaths: ['/home/addon-offline-full-package-v0.9.0-amd64.tar.gz'],
			addonPathShape: 'string',
			imagesAndCharts: {type: 'builtin'},
			secrets: expect.arrayContaining(['dangerous']),
		});
		await writeFile(file, 'kind: ClusterConfig\nspec:\n  addonPackage:\n    path:\n      - /a.tar.gz\n      - /b.tar.gz\n');
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
		expect(await readClusterConfig(path.join(dir, 'nope.yaml'))).toMatchObject({
			kind: 'config-missing',
			hint: expect.stringContaining('-c'),
		});
		await writeFile(file, 'apiVersion: v1\nkind: ClusterConfig\n');
		expect(await readClusterConfig(file)).toMatchObject({kind: 'config-invalid', message: expect.stringContaining('no spec')});
	});

	it('plans an edit that keeps comments and formatting and shows it as a diff', async () => {
		const original = clusterConfigText('/home/old-amd64.tar.gz');
		await writeFile(file, original);
		const edit = (await planConfigEdit(file, ['/home/new-amd64.tar.gz'])) as ConfigEdit;
		expect(edit.newText).toBe(original.replace('path: "/home/old-amd64.tar.gz"', 'path: "/home/new-amd64.tar.gz"'));
		expect(edit.diff).toContain('-    path: "/home/old-amd64.tar.gz"   # set by hand last time');
		expect(edit.diff).toContain('+    path: "/home/new-amd64.tar.gz"   # set by hand last time');
		expect(await readFile(file, 'utf8')).toBe(original);
	});

	it('adds the path where only a comment was, and writes a list for several packages', async () => {
		await writeFile(file, clusterConfigText(undefined));
		const edit = (await planConfigEdit(file, ['/p/standard-amd64.tar.gz', '/p/gpu-amd64.tar.gz'])) as ConfigEdit;
		expect(edit.newText).toContain('# Offline resources');
		expect(edit.newText).toBe(
			clusterConfigText(undefined).replace(
				'-amd64.tar.gz"\n',
				'-amd64.tar.gz"\n    path:\n      - "/p/standard-amd64.tar.gz"\n      - "/p/gpu-amd64.tar.gz"\n',
			),
		);
	});

	it('keeps the commented-out path the operator left under an empty addonPackage', async () => {
		await writeFile(file, clusterConfigText(undefined));
		const edit = (await planConfigEdit(file, ['/root/new.tar.gz'])) as ConfigEdit;
		expect(edit.newText).toBe(
			clusterConfigText(undefined).replace(
				'  addonPackage:\n    # path: "/root/addon-offline-full-package-v0.4.8-amd64.tar.gz"\n',
				'  addonPackage:\n    # path: "/root/addon-offline-full-package-v0.4.8-amd64.tar.gz"\n    path: "/root/new.tar.gz"\n',
			),
		);
	});

	it('applies atomically with a timestamped backup of the same mode', async () => {
		const original = clusterConfigText('/home/old.tar.gz');
		await writeFile(file, original, {mode: 0o640});
		await chmod(file, 0o640);
		const edit = (await planConfigEdit(file, ['/home/new.tar.gz'])) as ConfigEdit;
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
		const edit = (await planConfigEdit(file, ['/home/new.tar.gz'])) as ConfigEdit;
		await chmod(file, 0o444);
		const result = await applyConfigEdit(edit);
		expect(result).toMatchObject({kind: 'config-not-writable', hint: expect.stringContaining('chmod')});
		expect(await readFile(file, 'utf8')).toBe(original);
		expect((await readdir(dir)).filter(name => name !== 'clusterConfig.yaml')).toEqual([]);
	});

	it('refuses to apply when the file changed after planning', async () => {
		await writeFile(file, clusterConfigText('/home/old.tar.gz'));
		const edit = (await planConfigEdit(file, ['/home/new.tar.gz'])) as ConfigEdit;
		await writeFile(file, `${clusterConfigText('/home/old.tar.gz')}# edited meanwhile\n`);
		expect(await applyConfigEdit(edit)).toMatchObject({kind: 'config-changed'});
	});

	it('locates the config, the manifest beside it, and the installer in HOME or on PATH', async () => {
		await mkdir(path.join(dir, 'offline', 'sample'), {recursive: true});
		await writeFile(path.join(dir, 'offline', 'sample', 'clusterConfig.yaml'), 'kind: ClusterConfig\nspec: {}\n');
		const located = await locateClusterConfig(undefined, dir);
		expect(located).toBe(path.join(dir, 'offline', 'sample', 'clusterConfig.yaml'));
		expect(manifestPathFor(located as string)).toBe(path.join(dir, 'offline', 'sample', 'manifest.yaml'));
		expect(await locateClusterConfig(undefined, path.join(dir, 'offline'))).toMatchObject({kind: 'config-missing'});
		const bin = path.join(dir, 'bin');
		await mkdir(bin);
		await writeFile(path.join(bin, 'dce5-installer'), '#!/bin/sh\n', {mode: 0o755});
		expect(await resolveInstaller(undefined, {HOME: path.join(dir, 'home'), PATH: `/nonexistent:${bin}`})).toEqual({
			path: path.join(bin, 'dce5-installer'),
			found: true,
			executable: true,
		});
		expect(await resolveInstaller(undefined, {HOME: path.join(dir, 'home'), PATH: ''})).toMatchObject({found: false});
	});
});

const head = ['apiVersion: provision.daocloud.io/v1alpha4', 'kind: ClusterConfig', 'spec:', '  clusterName: my-cluster'];
const tail = ['  binaries:', '    type: builtin   # official-service | builtin | external', ''];
const configOf = (...addon: string[]) => [...head, ...addon, ...tail].join('\n');
const v = (kind: string, version: string, arch = 'amd64') => `/root/${kind}-addon-offline-package-${version}-${arch}.tar.gz`;

describe('clusterConfig.yaml that must be refused when read', () => {
	let dir = '';
	let file = '';
	beforeEach(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'config-refuse-'));
		file = path.join(dir, 'clusterConfig.yaml');
	});
	afterEach(async () => rm(dir, {recursive: true, force: true}));

	it('refuses a file whose kind is not ClusterConfig, and never plans an edit of it', async () => {
		const manifest = 'apiVersion: manifest.daocloud.io/v1alpha1\nkind: DCEManifest\nspec:\n  addonPackage:\n    path: /root/old.tar.gz\n';
		await writeFile(file, manifest);
		const read = await readClusterConfig(file);
		expect(read).toMatchObject({
			kind: 'config-invalid',
			exitCode: 2,
			message: expect.stringContaining('kind: DCEManifest'),
			hint: expect.stringContaining('-c'),
		});
		expect(await planConfigEdit(file, ['/root/new.tar.gz'])).toMatchObject({kind: 'config-invalid', exitCode: 2});
		expect(await readFile(file, 'utf8')).toBe(manifest);
	});

	it('refuses a YAML alias bomb as malformed input (exit 2) naming the line, without expanding it', async () => {
		const names = 'abcdefghi';
		const bomb = [`  a: &a [${Array.from({length: 9}, () => '"lol"').join(', ')}]`];
		for (let index = 1; index < names.length; index++) {
			bomb.push(`  ${names[index]}: &${names[index]} [${Array.from({length: 9}, () => `*${names[index - 1]}`).join(', ')}]`);
		}

		await writeFile(file, [...head, ...bomb, ''].join('\n'));
		const started = Date.now();
		const read = await readClusterConfig(file);
		expect(read).toMatchObject({kind: 'config-malformed', exitCode: 2});
		expect(isError(read) && read.message).toMatch(/clusterConfig\.yaml line \d+: .*alias/);
		expect(isError(read) && read.hint).toContain('alias');
		expect(Date.now() - started).toBeLessThan(5000);
		expect(await planConfigEdit(file, ['/root/new.tar.gz'])).toMatchObject({kind: 'config-malformed', exitCode: 2});
	});

	it('refuses one wide anchor repeated until it would fill memory, and reads ordinary anchors', async () => {
		const wide = `  big: &big [${Array.from({length: 20_000}, () => 'x').join(',')}]`;
		await writeFile(file, [...head, wide, `  copies: [${Array.from({length: 100}, () => '*big').join(', ')}]`, ''].join('\n'));
		expect(await readClusterConfig(file)).toMatchObject({
			kind: 'config-malformed',
			exitCode: 2,
			message: expect.stringContaining('line 6'),
		});

		const nodes = Array.from({length: 150}, (_, index) => `    - {nodeName: n${index}, ansibleUser: root, ansiblePass: *pw}`);
		await writeFile(file, [...head, '  pw: &pw "s3cret-pw"', '  workerNodes:', ...nodes, ''].join('\n'));
		expect(await readClusterConfig(file)).toMatchObject({kind: 'ClusterConfig', secrets: expect.arrayContaining(['s3cret-pw'])});
	});

	it('says that a directory is a directory, and which file inside it to pass', async () => {
		const folder = path.join(dir, 'sample');
		await mkdir(folder);
		const read = await readClusterConfig(folder);
		expect(read).toMatchObject({exitCode: 2, message: expect.stringContaining('is a directory')});
		expect(isError(read) && read.hint).toContain(`-c ${path.join(folder, 'clusterConfig.yaml')}`);
		expect(isError(read) && read.hint).not.toMatch(/permission/i);
		expect(await planConfigEdit(folder, ['/root/new.tar.gz'])).toMatchObject({
			exitCode: 2,
			message: expect.stringContaining('is a directory'),
		});
	});

	it('refuses a FIFO and a file far too big to be a cluster config, without reading them', async () => {
		const fifo = path.join(dir, 'fifo.yaml');
		execFileSync('mkfifo', [fifo]);
		expect(await readClusterConfig(fifo)).toMatchObject({exitCode: 2, message: expect.stringContaining('not a regular file')});
		const huge = path.join(dir, 'standard-addon-offline-package-v0.44.0-amd64.tar.gz');
		await writeFile(huge, '');
		await truncate(huge, 30 * 1024 ** 3);
		expect(await readClusterConfig(huge)).toMatchObject({exitCode: 2, message: expect.stringContaining('32.2 GB')});
	});
});

describe('writing spec.addonPackage.path: only the path changes', () => {
	let dir = '';
	let file = '';
	beforeEach(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'config-paths-'));
		file = path.join(dir, 'clusterConfig.yaml');
	});
	afterEach(async () => rm(dir, {recursive: true, force: true}));

	async function edit(original: string, newPaths: string[]): Promise<string> {
		await writeFile(file, original);
		const planned = await planConfigEdit(file, newPaths);
		if (isError(planned)) {
			throw new Error(`${planned.message} / ${planned.hint}`);
		}

		expect([...planned.newPaths].sort()).toEqual([...newPaths].sort());
		const written = await readClusterConfig(file);
		expect(isError(written)).toBe(false);
		return planned.newText;
	}

	it('scalar to scalar: the value is replaced in its own quoting, the trailing comment kept', async () => {
		for (const [before, after] of [
			['    path: "/home/old.tar.gz"   # set by hand', '    path: "/home/new.tar.gz"   # set by hand'],
			["    path: '/home/old.tar.gz' # single", "    path: '/home/new.tar.gz' # single"],
			['    path: /home/old.tar.gz', '    path: /home/new.tar.gz'],
			['    path: ""', '    path: "/home/new.tar.gz"'],
		] as const) {
			expect(await edit(configOf('  addonPackage:', before), ['/home/new.tar.gz'])).toBe(configOf('  addonPackage:', after));
		}
	});

	it("scalar to a list of 2: one entry per path under path:, in the scalar's quoting, its comment and the commented-out lines kept", async () => {
		const original = configOf(
			'  addonPackage:',
			'    path: "/home/addon-offline-full-package-v0.9.0-amd64.tar.gz"   # as in multi-archi-helm.md',
			'    # installer >= v0.19 / addon >= v0.18 may use a list:',
			'    # path:',
			'    #   - "/root/standard-addon-offline-package-v0.18.0-amd64.tar.gz"',
		);
		expect(await edit(original, [v('standard', 'v0.44.0'), v('gpu', 'v0.44.0')])).toBe(
			configOf(
				'  addonPackage:',
				'    path:   # as in multi-archi-helm.md',
				`      - "${v('standard', 'v0.44.0')}"`,
				`      - "${v('gpu', 'v0.44.0')}"`,
				'    # installer >= v0.19 / addon >= v0.18 may use a list:',
				'    # path:',
				'    #   - "/root/standard-addon-offline-package-v0.18.0-amd64.tar.gz"',
			),
		);
	});

	const listOf2 = configOf(
		'  addonPackage:',
		'    # the packages of this release',
		'    path:   # one per kind',
		'      # standard first',
		`      - "${v('standard', 'v0.28.0')}"  # std`,
		'',
		'      # then gpu',
		`      - '${v('gpu', 'v0.28.0')}'`,
		'    # after the list',
	);

	it("a list of 2 to a list of 4: entries upgraded in place with their comments and quoting, new ones appended in the last entry's style", async () => {
		const paths = ['standard', 'gpu', 'metax', 'jenkins'].map(kind => v(kind, 'v0.44.0'));
		expect(await edit(listOf2, paths)).toBe(
			configOf(
				'  addonPackage:',
				'    # the packages of this release',
				'    path:   # one per kind',
				'      # standard first',
				`      - "${v('standard', 'v0.44.0')}"  # std`,
				'',
				'      # then gpu',
				`      - '${v('gpu', 'v0.44.0')}'`,
				`      - '${v('metax', 'v0.44.0')}'`,
				`      - '${v('jenkins', 'v0.44.0')}'`,
				'    # after the list',
			),
		);
	});

	it('entries that stay are not touched, whatever order the paths come in', async () => {
		const paths = [v('metax', 'v0.28.0'), v('gpu', 'v0.28.0'), v('standard', 'v0.28.0')];
		expect(await edit(listOf2, paths)).toBe(
			listOf2.replace(`      - '${v('gpu', 'v0.28.0')}'\n`, `      - '${v('gpu', 'v0.28.0')}'\n      - '${v('metax', 'v0.28.0')}'\n`),
		);
	});

	it('a list to one path stays a one-entry list; an entry not written goes with its own line only', async () => {
		const original = configOf(
			'  addonPackage:',
			'    path:',
			`      - "${v('standard', 'v0.11.4')}"   # amd64 nodes`,
			'      # arm64 nodes joined in May',
			`      - "${v('standard', 'v0.11.4', 'arm64')}"   # arm64 nodes`,
		);
		expect(await edit(original, [v('standard', 'v0.44.0')])).toBe(
			configOf(
				'  addonPackage:',
				'    path:',
				`      - "${v('standard', 'v0.44.0')}"   # amd64 nodes`,
				'      # arm64 nodes joined in May',
			),
		);
	});

	it('commented-out #path: lines under an empty addonPackage stay; the new list goes below them', async () => {
		const original = configOf(
			'  addonPackage:',
			'    #path:',
			'    #  - "/root/standard-addon-offline-package-v0.18.0-amd64.tar.gz"',
			'    #  - "/root/gpu-addon-offline-package-v0.18.0-amd64.tar.gz"',
		);
		expect(await edit(original, [v('standard', 'v0.44.0'), v('gpu', 'v0.44.0')])).toBe(
			configOf(
				'  addonPackage:',
				'    #path:',
				'    #  - "/root/standard-addon-offline-package-v0.18.0-amd64.tar.gz"',
				'    #  - "/root/gpu-addon-offline-package-v0.18.0-amd64.tar.gz"',
				'    path:',
				`      - "${v('standard', 'v0.44.0')}"`,
				`      - "${v('gpu', 'v0.44.0')}"`,
			),
		);
	});

	it('an empty path: key gets the value beside it (one) or below it (several), its comment kept', async () => {
		expect(await edit(configOf('  addonPackage:', '    path:   # fill in'), ['/root/a.tar.gz'])).toBe(
			configOf('  addonPackage:', '    path: "/root/a.tar.gz"   # fill in'),
		);
		expect(await edit(configOf('  addonPackage:', '    path:   # fill in'), ['/root/a.tar.gz', '/root/b.tar.gz'])).toBe(
			configOf('  addonPackage:', '    path:   # fill in', '      - "/root/a.tar.gz"', '      - "/root/b.tar.gz"'),
		);
	});

	it("no addonPackage at all: added at the end of spec, in the file's indentation", async () => {
		const original = ['kind: ClusterConfig', 'spec:', '    clusterName: c', '    binaries:', '        type: builtin', 'extra: 1', ''].join(
			'\n',
		);
		expect(await edit(original, ['/root/a.tar.gz'])).toBe(
			[
				'kind: ClusterConfig',
				'spec:',
				'    clusterName: c',
				'    binaries:',
				'        type: builtin',
				'    addonPackage:',
				'        path: "/root/a.tar.gz"',
				'extra: 1',
				'',
			].join('\n'),
		);
	});

	it('one-line forms stay one-line: {path: …} and [a, b]', async () => {
		expect(await edit(configOf('  addonPackage: {path: /root/old.tar.gz}   # flow'), ['/root/a.tar.gz', '/root/b.tar.gz'])).toBe(
			configOf('  addonPackage: {path: [/root/a.tar.gz, /root/b.tar.gz]}   # flow'),
		);
		expect(await edit(configOf('  addonPackage:', '    path: ["/root/old.tar.gz", /x.tar.gz]'), ['/root/a.tar.gz'])).toBe(
			configOf('  addonPackage:', '    path: ["/root/a.tar.gz"]'),
		);
	});

	it('keeps Windows line endings and a file without a final newline', async () => {
		const crlf = configOf('  addonPackage:', '    path: /root/old.tar.gz').replaceAll('\n', '\r\n');
		expect(await edit(crlf, ['/root/a.tar.gz', '/root/b.tar.gz'])).toBe(
			configOf('  addonPackage:', '    path:', '      - /root/a.tar.gz', '      - /root/b.tar.gz').replaceAll('\n', '\r\n'),
		);
		const noNewline = [...head, '  addonPackage:', '    path:', '      - /root/old.tar.gz'].join('\n');
		expect(await edit(noNewline, ['/root/old.tar.gz', '/root/b.tar.gz'])).toBe(`${noNewline}\n      - /root/b.tar.gz`);
	});

	it('refuses a shape it cannot edit without rewriting other lines, and says what to set by hand', async () => {
		await writeFile(file, configOf('  addonPackage: {}'));
		const refused = await planConfigEdit(file, ['/root/a.tar.gz']);
		expect(refused).toMatchObject({kind: 'config-shape-unsupported', exitCode: 2, hint: expect.stringContaining('/root/a.tar.gz')});
		await writeFile(file, configOf('  addonPackage:', '    path: &current /root/old.tar.gz', '  notes: *current'));
		expect(await planConfigEdit(file, ['/root/a.tar.gz'])).toMatchObject({
			kind: 'config-shape-unsupported',
			message: expect.stringContaining('anchor'),
		});
	});

	it('refuses an alias with no anchor as malformed input, naming its line', async () => {
		await writeFile(file, configOf('  clusterName2: *nowhere', '  addonPackage:', '    path: /root/old.tar.gz'));
		expect(await readClusterConfig(file)).toMatchObject({
			kind: 'config-malformed',
			exitCode: 2,
			message: expect.stringMatching(/line 5: .*nowhere/),
		});
	});

	it('masks passwords in the diff shown on Review, never in the text written', async () => {
		const original = configOf(
			'  imagesAndCharts:',
			'    type: external',
			'    externalImageRepoUsername: admin',
			'    externalImageRepo: https://admin:Harbor12345@harbor.example.com',
			'    externalImageRepoPassword: Harbor12345',
			'  addonPackage:',
			'    path: /root/old.tar.gz',
			'    # externalChartRepoPassword: rootpass123',
		);
		await writeFile(file, original);
		const planned = (await planConfigEdit(file, ['/root/new.tar.gz'])) as ConfigEdit;
		expect(planned.diff.split('\n')).toEqual([
			'--- a/clusterConfig.yaml',
			'+++ b/clusterConfig.yaml',
			'@@ -8,7 +8,7 @@',
			'     externalImageRepo: https://admin:********@harbor.example.com',
			'     externalImageRepoPassword: ********',
			'   addonPackage:',
			'-    path: /root/old.tar.gz',
			'+    path: /root/new.tar.gz',
			'     # externalChartRepoPassword: ********',
			'   binaries:',
			'     type: builtin   # official-service | builtin | external',
			'',
		]);
		expect(planned.newText).toBe(original.replace('/root/old.tar.gz', '/root/new.tar.gz'));
	});
});

describe('applying and undoing the edit', () => {
	let dir = '';
	let file = '';
	beforeEach(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'config-apply-'));
		file = path.join(dir, 'clusterConfig.yaml');
	});
	afterEach(async () => rm(dir, {recursive: true, force: true}));

	const original = configOf('  addonPackage:', '    path: "/root/old.tar.gz"');
	const plan = async (target = file, paths = ['/root/new.tar.gz']) => {
		const planned = await planConfigEdit(target, paths);
		if (isError(planned)) {
			throw new Error(planned.message);
		}

		return planned;
	};

	it('names the real file behind a symlinked config, writes through the link and keeps the backup beside the real file', async () => {
		const etc = path.join(dir, 'etc');
		const sample = path.join(dir, 'sample');
		await mkdir(etc);
		await mkdir(sample);
		const real = path.join(etc, 'real.yaml');
		await writeFile(real, original);
		const link = path.join(sample, 'clusterConfig.yaml');
		await symlink(path.join('..', 'etc', 'real.yaml'), link);

		const planned = await plan(link);
		expect(planned.path).toBe(link);
		expect(planned.realPath).toBe(real);
		const result = await applyConfigEdit(planned, {now: new Date(2026, 10, 24, 20, 15, 30)});
		expect(result).toEqual({backupPath: `${real}.bak-20261124-201530`});
		expect((await lstat(link)).isSymbolicLink()).toBe(true);
		expect(await readlink(link)).toBe(path.join('..', 'etc', 'real.yaml'));
		expect(await readFile(real, 'utf8')).toBe(planned.newText);
		expect(await readFile(`${real}.bak-20261124-201530`, 'utf8')).toBe(original);
		expect(await readdir(sample)).toEqual(['clusterConfig.yaml']);
	});

	it('refuses when the link was pointed at another file after the plan', async () => {
		await writeFile(path.join(dir, 'a.yaml'), original);
		await writeFile(path.join(dir, 'b.yaml'), original);
		await symlink('a.yaml', file);
		const planned = await plan();
		await rm(file);
		await symlink('b.yaml', file);
		expect(await applyConfigEdit(planned)).toMatchObject({kind: 'config-changed', message: expect.stringContaining('b.yaml')});
		expect(await readFile(path.join(dir, 'b.yaml'), 'utf8')).toBe(original);
	});

	it("never overwrites a backup: two edits in the same second keep two backups, each with the original's mode and owner", async () => {
		await writeFile(file, original);
		await chmod(file, 0o640);
		if (process.getuid?.() === 0) {
			await chown(file, 12_345, 12_345);
		}

		const now = new Date(2026, 10, 24, 20, 15, 30);
		const first = await plan(file, ['/root/first.tar.gz']);
		expect(await applyConfigEdit(first, {now})).toEqual({backupPath: `${file}.bak-20261124-201530`});
		const second = await plan(file, ['/root/second.tar.gz']);
		expect(await applyConfigEdit(second, {now})).toEqual({backupPath: `${file}.bak-20261124-201530-2`});
		expect(await readFile(`${file}.bak-20261124-201530`, 'utf8')).toBe(original);
		expect(await readFile(`${file}.bak-20261124-201530-2`, 'utf8')).toBe(first.newText);
		for (const written of [file, `${file}.bak-20261124-201530`, `${file}.bak-20261124-201530-2`]) {
			const info = await stat(written);
			expect(info.mode & 0o7777).toBe(0o640);
			if (process.getuid?.() === 0) {
				expect([info.uid, info.gid]).toEqual([12_345, 12_345]);
			}
		}
	});

	it("does not take over a file that happens to have the backup's name", async () => {
		await writeFile(file, original);
		await writeFile(`${file}.bak-20261124-201530`, "the operator's own file\n");
		const result = await applyConfigEdit(await plan(), {now: new Date(2026, 10, 24, 20, 15, 30)});
		expect(result).toEqual({backupPath: `${file}.bak-20261124-201530-2`});
		expect(await readFile(`${file}.bak-20261124-201530`, 'utf8')).toBe("the operator's own file\n");
	});

	it('puts the backup back, through a symlink, keeping a copy of what it replaces', async () => {
		const real = path.join(dir, 'real.yaml');
		await writeFile(real, original, {mode: 0o600});
		await symlink('real.yaml', file);
		const planned = await plan();
		const {backupPath} = (await applyConfigEdit(planned, {now: new Date(2026, 10, 24, 20, 15, 30)})) as {backupPath: string};

		const restored = await restoreConfigBackup(planned, backupPath, {now: new Date(2026, 10, 24, 20, 16, 0)});
		expect(restored).toEqual({restoredPath: real, replacedCopyPath: `${real}.bak-20261124-201600`});
		expect(await readFile(real, 'utf8')).toBe(original);
		expect((await lstat(file)).isSymbolicLink()).toBe(true);
		expect((await stat(real)).mode & 0o7777).toBe(0o600);
		expect(await readFile(`${real}.bak-20261124-201600`, 'utf8')).toBe(planned.newText);
		expect(await readFile(backupPath, 'utf8')).toBe(original);
	});

	it('refuses to put the backup back over a file someone edited after the wizard wrote it', async () => {
		await writeFile(file, original);
		const planned = await plan();
		const {backupPath} = (await applyConfigEdit(planned)) as {backupPath: string};
		const edited = `${planned.newText}# fixed by hand meanwhile\n`;
		await writeFile(file, edited);

		const refused = await restoreConfigBackup(planned, backupPath);
		expect(refused).toMatchObject({kind: 'config-changed-since-write', exitCode: 2, hint: expect.stringContaining(backupPath)});
		expect(await readFile(file, 'utf8')).toBe(edited);
	});

	it('refuses when the backup is gone or no longer holds what was saved, and changes nothing', async () => {
		await writeFile(file, original);
		const planned = await plan();
		const {backupPath} = (await applyConfigEdit(planned)) as {backupPath: string};
		await writeFile(backupPath, 'something else\n');
		expect(await restoreConfigBackup(planned, backupPath)).toMatchObject({kind: 'backup-changed', exitCode: 2});
		await rm(backupPath);
		expect(await restoreConfigBackup(planned, backupPath)).toMatchObject({
			kind: 'backup-missing',
			exitCode: 2,
			message: expect.stringContaining(backupPath),
		});
		expect(await readFile(file, 'utf8')).toBe(planned.newText);
		expect((await readdir(dir)).sort()).toEqual(['clusterConfig.yaml']);
	});
});
