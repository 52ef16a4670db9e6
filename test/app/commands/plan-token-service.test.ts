// A registry whose Bearer realm is a token service on another origin (docker-registry with token
// auth, the token service in this test on its own port over plain HTTP): the registry's login goes
// there. The built CLI's plan says so in its Registry section and in the Plan document, and without
// --registry-insecure it refuses to send the password there at all.
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {registryEnvironment} from '../../../source/domain/registry/location.js';
import {planDocumentSchema} from '../../../source/report/contract/plan.js';
import {cliPath, clusterConfigText, makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';
import {startTokenServer, type TokenServer} from '../../helpers/registry-fixtures.js';
import {startRegistry, type TestRegistry} from '../../helpers/registry.js';
import {runProgram} from '../../helpers/run-program.js';

const username = 'ops';
const password = 'T0ken-pass';
let dir = '';
let tokens: TokenServer;
let registry: TestRegistry;
let f: ClusterFixture;

beforeAll(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'plan-token-'));
	tokens = await startTokenServer(dir, {username, password});
	registry = await startRegistry({
		username,
		password,
		tokenAuth: {realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertBundle: tokens.certPath},
	});
	f = await makeClusterFixture({packages: [{version: 'v0.30.0', arch: 'amd64'}]});
	const block = ['  imagesAndCharts:', '    type: external', `    externalImageRepo: ${registry.url}`, ''];
	await writeFile(f.configPath, clusterConfigText(undefined, '', block.join('\n')));
}, 120_000);

afterAll(async () => {
	await registry?.stop();
	await tokens?.stop();
	await f?.stop();
	await rm(f?.root ?? '/nonexistent', {recursive: true, force: true});
	await rm(dir, {recursive: true, force: true});
});

const plan = async (...extra: string[]) =>
	runProgram(process.execPath, [cliPath, 'plan', '-c', f.configPath, '-p', f.packages[0]!.path, ...extra], {
		cwd: f.workdir,
		env: {...f.env, CI: 'true', [registryEnvironment.registryUser]: username, [registryEnvironment.registryPassword]: password},
		timeoutMs: 90_000,
	});

it('says where the credentials go, in the text plan and the Plan document', async () => {
	const origin = new URL(tokens.realm).origin;
	const text = await plan('--registry-insecure');
	expect(text.stdout).toContain(
		`  [WARN] Login: credentials go to token service ${origin} (not the registry's own origin), over plain HTTP (--registry-insecure)`,
	);
	expect(text.stdout + text.stderr).not.toContain(password);
	const json = await plan('--registry-insecure', '--json');
	const document = planDocumentSchema.parse(JSON.parse(json.stdout));
	expect(document.registry).toMatchObject({checked: true, credentialsTo: origin});
	expect(tokens.requests.length).toBeGreaterThan(0);
}, 180_000);

it('without --registry-insecure sends nothing there, and says why', async () => {
	tokens.requests.length = 0;
	const result = await plan('--json');
	const document = planDocumentSchema.parse(JSON.parse(result.stdout));
	expect(document.registry?.checked).toBe(false);
	expect(document.registry?.problem?.message).toContain(`to be sent to ${new URL(tokens.realm).origin}, another origin, over plain HTTP`);
	expect(document.registry?.credentialsTo).toBeUndefined();
	expect(tokens.requests).toEqual([]);
}, 180_000);
