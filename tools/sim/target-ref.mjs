// Where an image lands: `<registry>/<origin registry>/<repository>:<tag>`, the charts-syncer
// `containerPrefixRegistry` + `appendOriginRegistry` layout DCE uses (reference §9.3). The origin
// registry is parsed as source/domain/packages/image-ref.ts parses it (no registry: docker.io, library/).
function parseImageRef(ref) {
	let rest = ref.trim();
	let tag = 'latest';
	const at = rest.indexOf('@');
	if (at !== -1) {
		tag = rest.slice(at + 1);
		rest = rest.slice(0, at);
	} else {
		const colon = rest.lastIndexOf(':');
		if (colon > rest.lastIndexOf('/')) {
			tag = rest.slice(colon + 1);
			rest = rest.slice(0, colon);
		}
	}
	const segments = rest.split('/');
	const first = segments[0] ?? '';
	if (segments.length > 1 && (first === 'localhost' || first.includes('.') || first.includes(':'))) {
		return {registry: first, repository: segments.slice(1).join('/'), tag};
	}
	return {registry: 'docker.io', repository: segments.length === 1 ? `library/${rest}` : rest, tag};
}

/** `{repo, tag, host, ref}`: the repository path inside the registry, and the reference as printed. */
export function targetOf(imageRef, registry) {
	const origin = parseImageRef(imageRef);
	const repo = [registry.pathPrefix, origin.registry, origin.repository].filter(Boolean).join('/');
	return {repo, tag: origin.tag, host: registry.host, ref: `${registry.host}/${repo}:${origin.tag}`};
}
