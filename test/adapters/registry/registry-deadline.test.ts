// A registry that answers /v2/ and then sends its answers one byte at a time never trips an idle
// timeout. Against a real HTTP server doing exactly that, one request's overall deadline ends the
// read and names the request; answers slow enough to pass each deadline still stop at the read's
// budget, which says how far the read got.
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterEach, expect, it} from 'vitest';
import {createRegistryPort} from '../../../source/adapters/registry/registry-port.js';
import {locateRegistry} from '../../../source/domain/registry/location.js';
import {isWizardError, type WizardError} from '../../../source/domain/shared/wizard-error.js';
import {plannedPushes} from '../../../source/domain/registry/push-diff.js';

const servers: Server[] = [];
afterEach(async () => {
	for (const server of servers.splice(0)) {
		server.closeAllConnections();
		await new Promise(resolve => {
			server.close(resolve);
		});
	}
});

/** /v2/ at once; every manifest: headers, then one byte every `dripMs` (forever, or `bytes` of them). */
async function drippingRegistry(dripMs: number, bytes = Number.POSITIVE_INFINITY): Promise<string> {
	const server = createServer((request, response) => {
		if (request.url === '/v2/') {
			response.writeHead(200, {'content-type': 'application/json', 'docker-distribution-api-version': 'registry/2.0'}).end('{}');
			return;
		}

		if (!request.url?.includes('/manifests/')) {
			// Not Harbor: its API is not there.
			response.writeHead(404).end();
			return;
		}

		response.writeHead(404, {'content-type': 'application/json'});
		let sent = 0;
		const body = JSON.stringify({errors: [{code: 'MANIFEST_UNKNOWN', message: 'manifest unknown'}]});
		const timer = setInterval(() => {
			if (response.destroyed) {
				clearInterval(timer);
			} else if (sent >= bytes || sent >= body.length) {
				clearInterval(timer);
				response.end();
			} else {
				response.write(body[sent++]);
			}
		}, dripMs);
	});
	servers.push(server);
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function port(url: string, http: {deadlineMs?: number; timeoutMs?: number}, readBudgetMs?: number) {
	const located = locateRegistry({document: undefined, flags: {registry: url}, env: {}});
	if (isWizardError(located)) {
		throw new Error(located.message);
	}

	return createRegistryPort({
		location: located.location,
		secrets: located.secrets,
		http: {retryDelayMs: 5, caBundles: [], ...http},
		readBudgetMs,
	});
}

const targets = (count: number) =>
	plannedPushes(
		Array.from({length: count}, (_, index) => ({
			registry: 'release.daocloud.io',
			repository: `app-${index}`,
			tag: 'v1',
			architecture: 'amd64',
		})),
		{pathPrefix: ''},
		'amd64',
	).map(push => push.target);

it('ends a request that drips past its deadline (the idle timeout never trips) and names it', async () => {
	const url = await drippingRegistry(100);
	const registry = port(url, {deadlineMs: 1500, timeoutMs: 10_000});
	const read = (await registry.readRegistryState(targets(1))) as WizardError;
	await registry.close();
	expect(isWizardError(read)).toBe(true);
	expect(read.message).toMatch(/the answer to (GET|HEAD) \/v2\/release\.daocloud\.io\/app-0\/manifests\/v1 was not complete after 1\.5 s/);
	expect(read.hint).not.toBe('');
});

it('stops a read whose answers each pass their deadline at the read’s budget, and says how far it got', async () => {
	// Each answer takes about 0.75 s (its whole body, one byte every 10 ms): within the deadline.
	const url = await drippingRegistry(10);
	const registry = port(url, {deadlineMs: 5000, timeoutMs: 5000}, 2000);
	const read = (await registry.readRegistryState(targets(200))) as WizardError;
	await registry.close();
	expect(isWizardError(read)).toBe(true);
	expect(read.message).toMatch(
		/^Reading the registry at http:\/\/127\.0\.0\.1:\d+ did not finish within its budget of 2 s \(\d+ of 200 tags read\)\.$/,
	);
});
