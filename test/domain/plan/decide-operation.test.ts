import {describe, expect, it} from 'vitest';
import {currentArches, currentFrom, decideOperation, packageArch} from '../../../source/domain/plan/decide-operation.js';
import {full, gpu, jenkins, makeInspection, metax, standard} from '../packages/make-inspection.js';

const paths = (items: Array<{path: string}>) => items.map(item => item.path);

describe('decideOperation', () => {
	it('imports a single-arch package when clusterConfig.yaml names no addon package yet', () => {
		const amd64 = full('v0.9.0', 'amd64');
		const decision = decideOperation([amd64], currentFrom([], undefined));
		expect(decision.operation).toBe('single-arch-import');
		expect(decision.primaryArch).toBe('amd64');
		expect(paths(decision.clusterCreate)).toEqual([amd64.path]);
		expect(decision.integrations).toEqual([]);
		expect(decision.current).toBeUndefined();
		expect(decision.reason).toMatch(/^Import/);
		expect(decision.reason).toContain('v0.9.0 (amd64)');
	});

	it('upgrades when the configured path names the same arch and the new package is newer', () => {
		const current = currentFrom(['/home/addon-offline-full-package-v0.9.0-amd64.tar.gz'], undefined);
		expect(current).toEqual({version: 'v0.9.0', arch: 'amd64', kind: 'full', path: '/home/addon-offline-full-package-v0.9.0-amd64.tar.gz'});
		const newer = full('v0.11.0', 'amd64');
		const decision = decideOperation([newer], current);
		expect(decision.operation).toBe('single-arch-upgrade');
		expect(paths(decision.clusterCreate)).toEqual([newer.path]);
		expect(decision.integrations).toEqual([]);
		expect(decision.reason).toMatch(/^Upgrade/);
		expect(decision.reason).toContain('v0.9.0 (amd64)');
		expect(decision.reason).toContain('v0.11.0 (amd64)');
	});

	it('says "Downgrade" or "Re-import" when the chosen version is older or the same (still the cluster-create procedure)', () => {
		const current = currentFrom(['/home/addon-offline-full-package-v0.13.0-amd64.tar.gz'], undefined);
		const older = decideOperation([full('v0.11.0', 'amd64')], current);
		expect(older.operation).toBe('single-arch-upgrade');
		expect(older.reason).toBe('Downgrade: clusterConfig.yaml points at v0.13.0 (amd64) and you chose v0.11.0 (amd64).');
		expect(decideOperation([full('v0.13.0', 'amd64')], current).reason).toMatch(/^Re-import: /);
	});

	it('integrates an arm64 package of the same version into a cluster that has amd64', () => {
		const current = currentFrom(['/home/addon-offline-full-package-v0.9.0-amd64.tar.gz'], undefined);
		const arm64 = full('v0.9.0', 'arm64');
		const decision = decideOperation([arm64], current);
		expect(decision.operation).toBe('multi-arch-integration');
		expect(decision.primaryArch).toBe('amd64');
		expect(decision.clusterCreate).toEqual([]);
		expect(paths(decision.integrations)).toEqual([arm64.path]);
		expect(decision.reason).toMatch(/integration/i);
		expect(decision.reason).toContain('v0.9.0 (arm64)');
		expect(decision.reason).toContain('import -addon');
	});

	it('upgrades with the primary arch via cluster-create, then integrates every other arch', () => {
		const current = currentFrom(['/home/addon-offline-full-package-v0.9.0-amd64.tar.gz'], undefined);
		const arm64 = full('v0.11.0', 'arm64');
		const amd64 = full('v0.11.0', 'amd64');
		// Chosen in the "wrong" order: the cluster's arch still goes first.
		const decision = decideOperation([arm64, amd64], current);
		expect(decision.operation).toBe('multi-arch-upgrade');
		expect(decision.primaryArch).toBe('amd64');
		expect(paths(decision.clusterCreate)).toEqual([amd64.path]);
		expect(paths(decision.integrations)).toEqual([arm64.path]);
		expect(decision.reason).toMatch(/upgrade/i);
		expect(decision.reason).toContain('v0.9.0 (amd64)');
		expect(decision.reason).toContain('v0.11.0 (amd64) is upgraded with cluster-create');
		expect(decision.reason).toContain('v0.11.0 (arm64) is integrated');
	});

	it('keeps the cluster arch primary even when it is arm64', () => {
		const current = currentFrom(['/home/addon-offline-full-package-v0.9.0-arm64.tar.gz'], undefined);
		const decision = decideOperation([full('v0.11.0', 'amd64'), full('v0.11.0', 'arm64')], current);
		expect(decision.primaryArch).toBe('arm64');
		expect(decision.clusterCreate.map(item => packageArch(item))).toEqual(['arm64']);
		expect(decision.integrations.map(item => packageArch(item))).toEqual(['amd64']);
	});

	it('on a fresh cluster, imports amd64 first and integrates the rest', () => {
		const decision = decideOperation([full('v0.9.0', 'arm64'), full('v0.9.0', 'amd64')], undefined);
		expect(decision.operation).toBe('multi-arch-integration');
		expect(decision.clusterCreate.map(item => packageArch(item))).toEqual(['amd64']);
		expect(decision.integrations.map(item => packageArch(item))).toEqual(['arm64']);
		expect(decision.reason).toContain('nothing is imported yet');
	});

	it('sets standard and gpu packages of the same arch together with cluster-create', () => {
		const current = currentFrom(
			['/p/standard-addon-offline-package-v0.18.0-amd64.tar.gz', '/p/gpu-addon-offline-package-v0.18.0-amd64.tar.gz'],
			undefined,
		);
		const chosen = [standard('v0.19.0', 'amd64'), gpu('v0.19.0', 'amd64')];
		const decision = decideOperation(chosen, current);
		expect(decision.operation).toBe('single-arch-upgrade');
		expect(paths(decision.clusterCreate)).toEqual(paths(chosen));
		expect(decision.reason).toBe(
			'Upgrade: clusterConfig.yaml points at v0.18.0 (amd64: standard, gpu) and you chose v0.19.0 (amd64: standard, gpu).',
		);
	});

	it('trusts the baseline contents over the configured file name', () => {
		const baseline = makeInspection('addon-offline-full-package-v0.9.0-amd64.tar.gz', {dir: '/home', agreed: 'arm64'});
		const current = currentFrom([baseline.path], baseline);
		expect(current).toMatchObject({version: 'v0.9.0', arch: 'arm64'});
		expect(decideOperation([full('v0.9.0', 'amd64')], current).operation).toBe('multi-arch-integration');
	});

	it('reads the version and arch from whichever configured path has a recognisable name', () => {
		const current = currentFrom(['/p/my-renamed-addon.tar.gz', '/p/addon-offline-full-package-v0.10.0-arm64.tar.gz'], undefined);
		expect(current).toMatchObject({version: 'v0.10.0', arch: 'arm64'});
	});
});

describe('a release set against the list form of addonPackage.path', () => {
	const v43 = ['/root/standard-addon-offline-package-v0.43.0-amd64.tar.gz', '/root/standard-addon-offline-package-v0.43.0-arm64.tar.gz'];

	it('reads every entry of a list: the first is primary, the rest are kept, and two arches make the cluster multi-arch', () => {
		const current = currentFrom(v43, undefined);
		expect(current).toEqual({
			version: 'v0.43.0',
			arch: 'amd64',
			kind: 'standard',
			path: v43[0],
			others: [{path: v43[1], version: 'v0.43.0', kind: 'standard', arch: 'arm64'}],
		});
		expect(currentArches(current)).toEqual(['amd64', 'arm64']);
	});

	it('keeps an entry whose name says nothing, so the plan can name it', () => {
		const current = currentFrom(['/p/standard-addon-offline-package-v0.43.0-amd64.tar.gz', '/p/renamed.tar.gz'], undefined);
		expect(current?.others).toEqual([{path: '/p/renamed.tar.gz'}]);
		expect(currentArches(current)).toEqual(['amd64']);
	});

	it("trusts every baseline read over its name, and takes one given with --baseline as the cluster's", () => {
		const arm = makeInspection('standard-addon-offline-package-v0.43.0-arm64.tar.gz', {dir: '/root', agreed: 'amd64'});
		expect(currentArches(currentFrom(v43, [arm]))).toEqual(['amd64']);
		const elsewhere = standard('v0.42.0', 'amd64', {dir: '/mnt'});
		expect(currentFrom([], [elsewhere])).toMatchObject({version: 'v0.42.0', path: elsewhere.path});
	});

	it("puts the primary arch's kinds into one cluster-create in kind order, and each other file into its own integration", () => {
		const chosen = [
			jenkins('v0.44.0', 'arm64'),
			metax('v0.44.0', 'amd64'),
			standard('v0.44.0', 'arm64'),
			gpu('v0.44.0', 'amd64'),
			jenkins('v0.44.0', 'amd64'),
			gpu('v0.44.0', 'arm64'),
			standard('v0.44.0', 'amd64'),
		];
		const decision = decideOperation(chosen, currentFrom(v43, undefined));
		expect(decision.operation).toBe('multi-arch-upgrade');
		expect(decision.clusterCreate.map(item => item.fileName)).toEqual([
			'standard-addon-offline-package-v0.44.0-amd64.tar.gz',
			'gpu-addon-offline-package-v0.44.0-amd64.tar.gz',
			'metax-addon-offline-package-v0.44.0-amd64.tar.gz',
			'jenkins-addon-offline-package-v0.44.0-amd64.tar.gz',
		]);
		expect(decision.integrations.map(item => item.fileName)).toEqual([
			'standard-addon-offline-package-v0.44.0-arm64.tar.gz',
			'gpu-addon-offline-package-v0.44.0-arm64.tar.gz',
			'jenkins-addon-offline-package-v0.44.0-arm64.tar.gz',
		]);
		expect(decision.reason).toBe(
			'Multi-arch upgrade: the cluster has v0.43.0 (amd64: standard) + v0.43.0 (arm64: standard); v0.44.0 (amd64: standard, gpu, metax, jenkins) is upgraded with cluster-create, then v0.44.0 (arm64: standard, gpu, jenkins) is integrated.',
		);
	});
});
