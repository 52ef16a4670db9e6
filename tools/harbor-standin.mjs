#!/usr/bin/env node
// A Harbor stand-in for tests (Harbor cannot be installed here). It follows Harbor's v2.0 REST API
// (goharbor/harbor api/v2.0/swagger.yaml, basePath /api/v2.0) for projects and artifacts, Harbor's
// v2auth middleware and token service for /v2, and proxies /v2 to a real docker-registry, refusing a
// push into a project that does not exist as Harbor does. Like Harbor, it keeps an overwritten manifest
// as an untagged artifact (listed with `tags: null`, served by digest) until garbage collection.
// Unlike Harbor (tools/README.md lists it all): no GC schedule, immutable tags, retention, replication,
// scanning or quotas; accounts are the flags below; a DELETE needs push rights (Harbor also asks for delete).
//   --backend URL [--backend-user U --backend-pass P]   the docker-registry behind it
//   --admin USER:PASS (default admin:Harbor12345)       a system administrator
//   --read-only USER:PASS (repeatable)                  may read, may neither push nor create projects
//   --member PROJECT:USER:PASS (repeatable)             a project's maintainer or robot account: its project only
//   --project NAME / --private-project NAME (repeatable) projects that exist from the start (`library` always does)
//   --chart-storage DIR                                 serves /chartrepo/<project> (Harbor ≤ 2.7's ChartMuseum)
//   --port N (0: any free port)  --listen-host H  --tls-cert F --tls-key F
// The port it listens on is the first line on stdout.
import {randomBytes} from 'node:crypto';
import path from 'node:path';
import {ChartStore, chartApi} from './lib/chart-repo.mjs';
import {backendClient, checkV2, grantScope, harborError, listArtifacts, rememberPush} from './lib/harbor-registry.mjs';
import {
	basicCredentials,
	exitOnSignals,
	guarded,
	listen,
	parseFlags,
	readBody,
	sendJson,
	sendText,
	splitAccount,
} from './lib/http-util.mjs';

const flags = parseFlags(process.argv.slice(2), ['read-only', 'member', 'project', 'private-project']);
if (!flags.backend) {
	process.stderr.write('harbor-standin: --backend URL is required\n');
	process.exit(2);
}

const secure = Boolean(flags['tls-cert']);
const startedAt = new Date().toISOString();
const backend = backendClient({url: flags.backend, username: flags['backend-user'], password: flags['backend-pass']});
const accounts = new Map();
const admin = splitAccount(flags.admin ?? 'admin:Harbor12345');
accounts.set(admin.username, {password: admin.password, role: 'admin'});
for (const value of flags['read-only'] ?? []) {
	const account = splitAccount(value);
	accounts.set(account.username, {password: account.password, role: 'read-only'});
}
for (const value of flags.member ?? []) {
	const at = value.indexOf(':');
	const account = splitAccount(value.slice(at + 1));
	accounts.set(account.username, {password: account.password, role: 'member', project: value.slice(0, at)});
}

// ---- projects ---------------------------------------------------------------------------------------
const projects = new Map();
let nextProjectId = 1;
function addProject(name, isPublic) {
	const now = new Date().toISOString();
	const project = {
		project_id: nextProjectId++,
		name,
		public: isPublic,
		owner_id: 1,
		owner_name: admin.username,
		creation_time: now,
		update_time: now,
	};
	projects.set(name, project);
	return project;
}
addProject('library', true);
for (const name of flags.project ?? []) addProject(name, true);
for (const name of flags['private-project'] ?? []) addProject(name, false);

// Stable ids for repositories, artifacts and tags, handed out on first sight.
const idTable = new Map();
const ids = key => {
	if (!idTable.has(key)) idTable.set(key, idTable.size + 1);
	return idTable.get(key);
};
const pushTimes = new Map();
const pushed = new Map();
const tokens = new Map();
const chartStores = new Map();

/** The caller: an account by Basic credentials, a Bearer token this stand-in issued, or anonymous. */
function identify(req) {
	const basic = basicCredentials(req);
	if (basic) {
		const account = accounts.get(basic.username);
		return account?.password === basic.password
			? {role: account.role, username: basic.username, project: account.project}
			: {role: 'invalid'};
	}
	const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
	if (bearer) {
		const token = tokens.get(bearer);
		return token && token.expires > Date.now()
			? {role: token.role, username: token.username, project: token.project, token}
			: {role: 'anonymous'};
	}
	return {role: 'anonymous'};
}

const unauthorized = res => harborError(res, 401, 'UNAUTHORIZED', 'unauthorized');
const baseUrl = req => `${secure ? 'https' : 'http'}://${req.headers.host}`;

async function repoCount(name) {
	return (await backend.catalog()).filter(repo => repo.startsWith(`${name}/`)).length;
}

async function projectJson(project) {
	return {
		project_id: project.project_id,
		owner_id: project.owner_id,
		owner_name: project.owner_name,
		name: project.name,
		creation_time: project.creation_time,
		update_time: project.update_time,
		deleted: false,
		registry_id: null,
		togglable: true,
		repo_count: await repoCount(project.name),
		metadata: {public: String(project.public)},
	};
}

/** `page`/`page_size` (default 10, at most 100) with Harbor's X-Total-Count and Link headers. */
function paginate(req, url, items) {
	const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
	const size = Math.min(100, Math.max(1, Number(url.searchParams.get('page_size') ?? 10) || 10));
	const link = number => {
		const params = new URLSearchParams(url.searchParams);
		params.set('page', String(number));
		params.set('page_size', String(size));
		return `<${url.pathname}?${params}>`;
	};
	const links = [];
	if (page > 1) links.push(`${link(page - 1)}; rel="prev"`);
	if (page * size < items.length) links.push(`${link(page + 1)}; rel="next"`);
	return {
		items: items.slice((page - 1) * size, page * size),
		headers: {'X-Total-Count': String(items.length), ...(links.length ? {Link: links.join(' , ')} : {})},
	};
}

const projectNamePattern = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

async function createProject(req, res, who) {
	if (who.role === 'anonymous') return unauthorized(res);
	if (who.role !== 'admin') return harborError(res, 403, 'FORBIDDEN', 'Only system admin can create project');
	let body;
	try {
		body = JSON.parse((await readBody(req, 1 << 20)).toString('utf8'));
	} catch {
		return harborError(res, 400, 'BAD_REQUEST', 'the request body is not a valid ProjectReq JSON');
	}
	const name = body?.project_name;
	if (typeof name !== 'string' || name.length === 0 || name.length > 255 || !projectNamePattern.test(name)) {
		return harborError(
			res,
			400,
			'BAD_REQUEST',
			`project name is not in lower case or contains illegal characters: ${JSON.stringify(name ?? '')}`,
		);
	}
	if (projects.has(name)) return harborError(res, 409, 'CONFLICT', `The project named ${name} already exists`);
	const isPublic = body.metadata?.public !== undefined ? String(body.metadata.public) === 'true' : body.public === true;
	const project = addProject(name, isPublic);
	const location =
		req.headers['x-resource-name-in-location'] === 'true' ? `/api/v2.0/projects/${name}` : `/api/v2.0/projects/${project.project_id}`;
	res.writeHead(201, {Location: location, 'Content-Length': 0});
	res.end();
}

/** `{name_or_id}` as Harbor reads it: a name when X-Is-Resource-Name is true or it is not a number. */
function findProject(req, value) {
	if (req.headers['x-is-resource-name'] !== 'true' && /^\d+$/.test(value))
		return [...projects.values()].find(project => project.project_id === Number(value));
	return projects.get(value);
}

const canRead = (who, project) =>
	project.public || who.role === 'admin' || who.role === 'read-only' || (who.role === 'member' && who.project === project.name);

// Path segments decoded once, then once more for a repository name: Harbor wants `a/b` as `a%252Fb`.
const segments = pathname =>
	pathname
		.split('/')
		.slice(1)
		.map(segment => decodeURIComponent(segment));

async function api(req, res, url, who) {
	const [, , resource, name, sub, repository, leaf, ...more] = segments(url.pathname);
	if (resource === 'ping' && name === undefined) return sendText(res, 200, 'Pong');
	if (resource !== 'projects') return harborError(res, 404, 'NOT_FOUND', `no route for ${url.pathname}`);
	if (name === undefined) {
		if (req.method === 'HEAD') {
			if (who.role === 'anonymous') return unauthorized(res);
			const wanted = url.searchParams.get('project_name') ?? '';
			return projects.has(wanted) ? sendText(res, 200, '') : harborError(res, 404, 'NOT_FOUND', `project ${wanted} not found`);
		}
		if (req.method === 'POST') return createProject(req, res, who);
		if (req.method !== 'GET') return harborError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed`);
		const filter = url.searchParams.get('name') ?? '';
		const visible = [...projects.values()]
			.filter(project => project.name.includes(filter) && canRead(who, project))
			.sort((a, b) => a.name.localeCompare(b.name));
		const page = paginate(req, url, visible);
		return sendJson(res, 200, await Promise.all(page.items.map(projectJson)), page.headers);
	}
	const project = findProject(req, name);
	if (!project || (!canRead(who, project) && who.role !== 'anonymous'))
		return harborError(res, 404, 'NOT_FOUND', `project ${name} not found`);
	if (!canRead(who, project)) return unauthorized(res);
	if (sub === undefined && req.method === 'GET') return sendJson(res, 200, await projectJson(project));
	if (sub === 'repositories' && repository === undefined && req.method === 'GET') {
		const names = (await backend.catalog()).filter(repo => repo.startsWith(`${project.name}/`)).sort();
		const page = paginate(
			req,
			url,
			names.map(full => ({
				id: ids(`repo:${full}`),
				name: full,
				project_id: project.project_id,
				pull_count: 0,
				creation_time: startedAt,
				update_time: startedAt,
			})),
		);
		return sendJson(res, 200, page.items, page.headers);
	}
	if (sub === 'repositories' && leaf === 'artifacts' && more.length === 0 && req.method === 'GET') {
		if (repository.includes('/'))
			return harborError(res, 404, 'NOT_FOUND', `no route for ${url.pathname}: encode "/" in a repository name twice (%252F)`);
		const fullName = `${project.name}/${decodeURIComponent(repository)}`;
		const artifacts = await listArtifacts(backend, fullName, {project, ids, pushTimes, startedAt, pushed: pushed.get(fullName)});
		if (!artifacts) return harborError(res, 404, 'NOT_FOUND', `repository ${fullName} not found`);
		if (url.searchParams.get('with_tag') === 'false') for (const artifact of artifacts) delete artifact.tags;
		const page = paginate(req, url, artifacts);
		return sendJson(res, 200, page.items, page.headers);
	}
	return harborError(res, 404, 'NOT_FOUND', `no route for ${req.method} ${url.pathname}`);
}

/** GET /service/token: Harbor's token service; grants what the caller may do, at most what it asked. */
function issueToken(res, url, who) {
	if (who.role === 'invalid') return unauthorized(res);
	const access = url.searchParams
		.getAll('scope')
		.flatMap(value => value.split(' '))
		.map(scope => grantScope(scope, who, projects))
		.filter(Boolean);
	const token = randomBytes(24).toString('hex');
	const issuedAt = new Date();
	tokens.set(token, {role: who.role, username: who.username, project: who.project, access, expires: issuedAt.getTime() + 1800_000});
	sendJson(res, 200, {token, access_token: token, expires_in: 1800, issued_at: issuedAt.toISOString()});
}

function registry(req, res, url, who) {
	if (who.role === 'invalid') return harborError(res, 401, 'UNAUTHORIZED', 'unauthorized', {'Www-Authenticate': 'Basic realm="harbor"'});
	const decision = checkV2(req, url.pathname, who, projects, `${baseUrl(req)}/service/token`);
	if (!decision.ok) {
		req.resume();
		return harborError(res, decision.status, decision.code, decision.message, {
			'Docker-Distribution-Api-Version': 'registry/2.0',
			...(decision.challenge ? {'Www-Authenticate': decision.challenge} : {}),
		});
	}
	const manifestPut = req.method === 'PUT' && /^\/v2\/(.+)\/manifests\/[^/]+$/.exec(url.pathname);
	backend.proxy(req, res, {
		secure,
		onDone(status, headers) {
			if (manifestPut && status === 201) rememberPush({pushTimes, pushed}, manifestPut[1], headers['docker-content-digest']);
		},
	});
}

/** /chartrepo/<p>/… and /api/chartrepo/<p>/charts…, each project its own ChartMuseum-style store. */
async function charts(req, res, url, who) {
	const match = /^\/(api\/)?chartrepo\/([^/]+)(\/.*)?$/.exec(url.pathname);
	const project = match && projects.get(decodeURIComponent(match[2]));
	if (!project) return harborError(res, 404, 'NOT_FOUND', `project ${match?.[2] ?? ''} not found`);
	const writes = req.method !== 'GET' && req.method !== 'HEAD';
	if (writes ? who.role !== 'admin' : !canRead(who, project))
		return who.role === 'anonymous' ? unauthorized(res) : harborError(res, 403, 'FORBIDDEN', 'forbidden');
	if (!chartStores.has(project.name))
		chartStores.set(project.name, await new ChartStore(path.join(flags['chart-storage'], project.name)).load());
	const store = chartStores.get(project.name);
	const handled = await chartApi(store, req, res, url.pathname, {
		repoPath: `/chartrepo/${project.name}`,
		apiPath: `/api/chartrepo/${project.name}/charts`,
		query: url.searchParams,
	});
	if (!handled) harborError(res, 404, 'NOT_FOUND', `no route for ${url.pathname}`);
}

const server = await listen(
	guarded(async (req, res) => {
		const url = new URL(req.url, 'http://standin.invalid');
		const who = identify(req);
		if (url.pathname === '/v2' || url.pathname.startsWith('/v2/')) return registry(req, res, url, who);
		if (url.pathname === '/service/token' && req.method === 'GET') return issueToken(res, url, who);
		if (who.role === 'invalid') return unauthorized(res);
		if (flags['chart-storage'] && /^\/(api\/)?chartrepo\//.test(url.pathname)) return charts(req, res, url, who);
		if (url.pathname.startsWith('/api/v2.0/')) return api(req, res, url, who);
		return harborError(res, 404, 'NOT_FOUND', `no route for ${url.pathname}`);
	}),
	{host: flags['listen-host'] ?? '127.0.0.1', port: flags.port ?? 0, tlsCert: flags['tls-cert'], tlsKey: flags['tls-key']},
);
exitOnSignals(server);
