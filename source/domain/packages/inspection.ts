// What the wizard learns about offline packages on disk and inside them.
import type {Finding} from '../shared/findings.js';
import type {PackageKind, ParsedPackageName} from './package-name.js';
import type {StillCopying} from './still-copying.js';

/** A package file found on disk, before its contents are read. */
export type DiscoveredPackage = {
	path: string;
	fileName: string;
	/** Undefined when the name does not follow a known pattern. */
	name?: ParsedPackageName;
	size: number;
	mtimeMs: number;
	/** `incomplete` packages are listed but never offered. */
	status: 'candidate' | 'incomplete';
	findings: Finding[];
	/** clusterConfig.yaml's addonPackage.path names this file: it is what the cluster has now. */
	inCluster?: boolean;
	/** Some process is still writing it, or it grew between two looks (then `status` is `incomplete`). */
	copying?: StillCopying;
};

/** A container image as found in a bundle's `images.tar` (docker-archive). */
export type ImageInfo = {
	/** The reference as tagged in the archive, e.g. `release.daocloud.io/kpanda/foo:v1`. */
	ref: string;
	/** Registry host of the reference (`docker.io` when none is written). */
	registry: string;
	/** Repository path without the registry, e.g. `kpanda/foo`. */
	repository: string;
	tag: string;
	/** The registry space (Harbor project) the image lands in; see `registry-space.ts`. */
	space: string;
	/** From the image config; undefined when the config could not be read. */
	architecture?: string;
	os?: string;
	/** Sum of the layer and config sizes inside `images.tar`. */
	bytes: number;
	/** The chart bundle the image came from (`<chart>-<version>`). */
	chart: string;
	/** `sha256:<hex>` of the image config blob as stored in images.tar, computed from its bytes. */
	configDigest?: string;
	/**
	 * `sha256:<hex>` of each layer in manifest order, as the entry names give them (go-containerregistry
	 * names a layer by its digest); not recomputed. Absent when a layer is not named by a digest.
	 */
	layerDigests?: string[];
	/** Bytes of each layer blob in images.tar, in manifest order. */
	layerSizes?: number[];
};

export type ChartInfo = {
	name: string;
	version: string;
	/** The repo group the bundle sits in (`addon`, `community`, …), from its folder. */
	repo: string;
	/** Path of the bundle inside the package. */
	bundlePath: string;
	/** Image references the chart's hints resolve to through its values. */
	hintedImages: string[];
	/** Registry spaces named by the hints and values (may include images not in images.tar). */
	spaces: string[];
	/** Bytes of the bundle tar itself. */
	bytes: number;
};

export type IntegrityState =
	/** Matches the published checksum table. */
	| 'verified'
	/** Matches a sidecar `.sha512` / `checksums.txt`, and no published value exists. */
	| 'sidecar-verified'
	/** Differs from a published or sidecar value. */
	| 'mismatch'
	/** Nothing to compare with; the package's content was still read end to end. */
	| 'unknown'
	/** The stream ended early or did not decode, or something inside it is damaged or past a cap: the file is damaged. */
	| 'damaged';

export type ArchEvidence = {
	fromName?: string;
	/** Distinct architectures found in image configs, sorted. */
	fromImages: string[];
	fromMetadata?: string;
	/** The architecture all sources agree on; undefined when they disagree or none speak. */
	agreed?: string;
	/**
	 * True only when the package was read whole and undamaged, at least one image config gave an
	 * architecture, and every source agrees: what "confirmed by contents" (and the ✔) may say.
	 */
	confirmedByContents: boolean;
};

export type PackageInspection = {
	path: string;
	fileName: string;
	size: number;
	mtimeMs: number;
	name?: ParsedPackageName;
	kind?: PackageKind;
	/** Lower-case hex sha512 of the compressed file. */
	sha512: string;
	/** Bytes of the tar stream after gunzip (what unpacking writes, before images are loaded). */
	uncompressedBytes: number;
	/** Number of entries in the outer tar. */
	entries: number;
	charts: ChartInfo[];
	images: ImageInfo[];
	arch: ArchEvidence;
	integrity: {state: IntegrityState; published?: string; sidecar?: string; sidecarFile?: string};
	/**
	 * False when the package is truncated, corrupt, damaged inside (an images.tar that cannot be loaded,
	 * a nested archive that does not decode) or past a read cap, or was not read; such a package is never offered.
	 */
	complete: boolean;
	findings: Finding[];
	/** ISO time the inspection finished. */
	inspectedAt: string;
	/** Inspector format version; cached results from another version are ignored. */
	schema: number;
	/** Set when it was not read because it is still being copied (never cached). */
	copying?: StillCopying;
};

export type InspectionProgress = {
	path: string;
	bytesRead: number;
	totalBytes: number;
	entries: number;
	/** Milliseconds since the inspection started. */
	elapsedMs: number;
};
