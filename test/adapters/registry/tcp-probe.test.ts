// The TCP connect made before the HTTP client loads: a refusal is told from it, with the same code
// and words undici gives, and anything that listens is then spoken to over HTTP as before.
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createHttp, type Http} from '../../../source/adapters/registry/registry-http.js';
import {endpointOf, probeTcp} from '../../../source/adapters/registry/tcp-probe.js';
import {isWizardError} from '../../../source/domain/shared/wizard-error.js';

/** A port that was just listened on and closed: nothing listens there now. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	await new Promise<void>(resolve => server.close(() => resolve()));
	return port;
}

describe('the TCP probe before the HTTP client', () => {
	let server: Server;
	let open: string;
	let refused: string;
	const clients: Http[] = [];

	beforeAll(async () => {
		server = createServer((_request, response) => response.end('ok'));
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		open = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		refused = `http://127.0.0.1:${await closedPort()}`;
	});

	afterAll(async () => {
		await Promise.all(clients.map(async client => client.close()));
		await new Promise<void>(resolve => server.close(() => resolve()));
	});

	it('reads host and port from http, https and IPv6 URLs', () => {
		expect(endpointOf('https://192.0.2.2')).toEqual({host: '192.0.2.2', port: 443});
		expect(endpointOf('http://registry.local/v2/')).toEqual({host: 'registry.local', port: 80});
		expect(endpointOf('https://[fd00::2]:5000/v2/')).toEqual({host: 'fd00::2', port: 5000});
	});

	it('tells open from refused', async () => {
		expect(await probeTcp(open)).toEqual({state: 'open'});
		expect(await probeTcp(refused)).toMatchObject({state: 'refused', error: {code: 'ECONNREFUSED'}});
	});

	it('answers a refused request with the socket error undici gives, and an open one over HTTP', async () => {
		const created = await createHttp({tls: {mode: 'plain-http'}, retries: 0});
		expect(isWizardError(created)).toBe(false);
		const http = created as Http;
		clients.push(http);
		const port = endpointOf(refused).port;
		expect(await http.send({method: 'GET', url: `${refused}/v2/`})).toEqual({
			type: 'network',
			code: 'ECONNREFUSED',
			message: `connect ECONNREFUSED 127.0.0.1:${port}`,
		});
		const answer = await http.send({method: 'GET', url: `${open}/v2/`});
		expect(answer).toMatchObject({status: 200, text: 'ok'});
	});
});
