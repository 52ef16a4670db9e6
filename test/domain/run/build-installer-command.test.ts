import {execFileSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {buildClusterCreateCommand, buildIntegrationCommand, displayCommand} from '../../../source/domain/run/build-installer-command.js';

const installer = '/root/dce5-installer';
const config = '/home/dce5/sample/clusterConfig.yaml';
const manifest = '/home/dce5/sample/manifest.yaml';

describe('installer command lines', () => {
	it('builds the cluster-create line of the procedure, step 13 only', () => {
		expect(buildClusterCreateCommand(installer, config, manifest)).toEqual([
			installer,
			'cluster-create',
			'-c',
			config,
			'-m',
			manifest,
			'-d',
			'-j13',
		]);
	});

	it('builds the integration line of the procedure with `import -addon`', () => {
		const pkg = '/home/addon-offline-full-package-v0.9.0-arm64.tar.gz';
		expect(buildIntegrationCommand(installer, ['import', '-addon'], config, pkg)).toEqual([
			installer,
			'import',
			'-addon',
			'-c',
			config,
			`--addon-path=${pkg}`,
		]);
	});

	it('builds the `import-addon` spelling when the installer wants it', () => {
		const pkg = '/home/addon-offline-full-package-v0.11.0-arm64.tar.gz';
		expect(buildIntegrationCommand(installer, ['import-addon'], config, pkg)).toEqual([
			installer,
			'import-addon',
			'-c',
			config,
			`--addon-path=${pkg}`,
		]);
	});

	it.each([
		['spaces', '/home/my packages/addon-offline-full-package-v0.9.0-arm64.tar.gz'],
		['quotes', `/home/it's "here"/addon.tar.gz`],
		['command substitution', '/home/$(rm -rf ~)/`id`/addon.tar.gz'],
		['non-ASCII', '/home/下载/пакет/addon-offline-full-package-v0.9.0-arm64.tar.gz'],
		['a newline', '/home/a\nb/addon.tar.gz'],
	])('keeps a path with %s as one argv element', (_label, awkward) => {
		const create = buildClusterCreateCommand(`${awkward}.installer`, awkward, `${awkward}.manifest`);
		expect(create).toHaveLength(8);
		expect(create[0]).toBe(`${awkward}.installer`);
		expect(create[3]).toBe(awkward);
		expect(create[5]).toBe(`${awkward}.manifest`);
		const integrate = buildIntegrationCommand(installer, ['import', '-addon'], awkward, awkward);
		expect(integrate).toHaveLength(6);
		expect(integrate[4]).toBe(awkward);
		expect(integrate[5]).toBe(`--addon-path=${awkward}`);
	});
});

describe('displayCommand', () => {
	it('shows plain arguments unquoted, as in the procedure', () => {
		expect(displayCommand(buildClusterCreateCommand(installer, config, manifest))).toBe(
			'/root/dce5-installer cluster-create -c /home/dce5/sample/clusterConfig.yaml -m /home/dce5/sample/manifest.yaml -d -j13',
		);
		expect(
			displayCommand(
				buildIntegrationCommand(installer, ['import', '-addon'], config, '/home/addon-offline-full-package-v0.9.0-arm64.tar.gz'),
			),
		).toBe(
			'/root/dce5-installer import -addon -c /home/dce5/sample/clusterConfig.yaml --addon-path=/home/addon-offline-full-package-v0.9.0-arm64.tar.gz',
		);
	});

	it('quotes awkward arguments so that pasting the line into a shell passes them back unchanged', () => {
		const awkward = ['/home/my packages/a.tar.gz', `it's`, '$(id)', '`id`', '下载', '', 'a"b'];
		const shown = displayCommand(['printf', '%s\\0', ...awkward]);
		const output = execFileSync('/bin/sh', ['-c', shown], {encoding: 'utf8'});
		expect(output).not.toContain('uid=');
		expect(output.split('\0').slice(0, -1)).toEqual(awkward);
	});
});
