// Harbor for tests: tools/harbor-standin.mjs (projects API, token service, v2auth) in front of a real
// docker-registry from registry.ts, keeping overwritten manifests as untagged artifacts as Harbor does
// (where it differs from Harbor: the top of tools/harbor-standin.mjs and tools/README.md). The stand-in refuses pushes into projects that do not exist, so a
// missing registry space comes from the part, not from a simulator knob.
import {execFile} from 'node:child_process';
import path from 'node:path';
import {promisify} from 'node:util';
import {requireTool, startRegistry, type TestRegistry} from './registry.js';
import {startStandin, type StandinProcess} from './standin-process.js';

const run = promisify(execFile);

export type TestHarbor = StandinProcess & {
	/** `http://127.0.0.1:PORT`: API, token service and /v2 on one address, as Harbor serves them. */
	url: string;
	/** `127.0.0.1:PORT`, as an image reference starts. */
	host: string;
	username: string;
	password: string;
	/** The docker-registry behind it (stopped with it when the helper started it). */
	backend: TestRegistry;
	/** Creates a project the way an operator would, with curl against the API: 201, or 409 when it exists. */
	createProject(name: string): Promise<number>;
	/** `HEAD /api/v2.0/projects?project_name=` with curl: true on 200. */
	hasProject(name: string): Promise<boolean>;
};

export type HarborOptions = {
	/** Projects that exist from the start (public); `library` always exists. */
	projects?: string[];
	username?: string;
	password?: string;
	/** A read-only account: may read, may neither push nor create projects. */
	readOnly?: {username: string; password: string};
	/** Projects' own accounts (a maintainer, or a robot account like `robot$daocloud+ci`): pull, push, delete in their project only. */
	members?: Array<{project: string; username: string; password: string}>;
	/** Serve /chartrepo/<project> (Harbor ≤ 2.7's chart repository). */
	charts?: boolean;
	/** A registry already started for it (the caller stops it); otherwise one with deletes enabled, as Harbor allows them, started and stopped with it. */
	backend?: TestRegistry;
};

export async function startHarbor(options: HarborOptions = {}): Promise<TestHarbor> {
	const curl = requireTool('curl');
	const username = options.username ?? 'admin';
	const password = options.password ?? 'Harbor12345';
	const ownBackend = options.backend === undefined;
	const backend = options.backend ?? (await startRegistry({deleteEnabled: true}));
	let standin: StandinProcess;
	try {
		standin = await startStandin('harbor-standin.mjs', root => [
			'--port',
			'0',
			'--backend',
			backend.url,
			'--backend-user',
			backend.username,
			'--backend-pass',
			backend.password,
			'--admin',
			`${username}:${password}`,
			...(options.readOnly ? ['--read-only', `${options.readOnly.username}:${options.readOnly.password}`] : []),
			...(options.members ?? []).flatMap(member => ['--member', `${member.project}:${member.username}:${member.password}`]),
			...(options.projects ?? []).flatMap(name => ['--project', name]),
			...(options.charts ? ['--chart-storage', path.join(root, 'charts')] : []),
		]);
	} catch (error) {
		if (ownBackend) {
			await backend.stop();
		}

		throw error;
	}

	const url = `http://127.0.0.1:${standin.port}`;
	const status = async (args: string[]) =>
		Number((await run(curl, ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-u', `${username}:${password}`, ...args])).stdout);
	return {
		...standin,
		url,
		host: `127.0.0.1:${standin.port}`,
		username,
		password,
		backend,
		async createProject(name) {
			return status([
				'-X',
				'POST',
				'-H',
				'Content-Type: application/json',
				'-d',
				JSON.stringify({project_name: name, metadata: {public: 'true'}}),
				`${url}/api/v2.0/projects`,
			]);
		},
		async hasProject(name) {
			return (await status(['-I', `${url}/api/v2.0/projects?project_name=${encodeURIComponent(name)}`])) === 200;
		},
		async stop() {
			await standin.stop();
			if (ownBackend) {
				await backend.stop();
			}
		},
	};
}
