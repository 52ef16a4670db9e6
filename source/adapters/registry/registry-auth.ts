// Logs in to a registry the way its `WWW-Authenticate` challenge asks (§9.1, distribution's
// docs/spec/auth/token.md): Basic sent on every request once the registry asked for it, or
// Bearer tokens from the challenge's realm, one per scope set, cached until `expires_in` and
// shared by concurrent requests. A token that grants fewer scopes than asked is used as it is;
// the registry's answer for that repository then says what was not allowed.
import {challengeScopes, chooseChallenge, parseAuthChallenges, type AuthChallenge} from '../../domain/registry/auth-challenge.js';
import type {RegistryAccessError} from '../../domain/registry/tag-state.js';
import type {Secret} from '../../domain/shared/secret.js';
import {describeFailure, type Peer} from './registry-errors.js';
import {isFailure, type Http} from './registry-http.js';

export type Login = {
	username?: string;
	password?: Secret;
	/** `--registry-insecure`: the login may go over plain HTTP to a token service of another origin. */
	plainHttpElsewhere?: boolean;
};

type Token = {value: string; expiresAt: number};

const sentenceStart = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Renew a little before the registry would refuse the token. */
const expiryMarginMs = (lifetimeMs: number) => Math.min(10_000, lifetimeMs / 10);
const defaultLifetimeS = 60;

export type AuthScheme = 'none' | 'basic' | 'bearer';

export class RegistryAuth {
	scheme: AuthScheme | undefined;
	tokenRequests = 0;
	readonly #http: Http;
	readonly #peer: Peer;
	readonly #login: Login;
	readonly #now: () => number;
	#bearer: {realm: string; service?: string} | undefined;
	/** Where the login goes for tokens when that is not the registry's own origin: the plan says so. */
	tokenOrigin: string | undefined;
	readonly #tokens = new Map<string, Promise<Token | RegistryAccessError>>();

	constructor(http: Http, peer: Peer, login: Login, now: () => number = Date.now) {
		this.#http = http;
		this.#peer = peer;
		this.#login = login;
		this.#now = now;
	}

	get #basic(): string | undefined {
		const {username, password} = this.#login;
		return username === undefined ? undefined : `Basic ${Buffer.from(`${username}:${password?.reveal() ?? ''}`).toString('base64')}`;
	}

	/** The Authorization header for a request needing `scopes`; fetches a token first when Bearer is known. */
	async header(scopes: string[], signal?: AbortSignal): Promise<string | undefined | RegistryAccessError> {
		if (this.scheme === 'basic') {
			return this.#basic;
		}

		if (this.scheme !== 'bearer') {
			return undefined;
		}

		const token = await this.#token(scopes, signal);
		return 'value' in token ? `Bearer ${token.value}` : token;
	}

	/**
	 * After a 401: learns the challenge and says whether sending again can help. `final` is set for
	 * the 401 that answers a login already sent: the registry's last word, wrong password or a
	 * scope not granted. `sent` is the Authorization this request carried: concurrent requests
	 * may have left before the scheme was known.
	 */
	async challenged(
		header: string | undefined,
		scopes: string[],
		request: {final: boolean; sent?: string},
		signal?: AbortSignal,
	): Promise<'retry' | RegistryAccessError> {
		const {final} = request;
		const challenge = chooseChallenge(parseAuthChallenges(header));
		if (!challenge) {
			return describeFailure({type: 'status', status: 401, detail: 'no WWW-Authenticate challenge'}, this.#peer);
		}

		if (challenge.scheme === 'basic') {
			if (final || this.#login.username === undefined) {
				return describeFailure({type: 'status', status: 401}, this.#peer);
			}

			this.scheme = 'basic';
			return 'retry';
		}

		if (challenge.scheme !== 'bearer' || !challenge.params['realm']) {
			return describeFailure(
				{type: 'protocol', reason: `an authentication scheme the wizard cannot answer (${challenge.scheme})`},
				this.#peer,
			);
		}

		return this.#bearerChallenge(challenge, scopes, {final, sentToken: request.sent?.startsWith('Bearer ') ?? false}, signal);
	}

	async #bearerChallenge(
		challenge: AuthChallenge,
		scopes: string[],
		{final, sentToken}: {final: boolean; sentToken: boolean},
		signal?: AbortSignal,
	): Promise<'retry' | RegistryAccessError> {
		const wanted = [...new Set([...scopes, ...challengeScopes(challenge)])].sort();
		const key = wanted.join(' ');
		if (sentToken && challenge.params['error'] === 'insufficient_scope') {
			const who = this.#login.username ? `user "${this.#login.username}"` : 'an anonymous client';
			return {
				...describeFailure({type: 'status', status: 403}, this.#peer),
				message: `${this.#peer.what.replace(/^the/, 'The')} at ${this.#peer.url} did not grant ${who} ${wanted.join(' ') || 'access'} (insufficient_scope).`,
			};
		}

		if (final) {
			return describeFailure({type: 'status', status: 401, detail: challenge.params['error'] ?? 'the token was refused'}, this.#peer);
		}

		const refusal = this.#refuseRealm(challenge.params['realm']!);
		if (refusal) {
			return refusal;
		}

		// A token refused as invalid (expired early, or by a clock ahead of ours) is fetched anew.
		this.#tokens.delete(key);
		this.scheme = 'bearer';
		this.#bearer = {realm: challenge.params['realm']!, service: challenge.params['service']};
		const token = await this.#token(wanted, signal);
		return 'value' in token ? 'retry' : token;
	}

	/**
	 * A realm on another origin gets the login too (that is how token services work), so the plan
	 * names it; over plain HTTP to another origin the password would cross the network in clear to
	 * a host the operator never named, so it is refused unless `--registry-insecure` says otherwise.
	 */
	#refuseRealm(realm: string): RegistryAccessError | undefined {
		let url: URL;
		try {
			url = new URL(realm);
		} catch {
			return describeFailure({type: 'protocol', reason: `a token realm that is not a URL (${realm.slice(0, 80)})`}, this.#peer);
		}

		const own = new URL(this.#peer.url).origin;
		if (url.origin === own || this.#login.username === undefined) {
			return undefined;
		}

		this.tokenOrigin = url.origin;
		if (url.protocol !== 'http:' || this.#login.plainHttpElsewhere) {
			return undefined;
		}

		return {
			...describeFailure({type: 'status', status: 401, detail: 'login withheld'}, this.#peer),
			message: `${sentenceStart(this.#peer.what)} at ${this.#peer.url} asks for user "${this.#login.username}"'s password to be sent to ${url.origin}, another origin, over plain HTTP; the wizard did not send it.`,
			hint: `If that token service is the registry's own, pass --registry-insecure to allow it (the plan says so); otherwise check the registry's token configuration.`,
		};
	}

	async #token(scopes: string[], signal?: AbortSignal): Promise<Token | RegistryAccessError> {
		const key = [...scopes].sort().join(' ');
		const cached = this.#tokens.get(key);
		if (cached) {
			const token = await cached;
			if (!('value' in token) || token.expiresAt > this.#now()) {
				return token;
			}
		}

		const fetching = this.#fetchToken(scopes, signal);
		this.#tokens.set(key, fetching);
		const token = await fetching;
		if (!('value' in token)) {
			// A failed fetch is not cached: the next request asks again.
			this.#tokens.delete(key);
		}

		return token;
	}

	async #fetchToken(scopes: string[], signal?: AbortSignal): Promise<Token | RegistryAccessError> {
		const {realm, service} = this.#bearer!;
		const url = new URL(realm);
		if (service) {
			url.searchParams.set('service', service);
		}

		for (const scope of scopes) {
			url.searchParams.append('scope', scope);
		}

		const peer: Peer = {...this.#peer, what: `the token service of ${this.#peer.what}`, url: url.origin + url.pathname};
		this.tokenRequests++;
		const basic = this.#basic;
		const started = this.#now();
		const response = await this.#http.send({
			method: 'GET',
			url: url.href,
			headers: basic ? {authorization: basic} : {},
			signal,
			maxBytes: 1_048_576,
		});
		if (isFailure(response)) {
			return describeFailure(response, peer);
		}

		if (response.status !== 200) {
			return describeFailure({type: 'status', status: response.status}, peer);
		}

		try {
			const body = JSON.parse(response.text) as {token?: unknown; access_token?: unknown; expires_in?: unknown};
			const value = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
			if (!value) {
				return describeFailure({type: 'protocol', reason: 'the token answer holds no token'}, peer);
			}

			const lifetimeMs = (typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : defaultLifetimeS) * 1000;
			return {value, expiresAt: started + lifetimeMs - expiryMarginMs(lifetimeMs)};
		} catch {
			return describeFailure({type: 'protocol', reason: 'the token answer is not JSON'}, peer);
		}
	}
}
