// A distribution-API client as the installer's tools use one: ping `/v2/` for the challenge, then
// Basic credentials or a Bearer token from the realm (Harbor's /service/token), HEAD before upload,
// monolithic blob upload (POST, then PUT with the digest), manifests PUT with their media type.
// Registry errors read as docker/skopeo print them: `unauthorized: project not found, name: x: …`.
import {createHash} from 'node:crypto';
import {basicAuth, send} from './net.mjs';

export const mediaTypes = {
	ociIndex: 'application/vnd.oci.image.index.v1+json',
	dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
	ociManifest: 'application/vnd.oci.image.manifest.v1+json',
	dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
};

// Without every type in Accept, distribution 2.8 answers a list with its amd64 child, an index with 404.
const acceptManifests = Object.values(mediaTypes).join(', ');

export const isList = manifest => manifest.mediaType === mediaTypes.ociIndex || manifest.mediaType === mediaTypes.dockerList;

export class RegistryError extends Error {}

/** docker's errcode text: `unauthorized: <message>`, one per error in the body. */
function registryMessage(response) {
	try {
		const {errors} = JSON.parse(response.body.toString('utf8'));
		if (Array.isArray(errors) && errors.length > 0) {
			return errors.map(error => `${String(error.code).toLowerCase().replaceAll('_', ' ')}: ${error.message}`).join('; ');
		}
	} catch {}
	if (response.status === 401) return 'unauthorized: authentication required';
	return `received unexpected HTTP status: ${response.status} ${response.statusText}`;
}

function parseChallenge(header = '') {
	const scheme = /^(\w+)/.exec(header)?.[1]?.toLowerCase();
	const params = Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map(match => [match[1], match[2]]));
	return {scheme: scheme ?? 'basic', ...params};
}

export function registryClient({url, username, password}) {
	const root = new URL(url).origin;
	const tokens = new Map();
	let challenge;

	async function ping() {
		if (challenge) return challenge;
		const response = await send('GET', `${root}/v2/`);
		if (response.status === 200) challenge = {scheme: 'none'};
		else if (response.status === 401) challenge = parseChallenge(response.headers['www-authenticate']);
		else throw new RegistryError(registryMessage(response));
		return challenge;
	}

	async function token(repo) {
		const scope = `repository:${repo}:pull,push`;
		if (tokens.has(scope)) return tokens.get(scope);
		const realm = new URL(challenge.realm);
		if (challenge.service) realm.searchParams.set('service', challenge.service);
		realm.searchParams.set('scope', scope);
		const response = await send('GET', realm.href, {headers: username === undefined ? {} : {Authorization: basicAuth(username, password)}});
		if (response.status !== 200) throw new RegistryError(`GET ${realm.href}: ${registryMessage(response)}`);
		const body = JSON.parse(response.body.toString('utf8'));
		tokens.set(scope, body.token ?? body.access_token);
		return tokens.get(scope);
	}

	async function authorization(repo) {
		const {scheme} = await ping();
		if (scheme === 'bearer') return `Bearer ${await token(repo)}`;
		if (scheme === 'basic' && username !== undefined) return basicAuth(username, password);
		return undefined;
	}

	async function call(method, repo, target, {headers = {}, body, length} = {}) {
		const auth = await authorization(repo);
		return send(method, new URL(target, root).href, {headers: {...headers, ...(auth ? {Authorization: auth} : {})}, body, length});
	}

	const expect = (response, statuses) => {
		if (!statuses.includes(response.status)) throw new RegistryError(registryMessage(response));
		return response;
	};

	return {
		/** The manifest at a tag or digest as stored, or undefined when there is none. */
		async getManifest(repo, ref) {
			const response = await call('GET', repo, `/v2/${repo}/manifests/${ref}`, {headers: {Accept: acceptManifests}});
			if (response.status === 404) return undefined;
			expect(response, [200]);
			const json = JSON.parse(response.body.toString('utf8'));
			const mediaType = json.mediaType ?? response.headers['content-type'];
			const digest = response.headers['docker-content-digest'] ?? `sha256:${createHash('sha256').update(response.body).digest('hex')}`;
			return {mediaType, body: response.body, json, digest, size: response.body.length};
		},
		async getBlob(repo, digest) {
			return expect(await call('GET', repo, `/v2/${repo}/blobs/${digest}`), [200]).body;
		},
		/** False also when the registry refuses to say: the upload that follows reports why. */
		async hasBlob(repo, digest) {
			return (await call('HEAD', repo, `/v2/${repo}/blobs/${digest}`)).status === 200;
		},
		/** `content`: a Buffer, or a readable stream of `size` bytes. */
		async uploadBlob(repo, digest, size, content) {
			const started = expect(await call('POST', repo, `/v2/${repo}/blobs/uploads/`, {length: 0}), [202]);
			const location = new URL(started.headers.location, root);
			location.searchParams.set('digest', digest);
			expect(
				await call('PUT', repo, location.href, {headers: {'Content-Type': 'application/octet-stream'}, body: content, length: size}),
				[201],
			);
		},
		async putManifest(repo, ref, mediaType, bytes) {
			const response = expect(
				await call('PUT', repo, `/v2/${repo}/manifests/${ref}`, {headers: {'Content-Type': mediaType}, body: bytes}),
				[201],
			);
			return response.headers['docker-content-digest'];
		},
	};
}
