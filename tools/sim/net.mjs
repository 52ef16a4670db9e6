// HTTP for the simulator's registry and chart clients, with failures worded as the Go tools the
// installer runs (charts-syncer, skopeo) print them: `Get "http://127.0.0.1:5000/v2/": dial tcp
// 127.0.0.1:5000: connect: connection refused`. Certificates are not verified: the installer talks to
// its own self-signed bootstrap registry the same way (--insecure / --dest-tls-verify=false).
import http from 'node:http';
import https from 'node:https';

const agents = {'http:': new http.Agent({keepAlive: true}), 'https:': new https.Agent({keepAlive: true, rejectUnauthorized: false})};
const connectTimeoutMs = 10_000;
const maxResponseBytes = 32 << 20;

/** Go's net.OpError text for a Node socket error. */
function dialError(error, url) {
	const address = error.address ? `${error.address.includes(':') ? `[${error.address}]` : error.address}:${error.port}` : url.host;
	const wording = {
		ECONNREFUSED: `dial tcp ${address}: connect: connection refused`,
		EHOSTUNREACH: `dial tcp ${address}: connect: no route to host`,
		ENETUNREACH: `dial tcp ${address}: connect: network is unreachable`,
		ETIMEDOUT: `dial tcp ${address}: i/o timeout`,
		ENOTFOUND: `dial tcp: lookup ${url.hostname}: no such host`,
		EAI_AGAIN: `dial tcp: lookup ${url.hostname}: Temporary failure in name resolution`,
		ECONNRESET: 'read: connection reset by peer',
		EPIPE: 'write: broken pipe',
		EPROTO: 'http: server gave HTTP response to HTTPS client',
	}[error.code];
	return wording ?? error.message;
}

export class NetError extends Error {}

const goOp = method => method[0] + method.slice(1).toLowerCase();

/**
 * One request; the response body is read whole (manifests, configs, JSON: small). `body` may be a
 * Buffer, a string or a readable stream with `length` bytes.
 */
export function send(method, target, {headers = {}, body, length} = {}) {
	const url = new URL(target);
	return new Promise((resolve, reject) => {
		const bytes = typeof body === 'string' ? Buffer.from(body) : body;
		const size = Buffer.isBuffer(bytes) ? bytes.length : length;
		const req = (url.protocol === 'https:' ? https : http).request(
			url,
			{
				method,
				agent: agents[url.protocol],
				headers: {'User-Agent': 'dce5-installer-sim', ...(size === undefined ? {} : {'Content-Length': size}), ...headers},
			},
			res => {
				const chunks = [];
				let total = 0;
				res.on('data', chunk => {
					total += chunk.length;
					if (total > maxResponseBytes) req.destroy(new Error(`response from ${url.host} larger than ${maxResponseBytes} bytes`));
					else chunks.push(chunk);
				});
				res.on('end', () =>
					resolve({status: res.statusCode, statusText: res.statusMessage, headers: res.headers, body: Buffer.concat(chunks), url}),
				);
				res.on('error', reject);
			},
		);
		req.setTimeout(connectTimeoutMs, () => req.destroy(Object.assign(new Error('timeout'), {code: 'ETIMEDOUT'})));
		req.on('error', error => {
			// A stream body stops feeding a dead request and is read through by its owner.
			if (typeof bytes?.unpipe === 'function') bytes.unpipe(req);
			reject(new NetError(`${goOp(method)} "${url.href}": ${dialError(error, url)}`));
		});
		if (bytes === undefined) req.end();
		else if (Buffer.isBuffer(bytes)) req.end(bytes);
		else bytes.pipe(req);
	});
}

export const basicAuth = (username, password) => `Basic ${Buffer.from(`${username ?? ''}:${password ?? ''}`).toString('base64')}`;
