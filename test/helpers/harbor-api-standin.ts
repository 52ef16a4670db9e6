// A minimal Harbor v2.0 API for the registry tests, in front of a real docker-registry: `/v2/`
// is proxied to it, `/api/v2.0` answers ping, projects (HEAD, POST with 201/409/403) and
// artifacts with paging, routing repository names only when `/` is encoded twice, as Harbor does.
// The testbed branch's tools/harbor-standin.mjs is the full stand-in; this is the part the
// client tests need until it lands.
import {createServer, request as httpRequest, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

export type HarborStandin = {
	url: string;
	projects: Set<string>;
	/** Every request line (`GET /v2/…`, `HEAD /api/v2.0/…`), for asserting what was sent. */
	requests: string[];
	stop(): Promise<void>;
};

export type HarborStandinOptions = {
	/** The registry `/v2/` is proxied to. */
	registryUrl: string;
	users: Record<string, {password: string; admin: boolean}>;
	projects?: string[];
	/** project → repository (inside the project) → artifacts in Harbor's JSON shape. */
	artifacts?: Record<string, Record<string, unknown[]>>;
};

function userOf(request: IncomingMessage, users: HarborStandinOptions['users']): string | undefined {
	const header = request.headers.authorization ?? '';
	if (!header.startsWith('Basic ')) {
		return undefined;
	}

	const [name, ...rest] = Buffer.from(header.slice(6), 'base64').toString().split(':');
	return name && users[name]?.password === rest.join(':') ? name : undefined;
}

const errors = (response: ServerResponse, status: number, code: string, message: string) => {
	response.writeHead(status, {'content-type': 'application/json'}).end(JSON.stringify({errors: [{code, message}]}));
};

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
	let text = '';
	for await (const chunk of request) {
		text += String(chunk);
	}

	return JSON.parse(text || '{}') as Record<string, unknown>;
}

export async function startHarborStandin(options: HarborStandinOptions): Promise<HarborStandin> {
	const projects = new Set(options.projects ?? []);
	const requests: string[] = [];
	const artifactsPath = /^\/api\/v2\.0\/projects\/([^/]+)\/repositories\/([^/]+)\/artifacts$/;

	async function api(request: IncomingMessage, response: ServerResponse, url: URL, rawPath: string) {
		if (rawPath === '/api/v2.0/ping') {
			response.writeHead(200, {'content-type': 'text/plain'}).end('Pong');
			return;
		}

		const user = userOf(request, options.users);
		if (!user) {
			errors(response, 401, 'UNAUTHORIZED', 'unauthorized');
			return;
		}

		if (rawPath === '/api/v2.0/projects' && request.method === 'HEAD') {
			response.writeHead(projects.has(url.searchParams.get('project_name') ?? '') ? 200 : 404).end();
			return;
		}

		if (rawPath === '/api/v2.0/projects' && request.method === 'POST') {
			const name = String((await readJson(request))['project_name'] ?? '');
			if (!options.users[user]!.admin) {
				errors(response, 403, 'FORBIDDEN', 'forbidden');
			} else if (projects.has(name)) {
				errors(response, 409, 'CONFLICT', `The project named ${name} already exists`);
			} else {
				projects.add(name);
				response.writeHead(201, {location: `/api/v2.0/projects/${projects.size}`}).end();
			}

			return;
		}

		const match = artifactsPath.exec(rawPath);
		if (match && request.method === 'GET') {
			// Harbor routes on the path decoded once: a single-encoded "a%2Fb" becomes "a/b" and no longer matches.
			const repository = decodeURIComponent(decodeURIComponent(match[2]!));
			const list = options.artifacts?.[decodeURIComponent(match[1]!)]?.[repository];
			if (!match[2]!.includes('%25') && repository.includes('/')) {
				errors(response, 404, 'NOT_FOUND', 'not found');
				return;
			}

			if (!list) {
				errors(response, 404, 'NOT_FOUND', `repository ${repository} not found`);
				return;
			}

			const page = Number(url.searchParams.get('page') ?? 1);
			const size = Number(url.searchParams.get('page_size') ?? 10);
			response
				.writeHead(200, {'content-type': 'application/json', 'x-total-count': String(list.length)})
				.end(JSON.stringify(list.slice((page - 1) * size, page * size)));
			return;
		}

		errors(response, 404, 'NOT_FOUND', 'not found');
	}

	const server = createServer((request, response) => {
		const raw = request.url ?? '/';
		const rawPath = raw.split('?')[0]!;
		const url = new URL(raw, 'http://standin');
		requests.push(`${request.method} ${raw}`);
		if (rawPath.startsWith('/api/')) {
			void api(request, response, url, rawPath);
			return;
		}

		const upstream = httpRequest(
			`${options.registryUrl}${raw}`,
			{method: request.method, headers: {...request.headers, host: new URL(options.registryUrl).host}},
			answer => {
				response.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(response);
			},
		);
		upstream.on('error', () => response.destroy());
		request.pipe(upstream);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		projects,
		requests,
		stop: async () =>
			new Promise(resolve => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
