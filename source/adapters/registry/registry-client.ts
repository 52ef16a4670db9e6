// Reads tags from an OCI distribution registry the way multi-arch needs (§9.1): every manifest
// request sends all four manifest types in Accept, a list's children are read for their config
// digests, a single image's platform comes from its config blob, attestations are skipped.
// Manifests and configs are content-addressed, so each digest is fetched once per client.
import {setMaxListeners} from 'node:events';
import {type WizardError, isWizardError} from '../../domain/shared/wizard-error.js';
import {manifestAccept, parseConfigPlatform, parseManifest, type ListEntry, type ParsedManifest} from '../../domain/registry/manifest.js';
import type {RegistryEndpoint} from '../../domain/registry/location.js';
import {registryEnvironment} from '../../domain/registry/location.js';
import type {ArchImage, ReadTarget, RegistryAccessError, TagState, TargetTag} from '../../domain/registry/tag-state.js';
import {platformKey, tagKey} from '../../domain/registry/tag-state.js';
import type {Secret} from '../../domain/shared/secret.js';
import {RegistryAuth, type AuthScheme} from './registry-auth.js';
import {describeFailure, type Peer} from './registry-errors.js';
import {createHttp, isFailure, type Http, type HttpRequest, type HttpResponse, type HttpSettings} from './registry-http.js';

export type RegistryClientOptions = Omit<HttpSettings, 'tls'> & {endpoint: RegistryEndpoint; password?: Secret; now?: () => number};

export type ReadProgress = {done: number; total: number; elapsedMs: number};

export type ReadTagsOptions = {signal?: AbortSignal; onProgress?: (progress: ReadProgress) => void};

/** Failures that mean the registry itself cannot be used, not just one tag. */
const fatalKinds = new Set<RegistryAccessError['kind']>([
	'registry-unreachable',
	'registry-dns',
	'registry-tls',
	'registry-aborted',
	'registry-connection-reset',
	'registry-timeout',
]);

type Sent = HttpResponse | RegistryAccessError;

export function registryPeer(endpoint: RegistryEndpoint): Peer {
	const {credential} = endpoint;
	return {
		what: 'the registry',
		url: endpoint.url,
		username: credential.username,
		credentialHint:
			credential.source === 'config'
				? 'externalImageRepoUsername / externalImageRepoPassword in clusterConfig.yaml, or set ' +
					`${registryEnvironment.registryUser} / ${registryEnvironment.registryPassword}`
				: `set ${registryEnvironment.registryUser} and ${registryEnvironment.registryPassword}`,
		caFile: endpoint.tls.mode === 'ca-file' ? endpoint.tls.caFile : undefined,
	};
}

const encodePath = (repository: string) =>
	repository
		.split('/')
		.map(segment => encodeURIComponent(segment))
		.join('/');
const pullScope = (repository: string) => `repository:${repository}:pull`;

/**
 * A tag the registry answered for but sent nothing usable (a damaged manifest, an HTML page, more
 * than the cap): the URL is right, so the next step is about the tag itself.
 */
function unreadableTag(error: RegistryAccessError): TagState {
	return error.kind === 'registry-protocol'
		? {
				kind: 'unreadable',
				error: {
					...error,
					hint: 'Inspect the tag (skopeo inspect --raw docker://REPOSITORY:TAG), then push its image again or delete the tag; until then the plan counts it as pending, not absent.',
				},
			}
		: {kind: 'unreadable', error};
}

export class RegistryClient {
	readonly http: Http;
	readonly auth: RegistryAuth;
	readonly #endpoint: RegistryEndpoint;
	readonly #peer: Peer;
	readonly #manifests = new Map<string, Promise<ParsedManifest | RegistryAccessError>>();
	readonly #configs = new Map<string, Promise<Partial<ArchImage> | RegistryAccessError>>();
	readonly #concurrency: number;
	readonly #now: () => number;

	constructor(http: Http, options: RegistryClientOptions) {
		this.http = http;
		this.#endpoint = options.endpoint;
		this.#peer = registryPeer(options.endpoint);
		this.#concurrency = options.concurrency ?? 8;
		this.#now = options.now ?? Date.now;
		this.auth = new RegistryAuth(
			http,
			this.#peer,
			{username: options.endpoint.credential.username, password: options.password, plainHttpElsewhere: options.endpoint.insecure},
			this.#now,
		);
	}

	/** Sends with whatever login the registry asks for; a 401 is retried once with the answer to its challenge. */
	async send(call: Omit<HttpRequest, 'url'> & {path: string}, scopes: string[]): Promise<Sent> {
		for (let attempt = 0; ; attempt++) {
			const authorization = await this.auth.header(scopes, call.signal);
			if (isWizardError(authorization)) {
				return authorization;
			}

			const headers = {...call.headers, ...(authorization ? {authorization} : {})};
			const response = await this.http.send({...call, url: `${this.#endpoint.url}${call.path}`, headers});
			if (isFailure(response)) {
				return describeFailure(response, this.#peer);
			}

			if (response.status !== 401) {
				this.auth.scheme ??= 'none';
				return response;
			}

			const next = await this.auth.challenged(
				response.headers['www-authenticate'],
				scopes,
				{final: attempt > 0, sent: authorization},
				call.signal,
			);
			if (next !== 'retry') {
				return next;
			}
		}
	}

	/** `GET /v2/`: is this a registry, and does the login work. */
	async ping(signal?: AbortSignal): Promise<{auth: AuthScheme} | RegistryAccessError> {
		const response = await this.send({method: 'GET', path: '/v2/', signal}, []);
		if (isWizardError(response)) {
			return response;
		}

		if (response.status === 404) {
			return {
				...describeFailure({type: 'status', status: 404}, this.#peer),
				message: `${this.#endpoint.url} does not serve the registry API (/v2/ answered 404).`,
				hint: "Check the URL: the registry's host and port, without a path.",
			};
		}

		return response.status === 200
			? {auth: this.auth.scheme ?? 'none'}
			: describeFailure({type: 'status', status: response.status}, this.#peer);
	}

	/** HEAD: does the tag exist, and under which digest. */
	async exists(target: TargetTag, signal?: AbortSignal): Promise<{digest?: string; mediaType?: string} | undefined | RegistryAccessError> {
		const response = await this.send(
			{
				method: 'HEAD',
				path: `/v2/${encodePath(target.repository)}/manifests/${encodeURIComponent(target.tag)}`,
				headers: {accept: manifestAccept},
				signal,
			},
			[pullScope(target.repository)],
		);
		if (isWizardError(response)) {
			return response;
		}

		if (response.status === 404) {
			return undefined;
		}

		return response.status === 200
			? {digest: response.headers['docker-content-digest'], mediaType: response.headers['content-type']}
			: describeFailure({type: 'status', status: response.status}, {...this.#peer, url: `${this.#endpoint.url}/v2/${target.repository}`});
	}

	/** Every tag of a repository (`tags/list`, following `Link` pages); empty when the repository does not exist. */
	async listTags(repository: string, signal?: AbortSignal): Promise<string[] | RegistryAccessError> {
		const tags: string[] = [];
		let path: string | undefined = `/v2/${encodePath(repository)}/tags/list`;
		for (let page = 0; path && page < 100; page++) {
			const response = await this.send({method: 'GET', path, signal, maxBytes: 16_777_216}, [pullScope(repository)]);
			if (isWizardError(response)) {
				return response;
			}

			if (response.status === 404) {
				return tags;
			}

			if (response.status !== 200) {
				return describeFailure({type: 'status', status: response.status}, {...this.#peer, url: `${this.#endpoint.url}${path}`});
			}

			try {
				const body = JSON.parse(response.text) as {tags?: unknown};
				tags.push(...(Array.isArray(body.tags) ? body.tags.filter((tag): tag is string => typeof tag === 'string') : []));
			} catch {
				return describeFailure({type: 'protocol', reason: 'the tag list is not JSON'}, this.#peer);
			}

			path = /<([^>]+)>;\s*rel="next"/.exec(response.headers['link'] ?? '')?.[1];
		}

		return tags;
	}

	async #manifest(
		repository: string,
		reference: string,
		signal?: AbortSignal,
	): Promise<(ParsedManifest & {digest?: string}) | 'absent' | RegistryAccessError> {
		const response = await this.send(
			{
				method: 'GET',
				path: `/v2/${encodePath(repository)}/manifests/${encodeURIComponent(reference)}`,
				headers: {accept: manifestAccept},
				signal,
			},
			[pullScope(repository)],
		);
		if (isWizardError(response)) {
			return response;
		}

		const peer = {...this.#peer, url: `${this.#endpoint.url}/v2/${repository}/manifests/${reference}`};
		if (response.status === 404) {
			return 'absent';
		}

		if (response.status !== 200) {
			return describeFailure({type: 'status', status: response.status}, peer);
		}

		const parsed = parseManifest(response.text, response.headers['content-type']);
		return parsed.kind === 'invalid'
			? describeFailure({type: 'protocol', reason: parsed.reason}, peer)
			: {...parsed, digest: response.headers['docker-content-digest']};
	}

	async #child(repository: string, entry: ListEntry, signal?: AbortSignal): Promise<ArchImage | RegistryAccessError> {
		let cached = this.#manifests.get(entry.digest);
		if (!cached) {
			cached = this.#manifest(repository, entry.digest, signal).then(result =>
				result === 'absent'
					? describeFailure({type: 'protocol', reason: `the list names ${entry.digest}, which the registry does not have`}, this.#peer)
					: result,
			);
			this.#manifests.set(entry.digest, cached);
		}

		const child = await cached;
		if (isWizardError(child)) {
			return child;
		}

		const configDigest = child.kind === 'image' ? child.configDigest : undefined;
		return {arch: entry.architecture, os: entry.os, variant: entry.variant, manifestDigest: entry.digest, configDigest};
	}

	async #platform(repository: string, configDigest: string, signal?: AbortSignal): Promise<Partial<ArchImage> | RegistryAccessError> {
		let cached = this.#configs.get(configDigest);
		if (!cached) {
			cached = this.send({method: 'GET', path: `/v2/${encodePath(repository)}/blobs/${configDigest}`, signal}, [
				pullScope(repository),
			]).then(response => {
				if (isWizardError(response)) {
					return response;
				}

				const platform = response.status === 200 ? parseConfigPlatform(response.text) : undefined;
				return platform?.architecture
					? {arch: platform.architecture, os: platform.os, variant: platform.variant}
					: describeFailure(
							response.status === 200
								? {type: 'protocol', reason: `config ${configDigest} names no architecture`}
								: {type: 'status', status: response.status},
							{...this.#peer, url: `${this.#endpoint.url}/v2/${repository}/blobs/${configDigest}`},
						);
			});
			this.#configs.set(configDigest, cached);
		}

		return cached;
	}

	/** What one tag holds; never throws: a failure is an `unreadable` state with its cause. */
	async readTag(target: ReadTarget, signal?: AbortSignal): Promise<TagState> {
		const manifest = await this.#manifest(target.repository, target.tag, signal);
		if (manifest === 'absent') {
			return {kind: 'absent'};
		}

		if (isWizardError(manifest)) {
			return unreadableTag(manifest);
		}

		if (manifest.kind === 'list') {
			const wanted = target.images ? new Set(target.images.map(image => platformKey(image))) : undefined;
			const images = await Promise.all(
				manifest.entries.map(async entry =>
					wanted && !wanted.has(platformKey({arch: entry.architecture, os: entry.os}))
						? {arch: entry.architecture, os: entry.os, variant: entry.variant, manifestDigest: entry.digest}
						: this.#child(target.repository, entry, signal),
				),
			);
			const failed = images.find(image => isWizardError(image));
			return failed && isWizardError(failed)
				? unreadableTag(failed)
				: {kind: 'list', manifestDigest: manifest.digest ?? '', mediaType: manifest.mediaType, images: images as ArchImage[]};
		}

		if (manifest.kind !== 'image') {
			return unreadableTag(describeFailure({type: 'protocol', reason: 'an invalid manifest'}, this.#peer));
		}

		const known = target.images?.find(image => image.configDigest !== undefined && image.configDigest === manifest.configDigest);
		const platform = known
			? {arch: known.arch, os: known.os}
			: manifest.configDigest
				? await this.#platform(target.repository, manifest.configDigest, signal)
				: {arch: manifest.inlineArch ?? 'unknown'};
		if (isWizardError(platform)) {
			return unreadableTag(platform);
		}

		return {
			kind: 'image',
			manifestDigest: manifest.digest ?? '',
			mediaType: manifest.mediaType,
			image: {
				arch: platform.arch ?? 'unknown',
				os: platform.os,
				variant: platform.variant,
				manifestDigest: manifest.digest,
				configDigest: manifest.configDigest,
			},
		};
	}

	/**
	 * Reads every target with a pool of workers. A failure that means the registry cannot be
	 * reached (refused, DNS, TLS, resets and timeouts after retries) stops the read and is returned.
	 */
	async readTags(targets: ReadTarget[], options: ReadTagsOptions = {}): Promise<Map<string, TagState> | RegistryAccessError> {
		const states = new Map<string, TagState>();
		const started = this.#now();
		const stop = new AbortController();
		const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
		// Every request in flight listens to it: a list's children are read side by side.
		setMaxListeners(this.#concurrency * 8, signal);
		let next = 0;
		let fatal: RegistryAccessError | undefined;
		const worker = async () => {
			while (next < targets.length && !fatal && !signal.aborted) {
				const target = targets[next++]!;
				const state = await this.readTag(target, signal);
				if (state.kind === 'unreadable' && fatalKinds.has((state.error as RegistryAccessError).kind)) {
					fatal ??= state.error as RegistryAccessError;
					stop.abort();
					return;
				}

				states.set(tagKey(target), state);
				options.onProgress?.({done: states.size, total: targets.length, elapsedMs: this.#now() - started});
			}
		};

		await Promise.all(Array.from({length: Math.min(this.#concurrency, targets.length)}, worker));
		if (options.signal?.aborted) {
			return describeFailure({type: 'network', code: 'ABORT_ERR', message: 'aborted'}, this.#peer);
		}

		return fatal ?? states;
	}

	async close(): Promise<void> {
		await this.http.close();
	}
}

export async function openRegistryClient(options: RegistryClientOptions): Promise<RegistryClient | WizardError> {
	const http = await createHttp({...options, tls: options.endpoint.tls});
	return 'send' in http ? new RegistryClient(http, options) : http;
}
