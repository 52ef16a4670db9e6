// The snapshot and restore port over the registry's /v2 API (distribution and Harbor alike):
// a tag's manifest saved byte for byte, HEADs by tag and by digest, a PUT of saved bytes with
// their media type, and DELETE where the registry allows it. One client, opened on first use.
import {createHash} from 'node:crypto';
import {isWizardError, type WizardError} from '../../domain/shared/wizard-error.js';
import type {RegistryLocation, RegistrySecrets} from '../../domain/registry/location.js';
import {manifestAccept, parseManifest} from '../../domain/registry/manifest.js';
import {manifestReferences, type SavedManifest} from '../../domain/registry/tag-snapshot.js';
import {platformKey, type ReadTarget, type TargetTag} from '../../domain/registry/tag-state.js';
import type {TagNow} from '../../domain/registry/undo-plan.js';
import type {RestorePort} from '../../workflow/ports/snapshot-port.js';
import {describeFailure} from './registry-errors.js';
import type {HttpSettings} from './registry-http.js';
import {openRegistryClient, registryPeer, type RegistryClient} from './registry-client.js';
import {removeChartVersion} from './chart-remove.js';
import {archOfConfig, createNowReader, listArches, settleReads} from './registry-now.js';
import {blobPath, manifestPath, pull, push, remove} from './registry-paths.js';

/** Runs `work` over `items` with at most `size` at once, in order of results. */
export async function mapPool<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array<R>(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await work(items[index]!);
		}
	};

	await Promise.all(Array.from({length: Math.min(size, items.length)}, worker));
	return results;
}

function firstError<T>(results: Array<T | WizardError>): WizardError | undefined {
	return results.find((item): item is WizardError => isWizardError(item));
}

export type SnapshotPortOptions = {
	location: RegistryLocation;
	secrets: RegistrySecrets;
	http?: Omit<HttpSettings, 'tls'>;
	concurrency?: number;
};

export function createRestorePort(options: SnapshotPortOptions): RestorePort {
	const {location} = options;
	const peer = registryPeer(location.registry);
	const concurrency = options.concurrency ?? 8;
	let opened: Promise<RegistryClient | WizardError> | undefined;
	const client = async () => {
		opened ??= openRegistryClient({...options.http, endpoint: location.registry, password: options.secrets.registryPassword});
		const result = await opened;
		if (isWizardError(result)) {
			opened = undefined;
		}

		return result;
	};

	const failure = (status: number, path: string) =>
		describeFailure({type: 'status', status}, {...peer, url: `${location.registry.url}${path}`});

	async function head(repository: string, reference: string, kind: 'manifests' | 'blobs', signal?: AbortSignal) {
		const open = await client();
		if (isWizardError(open)) {
			return open;
		}

		const path = kind === 'manifests' ? manifestPath(repository, reference) : blobPath(repository, reference);
		const response = await open.send({method: 'HEAD', path, headers: {accept: manifestAccept}, signal}, pull(repository));
		if (isWizardError(response)) {
			return response;
		}

		if (response.status === 404) {
			return {kind: 'absent'} as const;
		}

		return response.status === 200
			? ({kind: 'present', digest: response.headers['docker-content-digest'] ?? ''} as const)
			: failure(response.status, path);
	}

	async function saveOne(target: ReadTarget, signal?: AbortSignal): Promise<SavedManifest | 'absent' | WizardError> {
		const open = await client();
		if (isWizardError(open)) {
			return open;
		}

		const path = manifestPath(target.repository, target.tag);
		const response = await open.send({method: 'GET', path, headers: {accept: manifestAccept}, signal}, pull(target.repository));
		if (isWizardError(response)) {
			return response;
		}

		if (response.status === 404) {
			return 'absent';
		}

		if (response.status !== 200) {
			return failure(response.status, path);
		}

		const mediaType = (response.headers['content-type'] ?? '').split(';')[0]!.trim();
		const parsed = parseManifest(response.text, mediaType);
		const digest = `sha256:${createHash('sha256').update(response.bytes).digest('hex')}`;
		const known = target.images?.find(image => parsed.kind === 'image' && image.configDigest === parsed.configDigest);
		// An image's arch not known from the plan nor written in its manifest is read from its config; never guessed.
		const configArch = async (configDigest?: string) =>
			(configDigest ? await archOfConfig(open, target.repository, configDigest, signal) : undefined) ?? 'unknown';
		const arches =
			parsed.kind === 'list'
				? listArches(parsed.entries)
				: parsed.kind === 'image'
					? [known ? platformKey(known) : (parsed.inlineArch ?? (await configArch(parsed.configDigest)))]
					: [];
		return {
			digest: response.headers['docker-content-digest'] ?? digest,
			mediaType: mediaType || (parsed.kind === 'invalid' ? '' : parsed.mediaType),
			bytes: response.bytes.toString('base64'),
			arches,
			references: manifestReferences(response.text),
		};
	}

	return {
		registry: location.registry.url,
		pathPrefix: location.registry.pathPrefix,

		async save(targets, signal) {
			const saved = await mapPool(targets, concurrency, async target => saveOne(target, signal));
			return firstError(saved) ?? (saved as Array<SavedManifest | 'absent'>);
		},

		async digests(targets, signal) {
			return settleReads(await mapPool(targets, concurrency, async target => head(target.repository, target.tag, 'manifests', signal)));
		},

		readNow: createNowReader({client, failure, mapPool, concurrency}),

		async missing(repository, references, signal) {
			const checks = [
				...references.manifests.map(digest => ({digest, kind: 'manifests' as const})),
				...references.blobs.map(digest => ({digest, kind: 'blobs' as const})),
			];
			const answers = await mapPool(checks, 4, async check => head(repository, check.digest, check.kind, signal));
			return firstError(answers) ?? checks.filter((_, index) => (answers[index] as TagNow).kind === 'absent').map(check => check.digest);
		},

		async put(target, manifest, signal) {
			const open = await client();
			if (isWizardError(open)) {
				return open;
			}

			const path = manifestPath(target.repository, target.tag);
			const body = Buffer.from(manifest.bytes, 'base64');
			const response = await open.send(
				{method: 'PUT', path, headers: {'content-type': manifest.mediaType}, body, signal},
				push(target.repository),
			);
			if (isWizardError(response)) {
				return response;
			}

			return response.status === 201 || response.status === 200
				? {digest: response.headers['docker-content-digest'] ?? ''}
				: {
						...failure(response.status, path),
						message: `The registry refused the saved manifest for ${target.repository}:${target.tag} (HTTP ${response.status}): ${response.text.trim().slice(0, 200)}`,
					};
		},

		async remove(target, digest, signal) {
			return removeTag(await client(), target, digest, signal);
		},

		async removeChart(name, version, signal) {
			return removeChartVersion(location, options.secrets, name, version, signal);
		},

		async close() {
			const open = await opened;
			opened = undefined;
			if (open && !isWizardError(open)) {
				await open.close();
			}
		},
	};
}

/** Why a DELETE answered as it did, in the operator's words. */
function refusedDelete(status: number, body: string): {deleted: false; reason: string} | undefined {
	if (status === 405 || /UNSUPPORTED/.test(body)) {
		return {deleted: false, reason: 'the registry does not allow deletes (distribution: storage.delete.enabled is not true)'};
	}

	if (status === 401 || status === 403) {
		return {deleted: false, reason: `the login may not delete there (HTTP ${status})`};
	}

	return undefined;
}

/**
 * OCI 1.1 registries (Harbor) delete a tag by name; distribution 2.8 only deletes a manifest by
 * digest, which removes every tag on it: the digest is deleted only when no other tag of the
 * repository holds it.
 */
async function removeTag(
	open: RegistryClient | WizardError,
	target: TargetTag,
	digest: string,
	signal?: AbortSignal,
): Promise<{deleted: true} | {deleted: false; reason: string} | WizardError> {
	if (isWizardError(open)) {
		return open;
	}

	const byTag = await open.send({method: 'DELETE', path: manifestPath(target.repository, target.tag), signal}, remove(target.repository));
	if (isWizardError(byTag)) {
		return byTag;
	}

	if (byTag.status === 202 || byTag.status === 200) {
		return {deleted: true};
	}

	if (byTag.status === 405 && !/UNSUPPORTED/.test(byTag.text)) {
		return refusedDelete(byTag.status, byTag.text)!;
	}

	const others = await open.listTags(target.repository, signal);
	if (isWizardError(others)) {
		return others;
	}

	for (const tag of others.filter(item => item !== target.tag)) {
		const held = await open.exists({repository: target.repository, tag}, signal);
		if (!isWizardError(held) && held?.digest === digest) {
			return {deleted: false, reason: `${target.repository}:${tag} holds the same manifest, and this registry deletes by digest only`};
		}
	}

	const byDigest = await open.send({method: 'DELETE', path: manifestPath(target.repository, digest), signal}, remove(target.repository));
	if (isWizardError(byDigest)) {
		return byDigest;
	}

	return byDigest.status === 202 || byDigest.status === 200
		? {deleted: true}
		: (refusedDelete(byDigest.status, byDigest.text) ?? {deleted: false, reason: `the registry answered HTTP ${byDigest.status}`});
}
