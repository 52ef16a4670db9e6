// Bearer token auth end to end: docker-registry 2.8 configured for token auth, and a token
// service in this test that signs the JWTs the registry checks (the Harbor stand-in on the
// testbed branch will serve one too; until it lands this is the token endpoint).
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {openRegistryClient, type RegistryClient} from '../../../source/adapters/registry/registry-client.js';
import {createRegistryPort} from '../../../source/adapters/registry/registry-port.js';
import {reviewRegistry} from '../../../source/domain/plan/registry-review.js';
import {renderRegistryText} from '../../../source/report/registry/registry-text.js';
import {locateRegistry, type RegistryEnvValues} from '../../../source/domain/registry/location.js';
import type {RegistryAccessError, TagState} from '../../../source/domain/registry/tag-state.js';
import {isWizardError} from '../../../source/domain/shared/wizard-error.js';
import {skopeoPush, startTokenServer, writeImageArchive, type ImageArchive, type TokenServer} from '../../helpers/registry-fixtures.js';
import {startRegistry, type TestRegistry} from '../../helpers/registry.js';

describe('Bearer token auth against docker-registry with token auth', () => {
	let dir = '';
	let tokens: TokenServer;
	let registry: TestRegistry;
	let image: ImageArchive;
	let clock = Date.now();
	const clients: RegistryClient[] = [];
	const username = 'ops';
	const password = 'T0ken-pass';

	// The token service listens on another port over plain HTTP: the login goes there only with
	// --registry-insecure, which these cases pass unless they test its absence.
	async function client(
		env: RegistryEnvValues = {registryUser: username, registryPassword: password},
		insecure = true,
	): Promise<RegistryClient> {
		const located = locateRegistry({document: undefined, flags: {registry: registry.url, insecure}, env});
		if (isWizardError(located)) {
			throw new Error(located.message);
		}

		const opened = await openRegistryClient({
			endpoint: located.location.registry,
			password: located.secrets.registryPassword,
			retryDelayMs: 5,
			now: () => clock,
		});
		if (isWizardError(opened)) {
			throw new Error(opened.message);
		}

		clients.push(opened);
		return opened;
	}

	beforeAll(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'registry-token-'));
		// Pull is granted everywhere except under denied/, where the token comes back without it.
		tokens = await startTokenServer(dir, {
			username,
			password,
			expiresIn: 300,
			grant: (name, asked) => (name.startsWith('denied/') ? asked.filter(action => action !== 'pull') : asked),
		});
		registry = await startRegistry({
			username,
			password,
			tokenAuth: {realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertBundle: tokens.certPath},
		});
		image = await writeImageArchive(dir, {name: 'a:1', arch: 'arm64'});
		await skopeoPush(registry, image.path, 'release.daocloud.io/app:v1');
		await skopeoPush(registry, image.path, 'release.daocloud.io/other:v1');
	});

	afterAll(async () => {
		await Promise.all(clients.map(async item => item.close()));
		await registry?.stop();
		await tokens?.stop();
		await rm(dir, {recursive: true, force: true});
	});

	it("answers the challenge, asks for each repository's pull scope once and reuses the token", async () => {
		const reader = await client();
		expect(await reader.ping()).toEqual({auth: 'bearer'});
		tokens.requests.length = 0;
		const targets = [
			{repository: 'release.daocloud.io/app', tag: 'v1'},
			{repository: 'release.daocloud.io/other', tag: 'v1'},
			{repository: 'release.daocloud.io/app', tag: 'v2'},
		];
		const states = await reader.readTags(targets);
		expect(isWizardError(states)).toBe(false);
		const map = states as Map<string, TagState>;
		expect(map.get('release.daocloud.io/app:v1')).toMatchObject({kind: 'image', image: {arch: 'arm64', configDigest: image.configDigest}});
		expect(map.get('release.daocloud.io/app:v2')).toEqual({kind: 'absent'});
		expect(tokens.requests.map(scopes => scopes.join(' ')).sort()).toEqual([
			'repository:release.daocloud.io/app:pull',
			'repository:release.daocloud.io/other:pull',
		]);
	});

	it('fetches a new token once the old one has expired', async () => {
		const reader = await client();
		await reader.readTag({repository: 'release.daocloud.io/app', tag: 'v1'});
		const before = reader.auth.tokenRequests;
		await reader.readTag({repository: 'release.daocloud.io/app', tag: 'v1'});
		expect(reader.auth.tokenRequests).toBe(before);
		clock += 300_000;
		await reader.readTag({repository: 'release.daocloud.io/app', tag: 'v1'});
		expect(reader.auth.tokenRequests).toBe(before + 1);
	});

	it('a token granting less than asked is not an error of the whole read: that tag says what was refused', async () => {
		const reader = await client();
		const state = await reader.readTag({repository: 'denied/secret', tag: 'v1'});
		expect(state.kind).toBe('unreadable');
		const error = (state as {error: unknown}).error as RegistryAccessError;
		expect(error).toMatchObject({kind: 'registry-forbidden', status: 403});
		expect(error.message).toBe(
			`The registry at ${registry.url} did not grant user "ops" repository:denied/secret:pull (insufficient_scope).`,
		);
		expect((await reader.readTag({repository: 'release.daocloud.io/app', tag: 'v1'})).kind).toBe('image');
	});

	it('withholds the password from a token service on another origin over plain HTTP, and says where it was asked to go', async () => {
		const reader = await client(undefined, false);
		tokens.requests.length = 0;
		const error = (await reader.ping()) as RegistryAccessError;
		expect(error.message).toBe(
			`The registry at ${registry.url} asks for user "ops"'s password to be sent to ${new URL(tokens.realm).origin}, another origin, over plain HTTP; the wizard did not send it.`,
		);
		expect(error.hint).toContain('--registry-insecure');
		expect(tokens.requests).toEqual([]);
		expect(reader.auth.tokenOrigin).toBe(new URL(tokens.realm).origin);
	});

	it("says in the plan where the login goes when the token service is not the registry's own origin", async () => {
		const located = locateRegistry({
			document: undefined,
			flags: {registry: registry.url, insecure: true},
			env: {registryUser: username, registryPassword: password},
		});
		if (isWizardError(located)) {
			throw new Error(located.message);
		}

		const port = createRegistryPort({location: located.location, secrets: located.secrets, http: {retryDelayMs: 5, caBundles: []}});
		const read = await port.readRegistryState([{repository: 'release.daocloud.io/app', tag: 'v1'}]);
		await port.close();
		if (isWizardError(read)) {
			throw new Error(read.message);
		}

		const origin = new URL(tokens.realm).origin;
		expect(read.tokenOrigin).toBe(origin);
		const review = reviewRegistry({
			facts: {location: located.location, registry: read, history: []},
			steps: [
				{
					stepId: 'cluster-create-arm64',
					push: {kind: 'cluster-create', version: 'v0.11.0'},
					arch: 'arm64',
					version: 'v0.11.0',
					images: [{registry: 'release.daocloud.io', repository: 'app', tag: 'v1', architecture: 'arm64'}],
					charts: [],
				},
			],
			flagArches: [],
			configArches: [],
		});
		expect(review.read?.tokenOrigin).toBe(origin);
		expect(renderRegistryText(review, [])).toContain(
			`  [WARN] Login: credentials go to token service ${origin} (not the registry's own origin), over plain HTTP (--registry-insecure)`,
		);
	});

	it('a wrong password: the token service refuses it, and the error says so', async () => {
		const reader = await client({registryUser: username, registryPassword: 'nope'});
		const error = await reader.ping();
		expect(error).toMatchObject({kind: 'registry-auth', status: 401});
		expect((error as RegistryAccessError).message).toBe(
			`The token service of the registry at ${tokens.realm} refused the login of user "ops" (401).`,
		);
	});
});
