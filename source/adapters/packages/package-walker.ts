// Turns the entries of an offline package into what the wizard needs to know, as they
// stream past: chart bundles (each a nested tar), their hints/values/Chart.yaml, and the
// docker-archive `images.tar` inside each bundle. Small texts are kept (capped), big blobs are
// not; nested `.tgz` charts are inflated as a stream with a cap. What is wrong inside (damage,
// caps passed, entries unsafe to unpack) becomes findings that name the entry.
import path from 'node:path';
import {parseImageRef, registrySpaceOf, type SpaceMode} from '../../domain/packages/image-ref.js';
import type {ChartInfo, ImageInfo} from '../../domain/packages/inspection.js';
import type {Finding} from '../../domain/shared/findings.js';
import {readHints, readYaml} from '../../domain/packages/resolve-hints.js';
import {cappedGunzipSink, type InflateBudget} from './capped-gunzip.js';
import {UnsafeEntries} from './entry-safety.js';
import {imagesArchiveSink, type ArchiveImage} from './images-archive.js';
import {collectSink, TarStream, type EntrySink, type TarHeader} from './tar-stream.js';
import {formatCap, readCaps, WalkProblems} from './walk-problems.js';

const metadataLimit = 64 * 1024;
const metadataDocuments = 64;
const isFile = (header: TarHeader) => header.type === '0' || header.type === '7';
const stripDot = (name: string) => name.replace(/^\.\//, '');
const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

function parseYamlObject(text: string | undefined): Record<string, unknown> | undefined {
	const value = text === undefined ? undefined : readYaml(text).value;
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * Wraps a nested level so that its failure (a bad header, a cut-off archive) is recorded against
 * the entry once and the rest of that entry is skipped, while the walk of the package goes on.
 */
function guarded(sink: EntrySink, onError: (error: unknown) => void): EntrySink {
	let failed = false;
	const fail = (error: unknown) => {
		failed = true;
		onError(error);
	};

	return {
		data(chunk) {
			if (failed) {
				return;
			}

			try {
				return sink.data(chunk)?.catch(fail);
			} catch (error) {
				fail(error);
			}
		},
		end() {
			if (failed) {
				return;
			}

			try {
				return sink.end()?.catch(fail);
			} catch (error) {
				fail(error);
			}
		},
	};
}

/** The chart's own Chart.yaml and values.yaml: the shallowest ones, subcharts' are not kept. */
type ChartFiles = {chartYaml?: {dir: string; text: string}; values: Map<string, string>; depth: number};

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
	/** Damage, caps passed, unsafe entries (errors) and unreadable hints (warnings). */
	findings: Finding[];
	/** True when something inside is damaged or past a cap: the package is not complete. */
	damaged: boolean;
	/** What the package's sparse entries take on disk unpacked beyond the bytes stored for them (their holes). */
	sparseHoleBytes: number;
};

/** Feeds the outer tar; call `contents()` after the stream ends. */
export class PackageWalker {
	readonly tar: TarStream;
	/**
	 * Per bundle path: tar keeps the last of two entries with one name when it unpacks, so the
	 * installer sees only that one; a second entry replaces the first here too, and is named.
	 */
	private readonly bundles = new Map<string, {chart: ChartInfo; images: ImageInfo[]}>();
	private readonly metadata: Array<Record<string, unknown>> = [];
	private readonly problems = new WalkProblems();
	private readonly unsafe = new UnsafeEntries();
	private readonly unreadableHints: string[] = [];
	private readonly budget: InflateBudget = {remaining: readCaps.nestedTotal};
	private sparseHoleBytes = 0;

	constructor(private readonly spaceMode: SpaceMode = 'origin-registry') {
		this.tar = new TarStream(header => this.onEntry(header));
	}

	contents(): PackageContents {
		const findings = [...this.problems.findings()];
		const unsafe = this.unsafe.finding();
		if (unsafe) {
			findings.push(unsafe);
		}

		if (this.unreadableHints.length > 0) {
			findings.push({
				code: 'hints-unreadable',
				severity: 'warning',
				message: `Image hints of ${this.unreadableHints.length} chart${this.unreadableHints.length === 1 ? '' : 's'} could not be read: ${this.unreadableHints.slice(0, 3).join('; ')}${this.unreadableHints.length > 3 ? '; …' : ''}.`,
				hint: 'The registry spaces these charts need are not checked; look at the chart before importing.',
			});
		}

		const bundles = [...this.bundles.values()];
		return {
			charts: bundles.map(bundle => bundle.chart),
			images: bundles.flatMap(bundle => bundle.images),
			metadata: this.metadata,
			findings,
			damaged: this.problems.damaged,
			sparseHoleBytes: this.sparseHoleBytes,
		};
	}

	private onEntry(header: TarHeader): EntrySink | undefined {
		this.unsafe.note(header);
		// Unpacked, a sparse entry takes its apparent size: the disk estimate must count the holes too.
		this.sparseHoleBytes += Math.max(0, (header.apparentSize ?? 0) - header.size);
		const name = stripDot(header.name);
		if (!isFile(header)) {
			return undefined;
		}

		if (name.endsWith('.bundle.tar')) {
			return this.bundleSink(name, header.size);
		}

		const depth = name.split('/').length;
		if (depth <= 3 && /\.(ya?ml|json)$/.test(name) && header.size <= metadataLimit && this.metadata.length < metadataDocuments) {
			return collectSink(metadataLimit, ({data}) => {
				const document = parseYamlObject(data?.toString('utf8'));
				if (document) {
					this.metadata.push(document);
				}
			});
		}

		return undefined;
	}

	/** Keeps a text entry, or records that it passed the cap. */
	private textSink(entry: string, onText: (text: string) => void): EntrySink {
		return collectSink(readCaps.text, ({data, overflowBytes}) => {
			if (data) {
				onText(data.toString('utf8'));
			} else {
				this.problems.add('entry-over-cap', entry, `${overflowBytes} bytes, past the ${formatCap(readCaps.text)} cap for a chart text`);
			}
		});
	}

	private bundleSink(bundlePath: string, bytes: number): EntrySink {
		const files: ChartFiles = {values: new Map(), depth: Number.POSITIVE_INFINITY};
		let hints: string | undefined;
		let archiveImages: ArchiveImage[] = [];
		const bundle = new TarStream(header => {
			this.unsafe.note(header, bundlePath);
			const name = stripDot(header.name);
			if (!isFile(header)) {
				return undefined;
			}

			if (name === 'hints.yaml' || name === '.relok8s-images.yaml') {
				return this.textSink(`${bundlePath} › ${name}`, text => {
					hints = text;
				});
			}

			if (name === 'images.tar') {
				const entry = `${bundlePath} › images.tar`;
				return guarded(
					imagesArchiveSink((images, problems) => {
						archiveImages = images;
						for (const problem of problems) {
							this.problems.add(problem.overCap ? 'entry-over-cap' : 'images-damaged', entry, problem.detail);
						}
					}),
					error => this.problems.add('images-damaged', entry, reason(error)),
				);
			}

			return name.startsWith('original-chart/') ? this.chartFileSink(bundlePath, name, files, 0) : undefined;
		});
		return guarded(
			{
				data: chunk => bundle.write(chunk),
				end: () => {
					bundle.end();
					this.addChart(bundlePath, bytes, files, hints, archiveImages);
				},
			},
			error => this.problems.add('entry-damaged', bundlePath, reason(error)),
		);
	}

	private chartFileSink(bundlePath: string, name: string, files: ChartFiles, nesting: number): EntrySink | undefined {
		const base = path.posix.basename(name);
		const dir = path.posix.dirname(name);
		const depth = name.split('/').length;
		const entry = `${bundlePath} › ${name}`;
		if ((base === 'Chart.yaml' || base === 'values.yaml') && depth <= files.depth) {
			return this.textSink(entry, text => {
				if (depth < files.depth) {
					files.depth = depth;
					files.chartYaml = undefined;
					files.values.clear();
				}

				if (base === 'Chart.yaml') {
					files.chartYaml ??= {dir, text};
				} else {
					if (files.values.size < readCaps.valuesPerBundle) {
						files.values.set(dir, text);
					}
				}
			});
		}

		// A packaged chart (and its subcharts) inside original-chart/; once a cap was passed the package is condemned, so no more inflating.
		if (!base.endsWith('.tgz') || nesting >= readCaps.chartNesting || this.problems.has('entry-over-cap')) {
			return undefined;
		}

		const inner = new TarStream(header =>
			isFile(header) ? this.chartFileSink(bundlePath, path.posix.join(dir, stripDot(header.name)), files, nesting + 1) : undefined,
		);
		return cappedGunzipSink({
			limit: readCaps.chartArchive,
			budget: this.budget,
			onData: chunk => inner.write(chunk),
			onEnd: outcome => {
				if (outcome.ok) {
					try {
						inner.end();
					} catch (error) {
						this.problems.add('entry-damaged', entry, reason(error));
					}
				} else if (outcome.reason === 'over-cap') {
					this.problems.add('entry-over-cap', entry, `inflates past the ${formatCap(readCaps.chartArchive)} cap for a chart archive`);
				} else if (outcome.reason === 'over-budget') {
					this.problems.add('entry-over-cap', entry, `the chart archives together inflate past the ${formatCap(readCaps.nestedTotal)} cap`);
				} else {
					this.problems.add('entry-damaged', entry, `not a readable chart archive (${outcome.detail})`);
				}
			},
		});
	}

	private addChart(bundlePath: string, bytes: number, files: ChartFiles, hints: string | undefined, archiveImages: ArchiveImage[]): void {
		const chartDir = files.chartYaml?.dir;
		const chart = parseYamlObject(files.chartYaml?.text);
		const fallback = nameFromBundle(path.posix.basename(bundlePath));
		const name = typeof chart?.['name'] === 'string' ? chart['name'] : fallback.name;
		const version = chart?.['version'] === undefined ? fallback.version : String(chart['version']);
		const read = readHints(hints, chartDir === undefined ? undefined : files.values.get(chartDir));
		if (read.problems.length > 0) {
			this.unreadableHints.push(`${bundlePath} (${read.problems.join(', ')})`);
		}

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
				configDigest: image.configDigest,
				...(image.layerDigests ? {layerDigests: image.layerDigests} : {}),
				layerSizes: image.layerSizes,
			};
		});
		const spaces = new Set([
			...read.refs.map(ref => registrySpaceOf(parseImageRef(ref), this.spaceMode)),
			...images.map(image => image.space),
		]);
		if (this.bundles.has(bundlePath)) {
			// No package the Download Center publishes holds one path twice: damaged, or built to mislead a count.
			this.problems.add('entry-damaged', bundlePath, 'appears twice in the package (tar keeps the last one; counted once)');
			this.bundles.delete(bundlePath);
		}

		this.bundles.set(bundlePath, {
			chart: {
				name,
				version,
				repo: path.posix.dirname(bundlePath) === '.' ? '' : path.posix.basename(path.posix.dirname(bundlePath)),
				bundlePath,
				hintedImages: read.refs,
				spaces: [...spaces].sort(),
				bytes,
			},
			images,
		});
	}
}
