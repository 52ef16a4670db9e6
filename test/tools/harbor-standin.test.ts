// The Harbor stand-in as the tools an operator has meet it: curl against its v2.0 API and token
// service, skopeo pushing and inspecting through it. Every status, header and body checked here is
// one Harbor's swagger or source (v2auth, project handler) gives; tools/README.md lists what it leaves out.
import {execFile} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {buildImageArchive} from '../helpers/build-package.js';
import {startHarbor, type TestHarbor} from '../helpers/harbor.js';
import {skopeoRaw} from '../helpers/registry.js';

const run = promisify(execFile);
/** The project's own account, named as Harbor names a project's robot accounts. */
const robot = {username: 'robot$release+ci', password: 'R0bot-pass'};
let harbor: TestHarbor;
let scratch: string;

beforeAll(async () => {
	harbor = await startHarbor({
		projects: ['release.daocloud.io'],
		readOnly: {username: 'viewer', password: 'look-only'},
		members: [{project: 'release.daocloud.io', username: robot.username, password: robot.password}],
	});
	scratch = await mkdtemp(path.join(tmpdir(), 'harbor-standin-test-'));
});

afterAll(async () => {
	await harbor?.stop();
	await rm(scratch, {recursive: true, force: true});
});

type CurlResult = {status: number; headers: Record<string, string>; body: string};

/** curl with the status, the response headers (lower-cased names) and the body apart. */
async function curl(args: string[]): Promise<CurlResult> {
	const {stdout} = await run('curl', ['-s', '-D', '-', ...args]);
	const split = stdout.indexOf('\r\n\r\n');
	const [statusLine, ...lines] = stdout.slice(0, split).split('\r\n');
	const headers = Object.fromEntries(
		lines.map(line => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
	);
	return {status: Number(statusLine!.split(' ')[1]), headers, body: stdout.slice(split + 4)};
}

const admin = () => ['-u', `${harbor.username}:${harbor.password}`];
const api = (pathAndQuery: string) => `${harbor.url}/api/v2.0${pathAndQuery}`;

/** skopeo pushing a one-image docker-archive through the stand-in, as a person would. */
async function skopeoPush(
	reference: string,
	arch: string,
	creds = `${harbor.username}:${harbor.password}`,
): Promise<{ok: boolean; stderr: string}> {
	const archive = await buildImageArchive(
		path.join(scratch, `${arch}-${Math.random().toString(36).slice(2)}.tar`),
		[{ref: 'example.io/app/web:v1', arch}],
		arch,
	);
	try {
		await run(
			'skopeo',
			[
				'--insecure-policy',
				'copy',
				'--dest-tls-verify=false',
				'--dest-creds',
				creds,
				`docker-archive:${archive}`,
				`docker://${harbor.host}/${reference}`,
			],
			{env: {...process.env, HOME: scratch}},
		);
		return {ok: true, stderr: ''};
	} catch (error) {
		return {ok: false, stderr: String((error as {stderr?: string}).stderr)};
	}
}

describe('Harbor stand-in: projects API (v2.0)', () => {
	it('answers ping with Pong', async () => {
		const result = await curl([api('/ping')]);
		expect([result.status, result.body]).toEqual([200, 'Pong']);
	});

	it('HEAD /projects?project_name= is 200 for a project, 404 for none, 401 without credentials', async () => {
		expect((await curl(['-I', ...admin(), api('/projects?project_name=release.daocloud.io')])).status).toBe(200);
		expect((await curl(['-I', ...admin(), api('/projects?project_name=localhost')])).status).toBe(404);
		expect((await curl(['-I', api('/projects?project_name=release.daocloud.io')])).status).toBe(401);
	});

	it('lists projects matching ?name= with X-Total-Count, and gets one by name with X-Is-Resource-Name', async () => {
		const list = await curl([...admin(), api('/projects?name=daocloud')]);
		expect(list.status).toBe(200);
		expect(list.headers['x-total-count']).toBe('1');
		expect(
			(JSON.parse(list.body) as Array<{name: string; metadata: {public: string}}>).map(project => [project.name, project.metadata.public]),
		).toEqual([['release.daocloud.io', 'true']]);
		const one = await curl([...admin(), '-H', 'X-Is-Resource-Name: true', api('/projects/release.daocloud.io')]);
		expect(one.status).toBe(200);
		expect(JSON.parse(one.body)).toMatchObject({name: 'release.daocloud.io', project_id: expect.any(Number) as number});
		const none = await curl([...admin(), '-H', 'X-Is-Resource-Name: true', api('/projects/nothing-here')]);
		expect(none.status).toBe(404);
		expect(JSON.parse(none.body)).toEqual({errors: [{code: 'NOT_FOUND', message: 'project nothing-here not found'}]});
	});

	it('creates a project (201 + Location), refuses it twice (409), a bad name (400), no credentials (401), a read-only account (403)', async () => {
		const post = (credentials: string[], body: unknown) =>
			curl(['-X', 'POST', ...credentials, '-H', 'Content-Type: application/json', '-d', JSON.stringify(body), api('/projects')]);
		const created = await post(admin(), {project_name: 'new-space', metadata: {public: 'true'}});
		expect(created.status).toBe(201);
		expect(created.headers['location']).toMatch(/^\/api\/v2\.0\/projects\/\d+$/);
		const again = await post(admin(), {project_name: 'new-space'});
		expect(again.status).toBe(409);
		expect(JSON.parse(again.body)).toEqual({errors: [{code: 'CONFLICT', message: 'The project named new-space already exists'}]});
		expect((await post(admin(), {project_name: 'Not Valid'})).status).toBe(400);
		expect((await post([], {project_name: 'anonymous-space'})).status).toBe(401);
		const readOnly = await post(['-u', 'viewer:look-only'], {project_name: 'viewer-space'});
		expect(readOnly.status).toBe(403);
		expect(JSON.parse(readOnly.body)).toMatchObject({errors: [{code: 'FORBIDDEN'}]});
		expect(await harbor.hasProject('viewer-space')).toBe(false);
	});
});

describe('Harbor stand-in: /v2 in front of a real docker-registry', () => {
	it("refuses a push into a missing project with Harbor's wording, and takes it once the project exists", async () => {
		// The upload a client starts: 401 with Harbor's v2auth body (message, then its cause).
		const token = JSON.parse(
			(await curl([...admin(), `${harbor.url}/service/token?service=harbor-registry&scope=repository:missing-space/app/web:pull,push`]))
				.body,
		) as {token: string};
		const upload = await curl([
			'-X',
			'POST',
			'-H',
			`Authorization: Bearer ${token.token}`,
			`${harbor.url}/v2/missing-space/app/web/blobs/uploads/`,
		]);
		expect(upload.status).toBe(401);
		expect(JSON.parse(upload.body)).toEqual({
			errors: [{code: 'UNAUTHORIZED', message: 'project not found, name: missing-space: project not found, name: missing-space'}],
		});
		// skopeo asks with HEAD first; a HEAD answer has no body, so it can only say "unauthorized".
		const refused = await skopeoPush('missing-space/app/web:v1', 'amd64');
		expect(refused.ok).toBe(false);
		expect(refused.stderr).toContain('missing-space/app/web: unauthorized');

		expect(await harbor.createProject('missing-space')).toBe(201);
		const accepted = await skopeoPush('missing-space/app/web:v1', 'amd64');
		expect(accepted).toEqual({ok: true, stderr: ''});
		expect(JSON.parse((await skopeoRaw(harbor, 'missing-space/app/web:v1'))!)).toMatchObject({
			mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
		});
	});

	it('answers an anonymous /v2/ with a Bearer challenge whose realm issues a token that works on /v2', async () => {
		const challenge = await curl([`${harbor.url}/v2/`]);
		expect(challenge.status).toBe(401);
		expect(challenge.headers['www-authenticate']).toBe(`Bearer realm="${harbor.url}/service/token",service="harbor-registry"`);
		const scoped = await curl(['-I', `${harbor.url}/v2/release.daocloud.io/app/web/manifests/v1`]);
		expect(scoped.headers['www-authenticate']).toContain('scope="repository:release.daocloud.io/app/web:pull"');

		const issued = await curl([
			...admin(),
			`${harbor.url}/service/token?service=harbor-registry&scope=repository:release.daocloud.io/app/web:pull,push`,
		]);
		expect(issued.status).toBe(200);
		const token = JSON.parse(issued.body) as {token: string; access_token: string; expires_in: number; issued_at: string};
		expect(token).toEqual({
			token: expect.any(String) as string,
			access_token: token.token,
			expires_in: 1800,
			issued_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string,
		});
		expect((await curl(['-H', `Authorization: Bearer ${token.token}`, `${harbor.url}/v2/`])).status).toBe(200);
		expect((await curl(['-H', 'Authorization: Bearer not-a-token-it-issued', `${harbor.url}/v2/`])).status).toBe(401);
		expect((await curl(['-u', 'admin:wrong', `${harbor.url}/service/token?service=harbor-registry`])).status).toBe(401);
	});

	it("lets skopeo (token flow) push and inspect, refuses a read-only account's push", async () => {
		expect(await skopeoPush('release.daocloud.io/app/web:v1-arm64', 'arm64')).toEqual({ok: true, stderr: ''});
		const raw = JSON.parse((await skopeoRaw(harbor, 'release.daocloud.io/app/web:v1-arm64'))!) as {config: {digest: string}};
		expect(raw.config.digest).toMatch(/^sha256:/);
		const viewer = await skopeoPush('release.daocloud.io/app/web:viewer', 'amd64', 'viewer:look-only');
		expect(viewer.ok).toBe(false);
		expect(viewer.stderr).toMatch(/unauthorized/i);
	});

	it("lists artifacts with tags, platforms of an index and single images' extra_attrs, paged, for a name encoded twice", async () => {
		const repo = 'release.daocloud.io/daocloud/dao-2048';
		expect((await skopeoPush(`${repo}:v1.4.1-amd64`, 'amd64')).ok).toBe(true);
		expect((await skopeoPush(`${repo}:v1.4.1-arm64`, 'arm64')).ok).toBe(true);
		const child = async (tag: string) => {
			const head = await curl([
				'-I',
				...admin(),
				'-H',
				'Accept: application/vnd.docker.distribution.manifest.v2+json',
				`${harbor.url}/v2/${repo}/manifests/${tag}`,
			]);
			return {
				mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
				digest: head.headers['docker-content-digest']!,
				size: Number(head.headers['content-length']),
			};
		};

		const index = {
			schemaVersion: 2,
			mediaType: 'application/vnd.oci.image.index.v1+json',
			manifests: [
				{...(await child('v1.4.1-amd64')), platform: {architecture: 'amd64', os: 'linux'}},
				{...(await child('v1.4.1-arm64')), platform: {architecture: 'arm64', os: 'linux', variant: 'v8'}},
			],
		};
		const put = await curl([
			'-X',
			'PUT',
			...admin(),
			'-H',
			'Content-Type: application/vnd.oci.image.index.v1+json',
			'--data-binary',
			JSON.stringify(index),
			`${harbor.url}/v2/${repo}/manifests/v1.4.1`,
		]);
		expect(put.status).toBe(201);

		const listed = await curl([
			...admin(),
			api('/projects/release.daocloud.io/repositories/daocloud%252Fdao-2048/artifacts?with_tag=true&page_size=100'),
		]);
		expect(listed.status).toBe(200);
		expect(listed.headers['x-total-count']).toBe('3');
		type Artifact = {
			digest: string;
			tags: Array<{name: string}>;
			references: Array<{child_digest: string; platform: {architecture: string; os: string; variant?: string}}> | null;
			extra_attrs: {architecture: string; os: string} | null;
		};
		const artifacts = JSON.parse(listed.body) as Artifact[];
		const byTag = (tag: string) => artifacts.find(artifact => artifact.tags.some(item => item.name === tag))!;
		expect(byTag('v1.4.1').references!.map(reference => reference.platform)).toEqual([
			{architecture: 'amd64', os: 'linux'},
			{architecture: 'arm64', os: 'linux', variant: 'v8'},
		]);
		expect(byTag('v1.4.1').references!.map(reference => reference.child_digest)).toEqual(index.manifests.map(item => item.digest));
		expect(byTag('v1.4.1-arm64').extra_attrs).toMatchObject({architecture: 'arm64', os: 'linux'});

		const paged = await curl([
			...admin(),
			api('/projects/release.daocloud.io/repositories/daocloud%252Fdao-2048/artifacts?with_tag=true&page_size=1&page=2'),
		]);
		expect(JSON.parse(paged.body)).toHaveLength(1);
		expect(paged.headers['x-total-count']).toBe('3');
		expect(paged.headers['link']).toContain('rel="prev"');
		expect(paged.headers['link']).toContain('rel="next"');

		const once = await curl([...admin(), api('/projects/release.daocloud.io/repositories/daocloud%2Fdao-2048/artifacts')]);
		expect(once.status).toBe(404);
		const missing = await curl([...admin(), api('/projects/release.daocloud.io/repositories/nothing%252Fhere/artifacts')]);
		expect(JSON.parse(missing.body)).toEqual({
			errors: [{code: 'NOT_FOUND', message: 'repository release.daocloud.io/nothing/here not found'}],
		});
	});

	it('keeps an overwritten manifest as an untagged artifact (tags null), still served by digest, as Harbor does until GC', async () => {
		const repo = 'release.daocloud.io/bitnami/nginx';
		const listing = async () => {
			const answer = await curl([...admin(), api('/projects/release.daocloud.io/repositories/bitnami%252Fnginx/artifacts?with_tag=true')]);
			return JSON.parse(answer.body) as Array<{digest: string; tags: Array<{name: string}> | null}>;
		};

		expect((await skopeoPush(`${repo}:1.25.1`, 'amd64')).ok).toBe(true);
		const [first] = await listing();
		expect(first!.tags!.map(tag => tag.name)).toEqual(['1.25.1']);
		// The tag moves on to another image: the first stays stored, untagged, until garbage collection.
		expect((await skopeoPush(`${repo}:1.25.1`, 'arm64')).ok).toBe(true);
		const after = await listing();
		expect(after).toHaveLength(2);
		expect(after.find(artifact => artifact.digest === first!.digest)).toMatchObject({tags: null});
		expect(after.find(artifact => artifact.digest !== first!.digest)!.tags!.map(tag => tag.name)).toEqual(['1.25.1']);
		const byDigest = await curl([
			...admin(),
			'-H',
			'Accept: application/vnd.docker.distribution.manifest.v2+json',
			`${harbor.url}/v2/${repo}/manifests/${first!.digest}`,
		]);
		expect(byDigest.status).toBe(200);
		expect(byDigest.headers['docker-content-digest']).toBe(first!.digest);
	});

	it("gives a project's own account (a robot account) push and delete in its project, nothing outside it", async () => {
		const creds = `${robot.username}:${robot.password}`;
		expect(await skopeoPush('release.daocloud.io/ci/app:v1', 'amd64', creds)).toEqual({ok: true, stderr: ''});
		expect(await harbor.createProject('elsewhere')).toBe(201);
		const outside = await skopeoPush('elsewhere/app:v1', 'amd64', creds);
		expect(outside.ok).toBe(false);
		expect(outside.stderr).toMatch(/unauthorized/i);
		const create = await curl([
			'-u',
			creds,
			'-X',
			'POST',
			'-H',
			'Content-Type: application/json',
			'-d',
			'{"project_name":"mine"}',
			api('/projects'),
		]);
		expect(create.status).toBe(403);
		expect((await curl(['-u', creds, `${harbor.url}/v2/_catalog`])).status).toBe(401);

		const head = await curl([
			'-I',
			'-u',
			creds,
			'-H',
			'Accept: application/vnd.docker.distribution.manifest.v2+json',
			`${harbor.url}/v2/release.daocloud.io/ci/app/manifests/v1`,
		]);
		const digest = head.headers['docker-content-digest']!;
		const deleted = await curl(['-u', creds, '-X', 'DELETE', `${harbor.url}/v2/release.daocloud.io/ci/app/manifests/${digest}`]);
		expect(deleted.status).toBe(202);
		expect((await curl(['-I', '-u', creds, `${harbor.url}/v2/release.daocloud.io/ci/app/manifests/v1`])).status).toBe(404);
	});
});
