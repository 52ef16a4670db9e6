// The registry half of the Harbor stand-in: `/v2/` in front of a real docker-registry with Harbor's
// v2auth rules (goharbor/harbor src/server/middleware/v2auth/auth.go), and the artifact listing
// (`GET /api/v2.0/projects/{p}/repositories/{r}/artifacts`) built from what the backend holds.
import http from 'node:http';
import https from 'node:https';
import {sendJson} from './http-util.mjs';

const manifestTypes = [
	'application/vnd.oci.image.index.v1+json',
	'application/vnd.docker.distribution.manifest.list.v2+json',
	'application/vnd.oci.image.manifest.v1+json',
	'application/vnd.docker.distribution.manifest.v2+json',
];
const isIndex = type => type === manifestTypes[0] || type === manifestTypes[1];

/** Harbor's error body: `{"errors":[{"code":"NOT_FOUND","message":"…"}]}`. */
export function harborError(res, status, code, message, headers = {}) {
	sendJson(res, status, {errors: [{code, message}]}, headers);
}

export function backendClient({url, username, password}) {
	const base = new URL(url);
	const transport = base.protocol === 'https:' ? https : http;
	const agent = new transport.Agent({keepAlive: true, ...(base.protocol === 'https:' ? {rejectUnauthorized: false} : {})});
	const authorization = username === undefined ? {} : {Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`};

	function get(pathname, accept) {
		return new Promise((resolve, reject) => {
			const req = transport.request(
				new URL(pathname, base),
				{agent, headers: {...authorization, ...(accept ? {Accept: accept} : {})}},
				res => {
					const chunks = [];
					res.on('data', chunk => chunks.push(chunk));
					res.on('end', () => resolve({status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks)}));
					res.on('error', reject);
				},
			);
			req.on('error', reject);
			req.end();
		});
	}

	/** Streams a client's /v2 request to the backend and the answer back; calls onDone(status, headers). */
	function proxy(req, res, {secure, onDone}) {
		const headers = {...req.headers, ...authorization, 'x-forwarded-proto': secure ? 'https' : 'http'};
		if (username === undefined) delete headers.authorization;
		// The client's Host stays, so the backend's upload Locations point back at the stand-in.
		const upstream = transport.request(new URL(req.url, base), {method: req.method, agent, headers}, answer => {
			const {'www-authenticate': _challenge, ...rest} = answer.headers;
			res.writeHead(answer.statusCode, rest);
			answer.pipe(res);
			answer.on('end', () => onDone?.(answer.statusCode, answer.headers));
		});
		upstream.on('error', error => {
			if (res.headersSent) res.destroy();
			else harborError(res, 502, 'UNKNOWN', `registry backend: ${error.message}`);
		});
		req.pipe(upstream);
	}

	/** Every repository of the backend, following the catalog's Link pages. */
	async function catalog() {
		const names = [];
		let next = '/v2/_catalog?n=1000';
		while (next) {
			const answer = await get(next);
			if (answer.status !== 200) throw new Error(`backend catalog: ${answer.status}`);
			names.push(...(JSON.parse(answer.body.toString('utf8')).repositories ?? []));
			next = /<([^>]+)>;\s*rel="next"/.exec(answer.headers.link ?? '')?.[1];
		}
		return names;
	}

	return {get, proxy, catalog, manifestAccept: manifestTypes.join(', ')};
}

// ---- /v2 access, as v2auth decides it -------------------------------------------------------------
const pushMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The repository a /v2 path names (`/v2/<name>/manifests|blobs|tags/...`), or the special targets. */
export function v2Target(pathname) {
	if (pathname === '/v2/' || pathname === '/v2') return {target: 'login'};
	if (pathname.startsWith('/v2/_catalog')) return {target: 'catalog'};
	const match = /^\/v2\/(.+?)\/(manifests|blobs|tags)(\/|$)/.exec(pathname);
	return match ? {target: 'repository', name: match[1]} : {target: 'unknown'};
}

/**
 * Decides a /v2 request: `{ok: true}` or `{status, code, message, challenge}` to send. `who` is the
 * caller (`{role: 'admin'|'read-only'|'anonymous', token?}`); `projects` answers whether a project exists and is public.
 */
export function checkV2(req, pathname, who, projects, realm) {
	const {target, name} = v2Target(pathname);
	const action = pushMethods.has(req.method) ? 'push' : 'pull';
	const challengeFor = scopes =>
		req.headers.authorization
			? 'Basic realm="harbor"'
			: `Bearer realm="${realm}",service="harbor-registry"${scopes ? `,scope="${scopes}"` : ''}`;
	// Harbor's errors.UnauthorizedError(err).WithMessage(err.Error()): the message, then the cause.
	const refuse = (message, challenge) => ({status: 401, code: 'UNAUTHORIZED', message: `${message}: ${message}`, challenge});
	const authenticated = who.role !== 'anonymous';
	if (target === 'login') return authenticated ? {ok: true} : refuse('unauthorized', challengeFor());
	if (target === 'catalog')
		return who.role === 'admin' ? {ok: true} : refuse('unauthorized to list catalog', challengeFor('registry:catalog:*'));
	if (target !== 'repository') return {ok: true};
	const scope = `repository:${name}:${action === 'push' ? 'pull,push' : 'pull'}`;
	if (!req.headers.authorization && req.method === 'HEAD')
		return refuse('authorize header needed to send HEAD to repository', challengeFor(scope));
	const project = projects.get(name.split('/')[0]);
	if (!project) return refuse(`project not found, name: ${name.split('/')[0]}`);
	if (!mayAccess(who, project, name, action))
		return refuse(`unauthorized to access repository: ${name}, action: ${action}`, challengeFor(scope));
	return {ok: true};
}

function mayAccess(who, project, name, action) {
	if (who.token) return who.token.access.some(item => item.name === name && item.actions.includes(action));
	// A project's own account (maintainer or robot) reaches its project, and public ones to pull.
	if (who.role === 'member') return who.project === project.name || (action === 'pull' && project.public);
	if (action === 'pull') return project.public || who.role !== 'anonymous';
	return who.role === 'admin';
}

/** What a token for `scope` grants `who`: Harbor grants fewer actions than asked, never an error. */
export function grantScope(scope, who, projects) {
	const match = /^repository:([^:]+):(.+)$/.exec(scope);
	if (!match) return undefined;
	const project = projects.get(match[1].split('/')[0]);
	const asked = match[2].split(',');
	const allowed = asked.filter(
		action => project && mayAccess({role: who.role, project: who.project}, project, match[1], action === '*' ? 'push' : action),
	);
	return {name: match[1], actions: allowed.includes('*') ? ['pull', 'push'] : allowed};
}

// ---- artifacts ----------------------------------------------------------------------------------
const zeroTime = '0001-01-01T00:00:00.000Z';

/** A manifest pushed through /v2: when (push_time), and by repository what to list untagged once its tag moves on. */
export function rememberPush({pushTimes, pushed}, repository, digest) {
	pushTimes.set(`${repository}@${digest}`, new Date().toISOString());
	if (!pushed.has(repository)) pushed.set(repository, new Set());
	pushed.get(repository).add(digest);
}

/**
 * The manifests pushed through the stand-in that no tag holds now and no listed index points to,
 * still stored by the backend: Harbor lists them as untagged artifacts until garbage collection.
 */
async function untagged(backend, fullName, pushed, byDigest) {
	const found = new Map();
	for (const digest of pushed ?? []) {
		if (byDigest.has(digest)) continue;
		const answer = await backend.get(`/v2/${fullName}/manifests/${digest}`, backend.manifestAccept);
		if (answer.status === 200) found.set(digest, {digest, body: answer.body, tags: []});
	}
	// Harbor shows an index's children under it, not as artifacts of their own.
	const children = new Set();
	for (const item of [...byDigest.values(), ...found.values()]) {
		for (const child of JSON.parse(item.body.toString('utf8')).manifests ?? []) children.add(child.digest);
	}
	for (const [digest, item] of found) if (!children.has(digest)) byDigest.set(digest, item);
}

/** Harbor's Artifact objects for one repository, from its tags on the backend; undefined when it has none. */
export async function listArtifacts(backend, fullName, {project, ids, pushTimes, startedAt, pushed}) {
	const tagsAnswer = await backend.get(`/v2/${fullName}/tags/list`);
	if (tagsAnswer.status === 404) return undefined;
	const tags = (JSON.parse(tagsAnswer.body.toString('utf8')).tags ?? []).sort();
	const byDigest = new Map();
	for (const tag of tags) {
		const answer = await backend.get(`/v2/${fullName}/manifests/${tag}`, backend.manifestAccept);
		if (answer.status !== 200) continue;
		const digest = answer.headers['docker-content-digest'];
		if (!byDigest.has(digest)) byDigest.set(digest, {digest, body: answer.body, tags: []});
		byDigest.get(digest).tags.push(tag);
	}
	await untagged(backend, fullName, pushed, byDigest);
	const repositoryId = ids(`repo:${fullName}`);
	const artifacts = [];
	for (const item of byDigest.values()) {
		const manifest = JSON.parse(item.body.toString('utf8'));
		const mediaType = manifest.mediaType ?? (manifest.manifests ? manifestTypes[0] : manifestTypes[2]);
		const id = ids(`artifact:${fullName}@${item.digest}`);
		const pushTime = pushTimes.get(`${fullName}@${item.digest}`) ?? startedAt;
		const artifact = {
			id,
			type: 'IMAGE',
			media_type: isIndex(mediaType) ? mediaType : manifest.config?.mediaType,
			manifest_media_type: mediaType,
			project_id: project.project_id,
			repository_id: repositoryId,
			digest: item.digest,
			size: item.body.length + (manifest.layers ?? []).reduce((sum, layer) => sum + layer.size, manifest.config?.size ?? 0),
			push_time: pushTime,
			pull_time: zeroTime,
			extra_attrs: null,
			annotations: manifest.annotations ?? null,
			references: null,
			labels: null,
			// Harbor answers an untagged artifact's tags as null.
			tags:
				item.tags.length === 0
					? null
					: item.tags.map(name => ({
							id: ids(`tag:${fullName}:${name}`),
							repository_id: repositoryId,
							artifact_id: id,
							name,
							push_time: pushTime,
							pull_time: zeroTime,
							immutable: false,
							signed: false,
						})),
		};
		if (isIndex(mediaType)) {
			artifact.references = (manifest.manifests ?? []).map(child => ({
				parent_id: id,
				child_id: ids(`artifact:${fullName}@${child.digest}`),
				child_digest: child.digest,
				platform: child.platform
					? {
							architecture: child.platform.architecture,
							os: child.platform.os,
							...(child.platform.variant ? {variant: child.platform.variant} : {}),
						}
					: null,
				annotations: child.annotations ?? null,
				urls: null,
			}));
		} else if (manifest.config?.digest) {
			const config = await backend.get(`/v2/${fullName}/blobs/${manifest.config.digest}`);
			const parsed = config.status === 200 ? JSON.parse(config.body.toString('utf8')) : {};
			artifact.extra_attrs = {
				architecture: parsed.architecture,
				os: parsed.os,
				...(parsed.variant ? {variant: parsed.variant} : {}),
				config: parsed.config ?? {},
				created: parsed.created,
				author: parsed.author,
			};
		}
		artifacts.push(artifact);
	}
	return artifacts.sort((a, b) => b.push_time.localeCompare(a.push_time) || a.digest.localeCompare(b.digest));
}
