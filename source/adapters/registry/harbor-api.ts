// Harbor's REST API (§6, §9.2) for what a plain registry does not have: projects ("registry
// spaces") and a repository's artifacts with their platforms. Basic auth on every call, as
// kubean and the Harbor docs do; the same keep-alive connections as the registry reads.
import type {RegistryAccessError} from '../../domain/registry/tag-state.js';
import type {Secret} from '../../domain/shared/secret.js';
import {describeFailure, type Peer} from './registry-errors.js';
import {isFailure, type Http, type HttpRequest, type HttpResponse} from './registry-http.js';
import {isWizardError} from '../../domain/shared/wizard-error.js';

export type ProjectCreation = {name: string; outcome: 'created' | 'exists'};

export type HarborArtifact = {
	digest: string;
	mediaType?: string;
	tags: string[];
	/** From `references[]` for an index, from `extra_attrs` for a single image. */
	platforms: Array<{architecture: string; os?: string; variant?: string}>;
};

/** Harbor reads a repository name with `/` only when it is encoded twice (`a/b` → `a%252Fb`). */
export function encodeRepositoryName(name: string): string {
	return encodeURIComponent(encodeURIComponent(name));
}

/** The first message of Harbor's `{"errors":[{"code","message"}]}`. */
function harborMessage(text: string): string | undefined {
	try {
		const body = JSON.parse(text) as {errors?: Array<{message?: unknown}>};
		const message = body.errors?.[0]?.message;
		return typeof message === 'string' ? message : undefined;
	} catch {
		return undefined;
	}
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function platformsOf(artifact: Json): HarborArtifact['platforms'] {
	const references = Array.isArray(artifact['references']) ? artifact['references'] : [];
	const fromReferences = references.flatMap(reference => {
		const platform = isObject(reference) && isObject(reference['platform']) ? reference['platform'] : undefined;
		const architecture = typeof platform?.['architecture'] === 'string' ? platform['architecture'] : undefined;
		return architecture && architecture !== 'unknown'
			? [{architecture, os: platform?.['os'] as string | undefined, variant: platform?.['variant'] as string | undefined}]
			: [];
	});
	if (fromReferences.length > 0 || references.length > 0) {
		return fromReferences;
	}

	const extra = isObject(artifact['extra_attrs']) ? artifact['extra_attrs'] : {};
	return typeof extra['architecture'] === 'string' ? [{architecture: extra['architecture'], os: extra['os'] as string | undefined}] : [];
}

export class HarborApi {
	readonly #http: Http;
	readonly #base: string;
	readonly #peer: Peer;
	readonly #authorization: string | undefined;

	constructor(http: Http, registryUrl: string, peer: Peer, login: {username?: string; password?: Secret}) {
		this.#http = http;
		this.#base = `${registryUrl}/api/v2.0`;
		this.#peer = {...peer, what: 'the Harbor API'};
		this.#authorization =
			login.username === undefined
				? undefined
				: `Basic ${Buffer.from(`${login.username}:${login.password?.reveal() ?? ''}`).toString('base64')}`;
	}

	async #send(call: Omit<HttpRequest, 'url'> & {path: string}): Promise<HttpResponse | RegistryAccessError> {
		const headers = {accept: 'application/json', ...call.headers, ...(this.#authorization ? {authorization: this.#authorization} : {})};
		const response = await this.#http.send({...call, url: `${this.#base}${call.path}`, headers});
		return isFailure(response) ? describeFailure(response, {...this.#peer, url: `${this.#base}${call.path.split('?')[0]}`}) : response;
	}

	#fail(response: HttpResponse, path: string): RegistryAccessError {
		return describeFailure(
			{type: 'status', status: response.status, detail: harborMessage(response.text)},
			{...this.#peer, url: `${this.#base}${path.split('?')[0]}`},
		);
	}

	/** `GET /api/v2.0/ping` answers "Pong" on Harbor; anything else is not Harbor. */
	async detect(signal?: AbortSignal): Promise<boolean | RegistryAccessError> {
		const response = await this.#send({method: 'GET', path: '/ping', signal, maxBytes: 65_536});
		if (isWizardError(response)) {
			return response.kind === 'registry-protocol' ? false : response;
		}

		return response.status === 200 && /^\s*"?pong"?\s*$/i.test(response.text);
	}

	async projectExists(name: string, signal?: AbortSignal): Promise<boolean | RegistryAccessError> {
		const path = `/projects?project_name=${encodeURIComponent(name)}`;
		const response = await this.#send({method: 'HEAD', path, signal});
		if (isWizardError(response)) {
			return response;
		}

		if (response.status === 200 || response.status === 404) {
			return response.status === 200;
		}

		return this.#fail(response, path);
	}

	/** 201 created; 409 means it exists, which is what was wanted; 403 names the account without rights. */
	async createProject(name: string, signal?: AbortSignal): Promise<ProjectCreation | RegistryAccessError> {
		const body = JSON.stringify({project_name: name, metadata: {public: 'true'}});
		const response = await this.#send({method: 'POST', path: '/projects', body, headers: {'content-type': 'application/json'}, signal});
		if (isWizardError(response)) {
			return response;
		}

		if (response.status === 201 || response.status === 409) {
			return {name, outcome: response.status === 201 ? 'created' : 'exists'};
		}

		const failure = this.#fail(response, '/projects');
		if (response.status === 403) {
			const who = this.#peer.username ? `user "${this.#peer.username}"` : 'an anonymous client';
			return {
				...failure,
				message: `Harbor refused to create project "${name}" for ${who} (403): creating projects needs a Harbor administrator, or project creation open to all users.`,
			};
		}

		return failure;
	}

	/** Every artifact of one repository, all pages. `repository` is the name inside the project. */
	async listArtifacts(project: string, repository: string, signal?: AbortSignal): Promise<HarborArtifact[] | RegistryAccessError> {
		const artifacts: HarborArtifact[] = [];
		const pageSize = 100;
		for (let page = 1; ; page++) {
			const path = `/projects/${encodeURIComponent(project)}/repositories/${encodeRepositoryName(repository)}/artifacts?with_tag=true&page_size=${pageSize}&page=${page}`;
			const response = await this.#send({method: 'GET', path, signal, maxBytes: 16_777_216});
			if (isWizardError(response)) {
				return response;
			}

			if (response.status !== 200) {
				return this.#fail(response, path);
			}

			let items: unknown;
			try {
				items = JSON.parse(response.text);
			} catch {
				return describeFailure({type: 'protocol', reason: 'the artifact list is not JSON'}, this.#peer);
			}

			const list = Array.isArray(items) ? items.filter(item => isObject(item)) : [];
			for (const item of list) {
				const tags = Array.isArray(item['tags'])
					? item['tags'].flatMap(tag => (isObject(tag) && typeof tag['name'] === 'string' ? [tag['name']] : []))
					: [];
				artifacts.push({
					digest: String(item['digest'] ?? ''),
					mediaType: item['media_type'] as string | undefined,
					tags,
					platforms: platformsOf(item),
				});
			}

			const total = Number(response.headers['x-total-count']);
			const more = Number.isFinite(total) ? page * pageSize < total : /rel="next"/.test(response.headers['link'] ?? '');
			if (!more || list.length === 0) {
				return artifacts;
			}
		}
	}
}
