// What a registry shows for the tags a step touches: the vocabulary shared by the registry
// client, the diffs before a run and the verification after it. Pure data and small helpers.
import type {WizardError} from '../shared/wizard-error.js';

/** One platform's image at a tag: the image inside a list, or the tag's only image. */
export type ArchImage = {
	/** Go architecture name as the registry states it (`amd64`, `arm64`, …). */
	arch: string;
	os?: string;
	variant?: string;
	manifestDigest?: string;
	/** The image ID: the same image pushed twice keeps it, while its manifest digest may change (§9.1). */
	configDigest?: string;
};

/** `unreadable`: the tag could not be read (403 on its repository, a server error after retries, a bad manifest). */
export type TagState = KnownTagState | {kind: 'unreadable'; error: WizardError};

/** A tag whose content is known; absent counts as known. */
export type KnownTagState =
	| {kind: 'absent'}
	/** `manifestDigest`/`mediaType` are undefined in a projection of what a step will leave. */
	| {kind: 'image'; manifestDigest?: string; mediaType?: string; image: ArchImage}
	/** A Docker manifest list or an OCI index; attestation and `unknown/unknown` entries are left out. */
	| {kind: 'list'; manifestDigest?: string; mediaType?: string; images: ArchImage[]};

/** A tag in the target registry: `repository` is the full path there, e.g. `release.daocloud.io/kpanda/foo`. */
export type TargetTag = {repository: string; tag: string};

/**
 * A tag to read, with the images a step has for it. A list's children are then read only for
 * those arches (the others' platforms come from the list itself), and a single image whose config
 * digest is one of them needs no config blob: the same config is the same image, arch and all.
 * Without `images` everything is read.
 */
export type ReadTarget = TargetTag & {images?: Array<Pick<ArchImage, 'arch' | 'os' | 'configDigest'>>};

/** `<repository>:<tag>`, the key of every per-tag map. */
export function tagKey(target: TargetTag): string {
	return `${target.repository}:${target.tag}`;
}

/**
 * The key an arch is matched by: the architecture alone for Linux (what an inspection's
 * `ImageInfo.architecture` holds), `os/arch` for anything else so a Windows entry never stands in
 * for a Linux one.
 */
export function platformKey(image: Pick<ArchImage, 'arch' | 'os'>): string {
	return !image.os || image.os === 'linux' ? image.arch : `${image.os}/${image.arch}`;
}

export function imagesOf(state: TagState | undefined): ArchImage[] {
	if (!state) {
		return [];
	}

	return state.kind === 'image' ? [state.image] : state.kind === 'list' ? state.images : [];
}

/** The arches a tag carries, sorted; empty when absent or unreadable. */
export function archesOf(state: TagState | undefined): string[] {
	return [...new Set(imagesOf(state).map(image => platformKey(image)))].sort();
}

/** Registry spaces (Harbor projects): which exist, or why the registry has none. */
export type RegistrySpaces = {kind: 'harbor'; existing: string[]; missing: string[]} | {kind: 'none'; reason: string};

/** Another tag of a repository, read for its platforms when the tags a step pushes are all new. */
export type Neighbour = {tag: string; state: TagState};

/** Chart name → every version the repository's `index.yaml` lists. */
export type ChartIndex = Map<string, string[]>;

/** Which certificate problem a TLS failure was, so the hint can say what to do about it. */
export type TlsProblem = 'unknown-ca' | 'self-signed' | 'expired' | 'not-yet-valid' | 'wrong-host' | 'not-tls' | 'other';

/** Talking to a registry, chart repository or token service failed: cause and next step, never a stack. */
export type RegistryAccessError = WizardError & {
	kind:
		| 'registry-unreachable'
		| 'registry-dns'
		| 'registry-tls'
		| 'registry-auth'
		| 'registry-forbidden'
		| 'registry-not-found'
		| 'registry-timeout'
		| 'registry-connection-reset'
		| 'registry-server-error'
		| 'registry-protocol'
		| 'registry-aborted';
	url: string;
	/** The low-level cause: an error code (`ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`) or an HTTP status. */
	cause: string;
	status?: number;
	tlsProblem?: TlsProblem;
	/**
	 * The cause in a few words without the URL ("its manifest is not JSON", "refused (403)"), so
	 * many tags that failed alike can be said once, with their count.
	 */
	reason?: string;
};
