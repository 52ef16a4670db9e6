// Fixtures for the registry client tests and bench, on top of `registry.ts`'s real docker-registry:
// docker-archive images pushed with skopeo, manifest lists PUT with curl (§9.5), a proxy that
// counts and breaks requests, and a token service distribution trusts (Bearer auth).
import {execFile} from 'node:child_process';
import {createHash, createPrivateKey, randomBytes, sign, X509Certificate} from 'node:crypto';
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {createServer, request as httpRequest, type IncomingMessage, type Server} from 'node:http';
import path from 'node:path';
import {promisify} from 'node:util';
import {create as createTar} from 'tar';
import {requireTool, type TestRegistry} from './registry.js';

const run = promisify(execFile);
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export type ImageArchive = {path: string; configDigest: string};

/** A docker-archive holding one image for `arch`: an uncompressed layer and a config naming the platform. */
export async function writeImageArchive(
	dir: string,
	options: {name: string; arch: string; os?: string; salt?: string},
): Promise<ImageArchive> {
	const work = await mkdtemp(path.join(dir, 'archive-'));
	const payload = path.join(work, 'payload');
	await mkdir(payload);
	await writeFile(path.join(payload, 'id.txt'), `${options.name} ${options.arch} ${options.salt ?? randomBytes(8).toString('hex')}\n`);
	const layerTar = path.join(work, 'layer.tar');
	await createTar({file: layerTar, cwd: payload, portable: true}, ['id.txt']);
	const layerHex = sha256(await readFile(layerTar));
	const layerName = `${layerHex}/layer.tar`;
	await mkdir(path.join(work, 'out', layerHex), {recursive: true});
	await writeFile(path.join(work, 'out', layerName), await readFile(layerTar));
	const config = JSON.stringify({
		architecture: options.arch,
		os: options.os ?? 'linux',
		config: {},
		rootfs: {type: 'layers', diff_ids: [`sha256:${layerHex}`]},
	});
	const configHex = sha256(config);
	await writeFile(path.join(work, 'out', `${configHex}.json`), config);
	await writeFile(
		path.join(work, 'out', 'manifest.json'),
		JSON.stringify([{Config: `${configHex}.json`, RepoTags: [options.name], Layers: [layerName]}]),
	);
	const archive = path.join(dir, `${sha256(options.name + options.arch + configHex).slice(0, 12)}.tar`);
	await createTar({file: archive, cwd: path.join(work, 'out'), portable: true}, [`${configHex}.json`, layerHex, 'manifest.json']);
	await rm(work, {recursive: true, force: true});
	return {path: archive, configDigest: `sha256:${configHex}`};
}

/** `skopeo copy docker-archive:… docker://…` as the installers do; `oci` pushes OCI manifests. */
export async function skopeoPush(
	registry: TestRegistry,
	archive: string,
	repositoryAndTag: string,
	format: 'v2s2' | 'oci' = 'v2s2',
): Promise<void> {
	const skopeo = requireTool('skopeo');
	await run(skopeo, [
		'--insecure-policy',
		'copy',
		'--dest-tls-verify=false',
		'--dest-creds',
		`${registry.username}:${registry.password}`,
		'--format',
		format,
		`docker-archive:${archive}`,
		`docker://${registry.host}/${repositoryAndTag}`,
	]);
}

function curlArgs(registry: TestRegistry): string[] {
	return ['-s', '-u', `${registry.username}:${registry.password}`, ...(registry.caPath ? ['--cacert', registry.caPath] : [])];
}

export type StoredManifest = {digest: string; mediaType: string; size: number; body: string};

/** A manifest as stored, read with curl and every manifest type accepted. */
export async function curlManifest(registry: TestRegistry, repository: string, reference: string): Promise<StoredManifest> {
	const accept =
		'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';
	const {stdout: body} = await run(
		requireTool('curl'),
		[...curlArgs(registry), '-f', '-H', `Accept: ${accept}`, `${registry.url}/v2/${repository}/manifests/${reference}`],
		{maxBuffer: 1 << 24},
	);
	const parsed = JSON.parse(body) as {mediaType?: string};
	return {digest: `sha256:${sha256(body)}`, mediaType: parsed.mediaType ?? '', size: Buffer.byteLength(body), body};
}

export type ListChild = {
	manifest: StoredManifest;
	platform: {architecture: string; os: string; variant?: string};
	annotations?: Record<string, string>;
};

/** PUTs a Docker manifest list or an OCI index with curl, as §9.5 shows; returns its digest. */
export async function putManifestList(
	registry: TestRegistry,
	repository: string,
	tag: string,
	children: ListChild[],
	mediaType: string,
): Promise<string> {
	const body = JSON.stringify({
		schemaVersion: 2,
		mediaType,
		manifests: children.map(child => ({
			mediaType: child.manifest.mediaType,
			digest: child.manifest.digest,
			size: child.manifest.size,
			platform: child.platform,
			...(child.annotations ? {annotations: child.annotations} : {}),
		})),
	});
	const {stdout} = await run(requireTool('curl'), [
		...curlArgs(registry),
		'-o',
		'/dev/null',
		'-w',
		'%{http_code}',
		'-X',
		'PUT',
		'-H',
		`Content-Type: ${mediaType}`,
		'--data-binary',
		body,
		`${registry.url}/v2/${repository}/manifests/${tag}`,
	]);
	if (stdout !== '201') {
		throw new Error(`PUT ${repository}:${tag} answered ${stdout}`);
	}

	return `sha256:${sha256(body)}`;
}

export type Proxy = {
	url: string;
	stop(): Promise<void>;
	/** Most requests open at once. */
	maxInFlight: number;
	/** Requests seen per path (with query). */
	seen: Map<string, number>;
	/** TCP connections accepted: keep-alive keeps this near the client's concurrency. */
	connections: number;
};

/** What to do with the n-th request (1-based) for its path: undefined proxies it. */
export type Sabotage = (request: IncomingMessage, nth: number) => 'reset' | 'stall' | number | undefined;

async function listen(server: Server): Promise<number> {
	return new Promise(resolve => {
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			resolve(typeof address === 'object' && address ? address.port : 0);
		});
	});
}

/** An HTTP proxy in front of a plain-HTTP registry that counts requests in flight and can fail some. */
export async function startProxy(target: string, sabotage?: Sabotage): Promise<Proxy> {
	const proxy: Proxy = {url: '', maxInFlight: 0, seen: new Map(), connections: 0, stop: async () => undefined};
	let inFlight = 0;
	const server = createServer((incoming, outgoing) => {
		const key = incoming.url ?? '';
		const nth = (proxy.seen.get(key) ?? 0) + 1;
		proxy.seen.set(key, nth);
		inFlight++;
		proxy.maxInFlight = Math.max(proxy.maxInFlight, inFlight);
		outgoing.on('close', () => {
			inFlight--;
		});
		const action = sabotage?.(incoming, nth);
		if (action === 'reset') {
			incoming.socket.destroy();
			return;
		}

		if (action === 'stall') {
			// Headers never come; the proxy's stop() closes the socket.
			return;
		}

		if (typeof action === 'number') {
			outgoing.writeHead(action, {'content-type': 'text/plain'}).end(`injected ${action}\n`);
			return;
		}

		const upstream = httpRequest(
			`${target}${key}`,
			{method: incoming.method, headers: {...incoming.headers, host: new URL(target).host}},
			response => {
				outgoing.writeHead(response.statusCode ?? 502, response.headers);
				response.pipe(outgoing);
			},
		);
		upstream.on('error', () => outgoing.destroy());
		incoming.pipe(upstream);
	});
	server.on('connection', () => {
		proxy.connections++;
	});
	const port = await listen(server);
	proxy.url = `http://127.0.0.1:${port}`;
	proxy.stop = async () =>
		new Promise(resolve => {
			server.closeAllConnections();
			server.close(() => resolve());
		});
	return proxy;
}

export type TokenServer = {
	realm: string;
	service: string;
	issuer: string;
	certPath: string;
	/** Every token request's scopes, in order. */
	requests: string[][];
	stop(): Promise<void>;
};

export type TokenServerOptions = {
	username: string;
	password: string;
	/** Seconds a token lives (default 300). */
	expiresIn?: number;
	/** The actions granted for one requested scope; default: all asked for. Grant fewer to test partial tokens. */
	grant?: (repository: string, actions: string[]) => string[];
};

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * A token service as distribution's token auth expects (docs/spec/auth/token.md): Basic login,
 * an RS256 JWT whose `x5c` header carries the certificate that `rootcertbundle` trusts.
 */
export async function startTokenServer(dir: string, options: TokenServerOptions): Promise<TokenServer> {
	const openssl = requireTool('openssl');
	const keyPath = path.join(dir, 'token.key');
	const certPath = path.join(dir, 'token.crt');
	await run(openssl, [
		'req',
		'-x509',
		'-newkey',
		'rsa:2048',
		'-nodes',
		'-keyout',
		keyPath,
		'-out',
		certPath,
		'-days',
		'1',
		'-subj',
		'/CN=addon-wizard test token issuer',
	]);
	const key = createPrivateKey(await readFile(keyPath));
	const der = new X509Certificate(await readFile(certPath)).raw.toString('base64');
	const service = 'test-registry';
	const issuer = 'test-token-issuer';
	const requests: string[][] = [];
	const server = createServer((incoming, outgoing) => {
		const url = new URL(incoming.url ?? '/', 'http://x');
		const expected = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
		if (incoming.headers.authorization !== expected) {
			outgoing.writeHead(401, {'content-type': 'application/json'}).end('{"details":"wrong credentials"}');
			return;
		}

		const scopes = url.searchParams.getAll('scope');
		requests.push(scopes);
		const access = scopes.flatMap(scope => {
			const [type, name, actions] = [
				scope.slice(0, scope.indexOf(':')),
				scope.slice(scope.indexOf(':') + 1, scope.lastIndexOf(':')),
				scope.slice(scope.lastIndexOf(':') + 1),
			];
			const granted = (options.grant ?? ((_name, asked) => asked))(name, actions.split(','));
			return granted.length > 0 ? [{type, name, actions: granted}] : [];
		});
		const now = Math.floor(Date.now() / 1000);
		const expiresIn = options.expiresIn ?? 300;
		const header = base64url(JSON.stringify({typ: 'JWT', alg: 'RS256', x5c: [der]}));
		const claims = base64url(
			JSON.stringify({
				iss: issuer,
				sub: options.username,
				aud: service,
				exp: now + expiresIn,
				nbf: now - 10,
				iat: now,
				jti: randomBytes(8).toString('hex'),
				access,
			}),
		);
		const signature = base64url(sign('sha256', Buffer.from(`${header}.${claims}`), key));
		outgoing
			.writeHead(200, {'content-type': 'application/json'})
			.end(JSON.stringify({token: `${header}.${claims}.${signature}`, expires_in: expiresIn, issued_at: new Date().toISOString()}));
	});
	const port = await listen(server);
	return {
		realm: `http://127.0.0.1:${port}/token`,
		service,
		issuer,
		certPath,
		requests,
		stop: async () =>
			new Promise(resolve => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
