// Small pieces the stand-ins share: flags, a bounded request body, JSON answers, Basic credentials,
// and listening on 127.0.0.1 with the port printed as the first stdout line for a test helper.
import {readFileSync} from 'node:fs';
import http from 'node:http';
import https from 'node:https';

/** `--name value` / `--name=value` flags; repeated flags collect into arrays when listed in `multi`. */
export function parseFlags(argv, multi = []) {
	const flags = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (!arg.startsWith('--')) throw new Error(`unexpected argument: ${arg}`);
		const eq = arg.indexOf('=');
		const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
		const next = argv[i + 1];
		const value = eq > 0 ? arg.slice(eq + 1) : next === undefined || next.startsWith('--') ? true : argv[++i];
		if (multi.includes(name)) (flags[name] ??= []).push(value);
		else flags[name] = value;
	}
	return flags;
}

export class BodyTooLarge extends Error {}

/** The whole request body, refused past `limit` bytes (as ChartMuseum's --max-upload-size does). */
export async function readBody(req, limit) {
	const chunks = [];
	let size = 0;
	for await (const chunk of req) {
		size += chunk.length;
		if (size > limit) throw new BodyTooLarge(`request body larger than ${limit} bytes`);
		chunks.push(chunk);
	}
	return Buffer.concat(chunks);
}

export function sendJson(res, status, value, headers = {}) {
	const body = JSON.stringify(value);
	res.writeHead(status, {'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers});
	res.end(res.req?.method === 'HEAD' ? undefined : body);
}

export function sendText(res, status, text, type = 'text/plain; charset=utf-8', headers = {}) {
	res.writeHead(status, {'Content-Type': type, 'Content-Length': Buffer.byteLength(text), ...headers});
	res.end(res.req?.method === 'HEAD' ? undefined : text);
}

/** `{username, password}` from an `Authorization: Basic …` header, or undefined. */
export function basicCredentials(req) {
	const match = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
	if (!match) return undefined;
	const text = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = text.indexOf(':');
	return colon < 0 ? undefined : {username: text.slice(0, colon), password: text.slice(colon + 1)};
}

/** `user:password` as a flag value. */
export function splitAccount(value) {
	const colon = String(value).indexOf(':');
	if (colon <= 0) throw new Error(`expected user:password, got ${value}`);
	return {username: value.slice(0, colon), password: value.slice(colon + 1)};
}

/** Listens on host:port (0 = any free port) over HTTP or HTTPS, then prints the port on stdout. */
export function listen(handler, {host = '127.0.0.1', port = 0, tlsCert, tlsKey}) {
	const server = tlsCert
		? https.createServer({cert: readFileSync(tlsCert), key: readFileSync(tlsKey)}, handler)
		: http.createServer(handler);
	server.keepAliveTimeout = 5000;
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(Number(port), host, () => {
			process.stdout.write(`${server.address().port}\n`);
			resolve(server);
		});
	});
}

/** Stops cleanly on SIGTERM/SIGINT: no new connections, then exit. */
export function exitOnSignals(server) {
	for (const signal of ['SIGTERM', 'SIGINT']) {
		process.on(signal, () => {
			server.close(() => process.exit(0));
			server.closeAllConnections?.();
			setTimeout(() => process.exit(0), 1000).unref();
		});
	}
}

/** Catches a handler's failure as a 500 instead of a crash, logged to stderr. */
export function guarded(handler) {
	return (req, res) => {
		Promise.resolve(handler(req, res)).catch(error => {
			process.stderr.write(`${req.method} ${req.url}: ${error.stack ?? error}\n`);
			if (!res.headersSent) sendJson(res, 500, {error: String(error.message ?? error)});
			else res.destroy();
		});
	};
}
