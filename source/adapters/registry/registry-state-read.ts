// What the registry holds for a plan's targets, read over an open connection: which Harbor
// projects exist, each target tag (those in a missing project are absent without a request), and
// for a repository whose every target is absent, the newest other tag (its platforms only).
import type {RegistryLocation} from '../../domain/registry/location.js';
import {spaceOfTarget} from '../../domain/registry/location.js';
import {pickNeighbourTag} from '../../domain/registry/neighbour-tag.js';
import type {Neighbour, ReadTarget, RegistryAccessError, RegistrySpaces, TagState, TargetTag} from '../../domain/registry/tag-state.js';
import {tagKey} from '../../domain/registry/tag-state.js';
import {isWizardError, type WizardError} from '../../domain/shared/wizard-error.js';
import type {RegistryPort, RegistryRead} from '../../workflow/ports/registry-port.js';
import type {HarborApi} from './harbor-api.js';
import type {RegistryClient} from './registry-client.js';

/** A registry connection that answered: its client, its Harbor API and whether it is Harbor. */
export type OpenRegistry = {client: RegistryClient; harbor: HarborApi; isHarbor: boolean; auth: RegistryRead['auth']};

export type ReadOptions = NonNullable<Parameters<RegistryPort['readRegistryState']>[1]>;

async function readSpaces(
	location: RegistryLocation,
	connection: OpenRegistry,
	targets: TargetTag[],
	signal?: AbortSignal,
): Promise<RegistrySpaces | RegistryAccessError> {
	if (!connection.isHarbor) {
		return {
			kind: 'none',
			reason: `${location.registry.url} answers the registry API but not Harbor's (/api/v2.0/ping), so it has no projects and none need to exist.`,
		};
	}

	const names = [...new Set(targets.map(target => spaceOfTarget(target)))].sort();
	const answers = await Promise.all(names.map(async name => connection.harbor.projectExists(name, signal)));
	const failed = answers.find(answer => typeof answer !== 'boolean');
	if (failed !== undefined && typeof failed !== 'boolean') {
		return failed;
	}

	return {
		kind: 'harbor',
		existing: names.filter((_, index) => answers[index] === true),
		missing: names.filter((_, index) => answers[index] === false),
	};
}

/** Repositories whose every target is absent: their newest other tag, read for platforms only. */
async function readNeighbours(
	client: RegistryClient,
	targets: TargetTag[],
	tags: Map<string, TagState>,
	signal?: AbortSignal,
): Promise<Map<string, Neighbour> | RegistryAccessError> {
	const byRepository = new Map<string, string[]>();
	for (const target of targets) {
		byRepository.set(target.repository, [...(byRepository.get(target.repository) ?? []), target.tag]);
	}

	const lonely = [...byRepository].filter(([repository, own]) => own.every(tag => tags.get(tagKey({repository, tag}))?.kind === 'absent'));
	const picked = await Promise.all(
		lonely.map(async ([repository, own]) => {
			const listed = await client.listTags(repository, signal);
			return isWizardError(listed) ? listed : {repository, tag: pickNeighbourTag(listed, own), images: []};
		}),
	);
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

/** Every target's tag: read from the registry, or absent without a request when its project is missing. */
async function readTargetTags(
	connection: OpenRegistry,
	spaces: RegistrySpaces,
	targets: ReadTarget[],
	options: ReadOptions,
): Promise<{tags: Map<string, TagState>; present: ReadTarget[]} | RegistryAccessError | WizardError> {
	const missing = new Set(spaces.kind === 'harbor' ? spaces.missing : []);
	const inMissing = (target: TargetTag) => missing.has(spaceOfTarget(target));
	const present = targets.filter(target => !inMissing(target));
	const read = await connection.client.readTags(present, options);
	if (isWizardError(read)) {
		return read;
	}

	const tags = new Map<string, TagState>(targets.filter(target => inMissing(target)).map(target => [tagKey(target), {kind: 'absent'}]));
	for (const [key, state] of read) {
		tags.set(key, state);
	}

	return {tags, present};
}

/** The registry's state for the targets, without the time it took (the port adds it). */
export async function readRegistryTargets(
	location: RegistryLocation,
	connection: OpenRegistry,
	targets: ReadTarget[],
	options: ReadOptions,
): Promise<Omit<RegistryRead, 'elapsedMs'> | RegistryAccessError | WizardError> {
	const spaces = await readSpaces(location, connection, targets, options.signal);
	if (isWizardError(spaces)) {
		return spaces;
	}

	const read = await readTargetTags(connection, spaces, targets, options);
	if (isWizardError(read)) {
		return read;
	}

	const neighbours = await readNeighbours(connection.client, read.present, read.tags, options.signal);
	if (isWizardError(neighbours)) {
		return neighbours;
	}

	const {http} = connection.client;
	return {
		tags: read.tags,
		spaces,
		neighbours,
		auth: connection.auth,
		...(connection.client.auth.tokenOrigin ? {tokenOrigin: connection.client.auth.tokenOrigin} : {}),
		harbor: connection.isHarbor,
		tls: http.tlsNote,
		requests: http.stats.requests,
	};
}
