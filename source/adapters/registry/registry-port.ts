// The registry port over the real clients: one keep-alive connection pool for the registry and
// its Harbor API, another for the chart repository, opened on first use and closed by `close()`.
import {exitCodes, type WizardError} from '../../domain/shared/wizard-error.js';
import type {RegistryLocation, RegistrySecrets} from '../../domain/registry/location.js';
import {spaceOfTarget} from '../../domain/registry/location.js';
import {pickNeighbourTag} from '../../domain/registry/neighbour-tag.js';
import type {Neighbour, ReadTarget, RegistryAccessError, RegistrySpaces, TagState, TargetTag} from '../../domain/registry/tag-state.js';
import {tagKey} from '../../domain/registry/tag-state.js';
import {isWizardError} from '../../domain/shared/wizard-error.js';
import type {RegistryPort, RegistryRead, SpaceCreation} from '../../workflow/ports/registry-port.js';
import {readChartIndexWith} from './chart-repo-client.js';
import {HarborApi} from './harbor-api.js';
import {createHttp, type Http, type HttpSettings} from './registry-http.js';
import {openRegistryClient, registryPeer, type RegistryClient} from './registry-client.js';

export type RegistryPortOptions = {
	location: RegistryLocation;
	secrets: RegistrySecrets;
	http?: Omit<HttpSettings, 'tls'>;
	now?: () => number;
};

type Opened = {client: RegistryClient; harbor: HarborApi; isHarbor: boolean; auth: RegistryRead['auth']};

export function createRegistryPort(options: RegistryPortOptions): RegistryPort {
	const {location, secrets} = options;
	const now = options.now ?? Date.now;
	let opened: Promise<Opened | WizardError> | undefined;
	let chartHttp: Promise<Http | WizardError> | undefined;

	async function open(signal?: AbortSignal): Promise<Opened | WizardError> {
		const client = await openRegistryClient({...options.http, endpoint: location.registry, password: secrets.registryPassword, now});
		if (isWizardError(client)) {
			return client;
		}

		const ping = await client.ping(signal);
		if (isWizardError(ping)) {
			await client.close();
			return ping;
		}

		const harbor = new HarborApi(client.http, location.registry.url, registryPeer(location.registry), {username: location.registry.credential.username, password: secrets.registryPassword});
		const isHarbor = await harbor.detect(signal);
		if (isWizardError(isHarbor)) {
			await client.close();
			return isHarbor;
		}

		return {client, harbor, isHarbor, auth: ping.auth};
	}

	async function connection(signal?: AbortSignal): Promise<Opened | WizardError> {
		opened ??= open(signal);
		const result = await opened;
		if (isWizardError(result)) {
			// Not kept: the next call (after the operator fixed something) tries again.
			opened = undefined;
		}

		return result;
	}

	async function readSpaces(connection: Opened, targets: TargetTag[], signal?: AbortSignal): Promise<RegistrySpaces | RegistryAccessError> {
		if (!connection.isHarbor) {
			return {kind: 'none', reason: `${location.registry.url} answers the registry API but not Harbor's (/api/v2.0/ping), so it has no projects and none need to exist.`};
		}

		const names = [...new Set(targets.map(target => spaceOfTarget(target)))].sort();
		const answers = await Promise.all(names.map(async name => connection.harbor.projectExists(name, signal)));
		const failed = answers.find(answer => typeof answer !== 'boolean');
		if (failed !== undefined && typeof failed !== 'boolean') {
			return failed;
		}

		return {kind: 'harbor', existing: names.filter((_, index) => answers[index] === true), missing: names.filter((_, index) => answers[index] === false)};
	}

	/** Repositories whose every target is absent: their newest other tag, read for platforms only. */
	async function readNeighbours(client: RegistryClient, targets: TargetTag[], tags: Map<string, TagState>, signal?: AbortSignal): Promise<Map<string, Neighbour> | RegistryAccessError> {
		const byRepository = new Map<string, string[]>();
		for (const target of targets) {
			byRepository.set(target.repository, [...(byRepository.get(target.repository) ?? []), target.tag]);
		}

		const lonely = [...byRepository].filter(([repository, own]) => own.every(tag => tags.get(tagKey({repository, tag}))?.kind === 'absent'));
		const picked = await Promise.all(lonely.map(async ([repository, own]) => {
			const listed = await client.listTags(repository, signal);
			return isWizardError(listed) ? listed : {repository, tag: pickNeighbourTag(listed, own), images: []};
		}));
		const failed = picked.find(item => isWizardError(item));
		if (failed && isWizardError(failed)) {
			return failed;
		}

		const chosen = (picked as Array<ReadTarget & {tag: string | undefined}>).filter((item): item is ReadTarget => item.tag !== undefined);
		const states = await client.readTags(chosen, {signal});
		if (isWizardError(states)) {
			return states;
		}

		return new Map(chosen.map(target => [target.repository, {tag: target.tag, state: states.get(tagKey(target)) ?? {kind: 'absent'}}]));
	}

	return {
		location,

		async readRegistryState(targets, readOptions = {}) {
			const started = now();
			if (!opened) {
				readOptions.onProgress?.({done: 0, total: targets.length, elapsedMs: 0, connectingTo: location.registry.url});
			}

			const connected = await connection(readOptions.signal);
			if (isWizardError(connected)) {
				return connected;
			}

			const spaces = await readSpaces(connected, targets, readOptions.signal);
			if (isWizardError(spaces)) {
				return spaces;
			}

			const missing = new Set(spaces.kind === 'harbor' ? spaces.missing : []);
			const inMissing = (target: TargetTag) => missing.has(spaceOfTarget(target));
			const read = await connected.client.readTags(targets.filter(target => !inMissing(target)), readOptions);
			if (isWizardError(read)) {
				return read;
			}

			const tags = new Map<string, TagState>(targets.filter(target => inMissing(target)).map(target => [tagKey(target), {kind: 'absent'}]));
			for (const [key, state] of read) {
				tags.set(key, state);
			}

			const neighbours = await readNeighbours(connected.client, targets.filter(target => !inMissing(target)), tags, readOptions.signal);
			if (isWizardError(neighbours)) {
				return neighbours;
			}

			return {
				tags,
				spaces,
				neighbours,
				auth: connected.auth,
				harbor: connected.isHarbor,
				tls: connected.client.http.tlsNote,
				elapsedMs: now() - started,
				requests: connected.client.http.stats.requests,
			};
		},

		async readChartIndex(readOptions = {}) {
			const endpoint = location.chartRepo;
			if (isWizardError(endpoint)) {
				return endpoint;
			}

			chartHttp ??= createHttp({...options.http, tls: endpoint.tls});
			const http = await chartHttp;
			if (isWizardError(http)) {
				chartHttp = undefined;
				return http;
			}

			const read = await readChartIndexWith(http, endpoint, secrets.chartPassword, readOptions);
			return isWizardError(read) ? read : {charts: read.charts, bytes: read.bytes, url: read.url};
		},

		async createSpaces(names, createOptions = {}) {
			const connected = await connection(createOptions.signal);
			if (isWizardError(connected)) {
				return {created: [], error: connected};
			}

			if (!connected.isHarbor) {
				return {created: [], error: {kind: 'registry-no-spaces', message: `${location.registry.url} is not Harbor: it has no projects to create.`, hint: 'Nothing to do: a plain registry takes any repository path.', exitCode: exitCodes.badInput}};
			}

			const created: SpaceCreation[] = [];
			for (const name of names) {
				const result = await connected.harbor.createProject(name, createOptions.signal);
				if (isWizardError(result)) {
					return {created, error: result};
				}

				created.push(result);
			}

			return {created};
		},

		async close() {
			const pending = [opened, chartHttp];
			opened = undefined;
			chartHttp = undefined;
			for (const item of await Promise.all(pending)) {
				if (item && !isWizardError(item)) {
					await ('client' in item ? item.client.close() : item.close());
				}
			}
		},
	};
}
