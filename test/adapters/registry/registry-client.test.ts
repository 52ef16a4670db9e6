// The registry client against a real docker-registry (distribution 2.8.2): what it reads from
// lists, indexes and single images, and what it says when the registry cannot be used.
import {mkdtemp, rm} from 'node:fs/promises';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {openRegistryClient, type RegistryClient} from '../../../source/adapters/registry/registry-client.js';
import {locateRegistry, type RegistryFlags, type RegistryEnvValues} from '../../../source/domain/registry/location.js';
import {mediaTypes} from '../../../source/domain/registry/manifest.js';
import type {RegistryAccessError, TagState} from '../../../source/domain/registry/tag-state.js';
import {isWizardError} from '../../../source/domain/shared/wizard-error.js';
import {curlManifest, putManifestList, skopeoPush, writeImageArchive, type ImageArchive} from '../../helpers/registry-fixtures.js';
import {freePort, startRegistry, type TestRegistry} from '../../helpers/registry.js';

async function client(flags: RegistryFlags, env: RegistryEnvValues = {}): Promise<RegistryClient> {
	const located = locateRegistry({document: undefined, flags, env});
	if (isWizardError(located)) {
		throw new Error(located.message);
	}

	const opened = await openRegistryClient({
		endpoint: located.location.registry,
		password: located.secrets.registryPassword,
		retryDelayMs: 10,
		timeoutMs: 5000,
	});
	if (isWizardError(opened)) {
		throw new Error(opened.message);
	}

	return opened;
}

/** A client that knows single-image manifests only (with no Accept at all 2.8 answers a list 400 MANIFEST_INVALID). */
const naiveHeaders = (registry: TestRegistry) => ({
	authorization: `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`,
	accept: `${mediaTypes.dockerManifest}, ${mediaTypes.ociManifest}`,
});

const login = (registry: TestRegistry): RegistryEnvValues => ({registryUser: registry.username, registryPassword: registry.password});

function expectError(value: unknown): RegistryAccessError {
	expect(isWizardError(value), JSON.stringify(value)).toBe(true);
	return value as RegistryAccessError;
}

describe('registry client against docker-registry 2.8 over HTTP with basic auth', () => {
	let registry: TestRegistry;
	let dir = '';
	let amd64: ImageArchive;
	let arm64: ImageArchive;
	const clients: RegistryClient[] = [];
	const open = async (flags: RegistryFlags, env?: RegistryEnvValues) => {
		const opened = await client(flags, env);
		clients.push(opened);
		return opened;
	};

	beforeAll(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'registry-client-'));
		registry = await startRegistry();
		amd64 = await writeImageArchive(dir, {name: 'release.daocloud.io/kpanda/app:v1', arch: 'amd64'});
		arm64 = await writeImageArchive(dir, {name: 'release.daocloud.io/kpanda/app:v1', arch: 'arm64'});
		await skopeoPush(registry, amd64.path, 'release.daocloud.io/kpanda/app:v1-amd64');
		await skopeoPush(registry, arm64.path, 'release.daocloud.io/kpanda/app:v1-arm64');
		await skopeoPush(registry, amd64.path, 'release.daocloud.io/kpanda/oci:v1-amd64', 'oci');
		await skopeoPush(registry, arm64.path, 'release.daocloud.io/kpanda/oci:v1-arm64', 'oci');
		await skopeoPush(registry, arm64.path, 'docker.m.daocloud.io/single:1');
		const docker = [
			await curlManifest(registry, 'release.daocloud.io/kpanda/app', 'v1-amd64'),
			await curlManifest(registry, 'release.daocloud.io/kpanda/app', 'v1-arm64'),
		];
		await putManifestList(
			registry,
			'release.daocloud.io/kpanda/app',
			'v1',
			[
				{manifest: docker[0]!, platform: {architecture: 'amd64', os: 'linux'}},
				{manifest: docker[1]!, platform: {architecture: 'arm64', os: 'linux', variant: 'v8'}},
			],
			mediaTypes.dockerList,
		);
		const oci = [
			await curlManifest(registry, 'release.daocloud.io/kpanda/oci', 'v1-amd64'),
			await curlManifest(registry, 'release.daocloud.io/kpanda/oci', 'v1-arm64'),
		];
		await putManifestList(
			registry,
			'release.daocloud.io/kpanda/oci',
			'v1',
			[
				{manifest: oci[0]!, platform: {architecture: 'amd64', os: 'linux'}},
				{manifest: oci[1]!, platform: {architecture: 'arm64', os: 'linux'}},
				// A BuildKit-style attestation: real child, platform unknown/unknown.
				{
					manifest: oci[0]!,
					platform: {architecture: 'unknown', os: 'unknown'},
					annotations: {'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': oci[0]!.digest},
				},
			],
			mediaTypes.ociIndex,
		);
	});

	afterAll(async () => {
		await Promise.all(clients.map(async item => item.close()));
		await registry?.stop();
		await rm(dir, {recursive: true, force: true});
	});

	it('sees a Docker manifest list with both arches where a naive GET sees the amd64 child only', async () => {
		const naive = await fetch(`${registry.url}/v2/release.daocloud.io/kpanda/app/manifests/v1`, {headers: naiveHeaders(registry)});
		const naiveBody = (await naive.json()) as {config?: {digest: string}; manifests?: unknown[]};
		expect(naive.status).toBe(200);
		expect(naiveBody.manifests).toBeUndefined();
		expect(naiveBody.config?.digest).toBe(amd64.configDigest);

		const reader = await open({registry: registry.url}, login(registry));
		const state = await reader.readTag({repository: 'release.daocloud.io/kpanda/app', tag: 'v1'});
		expect(state).toMatchObject({kind: 'list', mediaType: mediaTypes.dockerList});
		expect(state.kind === 'list' && state.images.map(image => [image.arch, image.variant, image.configDigest])).toEqual([
			['amd64', undefined, amd64.configDigest],
			['arm64', 'v8', arm64.configDigest],
		]);
	});

	it('reads an OCI index that a naive GET gets 404 for, without its attestation entry', async () => {
		const naive = await fetch(`${registry.url}/v2/release.daocloud.io/kpanda/oci/manifests/v1`, {headers: naiveHeaders(registry)});
		expect(naive.status).toBe(404);
		await naive.body?.cancel();

		const reader = await open({registry: registry.url}, login(registry));
		const state = await reader.readTag({repository: 'release.daocloud.io/kpanda/oci', tag: 'v1'});
		expect(state.kind).toBe('list');
		expect(state.kind === 'list' && state.images.map(image => `${image.os}/${image.arch} ${image.configDigest}`)).toEqual([
			`linux/amd64 ${amd64.configDigest}`,
			`linux/arm64 ${arm64.configDigest}`,
		]);
	});

	it("takes a single image's platform from its config blob, keyed by the config digest skopeo kept", async () => {
		const reader = await open({registry: registry.url}, login(registry));
		const state = await reader.readTag({repository: 'docker.m.daocloud.io/single', tag: '1'});
		expect(state).toMatchObject({
			kind: 'image',
			mediaType: mediaTypes.dockerManifest,
			image: {arch: 'arm64', os: 'linux', configDigest: arm64.configDigest},
		});
	});

	it("given the step's images, reads only the children and configs that can differ", async () => {
		const reader = await open({registry: registry.url}, login(registry));
		await reader.ping();
		const before = reader.http.stats.requests;
		const list = await reader.readTag({
			repository: 'release.daocloud.io/kpanda/app',
			tag: 'v1',
			images: [{arch: 'arm64', configDigest: arm64.configDigest}],
		});
		expect(list.kind === 'list' && list.images.map(image => [image.arch, image.configDigest])).toEqual([
			['amd64', undefined],
			['arm64', arm64.configDigest],
		]);
		expect(reader.http.stats.requests - before).toBe(2);
		const single = await reader.readTag({
			repository: 'docker.m.daocloud.io/single',
			tag: '1',
			images: [{arch: 'arm64', os: 'linux', configDigest: arm64.configDigest}],
		});
		expect(single).toMatchObject({kind: 'image', image: {arch: 'arm64', configDigest: arm64.configDigest}});
		expect(reader.http.stats.requests - before).toBe(3);
		// Another config: its platform can only come from its blob.
		const other = await reader.readTag({
			repository: 'docker.m.daocloud.io/single',
			tag: '1',
			images: [{arch: 'amd64', configDigest: amd64.configDigest}],
		});
		expect(other).toMatchObject({kind: 'image', image: {arch: 'arm64'}});
		expect(reader.http.stats.requests - before).toBe(5);
	});

	it('reports absent tags and repositories, and HEAD tells existence without a body', async () => {
		const reader = await open({registry: registry.url}, login(registry));
		const states = await reader.readTags([
			{repository: 'release.daocloud.io/kpanda/app', tag: 'v2'},
			{repository: 'release.daocloud.io/nothing/here', tag: 'v1'},
			{repository: 'docker.m.daocloud.io/single', tag: '1'},
		]);
		expect(isWizardError(states)).toBe(false);
		const map = states as Map<string, TagState>;
		expect(map.get('release.daocloud.io/kpanda/app:v2')).toEqual({kind: 'absent'});
		expect(map.get('release.daocloud.io/nothing/here:v1')).toEqual({kind: 'absent'});
		expect(map.get('docker.m.daocloud.io/single:1')?.kind).toBe('image');
		const head = await reader.exists({repository: 'release.daocloud.io/kpanda/app', tag: 'v1'});
		expect(head).toMatchObject({digest: expect.stringMatching(/^sha256:/), mediaType: mediaTypes.dockerList});
		expect(await reader.exists({repository: 'release.daocloud.io/kpanda/app', tag: 'nope'})).toBeUndefined();
	});

	it('a wrong password: 401 naming the user and where the login comes from', async () => {
		const reader = await open({registry: registry.url}, {registryUser: registry.username, registryPassword: 'wrong'});
		const error = expectError(await reader.ping());
		expect(error).toMatchObject({kind: 'registry-auth', status: 401, exitCode: 3});
		expect(error.message).toBe(`The registry at ${registry.url} refused the login of user "${registry.username}" (401).`);
		expect(error.hint).toBe(
			`Check the password for "${registry.username}": set ADDON_WIZARD_REGISTRY_USER and ADDON_WIZARD_REGISTRY_PASSWORD.`,
		);
	});

	it('no login at all: says one is needed', async () => {
		const reader = await open({registry: registry.url});
		const error = expectError(await reader.ping());
		expect(error.message).toBe(`The registry at ${registry.url} needs a login and none was given (401).`);
	});

	it('a closed port: connection refused, and what to check', async () => {
		const port = await freePort();
		const reader = await open({registry: `http://127.0.0.1:${port}`}, login(registry));
		const error = expectError(await reader.ping());
		expect(error).toMatchObject({kind: 'registry-unreachable', cause: 'ECONNREFUSED'});
		expect(error.message).toBe(`Cannot reach the registry at http://127.0.0.1:${port}: connection refused (ECONNREFUSED).`);
		expect(error.hint).toContain('runs and listens there');
	});

	it('an unknown host name: a DNS cause', async () => {
		const reader = await open({registry: 'http://registry.invalid:5000'}, login(registry));
		const error = expectError(await reader.ping());
		expect(error.kind).toBe('registry-dns');
		expect(error.hint).toContain('host name');
	});

	it('https:// to a plain-HTTP registry: says it does not speak TLS and offers http://', async () => {
		const reader = await open({registry: registry.url.replace('http:', 'https:')}, login(registry));
		const error = expectError(await reader.ping());
		expect(error).toMatchObject({kind: 'registry-tls', tlsProblem: 'not-tls'});
		expect(error.hint).toBe(`If it serves plain HTTP use ${registry.url}; otherwise check the port.`);
	});
});

describe('registry client against a registry that lets the login in and refuses a read (403)', () => {
	let server: Server;
	let url = '';
	const seen: string[] = [];

	beforeAll(async () => {
		// Distribution's wording for a token without the pull right (Harbor and registry:2 answer so).
		server = createServer((request, response) => {
			seen.push(`${request.method} ${request.url}`);
			const denied = request.url?.includes('/secret/');
			response.writeHead(request.url === '/v2/' ? 200 : denied ? 403 : 404, {
				'content-type': 'application/json',
				'docker-distribution-api-version': 'registry/2.0',
			});
			response.end(denied ? JSON.stringify({errors: [{code: 'DENIED', message: 'requested access to the resource is denied'}]}) : '{}');
		});
		await new Promise<void>(resolve => {
			server.listen(0, '127.0.0.1', resolve);
		});
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});

	afterAll(
		async () =>
			new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			}),
	);

	it('names the tag it may not read and the user, and goes on reading the others', async () => {
		const reader = await client({registry: url}, {registryUser: 'ops', registryPassword: 'ops-pass'});
		try {
			const states = await reader.readTags([
				{repository: 'release.daocloud.io/secret/app', tag: 'v1'},
				{repository: 'release.daocloud.io/open/app', tag: 'v1'},
			]);
			expect(states instanceof Map).toBe(true);
			const read = states as Map<string, TagState>;
			const refused = [...read.values()].find(state => state.kind === 'unreadable');
			expect(refused).toMatchObject({kind: 'unreadable', error: {kind: 'registry-forbidden', status: 403}});
			expect(refused?.kind === 'unreadable' && refused.error.message).toBe(
				`The registry at ${url}/v2/release.daocloud.io/secret/app/manifests/v1 does not let user "ops" do this (403).`,
			);
			expect(refused?.kind === 'unreadable' && refused.error.hint).toContain('Grant user "ops" the rights');
			expect([...read.values()].filter(state => state.kind === 'absent')).toHaveLength(1);
			expect(JSON.stringify(read)).not.toContain('ops-pass');
		} finally {
			await reader.close();
		}
	});
});
