// Removing a chart version the step uploaded, through ChartMuseum's API
// (`DELETE /api/charts/NAME/VERSION`), which answers 404 when DISABLE_DELETE is set. Harbor's
// chart API is deprecated and not driven here: the answer says so and what to do.
import {isWizardError, type WizardError} from '../../domain/shared/wizard-error.js';
import type {RegistryLocation, RegistrySecrets} from '../../domain/registry/location.js';
import {chartRepoPeer} from './chart-repo-client.js';
import {describeFailure} from './registry-errors.js';
import {createHttp, isFailure} from './registry-http.js';

export async function removeChartVersion(
	location: RegistryLocation,
	secrets: RegistrySecrets,
	name: string,
	version: string,
	signal?: AbortSignal,
): Promise<{deleted: true} | {deleted: false; reason: string} | WizardError> {
	const endpoint = location.chartRepo;
	if (isWizardError(endpoint)) {
		return endpoint;
	}

	if (endpoint.type === 'harbor') {
		return {deleted: false, reason: `remove it in Harbor's UI (project ${endpoint.harborProject ?? '?'}, Helm Charts)`};
	}

	const http = await createHttp({tls: endpoint.tls});
	if (!('send' in http)) {
		return http;
	}

	try {
		const base = endpoint.url.replace(/\/+$/, '');
		const url = `${base}/api/charts/${encodeURIComponent(name)}/${encodeURIComponent(version)}`;
		const {username} = endpoint.credential;
		const headers: Record<string, string> =
			username === undefined
				? {}
				: {authorization: `Basic ${Buffer.from(`${username}:${secrets.chartPassword?.reveal() ?? ''}`).toString('base64')}`};
		const response = await http.send({method: 'DELETE', url, headers, signal});
		if (isFailure(response)) {
			return describeFailure(response, {...chartRepoPeer(endpoint), url});
		}

		if (response.status === 200 || response.status === 202) {
			return {deleted: true};
		}

		return {
			deleted: false,
			reason:
				response.status === 404 || response.status === 405
					? `the chart repository does not allow deletes here (HTTP ${response.status})`
					: `the chart repository answered HTTP ${response.status}`,
		};
	} finally {
		await http.close();
	}
}
