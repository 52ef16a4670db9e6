// The arches undo already knows without asking the registry, taken from the snapshot: a saved
// manifest's own arches, a saved list's children (each entry names its platform), a saved single
// image's config, and the configs of the images the step pushed (the same config is the same
// image, arch and all).
// Undo's preview reads each tag now, and a single image there needs its config blob for its arch
// unless its manifest or config is one of these: the <0.12.0 clobber pushes the very amd64 image
// the saved list points to, so the common case costs no request.
import {parseManifest} from './manifest.js';
import type {SavedTag} from './tag-snapshot.js';
import {platformKey} from './tag-state.js';

/** Keys are `<repository>@<digest>`: a digest says nothing outside its repository's storage. */
export type KnownArches = {manifests: Map<string, string[]>; configs: Map<string, string>};

export const archKey = (repository: string, digest: string) => `${repository}@${digest}`;

/** What the snapshot tells; each saved body is parsed once and dropped (only digests and arches stay). */
export function knownArches(tags: readonly SavedTag[]): KnownArches {
	const known: KnownArches = {manifests: new Map(), configs: new Map()};
	for (const saved of tags) {
		const {repository} = saved;
		for (const image of saved.images ?? []) {
			known.configs.set(archKey(repository, image.configDigest), platformKey(image));
		}

		if (saved.before === 'absent') {
			continue;
		}

		const {digest, arches, mediaType, bytes} = saved.before;
		if (arches.length > 0 && !arches.includes('unknown')) {
			known.manifests.set(archKey(repository, digest), arches);
		}

		const parsed = parseManifest(Buffer.from(bytes, 'base64').toString('utf8'), mediaType);
		if (parsed.kind === 'list') {
			for (const entry of parsed.entries) {
				known.manifests.set(archKey(repository, entry.digest), [platformKey({arch: entry.architecture, os: entry.os})]);
			}
		} else if (parsed.kind === 'image' && parsed.configDigest && arches.length === 1 && arches[0] !== 'unknown') {
			known.configs.set(archKey(repository, parsed.configDigest), arches[0]!);
		}
	}

	return known;
}
