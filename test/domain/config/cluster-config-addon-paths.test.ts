import {describe, expect, it} from 'vitest';
import {interpretClusterConfig} from '../../../source/domain/config/cluster-config.js';

const config = (path: unknown) =>
	interpretClusterConfig('/root/clusterConfig.yaml', {
		apiVersion: 'provision.daocloud.io/v1alpha4',
		kind: 'ClusterConfig',
		spec: {addonPackage: {path}},
	});

describe('reading spec.addonPackage.path', () => {
	it('reads the scalar form as one entry and the list form as every entry, in order', () => {
		expect(config('/home/addon-offline-full-package-v0.9.0-amd64.tar.gz')).toMatchObject({
			addonPackagePaths: ['/home/addon-offline-full-package-v0.9.0-amd64.tar.gz'],
			addonPathShape: 'string',
		});
		const list = [
			'/root/standard-addon-offline-package-v0.43.0-amd64.tar.gz',
			'/root/standard-addon-offline-package-v0.43.0-arm64.tar.gz',
			'/root/gpu-addon-offline-package-v0.43.0-amd64.tar.gz',
		];
		expect(config(list)).toMatchObject({addonPackagePaths: list, addonPathShape: 'list'});
		expect(config(null)).toMatchObject({addonPackagePaths: [], addonPathShape: 'absent'});
	});

	it('names the entry of a list that is not a path', () => {
		expect(config(['/root/a.tar.gz', null])).toMatchObject({
			kind: 'config-invalid',
			message: '/root/clusterConfig.yaml: spec.addonPackage.path entry 2 is empty; every entry must be a package path',
		});
		expect(config([42])).toMatchObject({message: expect.stringContaining('entry 1 is not a path (42)')});
		expect(config({a: 1})).toMatchObject({message: '/root/clusterConfig.yaml: spec.addonPackage.path must be a path or a list of paths'});
	});
});
