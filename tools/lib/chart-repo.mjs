// A Helm chart repository kept in one folder, as ChartMuseum's local storage keeps it: the chart
// archives `<name>-<version>.tgz` and an `index.yaml` (apiVersion v1) rewritten after every change.
// `chartApi` answers ChartMuseum's HTTP API over it; the Harbor stand-in mounts the same API per
// project under /chartrepo/<project> and /api/chartrepo/<project>/charts, as Harbor (≤ 2.7) does.
import {createHash} from 'node:crypto';
import {mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {gunzipSync} from 'node:zlib';
import {Parser} from 'tar';
import YAML from 'yaml';
import {BodyTooLarge, readBody, sendJson, sendText} from './http-util.mjs';

/** ChartMuseum's default --max-upload-size (20 MiB); it buffers an upload the same way. */
export const maxUploadSize = 20 << 20;

/** The `<chart>/Chart.yaml` of a chart archive, parsed; throws Helm's wording when there is none. */
export async function chartMetadata(archive) {
	let tarBytes;
	try {
		tarBytes = gunzipSync(archive);
	} catch {
		throw new Error("file does not appear to be a gzipped archive; got 'application/octet-stream'");
	}
	const found = await new Promise((resolve, reject) => {
		let text;
		const parser = new Parser({strict: true});
		parser.on('entry', entry => {
			if (/^[^/]+\/Chart\.yaml$/.test(entry.path) && text === undefined) {
				const chunks = [];
				entry.on('data', chunk => chunks.push(chunk));
				entry.on('end', () => {
					text = Buffer.concat(chunks).toString('utf8');
				});
			} else entry.resume();
		});
		parser.on('error', reject);
		parser.on('end', () => resolve(text));
		parser.end(tarBytes);
	});
	if (found === undefined) throw new Error('Chart.yaml file is missing');
	const metadata = YAML.parse(found) ?? {};
	if (!metadata.name) throw new Error('validation: chart.metadata.name is required');
	if (!metadata.version) throw new Error('validation: chart.metadata.version is required');
	metadata.version = String(metadata.version);
	return metadata;
}

/** Descending semantic-version order (a release sorts above its pre-releases), as Helm sorts entries. */
function compareVersionsDescending(a, b) {
	const parse = v => {
		const [core, pre] = String(v).replace(/^v/, '').split('+')[0].split(/-(.*)/s);
		return {core: core.split('.').map(Number), pre};
	};
	const x = parse(a);
	const y = parse(b);
	for (let i = 0; i < 3; i++) {
		const diff = (y.core[i] ?? 0) - (x.core[i] ?? 0);
		if (diff) return diff;
	}
	if (x.pre === y.pre) return 0;
	if (x.pre === undefined) return -1;
	if (y.pre === undefined) return 1;
	return y.pre.localeCompare(x.pre, 'en', {numeric: true});
}

const sortKeys = object => Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));

export class ChartStore {
	constructor(dir, {allowOverwrite = false} = {}) {
		this.dir = dir;
		this.allowOverwrite = allowOverwrite;
		this.versions = new Map(); // file name → ChartVersion
	}

	/** Reads every archive already in the folder (a restarted repository keeps its charts). */
	async load() {
		mkdirSync(this.dir, {recursive: true});
		for (const file of readdirSync(this.dir)
			.filter(name => name.endsWith('.tgz'))
			.sort()) {
			const content = readFileSync(path.join(this.dir, file));
			this.versions.set(file, this.#chartVersion(file, await chartMetadata(content), content));
		}
		this.#writeIndex();
		return this;
	}

	#chartVersion(file, metadata, content) {
		const created = statSync(path.join(this.dir, file)).mtime.toISOString();
		return sortKeys({...metadata, urls: [`charts/${file}`], created, digest: createHash('sha256').update(content).digest('hex')});
	}

	entries() {
		const entries = {};
		for (const version of this.versions.values()) (entries[version.name] ??= []).push(version);
		for (const list of Object.values(entries)) list.sort((a, b) => compareVersionsDescending(a.version, b.version));
		return sortKeys(entries);
	}

	indexYaml() {
		return YAML.stringify({apiVersion: 'v1', entries: this.entries(), generated: new Date().toISOString(), serverInfo: {}});
	}

	#writeIndex() {
		const target = path.join(this.dir, 'index.yaml');
		writeFileSync(`${target}.tmp`, this.indexYaml());
		renameSync(`${target}.tmp`, target);
	}

	/** Stores an uploaded archive: `{status, error?}` with ChartMuseum's statuses (201, 409, 400/500). */
	async save(content, {force = false, conflictMessage = 'file already exists'} = {}) {
		let metadata;
		try {
			metadata = await chartMetadata(content);
		} catch (error) {
			return {status: 500, error: error.message};
		}
		const file = `${metadata.name}-${metadata.version}.tgz`;
		if (path.basename(file) !== file) return {status: 400, error: `${file} is improperly formatted`};
		if (this.versions.has(file) && !(this.allowOverwrite || force)) return {status: 409, error: conflictMessage};
		const target = path.join(this.dir, file);
		writeFileSync(`${target}.upload`, content);
		renameSync(`${target}.upload`, target);
		this.versions.set(file, this.#chartVersion(file, metadata, content));
		this.#writeIndex();
		return {status: 201};
	}

	delete(name, version) {
		const file = `${name}-${version}.tgz`;
		if (!this.versions.has(file)) return {status: 404, error: `remove ${file}: no such file or directory`};
		rmSync(path.join(this.dir, file), {force: true});
		this.versions.delete(file);
		this.#writeIndex();
		return {status: 200};
	}

	file(name) {
		return this.versions.has(name) ? path.join(this.dir, name) : undefined;
	}
}

/** The upload: raw bytes (`--data-binary @x.tgz`) or the multipart field `chart` (`-F chart=@x.tgz`). */
async function uploadedArchive(req) {
	const body = await readBody(req, maxUploadSize);
	const type = req.headers['content-type'] ?? '';
	if (!type.startsWith('multipart/form-data')) return {content: body, multipart: false};
	const form = await new Request('http://upload.invalid/', {method: 'POST', headers: {'content-type': type}, body}).formData();
	const file = form.get('chart');
	return {content: file && typeof file !== 'string' ? Buffer.from(await file.arrayBuffer()) : undefined, multipart: true};
}

/**
 * Answers the repository routes under `repoPath` (`GET <repoPath>/index.yaml`, `GET <repoPath>/charts/<file>`)
 * and the API under `apiPath` (`GET|POST <apiPath>`, `GET|HEAD|DELETE <apiPath>/<name>[/<version>]`).
 * Returns false when the path is neither.
 */
export async function chartApi(
	store,
	req,
	res,
	pathname,
	{repoPath = '', apiPath = '/api/charts', query = new URLSearchParams(), allowForce = false} = {},
) {
	const {method} = req;
	if (pathname === `${repoPath}/index.yaml` && (method === 'GET' || method === 'HEAD')) {
		sendText(res, 200, store.indexYaml(), 'application/x-yaml');
		return true;
	}
	if (pathname.startsWith(`${repoPath}/charts/`) && (method === 'GET' || method === 'HEAD')) {
		const file = store.file(decodeURIComponent(pathname.slice(`${repoPath}/charts/`.length)));
		if (!file) sendJson(res, 404, {error: 'object not found'});
		else sendText(res, 200, readFileSync(file), 'application/x-tar');
		return true;
	}
	if (pathname !== apiPath && !pathname.startsWith(`${apiPath}/`)) return false;
	const [name, version, extra] = pathname
		.slice(apiPath.length + 1)
		.split('/')
		.filter(Boolean)
		.map(decodeURIComponent);
	if (extra !== undefined) return false;
	if (name === undefined && method === 'POST') {
		let upload;
		try {
			upload = await uploadedArchive(req);
		} catch (error) {
			if (error instanceof BodyTooLarge) return (sendJson(res, 413, {error: error.message}), true);
			throw error;
		}
		if (!upload.content) {
			sendJson(res, 400, {error: 'no package or provenance file found in form fields chart and prov'});
			return true;
		}
		// `?force` overwrites only where the server allows it (ChartMuseum's --allow-force-overwrite).
		const result = await store.save(upload.content, {
			force: allowForce && query.has('force'),
			conflictMessage: upload.multipart ? 'chart already exists' : 'file already exists',
		});
		if (result.status === 201) sendJson(res, 201, {saved: true});
		else sendJson(res, upload.multipart && result.status === 500 ? 400 : result.status, {error: result.error});
		return true;
	}
	if (name === undefined && method === 'GET') {
		sendJson(res, 200, store.entries());
		return true;
	}
	const versions = name === undefined ? undefined : store.entries()[name];
	if (version === undefined && name !== undefined && (method === 'GET' || method === 'HEAD')) {
		if (versions) sendJson(res, 200, versions);
		else sendJson(res, 404, {error: 'chart not found'});
		return true;
	}
	if (version !== undefined && (method === 'GET' || method === 'HEAD')) {
		const found = version === 'latest' ? versions?.[0] : versions?.find(item => item.version === version);
		if (found) sendJson(res, 200, found);
		else sendJson(res, 404, {error: versions ? `no chart version found for ${name}-${version}` : 'no chart name found'});
		return true;
	}
	if (version !== undefined && method === 'DELETE') {
		const result = store.delete(name, version);
		if (result.status === 200) sendJson(res, 200, {deleted: true});
		else sendJson(res, result.status, {error: result.error});
		return true;
	}
	sendJson(res, 405, {error: 'method not allowed'});
	return true;
}
