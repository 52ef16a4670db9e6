// Turns the entries of an offline package into what the wizard needs to know, as they
// stream past: chart bundles (each a nested tar), their hints/values/Chart.yaml, and the
// docker-archive `images.tar` inside each bundle. Small texts are kept, big blobs are not.
import {gunzipSync} from 'node:zlib';
import path from 'node:path';
import {load} from 'js-yaml';
import {parseImageRef, registrySpaceOf, type SpaceMode} from '../domain/image-ref.js';
import type {ChartInfo, ImageInfo} from '../domain/model.js';
import {resolveHints} from '../domain/resolve-hints.js';
import {collectSink, TarStream, type EntrySink, type TarHeader} from './tar-stream.js';

const kib = 1024;
const mib = 1024 * kib;
/** Config blobs are a few KB; layers are MBs to GBs. Anything JSON-looking and small is kept. */
const smallJsonLimit = mib;
const textLimit = 4 * mib;
const chartArchiveLimit = 32 * mib;
const metadataLimit = 64 * kib;

const startsLikeJson = (chunk: Buffer) => chunk[0] === 0x7B;

function parseYamlObject(text: string | undefined): Record<string, unknown> | undefined {
	if (!text) {
		return undefined;
	}

	try {
		const value = load(text);
		return typeof value === 'object' && value !== null ? value as Record<string, unknown> : undefined;
	} catch {
		return undefined;
	}
}

type ArchiveImage = {ref: string; architecture?: string; os?: string; bytes: number};

/** Reads a docker-archive (go-containerregistry / `docker save`) as it streams past. */
function imagesArchiveSink(onDone: (images: ArchiveImage[]) => void): EntrySink {
	const sizes = new Map<string, number>();
	const kept = new Map<string, Buffer>();
	let manifest: Buffer | undefined;
	const tar = new TarStream((header: TarHeader) => {
		const name = header.name.replace(/^\.\//, '');
		sizes.set(name, header.size);
		if (name === 'manifest.json') {
			return collectSink(textLimit, data => {
				manifest = data;
			});
		}

		if (header.size <= smallJsonLimit) {
			return collectSink(smallJsonLimit, data => {
				if (data) {
					kept.set(name, data);
				}
			}, startsLikeJson);
		}

		return undefined;
	});
	return {
		data: chunk => tar.write(chunk),
		end() {
			tar.end();
			onDone(readArchiveManifest(manifest, kept, sizes));
		},
	};
}

function readArchiveManifest(manifest: Buffer | undefined, kept: Map<string, Buffer>, sizes: Map<string, number>): ArchiveImage[] {
	if (!manifest) {
		return [];
	}

	let items: Array<{Config?: string; RepoTags?: string[] | null; Layers?: string[]}>;
	try {
		items = JSON.parse(manifest.toString('utf8')) as typeof items;
	} catch {
		return [];
	}

	return items.flatMap(item => {
		let config: {architecture?: string; os?: string} = {};
		try {
			config = item.Config ? JSON.parse(kept.get(item.Config)?.toString('utf8') ?? '{}') as typeof config : {};
		} catch {}

		const bytes = [item.Config, ...(item.Layers ?? [])].reduce((sum, name) => sum + (name ? sizes.get(name) ?? 0 : 0), 0);
		return (item.RepoTags ?? []).map(ref => ({ref, architecture: config.architecture, os: config.os, bytes}));
	});
}

type ChartFiles = {chartYaml: Map<string, string>; values: Map<string, string>};

function chartFileSink(name: string, files: ChartFiles): EntrySink | undefined {
	const base = path.posix.basename(name);
	const dir = path.posix.dirname(name);
	if (base === 'Chart.yaml') {
		return collectSink(textLimit, data => data && files.chartYaml.set(dir, data.toString('utf8')));
	}

	if (base === 'values.yaml') {
		return collectSink(textLimit, data => data && files.values.set(dir, data.toString('utf8')));
	}

	if (base.endsWith('.tgz')) {
		// A packaged chart inside original-chart/: small, so gunzip it whole and walk it.
		return collectSink(chartArchiveLimit, data => {
			if (!data) {
				return;
			}

			const inner = new TarStream(header => chartFileSink(path.posix.join(dir, header.name), files));
			inner.write(gunzipSync(data));
			inner.end();
		});
	}

	return undefined;
}

/** `metrics-server-3.8.3.bundle.tar` → metrics-server, 3.8.3 (used when Chart.yaml is missing). */
function nameFromBundle(bundleName: string): {name: string; version: string} {
	const stem = bundleName.replace(/\.bundle\.tar$/, '');
	const match = /^(.*)-(v?\d.*)$/.exec(stem);
	return match ? {name: match[1]!, version: match[2]!} : {name: stem, version: ''};
}

export type PackageContents = {
	charts: ChartInfo[];
	images: ImageInfo[];
	metadata: Array<Record<string, unknown>>;
};

/** Feeds the outer tar; call `contents()` after the stream ends. */
export class PackageWalker {
	readonly tar: TarStream;
	private readonly charts: ChartInfo[] = [];
	private readonly images: ImageInfo[] = [];
	private readonly metadata: Array<Record<string, unknown>> = [];

	constructor(private readonly spaceMode: SpaceMode = 'origin-registry') {
		this.tar = new TarStream(header => this.onEntry(header));
	}

	contents(): PackageContents {
		return {charts: this.charts, images: this.images, metadata: this.metadata};
	}

	private onEntry(header: TarHeader): EntrySink | undefined {
		const name = header.name.replace(/^\.\//, '');
		if (header.type !== '0' && header.type !== '7') {
			return undefined;
		}

		if (name.endsWith('.bundle.tar')) {
			return this.bundleSink(name, header.size);
		}

		const depth = name.split('/').length;
		if (depth <= 3 && /\.(ya?ml|json)$/.test(name) && header.size <= metadataLimit) {
			return collectSink(metadataLimit, data => {
				const document = parseYamlObject(data?.toString('utf8'));
				if (document) {
					this.metadata.push(document);
				}
			});
		}

		return undefined;
	}

	private bundleSink(bundlePath: string, bytes: number): EntrySink {
		const files: ChartFiles = {chartYaml: new Map(), values: new Map()};
		let hints: string | undefined;
		let archiveImages: ArchiveImage[] = [];
		const bundle = new TarStream(header => {
			const name = header.name.replace(/^\.\//, '');
			if (name === 'hints.yaml' || name === '.relok8s-images.yaml') {
				return collectSink(textLimit, data => {
					hints = data?.toString('utf8');
				});
			}

			if (name === 'images.tar') {
				return imagesArchiveSink(images => {
					archiveImages = images;
				});
			}

			return name.startsWith('original-chart/') ? chartFileSink(name, files) : undefined;
		});
		return {
			data: chunk => bundle.write(chunk),
			end: () => {
				bundle.end();
				this.addChart(bundlePath, bytes, files, hints, archiveImages);
			},
		};
	}

	private addChart(bundlePath: string, bytes: number, files: ChartFiles, hints: string | undefined, archiveImages: ArchiveImage[]): void {
		const [chartDir] = [...files.chartYaml.keys()].sort((a, b) => a.split('/').length - b.split('/').length);
		const chart = parseYamlObject(chartDir === undefined ? undefined : files.chartYaml.get(chartDir));
		const fallback = nameFromBundle(path.posix.basename(bundlePath));
		const name = typeof chart?.['name'] === 'string' ? chart['name'] : fallback.name;
		const version = chart?.['version'] === undefined ? fallback.version : String(chart['version']);
		const hintedImages = resolveHints(hints, chartDir === undefined ? undefined : files.values.get(chartDir));
		const chartId = `${name}-${version}`;
		const images = archiveImages.map(image => {
			const ref = parseImageRef(image.ref);
			return {
				ref: image.ref,
				...ref,
				space: registrySpaceOf(ref, this.spaceMode),
				architecture: image.architecture,
				os: image.os,
				bytes: image.bytes,
				chart: chartId,
			};
		});
		const spaces = new Set([
			...hintedImages.map(ref => registrySpaceOf(parseImageRef(ref), this.spaceMode)),
			...images.map(image => image.space),
		]);
		this.images.push(...images);
		this.charts.push({
			name,
			version,
			repo: path.posix.dirname(bundlePath) === '.' ? '' : path.posix.basename(path.posix.dirname(bundlePath)),
			bundlePath,
			hintedImages,
			spaces: [...spaces].sort(),
			bytes,
		});
	}
}
