// What the wizard saves of a tag before a step may change it, so `undo` can put it back: the exact
// manifest bytes and media type, the digest they hash to, and everything the manifest points to
// (a list's children; an image's config and layers), which must still be stored for a PUT of the
// old bytes to be accepted. A tag that did not exist is saved as absent: the step added it.
import type {ReadTarget, TargetTag} from './tag-state.js';

/** One manifest as it was stored; `bytes` is base64 so any byte survives JSON. */
export type SavedManifest = {
	digest: string;
	mediaType: string;
	bytes: string;
	/** Platform keys the manifest carries (a list's entries, or the single image's arch). */
	arches: string[];
	/** What must still be in the repository for the bytes to be accepted again. */
	references: {manifests: string[]; blobs: string[]};
};

/** An image the step pushes to a tag: its config digest names the image, arch and all. */
export type StepImage = {arch: string; os?: string; configDigest: string};

/**
 * `after`: the tag's digest once the step was over (absent: none), when it could be read.
 * `images`: what the step pushes there, so undo knows the arch of what the step left without
 * reading its config blob again.
 */
export type SavedTag = TargetTag & {before: SavedManifest | 'absent'; after?: string | 'absent'; images?: StepImage[]};

/** The step's images of a tag worth saving: those whose config digest is known. */
export function stepImagesOf(images: ReadonlyArray<{arch: string; os?: string; configDigest?: string}> | undefined): StepImage[] {
	return (images ?? []).flatMap(image =>
		image.configDigest ? [{arch: image.arch, ...(image.os ? {os: image.os} : {}), configDigest: image.configDigest}] : [],
	);
}

/** A tag as saved before the step: what it held, and what the step pushes there. */
export function savedTagOf(target: ReadTarget, before: SavedManifest | 'absent'): SavedTag {
	const images = stepImagesOf(target.images);
	return {repository: target.repository, tag: target.tag, before, ...(images.length > 0 ? {images} : {})};
}

/** A chart version the step may upload, and whether the repository had it before. */
export type SavedChart = {name: string; version: string; existedBefore: boolean};

/** Everything saved for one step of one run; `error` says why the tags could not be saved. */
export type StepSnapshot = {
	runId: string;
	stepIndex: number;
	stepId: string;
	configPath: string;
	registry: string;
	takenAt: number;
	tags: SavedTag[];
	charts?: SavedChart[];
	afterReadAt?: number;
	error?: {kind: string; message: string; hint: string};
};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const digestOf = (value: unknown): string | undefined =>
	isObject(value) && typeof value['digest'] === 'string' ? value['digest'] : undefined;

/**
 * What a manifest's JSON points to. Attestation entries count too: the registry checks every
 * child of a list it is given, whatever its platform.
 */
export function manifestReferences(text: string): SavedManifest['references'] {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		return {manifests: [], blobs: []};
	}

	if (!isObject(json)) {
		return {manifests: [], blobs: []};
	}

	const manifests = Array.isArray(json['manifests']) ? json['manifests'].map(digestOf).filter(isDefined) : [];
	const layers = Array.isArray(json['layers']) ? json['layers'].map(digestOf).filter(isDefined) : [];
	const config = digestOf(json['config']);
	return {manifests, blobs: [...new Set([...(config ? [config] : []), ...layers])]};
}

function isDefined<T>(value: T | undefined): value is T {
	return value !== undefined;
}

/** Bytes a snapshot holds (its manifests decoded), to say its size when it is large. */
export function snapshotBytes(snapshot: StepSnapshot): number {
	return snapshot.tags.reduce((sum, tag) => sum + (tag.before === 'absent' ? 0 : Math.floor((tag.before.bytes.length * 3) / 4)), 0);
}
