// A real registry for tests: Debian's `docker-registry` (distribution 2.8.2), started on 127.0.0.1
// and a free port with a config of its own (storage in a temp dir, delete enabled, htpasswd basic
// auth with a bcrypt entry), optionally over HTTPS with a CA and certificate made here with openssl,
// as the builtin DCE registry serves. Never the packaged /etc/docker/registry/config.yml.
import {createHash} from 'node:crypto';
import {execFile, spawn, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {promisify} from 'node:util';
import {helperStopper} from './stop-helper-process.js';
import {recordStart, recordStop} from './test-bed-ledger.js';

const run = promisify(execFile);

export type TestRegistry = {
	/** `http://127.0.0.1:PORT` or `https://…`. */
	url: string;
	/** `127.0.0.1:PORT`, as an image reference starts. */
	host: string;
	username: string;
	password: string;
	/** PEM of the CA that signed the server certificate (HTTPS only). */
	caPath?: string;
	/** The registry's storage root. */
	dataDir: string;
	/** The registry's own log (stdout and stderr), for a failing test to show. */
	logPath: string;
	pid: number;
	/**
	 * `docker-registry garbage-collect --delete-untagged` as an operator runs it: the registry is
	 * stopped first (GC must not race a push), then started again on the same port and storage.
	 */
	collectGarbage(): Promise<string>;
	stop(): Promise<void>;
};

export type RegistryOptions = {
	tls?: boolean;
	/** Basic auth with htpasswd (default true; ignored when `tokenAuth` is given). */
	auth?: boolean;
	username?: string;
	password?: string;
	/** Bearer token auth instead of htpasswd: distribution checks tokens signed by a key whose certificate is in `rootCertBundle`. */
	tokenAuth?: {realm: string; service: string; issuer: string; rootCertBundle: string};
	/** `storage: delete: enabled:` (default true); false answers DELETE with 405 UNSUPPORTED. */
	deleteEnabled?: boolean;
};

/** Which Debian package provides each tool the test bed needs: a missing one fails loudly, naming it. */
export const testBedTools: Readonly<Record<string, string>> = {
	'docker-registry': 'docker-registry',
	curl: 'curl',
	htpasswd: 'apache2-utils',
	openssl: 'openssl',
	skopeo: 'skopeo',
	sshd: 'openssh-server',
	tmux: 'tmux',
};

export function which(tool: string): string | undefined {
	for (const dir of (process.env['PATH'] ?? '/usr/bin:/bin').split(':').concat(['/usr/sbin', '/sbin'])) {
		const candidate = path.join(dir, tool);
		if (existsSync(candidate)) {
			return candidate;
		}
	}

	return undefined;
}

/** Throws, naming the package to install, when a tool is missing: a test bed never skips silently. */
export function requireTool(tool: string): string {
	const found = which(tool);
	if (!found) {
		const pkg = testBedTools[tool] ?? tool;
		throw new Error(
			`The test bed needs \`${tool}\`, which is not installed. Install it with: apt-get install -y ${pkg} (.ci/run does this on CI).`,
		);
	}

	return found;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => {
				resolve(typeof address === 'object' && address ? address.port : 0);
			});
		});
	});
}

/** A CA and a server certificate for 127.0.0.1 and localhost, valid for a day. */
export async function makeCertificates(dir: string): Promise<{caPath: string; certPath: string; keyPath: string}> {
	const openssl = requireTool('openssl');
	const caKey = path.join(dir, 'ca.key');
	const caPath = path.join(dir, 'ca.crt');
	const keyPath = path.join(dir, 'server.key');
	const csr = path.join(dir, 'server.csr');
	const certPath = path.join(dir, 'server.crt');
	const ext = path.join(dir, 'server.ext');
	await run(openssl, [
		'req',
		'-x509',
		'-newkey',
		'rsa:2048',
		'-nodes',
		'-keyout',
		caKey,
		'-out',
		caPath,
		'-days',
		'1',
		'-subj',
		'/CN=addon-wizard test CA',
	]);
	await run(openssl, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', csr, '-subj', '/CN=127.0.0.1']);
	await writeFile(
		ext,
		'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n',
	);
	await run(openssl, [
		'x509',
		'-req',
		'-in',
		csr,
		'-CA',
		caPath,
		'-CAkey',
		caKey,
		'-CAcreateserial',
		'-out',
		certPath,
		'-days',
		'1',
		'-extfile',
		ext,
	]);
	return {caPath, certPath, keyPath};
}

async function waitReady(url: string, child: ChildProcess, logPath: string, caPath?: string): Promise<void> {
	const deadline = Date.now() + 15_000;
	const curl = requireTool('curl');
	while (Date.now() < deadline) {
		if (child.exitCode !== null) {
			throw new Error(
				`docker-registry exited (${child.exitCode}) before it served ${url}:\n${await readFile(logPath, 'utf8').catch(() => '')}`,
			);
		}

		// curl, not fetch: the test CA is not in Node's store, and this stays independent of the wizard's client.
		const {stdout} = await run(curl, [
			'-s',
			'-o',
			'/dev/null',
			'-w',
			'%{http_code}',
			...(caPath ? ['--cacert', caPath] : []),
			`${url}/v2/`,
		]).catch(() => ({stdout: '000'}));
		if (stdout === '200' || stdout === '401') {
			return;
		}

		await delay(50);
	}

	throw new Error(`docker-registry did not answer ${url}/v2/ within 15 s:\n${await readFile(logPath, 'utf8').catch(() => '')}`);
}

export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
	const binary = requireTool('docker-registry');
	const auth = options.auth ?? true;
	const username = options.username ?? 'tester';
	const password = options.password ?? 'S3cret-pass';
	const root = await mkdtemp(path.join(tmpdir(), 'addon-wizard-registry-'));
	const dataDir = path.join(root, 'data');
	const logPath = path.join(root, 'registry.log');
	const port = await freePort();
	const host = `127.0.0.1:${port}`;
	const config: string[] = [
		'version: 0.1',
		'log:',
		'  level: warn',
		'  accesslog:',
		'    disabled: true',
		'storage:',
		'  filesystem:',
		`    rootdirectory: ${dataDir}`,
		'  delete:',
		`    enabled: ${options.deleteEnabled ?? true}`,
		'http:',
		`  addr: ${host}`,
		// The debug server would take another port; nothing here needs it.
		'  headers:',
		'    X-Content-Type-Options: [nosniff]',
	];
	let caPath: string | undefined;
	if (options.tls) {
		const certificates = await makeCertificates(root);
		caPath = certificates.caPath;
		config.push('  tls:', `    certificate: ${certificates.certPath}`, `    key: ${certificates.keyPath}`);
	}

	if (options.tokenAuth) {
		const token = options.tokenAuth;
		config.push(
			'auth:',
			'  token:',
			`    realm: ${token.realm}`,
			`    service: ${token.service}`,
			`    issuer: ${token.issuer}`,
			`    rootcertbundle: ${token.rootCertBundle}`,
		);
	} else if (auth) {
		const htpasswd = requireTool('htpasswd');
		const file = path.join(root, 'htpasswd');
		await run(htpasswd, ['-Bbc', file, username, password]);
		config.push('auth:', '  htpasswd:', '    realm: test-registry', `    path: ${file}`);
	}

	const configPath = path.join(root, 'config.yml');
	await writeFile(configPath, `${config.join('\n')}\n`);
	const {openSync, closeSync} = await import('node:fs');
	const serve = () => {
		const logFd = openSync(logPath, 'a');
		const started = spawn(binary, ['serve', configPath], {stdio: ['ignore', logFd, logFd], detached: false});
		closeSync(logFd);
		return started;
	};

	let child = serve();
	const url = `${options.tls ? 'https' : 'http'}://${host}`;
	let ledgerId = recordStart('docker-registry', child.pid!, root);
	try {
		await waitReady(url, child, logPath, caPath);
	} catch (error) {
		child.kill('SIGKILL');
		await rm(root, {recursive: true, force: true});
		recordStop(ledgerId);
		throw error;
	}

	const collectGarbage = async () => {
		const exited = new Promise(resolve => child.once('exit', resolve));
		child.kill('SIGTERM');
		await exited;
		recordStop(ledgerId);
		const {stdout} = await run(binary, ['garbage-collect', '--delete-untagged', configPath], {maxBuffer: 1 << 24});
		child = serve();
		ledgerId = recordStart('docker-registry', child.pid!, root);
		await waitReady(url, child, logPath, caPath);
		return stdout;
	};

	return {
		url,
		host,
		username,
		password,
		caPath,
		dataDir,
		logPath,
		get pid() {
			return child.pid!;
		},
		collectGarbage,
		stop: async () => helperStopper(child, root, ledgerId)(),
	};
}

/** What a tag holds, as a client the project did not write sees it. */
export type TagContents =
	| {kind: 'missing'}
	| {kind: 'list'; mediaType: string; platforms: string[]; digests: string[]}
	| {kind: 'image'; mediaType: string; arch: string; configDigest: string};

export type InspectTarget = {host: string; username?: string; password?: string};

/** `skopeo inspect --raw` of `<host>/<repo>:<tag>` (plain HTTP or any certificate accepted, as --tls-verify=false does). */
export async function skopeoRaw(target: InspectTarget, reference: string): Promise<string | undefined> {
	const skopeo = requireTool('skopeo');
	const creds = target.username === undefined ? [] : ['--creds', `${target.username}:${target.password ?? ''}`];
	try {
		const {stdout} = await run(skopeo, ['inspect', '--raw', '--tls-verify=false', ...creds, `docker://${target.host}/${reference}`], {
			env: {...process.env, HOME: tmpdir()},
		});
		return stdout;
	} catch (error) {
		const stderr = String((error as {stderr?: string}).stderr ?? '');
		if (/manifest unknown|not found|MANIFEST_UNKNOWN|NAME_UNKNOWN/i.test(stderr)) {
			return undefined;
		}

		throw new Error(`skopeo inspect ${target.host}/${reference} failed: ${stderr}`);
	}
}

/**
 * A tag as skopeo reads it: its raw manifest, that manifest's digest, and its arches (`amd64+arm64`
 * for a list, `single image` otherwise). Undefined when the tag does not exist.
 */
export async function tagManifest(
	target: InspectTarget,
	reference: string,
): Promise<{arches: string; raw: string; digest: string} | undefined> {
	const raw = await skopeoRaw(target, reference);
	if (raw === undefined) {
		return undefined;
	}

	const parsed = JSON.parse(raw) as {manifests?: Array<{platform: {architecture: string}}>};
	const arches = parsed.manifests
		? parsed.manifests
				.map(item => item.platform.architecture)
				.sort()
				.join('+')
		: 'single image';
	return {arches, raw, digest: `sha256:${createHash('sha256').update(raw).digest('hex')}`};
}

/** A blob fetched with curl (following redirects); the config of a single-arch image names its arch. */
export async function curlBlob(target: InspectTarget & {url: string}, repo: string, digest: string): Promise<string> {
	const curl = requireTool('curl');
	const auth = target.username === undefined ? [] : ['-u', `${target.username}:${target.password ?? ''}`];
	const {stdout} = await run(curl, ['-sfLk', ...auth, `${target.url}/v2/${repo}/blobs/${digest}`]);
	return stdout;
}

/** A tag's manifest list platforms, or its single image's arch (from the config blob), or missing. */
export async function inspectTag(target: InspectTarget & {url: string}, repo: string, tag: string): Promise<TagContents> {
	const raw = await skopeoRaw(target, `${repo}:${tag}`);
	if (raw === undefined) {
		return {kind: 'missing'};
	}

	const manifest = JSON.parse(raw) as {
		mediaType: string;
		manifests?: Array<{digest: string; platform?: {architecture: string}}>;
		config?: {digest: string};
	};
	if (manifest.manifests) {
		return {
			kind: 'list',
			mediaType: manifest.mediaType,
			platforms: manifest.manifests.map(item => item.platform?.architecture ?? 'unknown'),
			digests: manifest.manifests.map(item => item.digest),
		};
	}

	const config = JSON.parse(await curlBlob(target, repo, manifest.config!.digest)) as {architecture: string};
	return {kind: 'image', mediaType: manifest.mediaType, arch: config.architecture, configDigest: manifest.config!.digest};
}
