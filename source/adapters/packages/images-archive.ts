// Reads a bundle's `images.tar` (a docker-archive: go-containerregistry's tarball or `docker
// save`) as it streams past. Layers are counted, never kept; config blobs are kept (capped) until
// manifest.json says which entries are configs, since go-containerregistry writes it last. An
// archive whose manifest.json is missing or not JSON, or names a config or layer it does not
// hold, cannot be loaded: that is damage, reported with the entry, never "0 images".
import {createHash} from 'node:crypto';
import {collectSink, TarStream, type EntrySink, type TarHeader} from './tar-stream.js';
import {formatCap, readCaps} from './walk-problems.js';

export type ArchiveImage = {
	ref: string;
	architecture?: string;
	os?: string;
	bytes: number;
	configDigest: string;
	layerDigests?: string[];
	layerSizes: number[];
};

/** Something wrong inside the archive; `overCap` problems are caps, the others damage. */
export type ArchiveProblem = {detail: string; overCap?: boolean};

type Seen = {size: number; kept?: Buffer; skipped?: 'not JSON' | 'too big'};

type ManifestItem = {Config?: unknown; RepoTags?: unknown; Layers?: unknown};

const hex64 = /^[\da-f]{64}$/;
/** go-containerregistry names blobs `sha256:<hex>` / `<hex>.tar.gz`, docker save `<hex>.json`, docker 25+ `blobs/sha256/<hex>`. */
const digestInName = /^(?:blobs\/sha256\/|sha256:)?([\da-f]{64})(?:\.json|\.tar\.gz|\.tar)?$/;

const looksLikeJson = (chunk: Buffer) => /^\s*{/.test(chunk.toString('latin1', 0, Math.min(chunk.length, 64)));

function parseJson(data: Buffer): unknown {
	try {
		return JSON.parse(data.toString('utf8')) as unknown;
	} catch {
		return undefined;
	}
}

/** Collects what one images.tar holds; `onDone` gets the images, or the problems that stop them loading. */
export function imagesArchiveSink(onDone: (images: ArchiveImage[], problems: ArchiveProblem[]) => void): EntrySink {
	const seen = new Map<string, Seen>();
	const problems: ArchiveProblem[] = [];
	let manifest: Buffer | undefined;
	let manifestTooBig = false;
	let keptBytes = 0;
	const remember = (name: string, entry: Seen) => {
		if (seen.size < readCaps.namesPerArchive) {
			seen.set(name, entry);
		} else if (!problems.some(problem => problem.overCap)) {
			problems.push({overCap: true, detail: `holds more than ${readCaps.namesPerArchive} entries`});
		}
	};

	const tar = new TarStream((header: TarHeader) => {
		const name = header.name.replace(/^\.\//, '');
		if (header.type !== '0' && header.type !== '7') {
			return undefined;
		}

		if (name === 'manifest.json') {
			return collectSink(readCaps.manifest, collected => {
				manifest = collected.data;
				manifestTooBig = collected.data === undefined;
			});
		}

		const entry: Seen = {size: header.size};
		remember(name, entry);
		if (header.size > readCaps.config) {
			entry.skipped = 'too big';
			return undefined;
		}

		return configCandidateSink(entry, bytes => {
			keptBytes += bytes;
			return keptBytes <= readCaps.configsPerArchive;
		});
	});
	return {
		data: chunk => tar.write(chunk),
		end() {
			tar.end();
			if (keptBytes > readCaps.configsPerArchive) {
				problems.push({overCap: true, detail: `its config-like blobs pass the ${formatCap(readCaps.configsPerArchive)} cap`});
			}

			if (manifestTooBig) {
				problems.push({overCap: true, detail: `manifest.json is larger than the ${formatCap(readCaps.manifest)} cap`});
				onDone([], problems);
				return;
			}

			const images = manifest ? readManifest(manifest, seen, problems) : [];
			if (!manifest) {
				problems.push({detail: 'it holds no manifest.json'});
			}

			onDone(problems.length > 0 ? [] : images, problems);
		},
	};
}

/** Keeps a small blob that starts like JSON; `admit` says whether the archive's budget still has room. */
function configCandidateSink(entry: Seen, admit: (bytes: number) => boolean): EntrySink {
	const chunks: Buffer[] = [];
	let first = true;
	return {
		data(chunk) {
			if (first && !looksLikeJson(chunk)) {
				entry.skipped = 'not JSON';
			}

			first = false;
			if (!entry.skipped && admit(chunk.length)) {
				chunks.push(Buffer.from(chunk));
			} else {
				entry.skipped ??= 'too big';
				chunks.length = 0;
			}
		},
		end() {
			if (!entry.skipped) {
				entry.kept = Buffer.concat(chunks);
			}
		},
	};
}

function readManifest(manifest: Buffer, seen: Map<string, Seen>, problems: ArchiveProblem[]): ArchiveImage[] {
	const items = parseJson(manifest);
	if (!Array.isArray(items) || items.some(item => typeof item !== 'object' || item === null)) {
		problems.push({detail: 'manifest.json is not JSON (or not a list of images)'});
		return [];
	}

	return (items as ManifestItem[]).flatMap(item => readImage(item, seen, problems));
}

function readImage(item: ManifestItem, seen: Map<string, Seen>, problems: ArchiveProblem[]): ArchiveImage[] {
	const configName = typeof item.Config === 'string' ? item.Config.replace(/^\.\//, '') : undefined;
	const layerNames = Array.isArray(item.Layers)
		? item.Layers.filter((layer): layer is string => typeof layer === 'string').map(layer => layer.replace(/^\.\//, ''))
		: [];
	const refs = Array.isArray(item.RepoTags) ? item.RepoTags.filter((ref): ref is string => typeof ref === 'string') : [];
	const label = refs[0] ?? configName ?? 'an image';
	if (!configName) {
		problems.push({detail: `manifest.json names no config for ${label}`});
		return [];
	}

	const config = seen.get(configName);
	const missingLayers = layerNames.filter(layer => !seen.has(layer));
	if (missingLayers.length > 0) {
		problems.push({
			detail: `layer ${missingLayers[0]} of ${label} is missing${missingLayers.length > 1 ? ` (and ${missingLayers.length - 1} more)` : ''}`,
		});
	}

	if (!config) {
		problems.push({detail: `config ${configName} of ${label} is missing`});
		return [];
	}

	if (!config.kept) {
		const why = config.skipped === 'too big' ? `is larger than the ${formatCap(readCaps.config)} cap` : 'is not JSON';
		problems.push({detail: `config ${configName} of ${label} ${why}`, overCap: config.skipped === 'too big'});
		return [];
	}

	const parsed = parseJson(config.kept);
	if (typeof parsed !== 'object' || parsed === null) {
		problems.push({detail: `config ${configName} of ${label} is not JSON`});
		return [];
	}

	const configDigest = `sha256:${createHash('sha256').update(config.kept).digest('hex')}`;
	const named = digestInName.exec(configName)?.[1];
	if (named && `sha256:${named}` !== configDigest) {
		problems.push({detail: `config ${configName} of ${label} does not match its name (its sha256 is ${configDigest.slice(7, 19)}…)`});
		return [];
	}

	const {architecture, os} = parsed as {architecture?: unknown; os?: unknown};
	const layerSizes = layerNames.map(layer => seen.get(layer)?.size ?? 0);
	const digests = layerNames
		.map(layer => digestInName.exec(layer)?.[1])
		.filter((hex): hex is string => hex !== undefined && hex64.test(hex));
	const bytes = config.size + layerSizes.reduce((sum, size) => sum + size, 0);
	return refs.map(ref => ({
		ref,
		architecture: typeof architecture === 'string' ? architecture : undefined,
		os: typeof os === 'string' ? os : undefined,
		bytes,
		configDigest,
		...(digests.length === layerNames.length && layerNames.length > 0 ? {layerDigests: digests.map(hex => `sha256:${hex}`)} : {}),
		layerSizes,
	}));
}
