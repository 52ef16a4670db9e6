import {describe, expect, it} from 'vitest';
import {collectSecrets, interpretClusterConfig} from '../../../source/domain/config/cluster-config.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('collectSecrets', () => {
	it('collects every password-like key of clusterConfig.yaml, whatever its case, nested in lists too', () => {
		const secrets = collectSecrets({
			spec: {
				masterNodes: [{nodeName: 'g-master1', ansibleUser: 'root', ansiblePass: 'dangerous'}],
				workerNodes: [{ansiblePASS: 'worker-pw'}],
				osRepos: {externalRepoUsername: 'minio', externalRepoPassword: 'minio-pw'},
				imagesAndCharts: {
					externalImageRepoPassword: 'Harbor12345',
					externalChartRepoPassword: 'rootpass123',
					externalChartMuseumPassword: 'museum-pw',
				},
				vault: {clientSecret: 'client-secret-1', apiToken: 'tok-123', password: 'plain-pw'},
			},
		});
		expect(secrets).toEqual(
			expect.arrayContaining([
				'dangerous',
				'worker-pw',
				'minio-pw',
				'Harbor12345',
				'rootpass123',
				'museum-pw',
				'client-secret-1',
				'tok-123',
				'plain-pw',
			]),
		);
	});

	it('collects a password written as a number, and skips booleans and empty values', () => {
		const secrets = collectSecrets({
			spec: {masterNodes: [{ansiblePass: 123_456}], a: {externalRepoPassword: ''}, b: {ansiblePass: null}, c: {tokenPass: true}},
		});
		expect(secrets).toContain('123456');
		expect(secrets).not.toContain('');
		expect(secrets).not.toContain('true');
	});

	it('leaves keys that only contain the word alone: a bypass flag or a path is not a password', () => {
		const secrets = collectSecrets({
			spec: {bypassProxy: 'always', passwordFile: '/etc/dce/pw', tokenTTL: '3600', clusterName: 'my-cluster'},
		});
		expect(secrets).toEqual([]);
	});

	it('adds the base64 forms: the value alone and user:password for each username key beside it', () => {
		const secrets = collectSecrets({
			spec: {
				imagesAndCharts: {
					externalImageRepoUsername: 'admin',
					externalChartRepoUsername: 'rootuser',
					externalImageRepoPassword: 'Harbor12345',
				},
			},
		});
		expect(secrets).toEqual(
			expect.arrayContaining(['Harbor12345', b64('Harbor12345'), b64('admin:Harbor12345'), b64('rootuser:Harbor12345')]),
		);
		expect(secrets).not.toContain(b64('admin'));
	});
});

describe('interpretClusterConfig', () => {
	const config = (kind: unknown) => ({apiVersion: 'provision.daocloud.io/v1alpha4', kind, spec: {addonPackage: {path: '/a.tar.gz'}}});

	it('refuses a file whose kind is not ClusterConfig, naming the kind found and the file to pass', () => {
		const error = interpretClusterConfig('/root/manifest.yaml', config('DCEManifest'));
		expect(error).toMatchObject({kind: 'config-invalid', exitCode: 2});
		expect(error).toHaveProperty('message', expect.stringContaining('kind: DCEManifest'));
		expect(error).toHaveProperty('hint', expect.stringContaining('kind: ClusterConfig'));
	});

	it('refuses a file with no kind', () => {
		const error = interpretClusterConfig('/root/c.yaml', {spec: {addonPackage: {path: '/a.tar.gz'}}});
		expect(error).toMatchObject({kind: 'config-invalid', exitCode: 2});
		expect(error).toHaveProperty('message', expect.stringContaining('no kind'));
	});

	it('reads a ClusterConfig', () => {
		expect(interpretClusterConfig('/root/c.yaml', config('ClusterConfig'))).toMatchObject({
			kind: 'ClusterConfig',
			addonPackagePaths: ['/a.tar.gz'],
		});
	});
});
