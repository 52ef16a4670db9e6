// Filling a docker-registry for the registry benchmarks (scripts/bench-registry.ts, scripts/bench-undo.ts):
// 10 tags per repository, 80 % two-arch Docker lists (amd64 + arm64), 20 % single amd64 images,
// every image with its own config; 10 % of the indexes are left absent.
import {createHash} from 'node:crypto';
import {mediaTypes} from '../source/domain/registry/manifest.js';
import type {TokenServer} from '../test/helpers/registry-fixtures.js';
import type {TestRegistry} from '../test/helpers/registry.js';

export const tagsPerRepository = 10;
export const sha = (data: string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
export const configOf = (index: number, arch: string) =>
	JSON.stringify({
		architecture: arch,
		os: 'linux',
		config: {Labels: {index: String(index)}},
		rootfs: {type: 'layers', diff_ids: [sha('layer')]},
	});
export const repositoryOf = (index: number) => `release.daocloud.io/bench/r${Math.floor(index / tagsPerRepository)}`;
export const tagOf = (index: number) => `v${index}`;
export const isList = (index: number) => index % 5 !== 0;
export const isAbsent = (index: number) => index % 10 === 9;

// ---- populating ------------------------------------------------------------------------------------
/** `auth` gives the Authorization header for a repository: Basic, or a push token per repository. */
export type Filler = {registry: TestRegistry; auth: (repository: string) => Promise<string | undefined>};

export async function call(filler: Filler, method: string, pathAndQuery: string, body?: string, contentType?: string): Promise<Response> {
	const repository = /^\/v2\/(.+?)\/(?:blobs|manifests)\//.exec(pathAndQuery)?.[1] ?? '';
	const authorization = await filler.auth(repository);
	const response = await fetch(`${filler.registry.url}${pathAndQuery}`, {
		method,
		body,
		headers: {...(authorization ? {authorization} : {}), ...(contentType ? {'content-type': contentType} : {})},
	});
	if (response.status >= 300) {
		throw new Error(`${method} ${pathAndQuery} answered ${response.status}: ${await response.text()}`);
	}

	await response.arrayBuffer();
	return response;
}

export async function putBlob(filler: Filler, repository: string, content: string): Promise<{digest: string; size: number}> {
	const digest = sha(content);
	const started = await call(filler, 'POST', `/v2/${repository}/blobs/uploads/`);
	const location = new URL(started.headers.get('location')!, filler.registry.url);
	location.searchParams.set('digest', digest);
	await call(filler, 'PUT', location.pathname + location.search, content, 'application/octet-stream');
	return {digest, size: Buffer.byteLength(content)};
}

async function putImage(
	filler: Filler,
	repository: string,
	index: number,
	arch: string,
	layer: {digest: string; size: number},
	reference?: string,
) {
	const config = await putBlob(filler, repository, configOf(index, arch));
	const manifest = JSON.stringify({
		schemaVersion: 2,
		mediaType: mediaTypes.dockerManifest,
		config: {mediaType: 'application/vnd.docker.container.image.v1+json', ...config},
		layers: [{mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', ...layer}],
	});
	const digest = sha(manifest);
	await call(filler, 'PUT', `/v2/${repository}/manifests/${reference ?? digest}`, manifest, mediaTypes.dockerManifest);
	return {digest, size: Buffer.byteLength(manifest)};
}

async function populateTag(filler: Filler, index: number, layer: {digest: string; size: number}): Promise<void> {
	const repository = repositoryOf(index);
	if (!isList(index)) {
		await putImage(filler, repository, index, 'amd64', layer, tagOf(index));
		return;
	}

	const children = [await putImage(filler, repository, index, 'amd64', layer), await putImage(filler, repository, index, 'arm64', layer)];
	const list = JSON.stringify({
		schemaVersion: 2,
		mediaType: mediaTypes.dockerList,
		manifests: children.map((child, position) => ({
			mediaType: mediaTypes.dockerManifest,
			...child,
			platform: {architecture: position === 0 ? 'amd64' : 'arm64', os: 'linux'},
		})),
	});
	await call(filler, 'PUT', `/v2/${repository}/manifests/${tagOf(index)}`, list, mediaTypes.dockerList);
}

/** One worker per repository at a time: its layer blob is uploaded once, then its tags. */
export async function populate(filler: Filler, count: number, concurrency: number): Promise<number> {
	const started = performance.now();
	const repositories = Math.ceil(count / tagsPerRepository);
	let next = 0;
	const worker = async () => {
		while (next < repositories) {
			const first = next++ * tagsPerRepository;
			const layer = await putBlob(filler, repositoryOf(first), 'layer');
			for (let index = first; index < Math.min(first + tagsPerRepository, count); index++) {
				if (!isAbsent(index)) {
					await populateTag(filler, index, layer);
				}
			}
		}
	};

	await Promise.all(Array.from({length: concurrency}, worker));
	return (performance.now() - started) / 1000;
}

/** Push tokens for filling a Bearer registry, one per repository, cached. */
export function pushTokens(tokens: TokenServer): Filler['auth'] {
	const cache = new Map<string, Promise<string>>();
	return async repository => {
		let token = cache.get(repository);
		if (!token) {
			const url = new URL(tokens.realm);
			url.searchParams.set('service', tokens.service);
			url.searchParams.set('scope', `repository:${repository}:pull,push`);
			token = fetch(url, {headers: {authorization: `Basic ${Buffer.from('tester:S3cret-pass').toString('base64')}`}}).then(
				async response => `Bearer ${((await response.json()) as {token: string}).token}`,
			);
			cache.set(repository, token);
		}

		return token;
	};
}
