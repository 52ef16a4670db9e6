// What each tag holds now, with its arches, for undo's preview: a GET of the manifest by tag (it
// costs the registry what a HEAD costs, and a list's body names its platforms), then a single
// image's config blob only when the snapshot does not already tell its arch, each config fetched
// once per repository. Bodies are dropped once their arches are taken, so memory stays flat.
import {createHash} from 'node:crypto';
import {isWizardError, type WizardError} from '../../domain/shared/wizard-error.js';
import {archKey, type KnownArches} from '../../domain/registry/known-arches.js';
import {manifestAccept, parseConfigPlatform, parseManifest} from '../../domain/registry/manifest.js';
import {platformKey, type TargetTag} from '../../domain/registry/tag-state.js';
import type {TagNow} from '../../domain/registry/undo-plan.js';
import type {RegistryClient} from './registry-client.js';
import type {HttpResponse} from './registry-http.js';
import {blobPath, manifestPath, pull} from './registry-paths.js';

/** Errors that mean the registry cannot be used at all, not that one tag could not be read. */
const fatalKinds = new Set(['registry-unreachable', 'registry-tls', 'registry-auth']);

/** One registry-wide failure fails the read; any other failure makes that one tag unreadable. */
export function settleReads(answers: Array<TagNow | WizardError>): TagNow[] | WizardError {
	const fatal = answers.find((item): item is WizardError => isWizardError(item) && fatalKinds.has(item.kind));
	return fatal ?? answers.map((item): TagNow => (isWizardError(item) ? {kind: 'unreadable', message: item.message} : item));
}

export type NowReaderDeps = {
	client: () => Promise<RegistryClient | WizardError>;
	/** The error for an unexpected HTTP status at `path`. */
	failure: (status: number, path: string) => WizardError;
	mapPool: <T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>) => Promise<R[]>;
	concurrency: number;
};

/** The arch a config blob states, or undefined when it cannot be read: never a guess. */
export async function archOfConfig(open: RegistryClient, repository: string, configDigest: string, signal?: AbortSignal) {
	const response = await open.send({method: 'GET', path: blobPath(repository, configDigest), signal}, pull(repository));
	const platform = !isWizardError(response) && response.status === 200 ? parseConfigPlatform(response.text) : undefined;
	return platform?.architecture ? platformKey({arch: platform.architecture, os: platform.os}) : undefined;
}

/** A list's arches, as its entries name their platforms, each once. */
export const listArches = (entries: ReadonlyArray<{architecture: string; os?: string}>) =>
	[...new Set(entries.map(entry => platformKey({arch: entry.architecture, os: entry.os})))].sort();

export function createNowReader(deps: NowReaderDeps) {
	return async function readNow(targets: TargetTag[], known: KnownArches, signal?: AbortSignal): Promise<TagNow[] | WizardError> {
		// Seeded with what the snapshot knows; a fetch in flight is shared by every tag that needs it.
		const configs = new Map<string, Promise<string | undefined>>([...known.configs].map(([key, arch]) => [key, Promise.resolve(arch)]));
		const configArch = (open: RegistryClient, repository: string, digest: string) => {
			const key = archKey(repository, digest);
			const cached = configs.get(key) ?? archOfConfig(open, repository, digest, signal);
			configs.set(key, cached);
			return cached;
		};

		async function readOne(target: TargetTag): Promise<TagNow | WizardError> {
			const open = await deps.client();
			if (isWizardError(open)) {
				return open;
			}

			const path = manifestPath(target.repository, target.tag);
			const response = await open.send({method: 'GET', path, headers: {accept: manifestAccept}, signal}, pull(target.repository));
			if (isWizardError(response)) {
				return response;
			}

			if (response.status === 404) {
				return {kind: 'absent'};
			}

			if (response.status !== 200) {
				return deps.failure(response.status, path);
			}

			const digest = response.headers['docker-content-digest'] ?? `sha256:${createHash('sha256').update(response.bytes).digest('hex')}`;
			const arches = known.manifests.get(archKey(target.repository, digest)) ?? (await archesOfBody(open, target, response));
			return {kind: 'present', digest, ...(arches && arches.length > 0 ? {arches} : {})};
		}

		async function archesOfBody(open: RegistryClient, target: TargetTag, response: HttpResponse) {
			const parsed = parseManifest(response.text, response.headers['content-type']);
			if (parsed.kind === 'list') {
				return listArches(parsed.entries);
			}

			if (parsed.kind !== 'image') {
				return undefined;
			}

			const arch = parsed.inlineArch ?? (parsed.configDigest ? await configArch(open, target.repository, parsed.configDigest) : undefined);
			return arch ? [arch] : undefined;
		}

		return settleReads(await deps.mapPool(targets, deps.concurrency, readOne));
	};
}
