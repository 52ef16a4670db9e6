// Reads the JSON a registry returns for a manifest: a list/index of per-platform manifests, or one
// image whose platform is only in its config blob (§9.1).

export const mediaTypes = {
	ociIndex: 'application/vnd.oci.image.index.v1+json',
	dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
	ociManifest: 'application/vnd.oci.image.manifest.v1+json',
	dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
	dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
} as const;

/**
 * Sent with every manifest request. Without the list and index types distribution 2.8 answers an
 * OCI index with 404 and a Docker list with its linux/amd64 child, so a multi-arch tag would look
 * amd64-only.
 */
export const manifestAccept = [mediaTypes.ociIndex, mediaTypes.dockerList, mediaTypes.ociManifest, mediaTypes.dockerManifest].join(', ');

export type ListEntry = {
	digest: string;
	mediaType?: string;
	architecture: string;
	os: string;
	variant?: string;
};

export type ParsedManifest =
	| {kind: 'list'; mediaType: string; entries: ListEntry[]}
	/** `configDigest` is undefined for schema1 manifests, which carry their arch inline instead. */
	| {kind: 'image'; mediaType: string; configDigest?: string; inlineArch?: string}
	| {kind: 'invalid'; reason: string};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** BuildKit attestations and other non-images: `unknown/unknown`, or marked by annotation. */
function isAttestation(entry: Json, platform: Json): boolean {
	const annotations = isObject(entry['annotations']) ? entry['annotations'] : {};
	return (
		platform['architecture'] === 'unknown' ||
		platform['os'] === 'unknown' ||
		annotations['vnd.docker.reference.type'] === 'attestation-manifest'
	);
}

function readEntries(manifests: unknown[]): ListEntry[] {
	const entries: ListEntry[] = [];
	for (const entry of manifests) {
		if (!isObject(entry) || !isObject(entry['platform']) || !text(entry['digest'])) {
			continue;
		}

		const platform = entry['platform'];
		const architecture = text(platform['architecture']);
		if (!architecture || isAttestation(entry, platform)) {
			continue;
		}

		entries.push({
			digest: entry['digest'] as string,
			mediaType: text(entry['mediaType']),
			architecture,
			os: text(platform['os']) ?? 'linux',
			variant: text(platform['variant']),
		});
	}

	return entries;
}

/** `contentType` is the response's Content-Type; the body's own `mediaType` wins when present. */
export function parseManifest(body: string, contentType: string | undefined): ParsedManifest {
	let json: unknown;
	try {
		json = JSON.parse(body);
	} catch {
		return {kind: 'invalid', reason: 'the manifest is not JSON'};
	}

	if (!isObject(json)) {
		return {kind: 'invalid', reason: 'the manifest is not a JSON object'};
	}

	const mediaType = text(json['mediaType']) ?? text(contentType?.split(';')[0]?.trim()) ?? '';
	if (Array.isArray(json['manifests'])) {
		return {kind: 'list', mediaType: mediaType || mediaTypes.ociIndex, entries: readEntries(json['manifests'])};
	}

	if (isObject(json['config'])) {
		const configDigest = text(json['config']['digest']);
		return configDigest
			? {kind: 'image', mediaType: mediaType || mediaTypes.ociManifest, configDigest}
			: {kind: 'invalid', reason: "the manifest's config has no digest"};
	}

	if (json['schemaVersion'] === 1) {
		return {kind: 'image', mediaType: mediaTypes.dockerSchema1, inlineArch: text(json['architecture'])};
	}

	return {kind: 'invalid', reason: 'the manifest has neither manifests[] nor config'};
}

export type ImageConfigPlatform = {architecture?: string; os?: string; variant?: string};

/** The platform fields of an image config blob. */
export function parseConfigPlatform(body: string): ImageConfigPlatform | undefined {
	try {
		const json: unknown = JSON.parse(body);
		if (!isObject(json)) {
			return undefined;
		}

		return {architecture: text(json['architecture']), os: text(json['os']), variant: text(json['variant'])};
	} catch {
		return undefined;
	}
}
