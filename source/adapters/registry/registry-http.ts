// HTTP for the registry clients: undici (the npm package, 7.x for Node 20) because a CA file or
// an insecure switch needs a dispatcher with TLS options, which Node 20's global fetch does not
// take and whose bundled undici cannot be imported. One Agent per endpoint keeps connections
// alive; a semaphore bounds the requests in flight; 5xx, 429 and dropped connections are retried
// with backoff (never other 4xx); every request has a timeout; bodies are read with a cap.
import {existsSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import type {Dispatcher} from 'undici';
import type * as UndiciClient from './undici-client.js';
import {exitCodes, type WizardError} from '../../domain/shared/wizard-error.js';
import type {TlsSetting} from '../../domain/registry/location.js';
import {errorCode, type Failure} from './registry-errors.js';
import {probeTcp} from './tcp-probe.js';

/** Where distributions keep the OS trust store as one PEM file (Debian/Ubuntu, RHEL, SUSE). */
export const osCaBundles = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/ca-bundle.pem'];

export type HttpSettings = {
	tls: TlsSetting;
	/** Requests in flight at most (default 8). */
	concurrency?: number;
	/** Per request: connect, headers and each body chunk (default 15 s): an idle limit. */
	timeoutMs?: number;
	/**
	 * Per request, from sending it to the last byte of its answer (default 60 s): a peer that keeps
	 * sending one byte a second never trips the idle limit, so this one ends it.
	 */
	deadlineMs?: number;
	/** Retries after the first attempt (default 3). */
	retries?: number;
	/** First backoff; doubled each retry, plus jitter (default 250 ms). */
	retryDelayMs?: number;
	/** Candidates for the OS trust store; the first that exists is used with `system-ca`. */
	caBundles?: string[];
	/** Instrumentation for tests and the bench. */
	onRequest?: (event: {phase: 'start' | 'end'; method: string; url: string; status?: number; attempt: number}) => void;
};

export type HttpRequest = {
	method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
	url: string;
	headers?: Record<string, string>;
	/** A Buffer goes as it is: a manifest put back must hash to the digest it had. */
	body?: string | Buffer;
	signal?: AbortSignal;
	/** Bytes read at most (default 4 MiB). */
	maxBytes?: number;
	/** Streams the body to this callback instead of collecting it. */
	onChunk?: (chunk: Buffer) => void;
};

/** `bytes`: the body exactly as received (a saved manifest must keep every byte). */
export type HttpResponse = {status: number; headers: Record<string, string>; text: string; bytes: Buffer};

export type Http = {
	send(request: HttpRequest): Promise<HttpResponse | Failure>;
	close(): Promise<void>;
	/** How certificates are checked, in words, for Review. */
	tlsNote: string;
	stats: {requests: number; retries: number; maxInFlight: number};
};

const retryStatuses = new Set([429, 500, 502, 503, 504]);
const retryCodes = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED']);

export const isFailure = (value: HttpResponse | Failure): value is Failure => 'type' in value;

class Semaphore {
	#free: number;
	#waiting: Array<() => void> = [];
	inFlight = 0;
	max = 0;

	constructor(size: number) {
		this.#free = size;
	}

	async acquire(): Promise<void> {
		if (this.#free > 0) {
			this.#free--;
		} else {
			await new Promise<void>(resolve => {
				this.#waiting.push(resolve);
			});
		}

		this.inFlight++;
		this.max = Math.max(this.max, this.inFlight);
	}

	release(): void {
		this.inFlight--;
		const next = this.#waiting.shift();
		if (next) {
			next();
		} else {
			this.#free++;
		}
	}
}

/** The CA list is built only when a connection is made (node:tls and Node's own list load then). */
const withRootCas = (pem: string) => async () => ({ca: [...(await import('node:tls')).rootCertificates, pem]});
const fixed = (connect: Record<string, unknown>) => async () => connect;

type Trust = {connect: () => Promise<Record<string, unknown>>; note: string};

async function trust(settings: HttpSettings): Promise<Trust | WizardError> {
	const {tls} = settings;
	if (tls.mode === 'plain-http') {
		return {connect: fixed({}), note: 'plain HTTP: nothing is encrypted'};
	}

	if (tls.mode === 'insecure') {
		return {connect: fixed({rejectUnauthorized: false}), note: 'certificates are NOT checked (--registry-insecure)'};
	}

	if (tls.mode === 'ca-file') {
		const pem = await readFile(tls.caFile, 'utf8').catch((error: NodeJS.ErrnoException) => error);
		if (typeof pem !== 'string') {
			return {
				kind: 'registry-ca-unreadable',
				message: `Cannot read the CA file ${tls.caFile} (${pem.code ?? pem.message}).`,
				hint: 'Pass --registry-ca with a readable PEM file.',
				exitCode: exitCodes.badInput,
			};
		}

		if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
			return {
				kind: 'registry-ca-invalid',
				message: `${tls.caFile} holds no PEM certificate.`,
				hint: 'Pass the CA certificate in PEM form (the text between BEGIN and END CERTIFICATE).',
				exitCode: exitCodes.badInput,
			};
		}

		return {connect: withRootCas(pem), note: `certificates checked against ${tls.caFile} and Node's CA list`};
	}

	const bundle = (settings.caBundles ?? osCaBundles).find(file => existsSync(file));
	const pem = bundle ? await readFile(bundle, 'utf8').catch(() => undefined) : undefined;
	return pem
		? {connect: withRootCas(pem), note: `certificates checked against Node's CA list and ${bundle}`}
		: {connect: fixed({}), note: "certificates checked against Node's CA list (no OS trust store found)"};
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
	const flat: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value !== undefined) {
			flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
		}
	}

	return flat;
}

/** `truncate`: an error body is only read for its first bytes, never refused for its size. */
async function readBody(
	body: Dispatcher.ResponseData['body'],
	limit: number,
	truncate: boolean,
	onChunk?: (chunk: Buffer) => void,
): Promise<Buffer | Failure> {
	const chunks: Buffer[] = [];
	let bytes = 0;
	for await (const chunk of body as AsyncIterable<Buffer>) {
		bytes += chunk.length;
		if (bytes > limit) {
			body.destroy();
			if (truncate) {
				break;
			}

			return {type: 'too-large', limit};
		}

		if (onChunk) {
			onChunk(chunk);
		} else {
			chunks.push(chunk);
		}
	}

	return Buffer.concat(chunks);
}

const sleep = async (ms: number, signal?: AbortSignal) =>
	new Promise<void>(resolve => {
		const timer = setTimeout(resolve, ms);
		signal?.addEventListener(
			'abort',
			() => {
				clearTimeout(timer);
				resolve();
			},
			{once: true},
		);
	});

function retryAfterMs(headers: Record<string, string>): number | undefined {
	const seconds = Number(headers['retry-after']);
	return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 5) * 1000 : undefined;
}

type Undici = typeof UndiciClient;
let undici: Promise<Undici> | undefined;

/**
 * undici is most of the code a command could load: only a command that sends a request loads it.
 * A caller that times the registry's answer loads it first, so its own start-up is not counted.
 */
export async function loadHttp(): Promise<Undici> {
	undici ??= import('./undici-client.js');
	return undici;
}

/**
 * undici, loaded only once a TCP connect to the URL's host got somewhere other than a refusal
 * (tcp-probe.ts): a registry that is down is told without it. Only called where the caller's
 * clock has not started, so a connect that hangs costs the probe's short window, nothing more.
 */
export async function loadHttpIfReachable(url: string): Promise<void> {
	if ((await probeTcp(url)).state !== 'refused') {
		await loadHttp();
	}
}

export async function createHttp(settings: HttpSettings): Promise<Http | WizardError> {
	const tls = await trust(settings);
	if ('kind' in tls) {
		return tls;
	}

	const concurrency = settings.concurrency ?? 8;
	const timeout = settings.timeoutMs ?? 15_000;
	type Client = {agent: InstanceType<Undici['Agent']>; dispatcher: Dispatcher; request: Undici['request']};
	let client: Promise<Client> | undefined;
	const connectClient = async (): Promise<Client> => {
		const [{Agent, interceptors, request}, connect] = await Promise.all([loadHttp(), tls.connect()]);
		const agent = new Agent({connections: concurrency, connect: {timeout, ...connect}, headersTimeout: timeout, bodyTimeout: timeout});
		// Cross-origin redirects (a blob stored in S3) drop the Authorization header in undici.
		return {agent, dispatcher: agent.compose(interceptors.redirect({maxRedirections: 3})), request};
	};

	/** The client, unless the first TCP connect to the URL's host is refused: then the refusal, as undici would give it. */
	// One probe for requests sent together; after a refusal the next request probes again.
	let probe: ReturnType<typeof probeTcp> | undefined;
	const clientFor = async (url: string, signal: AbortSignal): Promise<Client | Failure> => {
		if (!client) {
			probe ??= probeTcp(url, signal);
			const reach = await probe;
			if (reach.state === 'refused') {
				probe = undefined;
				return {type: 'network', ...errorCode(reach.error)};
			}

			client ??= connectClient();
		}

		return client;
	};

	const slots = new Semaphore(concurrency);
	const stats = {requests: 0, retries: 0, maxInFlight: 0};

	const deadlineMs = settings.deadlineMs ?? 60_000;

	async function attempt(call: HttpRequest, index: number): Promise<HttpResponse | Failure> {
		await slots.acquire();
		const deadline = AbortSignal.timeout(deadlineMs);
		const signal = call.signal ? AbortSignal.any([call.signal, deadline]) : deadline;
		stats.requests++;
		stats.maxInFlight = slots.max;
		settings.onRequest?.({phase: 'start', method: call.method, url: call.url, attempt: index});
		let status: number | undefined;
		try {
			const connected = await clientFor(call.url, signal);
			if ('type' in connected) {
				return connected;
			}

			const response = await connected.request(call.url, {
				dispatcher: connected.dispatcher,
				method: call.method,
				headers: call.headers,
				body: call.body,
				signal,
				// undici closes the connection after every HEAD unless told not to (a guard against
				// servers that send a body with it; registries do not): undo's HEADs paid a new
				// TCP connection each, most of its client and registry CPU.
				...(call.method === 'HEAD' ? {reset: false} : {}),
			});
			status = response.statusCode;
			const ok = status >= 200 && status < 300;
			const bytes = await readBody(response.body, ok ? (call.maxBytes ?? 4_194_304) : 65_536, !ok, ok ? call.onChunk : undefined);
			return Buffer.isBuffer(bytes) ? {status, headers: flatHeaders(response.headers), text: bytes.toString('utf8'), bytes} : bytes;
		} catch (error) {
			if (call.signal?.aborted) {
				return {type: 'network', code: 'ABORT_ERR', message: 'cancelled'};
			}

			if (deadline.aborted) {
				const where = new URL(call.url).pathname;
				return {
					type: 'network',
					code: 'REQUEST_DEADLINE',
					message: `the answer to ${call.method} ${where} was not complete after ${deadlineMs / 1000} s`,
				};
			}

			const {code, message} = errorCode(error);
			return {type: 'network', code, message};
		} finally {
			settings.onRequest?.({phase: 'end', method: call.method, url: call.url, status, attempt: index});
			slots.release();
		}
	}

	async function send(call: HttpRequest): Promise<HttpResponse | Failure> {
		const retries = settings.retries ?? 3;
		const base = settings.retryDelayMs ?? 250;
		for (let index = 0; ; index++) {
			const result = await attempt(call, index);
			const retryable = isFailure(result) ? result.type === 'network' && retryCodes.has(result.code) : retryStatuses.has(result.status);
			if (!retryable || index >= retries || call.signal?.aborted) {
				return !isFailure(result) && result.status >= 500
					? {type: 'status', status: result.status, detail: result.text.trim().slice(0, 120) || undefined}
					: result;
			}

			stats.retries++;
			const wait = (!isFailure(result) && retryAfterMs(result.headers)) || base * 2 ** index + Math.random() * base;
			await sleep(wait, call.signal);
		}
	}

	return {send, close: async () => (client ? (await client).agent.close() : undefined), tlsNote: tls.note, stats};
}
