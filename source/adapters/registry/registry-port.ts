// The registry port over the real clients: one keep-alive connection pool for the registry and
// its Harbor API, another for the chart repository, opened on first use and closed by `close()`.
import {exitCodes, type WizardError} from '../../domain/shared/wizard-error.js';
import type {RegistryLocation, RegistrySecrets} from '../../domain/registry/location.js';
import type {RegistryAccessError} from '../../domain/registry/tag-state.js';
import {isWizardError} from '../../domain/shared/wizard-error.js';
import type {RegistryPort, SpaceCreation} from '../../workflow/ports/registry-port.js';
import {readChartIndexWith} from './chart-repo-client.js';
import {HarborApi} from './harbor-api.js';
import {createHttp, loadHttpIfReachable, type Http, type HttpSettings} from './registry-http.js';
import {openRegistryClient, registryPeer} from './registry-client.js';
import {readRegistryTargets, type OpenRegistry} from './registry-state-read.js';

export type RegistryPortOptions = {
	location: RegistryLocation;
	secrets: RegistrySecrets;
	http?: Omit<HttpSettings, 'tls'>;
	now?: () => number;
	/**
	 * The whole read of the registry's tags, connecting included (default 180 s): each request has
	 * its own deadline, but thousands of slow answers must not hold a plan for hours either.
	 */
	readBudgetMs?: number;
};

const defaultReadBudgetMs = 180_000;

/** The read ran out of its budget: which budget, where, and how far it got. */
function budgetSpent(url: string, budgetMs: number, done: number, total: number): RegistryAccessError {
	return {
		kind: 'registry-timeout',
		message: `Reading the registry at ${url} did not finish within its budget of ${budgetMs / 1000} s (${done} of ${total} tags read).`,
		hint: 'The registry answers too slowly: check its load and the network between here and it, then plan again.',
		exitCode: exitCodes.blocked,
		url,
		cause: 'READ_BUDGET',
	};
}

/** Connects, checks the registry answers, and asks whether it is Harbor; closes what it opened when not. */
async function openRegistry(options: RegistryPortOptions, now: () => number, signal?: AbortSignal): Promise<OpenRegistry | WizardError> {
	const {location, secrets} = options;
	const client = await openRegistryClient({...options.http, endpoint: location.registry, password: secrets.registryPassword, now});
	if (isWizardError(client)) {
		return client;
	}

	const ping = await client.ping(signal);
	if (isWizardError(ping)) {
		await client.close();
		return ping;
	}

	const harbor = new HarborApi(client.http, location.registry.url, registryPeer(location.registry), {
		username: location.registry.credential.username,
		password: secrets.registryPassword,
	});
	const isHarbor = await harbor.detect(signal);
	if (isWizardError(isHarbor)) {
		await client.close();
		return isHarbor;
	}

	return {client, harbor, isHarbor, auth: ping.auth};
}

/**
 * Something opened on first use and kept; an opening that failed is not kept, so the next call
 * (after the operator fixed something) tries again.
 */
function openedOnce<T>(open: (signal?: AbortSignal) => Promise<T | WizardError>) {
	let pending: Promise<T | WizardError> | undefined;
	return {
		isStarted: () => pending !== undefined,
		async get(signal?: AbortSignal): Promise<T | WizardError> {
			pending ??= open(signal);
			const result = await pending;
			if (isWizardError(result)) {
				pending = undefined;
			}

			return result;
		},
		/** Lets go of it: what was opened, for the caller to close. */
		take(): Promise<T | WizardError> | undefined {
			const taken = pending;
			pending = undefined;
			return taken;
		},
	};
}

async function createProjects(
	location: RegistryLocation,
	connected: OpenRegistry,
	names: string[],
	signal?: AbortSignal,
): ReturnType<RegistryPort['createSpaces']> {
	if (!connected.isHarbor) {
		return {
			created: [],
			error: {
				kind: 'registry-no-spaces',
				message: `${location.registry.url} is not Harbor: it has no projects to create.`,
				hint: 'Nothing to do: a plain registry takes any repository path.',
				exitCode: exitCodes.badInput,
			},
		};
	}

	const created: SpaceCreation[] = [];
	for (const name of names) {
		const result = await connected.harbor.createProject(name, signal);
		if (isWizardError(result)) {
			return {created, error: result};
		}

		created.push(result);
	}

	return {created};
}

export function createRegistryPort(options: RegistryPortOptions): RegistryPort {
	const {location, secrets} = options;
	const now = options.now ?? Date.now;
	const registry = openedOnce(async signal => openRegistry(options, now, signal));
	const chartRepo = openedOnce<Http>(async () => {
		const endpoint = location.chartRepo;
		return isWizardError(endpoint) ? endpoint : createHttp({...options.http, tls: endpoint.tls});
	});

	return {
		location,

		async readRegistryState(targets, callerOptions = {}) {
			const started = now();
			const budgetMs = options.readBudgetMs ?? defaultReadBudgetMs;
			const budget = AbortSignal.timeout(budgetMs);
			let done = 0;
			const readOptions = {
				...callerOptions,
				signal: callerOptions.signal ? AbortSignal.any([callerOptions.signal, budget]) : budget,
				onProgress: (progress: {done: number; total: number; elapsedMs: number; connectingTo?: string}) => {
					done = progress.done;
					callerOptions.onProgress?.(progress);
				},
			};
			if (!registry.isStarted()) {
				// "Waiting for the registry" counts from the first request, not from loading the HTTP client
				// (not loaded at all when the registry refuses the connection).
				await loadHttpIfReachable(location.registry.url);
				readOptions.onProgress({done: 0, total: targets.length, elapsedMs: 0, connectingTo: location.registry.url});
			}

			const connected = await registry.get(readOptions.signal);
			const read = isWizardError(connected) ? connected : await readRegistryTargets(location, connected, targets, readOptions);
			if (isWizardError(read)) {
				return budget.aborted && !callerOptions.signal?.aborted ? budgetSpent(location.registry.url, budgetMs, done, targets.length) : read;
			}

			return {...read, elapsedMs: now() - started};
		},

		async readChartIndex(readOptions = {}) {
			const endpoint = location.chartRepo;
			if (isWizardError(endpoint)) {
				return endpoint;
			}

			const http = await chartRepo.get();
			const read = isWizardError(http) ? http : await readChartIndexWith(http, endpoint, secrets.chartPassword, readOptions);
			return isWizardError(read) ? read : {charts: read.charts, bytes: read.bytes, url: read.url};
		},

		async createSpaces(names, createOptions = {}) {
			const connected = await registry.get(createOptions.signal);
			return isWizardError(connected) ? {created: [], error: connected} : createProjects(location, connected, names, createOptions.signal);
		},

		async close() {
			const pending = [registry.take(), chartRepo.take()];
			for (const item of await Promise.all(pending)) {
				if (item && !isWizardError(item)) {
					await ('client' in item ? item.client.close() : item.close());
				}
			}
		},
	};
}
