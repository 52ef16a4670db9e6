// The chart side of an import, as charts-syncer does it: read the target repository's index.yaml
// once, skip chart versions it already lists, upload the others as `<name>-<version>.tgz`: to
// ChartMuseum as the raw body of `POST <repo>/api/charts`, to Harbor as the multipart field `chart`
// of `POST /api/chartrepo/<project>/charts` (charts-syncer pkg/client/repo/{chartmuseum,harbor}).
import {randomBytes} from 'node:crypto';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {create as createTar} from 'tar';
import YAML from 'yaml';
import {basicAuth, send} from './net.mjs';

export class ChartRepoError extends Error {}

/** `https://harbor/chartrepo/<project>` → `https://harbor/api/chartrepo/<project>/charts`. */
function harborUploadUrl(repoUrl) {
	const url = new URL(repoUrl);
	const project = /\/chartrepo\/([^/]+)\/?$/.exec(url.pathname)?.[1];
	if (!project) throw new ChartRepoError(`${repoUrl} is not a Harbor chart repository URL (https://<harbor>/chartrepo/<project>)`);
	return `${url.origin}/api/chartrepo/${project}/charts`;
}

const reason = response => {
	try {
		const body = JSON.parse(response.body.toString('utf8'));
		return body.error ?? body.errors?.[0]?.message ?? JSON.stringify(body);
	} catch {
		return `${response.status} ${response.statusText}`;
	}
};

export function chartRepoClient({url, type, username, password}) {
	const headers = username === undefined ? {} : {Authorization: basicAuth(username, password)};
	return {
		url,
		/** `<name>_<version>` of every chart version the repository lists. */
		async synced() {
			const response = await send('GET', `${url}/index.yaml`, {headers});
			if (response.status !== 200) throw new ChartRepoError(`GET ${url}/index.yaml: ${response.status} ${reason(response)}`);
			const entries = YAML.parse(response.body.toString('utf8'))?.entries ?? {};
			return new Set(
				Object.values(entries)
					.flat()
					.map(version => `${version.name}_${version.version}`),
			);
		},
		async upload(archive) {
			const content = readFileSync(archive);
			let response;
			if (type === 'harbor') {
				const boundary = `----dce5sim${randomBytes(8).toString('hex')}`;
				const head = `--${boundary}\r\nContent-Disposition: form-data; name="chart"; filename="${path.basename(archive)}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
				const body = Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]);
				response = await send('POST', harborUploadUrl(url), {
					headers: {...headers, 'Content-Type': `multipart/form-data; boundary=${boundary}`},
					body,
				});
			} else {
				response = await send('POST', `${url}/api/charts`, {
					headers: {...headers, 'Content-Type': 'application/octet-stream'},
					body: content,
				});
			}
			// 409: someone uploaded it meanwhile; charts-syncer counts that as synced.
			if (response.status !== 201 && response.status !== 409)
				throw new ChartRepoError(`POST ${response.url.href}: ${response.status} ${reason(response)}`);
		},
	};
}

/** Stands in when DCE5_SIM_NO_REGISTRY=1: an empty repository that takes every upload. */
export const noChartRepo = {url: '(none)', synced: async () => new Set(), upload: async () => undefined};

/** The bundle's chart as `<name>-<version>.tgz` (its packaged archive when it has one). */
export async function packChart(bundle) {
	if (bundle.chartArchive) return bundle.chartArchive;
	const target = path.join(bundle.dir, `${bundle.name}-${bundle.version}.tgz`);
	const parent = path.dirname(bundle.chartDir);
	if (path.basename(parent) === 'original-chart' && bundle.chartDir !== parent) {
		await createTar({file: target, gzip: true, cwd: parent, portable: true}, [path.basename(bundle.chartDir)]);
	} else {
		// original-chart/Chart.yaml: the archive still needs its `<chart>/` top folder.
		const files = readdirSync(bundle.chartDir).filter(name => !name.endsWith('.tgz'));
		await createTar({file: target, gzip: true, cwd: bundle.chartDir, portable: true, prefix: bundle.name}, files);
	}
	return target;
}
