// Splits image references and names the registry space (Harbor project) each lands in.
//
// DCE pushes images to `<target registry>/<origin registry>/<repository>` (the charts-syncer
// `appendOriginRegistry` convention; inferred from the docs), so the first path segment in the
// target, which is the project that must exist, is the *origin registry*: `release.daocloud.io`,
// or `localhost` for images podman loaded without a registry (the seed's example).
// `repository` mode takes the first segment of the repository instead, should a different
// installer turn out to push without the origin prefix.

export type SpaceMode = 'origin-registry' | 'repository';

export type ParsedImageRef = {
	registry: string;
	repository: string;
	tag: string;
};

function isRegistryHost(segment: string): boolean {
	return segment === 'localhost' || segment.includes('.') || segment.includes(':');
}

export function parseImageRef(ref: string): ParsedImageRef {
	let rest = ref.trim();
	let tag = 'latest';
	const at = rest.indexOf('@');
	if (at !== -1) {
		tag = rest.slice(at + 1);
		rest = rest.slice(0, at);
	} else {
		const lastColon = rest.lastIndexOf(':');
		if (lastColon > rest.lastIndexOf('/')) {
			tag = rest.slice(lastColon + 1);
			rest = rest.slice(0, lastColon);
		}
	}

	const segments = rest.split('/');
	const first = segments[0] ?? '';
	if (segments.length > 1 && isRegistryHost(first)) {
		return {registry: first, repository: segments.slice(1).join('/'), tag};
	}

	const repository = segments.length === 1 ? `library/${rest}` : rest;
	return {registry: 'docker.io', repository, tag};
}

export function registrySpaceOf(ref: ParsedImageRef, mode: SpaceMode = 'origin-registry'): string {
	if (mode === 'origin-registry') {
		return ref.registry;
	}

	return ref.repository.split('/')[0] ?? 'library';
}
