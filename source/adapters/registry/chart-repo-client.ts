// Reads a Helm repository's index.yaml (ChartMuseum, or Harbor's `…/chartrepo/<project>`) with
// basic auth, streamed into the chart-by-chart reader and capped, so memory stays flat however
// large the index is.
import {StringDecoder} from 'node:string_decoder';
import {ChartIndexReader} from '../../domain/registry/chart-index.js';
import type {WizardError} from '../../domain/shared/wizard-error.js';
import type {ChartRepoEndpoint} from '../../domain/registry/location.js';
import {registryEnvironment} from '../../domain/registry/location.js';
import type {ChartIndex, RegistryAccessError} from '../../domain/registry/tag-state.js';
import type {Secret} from '../../domain/shared/secret.js';
import {describeFailure, type Peer} from './registry-errors.js';
import {createHttp, isFailure, type Http, type HttpSettings} from './registry-http.js';

export type ChartIndexRead = {charts: ChartIndex; bytes: number; layout: 'streamed' | 'whole'; url: string};

/**
 * An index larger than this is not read: reading stops at this many bytes (the largest public ones
 * are ~30 MB), and the charts count as unknown rather than as an empty repository.
 */
export const defaultIndexLimit = 64 * 1_048_576;

const megabytes = (bytes: number) => Math.round(bytes / 1_048_576);

/** Too large to read: said with the cap, the charts unknown (pending), and what to do. */
function tooLarge(peer: Peer, limit: number): RegistryAccessError {
	const error = describeFailure({type: 'too-large', limit}, peer);
	return {
		...error,
		message: `The chart repository's index.yaml at ${peer.url} is larger than ${megabytes(limit)} MB; not read, so its charts are unknown (counted as pending).`,
		hint: `Check that ${peer.url} is the chart repository's index; if it is, remove old chart versions from the repository so its index shrinks below ${megabytes(limit)} MB.`,
		reason: `index.yaml is larger than ${megabytes(limit)} MB`,
	};
}

export function chartRepoPeer(endpoint: ChartRepoEndpoint): Peer {
	const configKeys = 'externalChartRepoUsername / externalChartRepoPassword in clusterConfig.yaml';
	const env = `${registryEnvironment.chartUser} / ${registryEnvironment.chartPassword}`;
	return {
		what: 'the chart repository',
		url: endpoint.url,
		username: endpoint.credential.username,
		credentialHint:
			endpoint.credential.source === 'default'
				? `set ${env} (the builtin ChartMuseum's default login rootuser was tried)`
				: `${configKeys}, or set ${env}`,
		caFile: endpoint.tls.mode === 'ca-file' ? endpoint.tls.caFile : undefined,
	};
}

export async function readChartIndexWith(
	http: Http,
	endpoint: ChartRepoEndpoint,
	password: Secret | undefined,
	options: {signal?: AbortSignal; maxBytes?: number} = {},
): Promise<ChartIndexRead | RegistryAccessError> {
	const url = `${endpoint.url}/index.yaml`;
	const peer = {...chartRepoPeer(endpoint), url};
	const {username} = endpoint.credential;
	const headers: Record<string, string> = {accept: 'application/x-yaml, text/yaml, */*'};
	if (username !== undefined) {
		headers['authorization'] = `Basic ${Buffer.from(`${username}:${password?.reveal() ?? ''}`).toString('base64')}`;
	}

	const reader = new ChartIndexReader();
	const decoder = new StringDecoder('utf8');
	let bytes = 0;
	const response = await http.send({
		method: 'GET',
		url,
		headers,
		signal: options.signal,
		maxBytes: options.maxBytes ?? defaultIndexLimit,
		onChunk(chunk) {
			bytes += chunk.length;
			reader.push(decoder.write(chunk));
		},
	});
	if (isFailure(response)) {
		return response.type === 'too-large' ? tooLarge(peer, response.limit) : describeFailure(response, peer);
	}

	if (response.status === 404) {
		return {
			...describeFailure({type: 'status', status: 404}, peer),
			message: `There is no index.yaml at ${url} (404).`,
			hint:
				endpoint.type === 'harbor'
					? 'Check the project in …/chartrepo/PROJECT.'
					: 'Check the chart repository URL (externalChartRepo or --chart-repo).',
		};
	}

	if (response.status !== 200) {
		return describeFailure({type: 'status', status: response.status}, peer);
	}

	reader.push(decoder.end());
	const result = reader.end();
	return result.ok
		? {charts: result.charts, bytes, layout: result.layout, url}
		: describeFailure({type: 'protocol', reason: result.reason}, peer);
}

/** Opens its own connection; for a one-off read (the port reuses one). */
export async function readChartIndex(
	endpoint: ChartRepoEndpoint,
	password: Secret | undefined,
	settings: Omit<HttpSettings, 'tls'> & {signal?: AbortSignal; maxBytes?: number} = {},
): Promise<ChartIndexRead | WizardError> {
	const http = await createHttp({...settings, tls: endpoint.tls});
	if (!('send' in http)) {
		return http;
	}

	try {
		return await readChartIndexWith(http, endpoint, password, settings);
	} finally {
		await http.close();
	}
}
