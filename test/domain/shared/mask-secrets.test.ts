import {describe, expect, it} from 'vitest';
import {collectSecrets} from '../../../source/domain/config/cluster-config.js';
import {maskSecretLines, maskSecretsDeep, maskUrlLogins, secretMasker} from '../../../source/domain/shared/mask-secrets.js';

describe('secretMasker', () => {
	it('masks a long password wherever it appears, also inside other text', () => {
		const mask = secretMasker(['Harbor12345']);
		expect(mask('login admin:Harbor12345@harbor, pwHarbor12345x')).toBe('login admin:********@harbor, pw********x');
	});

	it('masks a short password where it stands as a value, and leaves words that contain it alone', () => {
		const mask = secretMasker(['ab1']);
		expect(mask('externalImageRepoPassword: ab1')).toBe('externalImageRepoPassword: ********');
		expect(mask('pull https://admin:ab1@harbor.example.com/v2/')).toBe('pull https://admin:********@harbor.example.com/v2/');
		expect(mask('{"password":"ab1"}')).toBe('{"password":"********"}');
		expect(mask('--password=ab1 done')).toBe('--password=******** done');
		expect(mask('syncing lab123 and cab1 charts')).toBe('syncing lab123 and cab1 charts');
	});

	it('masks a short password made of symbols, in its URL spelling too', () => {
		const mask = secretMasker(['a@b']);
		expect(mask('user:a%40b@host')).toBe('user:********@host');
		expect(mask('password a@b')).toBe('password ********');
	});

	it('changes nothing when there is no password, and ignores empty ones', () => {
		const mask = secretMasker(['']);
		expect(mask('nothing to hide')).toBe('nothing to hide');
	});
});

describe('secretMasker: every spelling a password takes in output', () => {
	const b64 = (text: string) => Buffer.from(text).toString('base64');

	it("masks the value base64'd and a Basic auth header, padded or not, handed the forms collectSecrets adds", () => {
		const secrets = collectSecrets({
			spec: {imagesAndCharts: {externalImageRepoUsername: 'admin', externalImageRepoPassword: 'Harbor12345'}},
		});
		const mask = secretMasker(secrets);
		expect(mask(`Authorization: Basic ${b64('admin:Harbor12345')}`)).toBe('Authorization: Basic ********');
		expect(mask(`"auth":"${b64('admin:Harbor12345')}"`)).toBe('"auth":"********"');
		expect(mask(`secret ${b64('Harbor12345')} end`)).toBe('secret ******** end');
		expect(mask(`unpadded ${b64('Harbor12345').replace(/=+$/, '')} end`)).toBe('unpadded ******** end');
	});

	it('masks a password inside a URL in each percent-encoding a tool may use', () => {
		const mask = secretMasker(['P@ss w0rd!(x)']);
		expect(mask(`https://admin:${encodeURIComponent('P@ss w0rd!(x)')}@harbor/v2/`)).toBe('https://admin:********@harbor/v2/');
		expect(mask('https://admin:P%40ss%20w0rd%21%28x%29@harbor/v2/')).toBe('https://admin:********@harbor/v2/');
		expect(mask('password=P%40ss+w0rd%21%28x%29&user=admin')).toBe('password=********&user=admin');
		expect(mask('login admin P@ss w0rd!(x)')).toBe('login admin ********');
	});

	it('masks many passwords at once, each whole, longest first', () => {
		const secrets = collectSecrets({
			spec: {
				masterNodes: [
					{ansibleUser: 'root', ansiblePass: 'dangerous1'},
					{ansibleUser: 'root', ansiblePass: 'dangerous12'},
				],
				imagesAndCharts: {
					externalImageRepoUsername: 'admin',
					externalImageRepoPassword: 'Harbor12345',
					externalChartRepoUsername: 'rootuser',
					externalChartRepoPassword: 'rootpass123',
				},
				osRepos: {externalRepoUsername: 'minio', externalRepoPassword: 'minio-secret-9'},
			},
		});
		const mask = secretMasker(secrets);
		expect(mask('a dangerous12 b dangerous1 c Harbor12345 d rootpass123 e minio-secret-9')).toBe(
			'a ******** b ******** c ******** d ******** e ********',
		);
		expect(mask(`basic ${b64('rootuser:rootpass123')} and ${b64('root:dangerous12')}`)).toBe('basic ******** and ********');
		expect(mask('I1124 20:15:31.123456 pushing release.daocloud.io/kpanda/foo:v0.44.0')).toBe(
			'I1124 20:15:31.123456 pushing release.daocloud.io/kpanda/foo:v0.44.0',
		);
	});
});

describe('maskSecretLines: config text shown to the operator', () => {
	it('masks the value of every password-like key, also in diff context lines and commented-out lines', () => {
		const mask = secretMasker(['Harbor12345']);
		const diff = [
			'--- a/clusterConfig.yaml',
			'+++ b/clusterConfig.yaml',
			'@@ -8,7 +8,7 @@',
			'     externalImageRepoPassword: Harbor12345',
			'     externalChartRepoPassword: "unknown-to-the-masker"   # rotated',
			'     # externalRepoPassword: oldSecret',
			"       ansiblePass: 'dangerous'",
			'     apiToken: t0k3n',
			'     externalImageRepoUsername: admin',
			'   addonPackage:',
			'-    path: "/root/old.tar.gz"',
			'+    path: "/root/new.tar.gz"',
			'     # externalChartRepoPassword:',
		].join('\n');
		expect(maskSecretLines(diff, mask).split('\n')).toEqual([
			'--- a/clusterConfig.yaml',
			'+++ b/clusterConfig.yaml',
			'@@ -8,7 +8,7 @@',
			'     externalImageRepoPassword: ********',
			'     externalChartRepoPassword: ********   # rotated',
			'     # externalRepoPassword: ********',
			'       ansiblePass: ********',
			'     apiToken: ********',
			'     externalImageRepoUsername: admin',
			'   addonPackage:',
			'-    path: "/root/old.tar.gz"',
			'+    path: "/root/new.tar.gz"',
			'     # externalChartRepoPassword:',
		]);
	});

	it('masks a password in a list entry under a secret key and in a flow mapping', () => {
		const mask = secretMasker([]);
		expect(maskSecretLines('  - ansiblePass: s3cr3t\n  node: {ansiblePass: s3cr3t, ip: 10.0.0.1}', mask)).toBe(
			'  - ansiblePass: ********\n  node: {ansiblePass: ********, ip: 10.0.0.1}',
		);
	});
});

describe('maskSecretsDeep', () => {
	it('masks every string inside arrays and objects, keeps the shape and the other values', () => {
		const mask = secretMasker(['Harbor12345']);
		const plan = {
			steps: [
				{
					argv: ['dce5-installer', '--password=Harbor12345'],
					configEdit: {originalText: 'externalImageRepoPassword: Harbor12345\n', newPaths: ['/a']},
				},
			],
			count: 3,
			ok: true,
			none: null,
			secrets: ['Harbor12345'],
		};
		expect(maskSecretsDeep(plan, mask)).toEqual({
			steps: [
				{
					argv: ['dce5-installer', '--password=********'],
					configEdit: {originalText: 'externalImageRepoPassword: ********\n', newPaths: ['/a']},
				},
			],
			count: 3,
			ok: true,
			none: null,
			secrets: ['********'],
		});
		expect(plan.secrets).toEqual(['Harbor12345']);
	});

	it('does not loop on a value that refers to itself', () => {
		const mask = secretMasker(['Harbor12345']);
		const looped: Record<string, unknown> = {note: 'Harbor12345'};
		looped['self'] = looped;
		const masked = maskSecretsDeep(looped, mask) as Record<string, unknown>;
		expect(masked['note']).toBe('********');
		expect(masked['self']).toBe(masked);
	});
});

describe('secretMasker: lines without a password', () => {
	it('leaves a line alone that holds only the tail or head of a password, with few or many passwords', () => {
		for (const secrets of [
			['dangerous'],
			[
				'dangerous',
				'Harbor12345',
				'rootpass123',
				'minio@pw',
				'd4ngerous!',
				'ZGFuZ2Vyb3Vz',
				'cm9vdDpkYW5nZXJvdXM',
				'SGFyYm9yMTIzNDU',
				'cm9vdHBhc3MxMjM',
			],
		]) {
			const mask = secretMasker(secrets);
			for (const line of [
				'the dangerou thing',
				'a gerous word',
				'rbor12345 and Harbor1234',
				'vdDpkYW5nZXJvdXM',
				'I1124 20:15:31.123456 sync.go:123] pushing release.daocloud.io/kpanda/foo:v0.44.0',
			]) {
				expect(mask(line)).toBe(line);
			}

			expect(mask('x dangerous y')).toBe('x ******** y');
		}
	});
});

describe('logins inside URLs', () => {
	it('masks the password of every URL login, keeping the user and the host', () => {
		expect(maskUrlLogins('from http://admin:p%40ss@10.0.0.1:5000/x and https://u:v@h')).toBe(
			'from http://admin:********@10.0.0.1:5000/x and https://u:********@h',
		);
		expect(maskUrlLogins('http://10.0.0.1:5000 user@example')).toBe('http://10.0.0.1:5000 user@example');
	});

	it('collects a URL login from clusterConfig.yaml as a secret, decoded and as Basic auth carries it', () => {
		const secrets = collectSecrets({spec: {imagesAndCharts: {externalImageRepo: 'http://admin:p%40ss@10.0.0.1:5000'}}});
		expect(secrets).toContain('p@ss');
		expect(secrets).toContain(Buffer.from('admin:p@ss').toString('base64'));
		expect(secretMasker(secrets)('auth failed for p@ss')).toBe('auth failed for ********');
	});
});
