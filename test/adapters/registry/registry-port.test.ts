// The registry port end to end: a real docker-registry, alone (no projects) and behind a
// Harbor API stand-in (projects, artifacts); read, diff, create spaces, read again.
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {encodeRepositoryName, HarborApi, type HarborArtifact} from '../../../source/adapters/registry/harbor-api.js';
import {createHttp, type Http} from '../../../source/adapters/registry/registry-http.js';
import {registryPeer} from '../../../source/adapters/registry/registry-client.js';
import {createRegistryPort} from '../../../source/adapters/registry/registry-port.js';
import {diffRegistry, plannedPushes} from '../../../source/domain/registry/push-diff.js';
import {locateRegistry} from '../../../source/domain/registry/location.js';
import {mediaTypes} from '../../../source/domain/registry/manifest.js';
import {Secret} from '../../../source/domain/shared/secret.js';
import {isWizardError} from '../../../source/domain/shared/wizard-error.js';
import type {RegistryPort, RegistryRead} from '../../../source/workflow/ports/registry-port.js';
import {startHarborStandin, type HarborStandin} from '../../helpers/harbor-api-standin.js';
import {curlManifest, putManifestList, skopeoPush, writeImageArchive} from '../../helpers/registry-fixtures.js';
import {freePort, startRegistry, type TestRegistry} from '../../helpers/registry.js';

function portFor(url: string, registry: TestRegistry, user = registry.username, password = registry.password): RegistryPort {
	const located = locateRegistry({document: undefined, flags: {registry: url}, env: {registryUser: user, registryPassword: password}});
	if (isWizardError(located)) {
		throw new Error(located.message);
	}

	return createRegistryPort({location: located.location, secrets: located.secrets, http: {retryDelayMs: 5, caBundles: []}});
}

function read(value: unknown): RegistryRead {
	expect(isWizardError(value), JSON.stringify(value)).toBe(false);
	return value as RegistryRead;
}

// The images of an amd64 v0.11 package: app is multi-arch in the registry, tool is new, and
// localhost/… lands in a Harbor project nobody created.
const images = [
	{registry: 'release.daocloud.io', repository: 'kpanda/app', tag: 'v1', architecture: 'amd64'},
	{registry: 'release.daocloud.io', repository: 'kpanda/tool', tag: 'v1', architecture: 'amd64'},
	{registry: 'localhost', repository: 'busybox', tag: '1.36', architecture: 'amd64'},
];

describe('registry port', () => {
	let dir = '';
	let registry: TestRegistry;
	let harbor: HarborStandin;
	const ports: RegistryPort[] = [];
	const port = (...args: Parameters<typeof portFor>) => {
		const made = portFor(...args);
		ports.push(made);
		return made;
	};

	const pushes = () => plannedPushes(images, {pathPrefix: ''}, 'amd64');
	const targets = () => pushes().map(push => push.target);

	beforeAll(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'registry-port-'));
		registry = await startRegistry();
		const amd64 = await writeImageArchive(dir, {name: 'app:v1', arch: 'amd64'});
		const arm64 = await writeImageArchive(dir, {name: 'app:v1', arch: 'arm64'});
		await skopeoPush(registry, amd64.path, 'release.daocloud.io/kpanda/app:v1-amd64');
		await skopeoPush(registry, arm64.path, 'release.daocloud.io/kpanda/app:v1-arm64');
		await putManifestList(
			registry,
			'release.daocloud.io/kpanda/app',
			'v1',
			[
				{
					manifest: await curlManifest(registry, 'release.daocloud.io/kpanda/app', 'v1-amd64'),
					platform: {architecture: 'amd64', os: 'linux'},
				},
				{
					manifest: await curlManifest(registry, 'release.daocloud.io/kpanda/app', 'v1-arm64'),
					platform: {architecture: 'arm64', os: 'linux'},
				},
			],
			mediaTypes.dockerList,
		);
		const artifacts = Array.from({length: 250}, (_, index) => ({
			digest: `sha256:${String(index).padStart(64, '0')}`,
			media_type: mediaTypes.dockerList,
			tags: [{name: `v${index}`}],
			references: [
				{platform: {architecture: 'amd64', os: 'linux'}},
				{platform: {architecture: 'arm64', os: 'linux'}},
				{platform: {architecture: 'unknown', os: 'unknown'}},
			],
		}));
		harbor = await startHarborStandin({
			registryUrl: registry.url,
			users: {[registry.username]: {password: registry.password, admin: true}, dev: {password: 'dev-pass', admin: false}},
			projects: ['release.daocloud.io'],
			artifacts: {'release.daocloud.io': {'kpanda/app': artifacts}},
		});
	});

	afterAll(async () => {
		await Promise.all(ports.map(async item => item.close()));
		await harbor?.stop();
		await registry?.stop();
		await rm(dir, {recursive: true, force: true});
	});

	it('plain registry: reads the tags, says no spaces are needed and why, and finds the <0.12.0 hazard with no flag', async () => {
		const plain = port(registry.url, registry);
		const progress: number[] = [];
		const connecting: Array<string | undefined> = [];
		const state = read(
			await plain.readRegistryState(targets(), {
				onProgress(update) {
					progress.push(update.done);
					connecting.push(update.connectingTo);
				},
			}),
		);
		expect(state).toMatchObject({auth: 'basic', harbor: false, tls: 'plain HTTP: nothing is encrypted'});
		expect(state.spaces).toEqual({
			kind: 'none',
			reason: `${registry.url} answers the registry API but not Harbor's (/api/v2.0/ping), so it has no projects and none need to exist.`,
		});
		// First whom it connects to (before any answer), then each tag read.
		expect(connecting).toEqual([registry.url, undefined, undefined, undefined]);
		expect(progress.sort((a, b) => a - b)).toEqual([0, 1, 2, 3]);
		// The connection is kept: a second read names nobody it waits for.
		const again: Array<string | undefined> = [];
		read(await plain.readRegistryState(targets(), {onProgress: update => again.push(update.connectingTo)}));
		expect(again.filter(Boolean)).toEqual([]);
		const diff = diffRegistry({
			pushes: pushes(),
			step: {kind: 'cluster-create', version: 'v0.11.0'},
			now: state.tags,
			spaces: state.spaces,
		});
		expect(diff.losingArch).toEqual([{key: 'release.daocloud.io/kpanda/app:v1', lost: ['arm64']}]);
		expect(diff.clusterArches).toEqual([
			{arch: 'amd64', tags: 1},
			{arch: 'arm64', tags: 1},
		]);
		expect(diff.counts).toMatchObject({absent: 2, uncompared: 1});
		expect(await plain.createSpaces(['x'])).toMatchObject({created: [], error: {kind: 'registry-no-spaces'}});
	});

	it('reads a neighbouring tag where every pushed tag of a repository is new, skipping per-arch leftovers', async () => {
		const plain = port(registry.url, registry);
		const newer = [
			{repository: 'release.daocloud.io/kpanda/app', tag: 'v2'},
			{repository: 'release.daocloud.io/kpanda/app', tag: 'v3'},
			{repository: 'release.daocloud.io/kpanda/tool', tag: 'v1'},
		];
		const state = read(await plain.readRegistryState(newer));
		expect([...state.neighbours.keys()]).toEqual(['release.daocloud.io/kpanda/app']);
		const neighbour = state.neighbours.get('release.daocloud.io/kpanda/app')!;
		expect(neighbour.tag).toBe('v1');
		expect(neighbour.state.kind === 'list' && neighbour.state.images.map(item => item.arch)).toEqual(['amd64', 'arm64']);
	});

	it('Harbor: names the missing project, reads nothing in it, creates it on request (409 counts as done), then it is there', async () => {
		const onHarbor = port(harbor.url, registry);
		harbor.requests.length = 0;
		const before = read(await onHarbor.readRegistryState(targets()));
		expect(before.harbor).toBe(true);
		expect(before.spaces).toEqual({kind: 'harbor', existing: ['release.daocloud.io'], missing: ['localhost']});
		expect(before.tags.get('localhost/busybox:1.36')).toEqual({kind: 'absent'});
		expect(harbor.requests.some(line => line.includes('/v2/localhost/'))).toBe(false);
		expect(diffRegistry({pushes: pushes(), step: {kind: 'import-addon'}, now: before.tags, spaces: before.spaces}).missingSpaces).toEqual([
			'localhost',
		]);

		const created = await onHarbor.createSpaces(['localhost', 'release.daocloud.io']);
		expect(created).toEqual({
			created: [
				{name: 'localhost', outcome: 'created'},
				{name: 'release.daocloud.io', outcome: 'exists'},
			],
		});
		const after = read(await onHarbor.readRegistryState(targets()));
		expect(after.spaces).toEqual({kind: 'harbor', existing: ['localhost', 'release.daocloud.io'], missing: []});
	});

	it('Harbor: a refusal to create a project names the account that lacked the rights', async () => {
		const http = (await createHttp({tls: {mode: 'plain-http'}, retryDelayMs: 5})) as Http;
		try {
			const located = locateRegistry({document: undefined, flags: {registry: harbor.url}, env: {registryUser: 'dev'}});
			if (isWizardError(located)) {
				throw new Error(located.message);
			}

			const api = new HarborApi(http, harbor.url, registryPeer(located.location.registry), {
				username: 'dev',
				password: new Secret('dev-pass'),
			});
			const refused = await api.createProject('kpanda');
			expect(refused).toMatchObject({kind: 'registry-forbidden', status: 403});
			expect(isWizardError(refused) && refused.message).toBe(
				'Harbor refused to create project "kpanda" for user "dev" (403): creating projects needs a Harbor administrator, or project creation open to all users.',
			);
			expect(harbor.projects.has('kpanda')).toBe(false);
		} finally {
			await http.close();
		}
	});

	it('Harbor: reads all pages of a repository\'s artifacts, its name with "/" encoded twice, attestations left out', async () => {
		expect(encodeRepositoryName('kpanda/app')).toBe('kpanda%252Fapp');
		const http = (await createHttp({tls: {mode: 'plain-http'}})) as Http;
		try {
			const located = locateRegistry({document: undefined, flags: {registry: harbor.url}, env: {registryUser: registry.username}});
			if (isWizardError(located)) {
				throw new Error(located.message);
			}

			const api = new HarborApi(http, harbor.url, registryPeer(located.location.registry), {
				username: registry.username,
				password: new Secret(registry.password),
			});
			harbor.requests.length = 0;
			const artifacts = await api.listArtifacts('release.daocloud.io', 'kpanda/app');
			expect(isWizardError(artifacts)).toBe(false);
			const list = artifacts as HarborArtifact[];
			expect(list).toHaveLength(250);
			expect(list[249]).toMatchObject({tags: ['v249'], platforms: [{architecture: 'amd64'}, {architecture: 'arm64'}]});
			expect(harbor.requests).toHaveLength(3);
			expect(harbor.requests.every(line => line.includes('/repositories/kpanda%252Fapp/artifacts?'))).toBe(true);
		} finally {
			await http.close();
		}
	});

	it('an unreachable registry: the read returns the cause instead of a state', async () => {
		const gone = port(`http://127.0.0.1:${await freePort()}`, registry);
		const result = await gone.readRegistryState(targets());
		expect(result).toMatchObject({kind: 'registry-unreachable', cause: 'ECONNREFUSED'});
	});
});
