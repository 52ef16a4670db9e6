// TLS, concurrency and retries of the registry client, against the real docker-registry: over
// HTTPS with the test bed's CA, and behind a tiny proxy that counts and breaks requests.
import {execFile} from 'node:child_process';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {createServer as createHttpsServer} from 'node:https';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {openRegistryClient, type RegistryClient} from '../../../source/adapters/registry/registry-client.js';
import {locateRegistry, type RegistryFlags} from '../../../source/domain/registry/location.js';
import {mediaTypes} from '../../../source/domain/registry/manifest.js';
import type {RegistryAccessError, TagState, TargetTag} from '../../../source/domain/registry/tag-state.js';
import {isWizardError} from '../../../source/domain/shared/wizard-error.js';
import {
	curlManifest,
	putManifestList,
	skopeoPush,
	startProxy,
	writeImageArchive,
	type ImageArchive,
	type Proxy,
	type Sabotage,
} from '../../helpers/registry-fixtures.js';
import {makeCertificates, startRegistry, type TestRegistry} from '../../helpers/registry.js';

/** A CA and a certificate it signs for `name` only. */
async function certificateFor(dir: string, name: string) {
	const run = promisify(execFile);
	const at = (file: string) => path.join(dir, `${name}-${file}`);
	await run('openssl', [
		'req',
		'-x509',
		'-newkey',
		'rsa:2048',
		'-nodes',
		'-keyout',
		at('ca.key'),
		'-out',
		at('ca.crt'),
		'-days',
		'1',
		'-subj',
		'/CN=other test CA',
	]);
	await run('openssl', [
		'req',
		'-newkey',
		'rsa:2048',
		'-nodes',
		'-keyout',
		at('server.key'),
		'-out',
		at('server.csr'),
		'-subj',
		`/CN=${name}`,
	]);
	await writeFile(at('ext'), `subjectAltName=DNS:${name}\nextendedKeyUsage=serverAuth\n`);
	await run('openssl', [
		'x509',
		'-req',
		'-in',
		at('server.csr'),
		'-CA',
		at('ca.crt'),
		'-CAkey',
		at('ca.key'),
		'-CAcreateserial',
		'-out',
		at('server.crt'),
		'-days',
		'1',
		'-extfile',
		at('ext'),
	]);
	return {caPath: at('ca.crt'), certPath: at('server.crt'), keyPath: at('server.key')};
}

type Extra = {concurrency?: number; retries?: number; timeoutMs?: number};

async function client(registry: TestRegistry, flags: RegistryFlags, extra: Extra = {}): Promise<RegistryClient> {
	const located = locateRegistry({document: undefined, flags, env: {registryUser: registry.username, registryPassword: registry.password}});
	if (isWizardError(located)) {
		throw new Error(located.message);
	}

	// The test CA is not in the OS store: an empty candidate list keeps "system CAs" to Node's own.
	const opened = await openRegistryClient({
		endpoint: located.location.registry,
		password: located.secrets.registryPassword,
		retryDelayMs: 5,
		timeoutMs: 5000,
		caBundles: [],
		...extra,
	});
	if (isWizardError(opened)) {
		throw new Error(opened.message);
	}

	return opened;
}

function asError(value: unknown): RegistryAccessError {
	expect(isWizardError(value), JSON.stringify(value)).toBe(true);
	return value as RegistryAccessError;
}

describe('HTTPS with the test CA', () => {
	let registry: TestRegistry;
	let dir = '';
	let otherCa = '';
	const opened: RegistryClient[] = [];
	const open = async (flags: RegistryFlags) => {
		const made = await client(registry, flags);
		opened.push(made);
		return made;
	};

	beforeAll(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'registry-tls-'));
		registry = await startRegistry({tls: true});
		otherCa = (await makeCertificates(await mkdtemp(path.join(dir, 'other-')))).caPath;
	});

	afterAll(async () => {
		await Promise.all(opened.map(async item => item.close()));
		await registry?.stop();
		await rm(dir, {recursive: true, force: true});
	});

	it('works with --registry-ca naming the CA that signed the certificate', async () => {
		const reader = await open({registry: registry.url, caFile: registry.caPath});
		expect(await reader.ping()).toEqual({auth: 'basic'});
		expect(reader.http.tlsNote).toBe(`certificates checked against ${registry.caPath} and Node's CA list`);
	});

	it('without the CA: a TLS cause naming the unknown CA and the two ways out', async () => {
		const error = asError(await (await open({registry: registry.url})).ping());
		expect(error).toMatchObject({kind: 'registry-tls', tlsProblem: 'unknown-ca', cause: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'});
		expect(error.message).toBe(
			`TLS with the registry at ${registry.url} failed: its certificate is signed by a CA this host does not trust (UNABLE_TO_VERIFY_LEAF_SIGNATURE).`,
		);
		expect(error.hint).toBe(
			'Pass the CA that signed it with --registry-ca FILE, or --registry-insecure to skip the check (Review will show it).',
		);
	});

	it('with the wrong CA: says the given file is not the one that signed it', async () => {
		const error = asError(await (await open({registry: registry.url, caFile: otherCa})).ping());
		expect(error.kind).toBe('registry-tls');
		expect(error.hint).toBe(
			`${otherCa} is not the CA that signed it: pass the right one with --registry-ca FILE, or --registry-insecure to skip the check (Review will show it).`,
		);
	});

	it('a trusted certificate for another name: a wrong-host cause', async () => {
		const {caPath, certPath, keyPath} = await certificateFor(dir, 'other.example');
		const server = createHttpsServer({cert: await readFile(certPath), key: await readFile(keyPath)}, (_request, response) =>
			response.end('{}'),
		);
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		const {port} = server.address() as AddressInfo;
		try {
			const error = asError(await (await open({registry: `https://127.0.0.1:${port}`, caFile: caPath})).ping());
			expect(error).toMatchObject({kind: 'registry-tls', tlsProblem: 'wrong-host', cause: 'ERR_TLS_CERT_ALTNAME_INVALID'});
			expect(error.message).toContain('its certificate is for another host name or address');
			expect(error.hint).toBe('Fix the certificate, or --registry-insecure to skip the check (Review will show it).');
		} finally {
			server.closeAllConnections();
			server.close();
		}
	});

	it('--registry-insecure works without a CA and says certificates are not checked', async () => {
		const reader = await open({registry: registry.url, insecure: true});
		expect(await reader.ping()).toEqual({auth: 'basic'});
		expect(reader.http.tlsNote).toBe('certificates are NOT checked (--registry-insecure)');
	});

	it('an unreadable or non-PEM CA file is bad input, before any connection', async () => {
		const located = locateRegistry({document: undefined, flags: {registry: registry.url, caFile: path.join(dir, 'missing.pem')}});
		const notPem = path.join(dir, 'not.pem');
		await writeFile(notPem, 'hello\n');
		const located2 = locateRegistry({document: undefined, flags: {registry: registry.url, caFile: notPem}});
		if (isWizardError(located) || isWizardError(located2)) {
			throw new Error('located');
		}

		expect(await openRegistryClient({endpoint: located.location.registry})).toMatchObject({kind: 'registry-ca-unreadable', exitCode: 2});
		expect(await openRegistryClient({endpoint: located2.location.registry})).toMatchObject({
			kind: 'registry-ca-invalid',
			message: `${notPem} holds no PEM certificate.`,
		});
	});
});

describe('bounded concurrency and retries, behind a proxy', () => {
	let registry: TestRegistry;
	let dir = '';
	let image: ImageArchive;
	const targets: TargetTag[] = Array.from({length: 40}, (_, index) => ({repository: 'release.daocloud.io/many', tag: `t${index}`}));
	const proxies: Proxy[] = [];
	const clients: RegistryClient[] = [];
	const through = async (sabotage?: Sabotage, extra: Extra = {}) => {
		const proxy = await startProxy(registry.url, sabotage);
		proxies.push(proxy);
		const made = await client(registry, {registry: proxy.url}, extra);
		clients.push(made);
		return {proxy, reader: made};
	};

	beforeAll(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'registry-proxy-'));
		registry = await startRegistry();
		image = await writeImageArchive(dir, {name: 'x:1', arch: 'amd64'});
		await skopeoPush(registry, image.path, 'release.daocloud.io/many:t0');
		const manifest = await curlManifest(registry, 'release.daocloud.io/many', 't0');
		// Many tags of one list: each read is a manifest GET, a child GET (cached) and nothing more.
		for (const target of targets) {
			await putManifestList(
				registry,
				target.repository,
				target.tag,
				[{manifest, platform: {architecture: 'amd64', os: 'linux'}}],
				mediaTypes.ociIndex,
			);
		}
	});

	afterAll(async () => {
		await Promise.all(clients.map(async item => item.close()));
		await Promise.all(proxies.map(async proxy => proxy.stop()));
		await registry?.stop();
		await rm(dir, {recursive: true, force: true});
	});

	it('keeps at most `concurrency` requests in flight, and does use that many', async () => {
		const {proxy, reader} = await through(undefined, {concurrency: 4});
		const states = await reader.readTags(targets);
		expect(isWizardError(states)).toBe(false);
		expect([...(states as Map<string, TagState>).values()].every(state => state.kind === 'list')).toBe(true);
		expect(proxy.maxInFlight).toBeLessThanOrEqual(4);
		expect(proxy.maxInFlight).toBeGreaterThanOrEqual(2);
		expect(reader.http.stats.maxInFlight).toBeLessThanOrEqual(4);
		// Keep-alive: some 80 requests over at most 4 connections, and the one TCP connect made
		// before the HTTP client loads (tcp-probe.ts).
		expect(reader.http.stats.requests).toBeGreaterThan(40);
		expect(proxy.connections).toBeLessThanOrEqual(5);
	});

	it('HEADs keep their connections too: 40 over at most 4 (undo sends thousands)', async () => {
		const {proxy, reader} = await through(undefined, {concurrency: 4});
		const heads = await Promise.all(targets.map(async target => reader.exists(target)));
		expect(heads.every(head => !isWizardError(head) && head?.digest?.startsWith('sha256:'))).toBe(true);
		// At most 4 for the HEADs, and the one TCP connect made before the HTTP client loads (tcp-probe.ts).
		expect(proxy.connections).toBeLessThanOrEqual(5);
	});

	it('a registry that stops answering: a timeout, retried, then named', async () => {
		const {proxy, reader} = await through(request => (request.url?.endsWith('/manifests/t5') ? 'stall' : undefined), {
			timeoutMs: 300,
			retries: 1,
		});
		await reader.ping();
		const started = Date.now();
		const state = await reader.readTag(targets[5]!);
		expect(state).toMatchObject({kind: 'unreadable', error: {kind: 'registry-timeout', cause: 'UND_ERR_HEADERS_TIMEOUT'}});
		expect(proxy.seen.get('/v2/release.daocloud.io/many/manifests/t5')).toBe(2);
		expect(Date.now() - started).toBeLessThan(5000);
	});

	it('a server that is not a registry: /v2/ answered 404 says so', async () => {
		const {reader} = await through(request => (request.url === '/v2/' ? 404 : undefined));
		const error = asError(await reader.ping());
		expect(error).toMatchObject({kind: 'registry-not-found', status: 404});
		expect(error.message).toMatch(/does not serve the registry API \(\/v2\/ answered 404\)\.$/);
	});

	it('retries a 503 twice and then succeeds; a 400 is not retried', async () => {
		const sabotage: Sabotage = (request, nth) => {
			if (request.url?.endsWith('/manifests/t1')) {
				return nth <= 2 ? 503 : undefined;
			}

			return request.url?.endsWith('/manifests/t2') ? 400 : undefined;
		};

		const {proxy, reader} = await through(sabotage);
		await reader.ping();
		const ok = await reader.readTag(targets[1]!);
		expect(ok.kind).toBe('list');
		expect(proxy.seen.get('/v2/release.daocloud.io/many/manifests/t1')).toBe(3);
		const refused = await reader.readTag(targets[2]!);
		expect(refused).toMatchObject({kind: 'unreadable', error: {kind: 'registry-protocol', status: 400}});
		expect(proxy.seen.get('/v2/release.daocloud.io/many/manifests/t2')).toBe(1);
	});

	it("retries a dropped connection; gives up after the retries with the server's status", async () => {
		const sabotage: Sabotage = (request, nth) => {
			if (request.url?.endsWith('/manifests/t3')) {
				return nth === 1 ? 'reset' : undefined;
			}

			return request.url?.endsWith('/manifests/t4') ? 502 : undefined;
		};

		const {proxy, reader} = await through(sabotage, {retries: 2});
		await reader.ping();
		expect((await reader.readTag(targets[3]!)).kind).toBe('list');
		expect(proxy.seen.get('/v2/release.daocloud.io/many/manifests/t3')).toBe(2);
		const failed = await reader.readTag(targets[4]!);
		expect(failed).toMatchObject({kind: 'unreadable', error: {kind: 'registry-server-error', status: 502}});
		expect(failed.kind === 'unreadable' && failed.error.message).toContain('failed with 502 after retries');
		expect(proxy.seen.get('/v2/release.daocloud.io/many/manifests/t4')).toBe(3);
	});

	it('stops a read of many tags at the first sign the registry is gone, and says so once', async () => {
		let stopped = false;
		const sabotage: Sabotage = request => (stopped && request.url?.includes('/manifests/') ? 'reset' : undefined);
		const {reader} = await through(sabotage, {retries: 1});
		await reader.ping();
		stopped = true;
		const result = asError(await reader.readTags(targets));
		expect(result.kind).toBe('registry-connection-reset');
	});
});
