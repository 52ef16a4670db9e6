// Builds real addon offline packages for tests and benchmarks: a gzip'd tar holding per-repo
// folders of charts-syncer bundles (`<chart>-<version>.bundle.tar`), each with `hints.yaml`,
// `original-chart/<chart>/{Chart.yaml,values.yaml}` and a docker-archive `images.tar` whose
// layers are real gzip'd tars and whose configs carry `architecture`/`os`.
import {createHash, randomBytes} from 'node:crypto';
import {createReadStream, createWriteStream} from 'node:fs';
import {mkdir, mkdtemp, rm, stat, writeFile, truncate} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import {createGzip} from 'node:zlib';
import {create as createTar} from 'tar';

export type FixtureImage = {
	ref: string;
	/** Architecture written into the image config; defaults to the package's arch. */
	arch?: string;
	os?: string;
	/** Bytes of the single layer's payload file; random, so it does not compress. */
	layerBytes?: number;
};

/** An entry written byte for byte into a tar (ustar header), for names and types no file system would give. */
export type RawEntry = {
	name: string;
	type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'char-device' | 'block-device' | 'fifo';
	linkName?: string;
	data?: Buffer | string;
};

/** Ways to damage a bundle's images.tar, as a broken build or copy would. */
export type ImagesDamage = 'manifest-not-json' | 'no-manifest' | 'config-missing' | 'layer-missing' | 'config-not-matching-name';

export type FixtureChart = {
	name: string;
	version: string;
	repo?: string;
	images: FixtureImage[];
	/** Extra image references named only in the hints/values (not in images.tar). */
	hintOnlyImages?: string[];
	/**
	 * Where the chart sits in the bundle: `nested` (default) `original-chart/<chart>/Chart.yaml`,
	 * `flat` `original-chart/Chart.yaml`; both layouts are seen in the wild.
	 */
	layout?: 'nested' | 'flat';
	/** Also put the packaged chart `original-chart/<chart>-<version>.tgz` in the bundle. */
	packaged?: boolean;
	imagesDamage?: ImagesDamage;
	/** Bytes written as `original-chart/<name>-<version>.tgz` beside the chart folder (a packaged chart). */
	chartArchive?: Buffer;
	/** Writes the chart as `original-chart/<name>-<version>.tgz` (as `helm package` makes it) instead of a folder. */
	packChart?: boolean;
	/** Replaces the generated values.yaml. */
	valuesYaml?: string;
	/** Appended to the bundle tar. */
	extraEntries?: RawEntry[];
};

export type FixturePackageOptions = {
	/** Directory the package is written to. */
	dir: string;
	/** `full` (≤ v0.17), `standard`, `gpu`, `metax`, `jenkins`, or any future kind. */
	kind?: string;
	version?: string;
	arch?: string;
	/** Overrides the standard file name entirely. */
	fileName?: string;
	charts?: FixtureChart[];
	/** Written as `metadata.yaml` at the package root; `false` writes none. */
	metadata?: Record<string, unknown> | false;
	/** Top-level folder inside the tarball. */
	topDir?: string;
	gzipLevel?: number;
	/** Writes `<file>.sha512` beside the package (`'bad'` writes a wrong one). */
	sidecar?: 'good' | 'bad';
	/** Appended to the package's own tar, after the bundles. */
	extraEntries?: RawEntry[];
};

export type BuiltPackage = {
	path: string;
	fileName: string;
	size: number;
	sha512: string;
	/** Bytes of the tar stream inside the gzip. */
	uncompressedBytes: number;
	charts: FixtureChart[];
	images: string[];
};

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export function packageFileName(kind: string, version: string, arch: string): string {
	const prefix = kind === 'full' ? 'addon-offline-full-package' : `${kind}-addon-offline-package`;
	return `${prefix}-${version}-${arch}.tar.gz`;
}

export function defaultCharts(arch: string): FixtureChart[] {
	return [
		{
			name: 'metrics-server',
			version: '3.8.3',
			repo: 'addon',
			images: [{ref: 'docker.m.daocloud.io/metrics-server/metrics-server:v0.6.2', arch}],
		},
		{
			name: 'dao-2048',
			version: '1.4.1',
			repo: 'addon',
			images: [{ref: 'release.daocloud.io/daocloud/dao-2048:v1.4.1', arch}],
		},
		{
			name: 'nginx',
			version: '15.1.0',
			repo: 'community',
			images: [{ref: 'docker.m.daocloud.io/bitnami/nginx:1.25.1', arch}],
		},
	];
}

/**
 * An upgrade's charts: every default chart's patch version raised by `times`, the images' tags
 * kept, so the upgrade writes over the same image lists (the seed's multi-arch pitfall).
 */
export function bumpedCharts(arch: string, times = 1): FixtureChart[] {
	return defaultCharts(arch).map(chart => ({...chart, version: chart.version.replace(/\d+$/, patch => String(Number(patch) + times))}));
}

/**
 * The seed's pitfall as packages: v0.10.3 and its v0.11.2 upgrade (charts bumped, image tags
 * kept), each for amd64 and arm64, in that order: old amd64, old arm64, new amd64, new arm64.
 */
export function seedUpgradePackages(): Array<Omit<FixturePackageOptions, 'dir'>> {
	return [
		{version: 'v0.10.3', arch: 'amd64'},
		{version: 'v0.10.3', arch: 'arm64'},
		{version: 'v0.11.2', arch: 'amd64', charts: bumpedCharts('amd64')},
		{version: 'v0.11.2', arch: 'arm64', charts: bumpedCharts('arm64')},
	];
}

async function writeRandomFile(file: string, bytes: number): Promise<void> {
	const out = createWriteStream(file);
	const chunk = 1 << 20;
	for (let written = 0; written < bytes; written += chunk) {
		const size = Math.min(chunk, bytes - written);
		if (!out.write(randomBytes(size))) {
			await new Promise<void>(resolve => {
				out.once('drain', () => resolve());
			});
		}
	}

	await new Promise<void>((resolve, reject) => {
		out.end((error?: Error | null) => (error ? reject(error) : resolve()));
	});
}

async function hashFile(file: string, algorithm: string): Promise<string> {
	const hash = createHash(algorithm);
	await pipeline(createReadStream(file), hash);
	return hash.digest('hex');
}

/** One docker-archive image set, in the entry order go-containerregistry writes: configs, layers, manifest.json. */
async function writeImagesTar(workDir: string, images: FixtureImage[], defaultArch: string, target: string, damage?: ImagesDamage) {
	const archiveDir = path.join(workDir, 'archive');
	await mkdir(archiveDir, {recursive: true});
	const manifest: Array<{Config: string; RepoTags: string[]; Layers: string[]}> = [];
	const configNames: string[] = [];
	const layerNames: string[] = [];
	for (const image of images) {
		const payloadDir = path.join(workDir, `payload-${manifest.length}`);
		await mkdir(payloadDir, {recursive: true});
		await writeRandomFile(path.join(payloadDir, 'data.bin'), image.layerBytes ?? 2048);
		// The config's diff_id is the digest of the layer uncompressed (skopeo checks it); the file's name, of it gzip'd.
		const plainTmp = path.join(workDir, `layer-${manifest.length}.tar`);
		await createTar({file: plainTmp, cwd: payloadDir, portable: true}, ['data.bin']);
		const diffId = await hashFile(plainTmp, 'sha256');
		const layerTmp = `${plainTmp}.gz`;
		await pipeline(createReadStream(plainTmp), createGzip({level: 1}), createWriteStream(layerTmp));
		await rm(plainTmp);
		const layerHex = await hashFile(layerTmp, 'sha256');
		const layerName = `${layerHex}.tar.gz`;
		await pipeline(createReadStream(layerTmp), createWriteStream(path.join(archiveDir, layerName)));
		await rm(payloadDir, {recursive: true});
		await rm(layerTmp);
		const config = JSON.stringify({
			architecture: image.arch ?? defaultArch,
			os: image.os ?? 'linux',
			config: {Labels: {ref: image.ref}},
			rootfs: {type: 'layers', diff_ids: [`sha256:${diffId}`]},
		});
		const configName = `sha256:${damage === 'config-not-matching-name' ? sha256(`${config} `) : sha256(config)}`;
		await writeFile(path.join(archiveDir, configName), config);
		configNames.push(configName);
		layerNames.push(layerName);
		manifest.push({Config: configName, RepoTags: [image.ref], Layers: [layerName]});
	}

	await writeFile(
		path.join(archiveDir, 'manifest.json'),
		damage === 'manifest-not-json' ? `${JSON.stringify(manifest).slice(0, -3)}, oops` : JSON.stringify(manifest),
	);
	const entries = [
		...(damage === 'config-missing' ? [] : configNames),
		...(damage === 'layer-missing' ? [] : new Set(layerNames)),
		...(damage === 'no-manifest' ? [] : ['manifest.json']),
	];
	await createTar({file: target, cwd: archiveDir, portable: true}, entries);
	await rm(archiveDir, {recursive: true});
}

const rawTypes: Record<NonNullable<RawEntry['type']>, string> = {
	file: '0',
	dir: '5',
	symlink: '2',
	hardlink: '1',
	'char-device': '3',
	'block-device': '4',
	fifo: '6',
};

function rawHeader(entry: RawEntry, size: number): Buffer {
	const block = Buffer.alloc(512);
	const octal = (offset: number, length: number, value: number) =>
		block.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'latin1');
	block.write(entry.name, 0, 100, 'utf8');
	octal(100, 8, entry.type === 'dir' ? 0o755 : 0o644);
	octal(108, 8, 0);
	octal(116, 8, 0);
	octal(124, 12, size);
	octal(136, 12, 1_700_000_000);
	block.write(rawTypes[entry.type ?? 'file'], 156, 1, 'latin1');
	block.write(entry.linkName ?? '', 157, 100, 'utf8');
	block.write('ustar\u000000', 257, 8, 'latin1');
	octal(329, 8, entry.type === 'char-device' ? 1 : 0);
	octal(337, 8, entry.type === 'char-device' ? 5 : 0);
	block.fill(0x20, 148, 156);
	let sum = 0;
	for (const byte of block) {
		sum += byte;
	}

	block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
	return block;
}

/** Where the entries of a plain ustar/pax tar end (the first zero block in header position). */
function archiveEnd(tar: Buffer): number {
	let offset = 0;
	while (offset + 512 <= tar.length && tar.subarray(offset, offset + 512).some(byte => byte !== 0)) {
		const size = Number.parseInt(
			tar
				.toString('latin1', offset + 124, offset + 136)
				.replace(/\0.*$/s, '')
				.trim() || '0',
			8,
		);
		offset += 512 + Math.ceil(size / 512) * 512;
	}

	return offset;
}

/** Appends raw entries to a tar file written by node-tar, keeping its end blocks. */
async function appendRawEntries(tarFile: string, entries: RawEntry[]): Promise<void> {
	const {readFile} = await import('node:fs/promises');
	const tar = await readFile(tarFile);
	const parts: Buffer[] = [tar.subarray(0, archiveEnd(tar))];
	for (const entry of entries) {
		const data = Buffer.from(entry.data ?? '');
		parts.push(rawHeader(entry, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
	}

	parts.push(Buffer.alloc(1024));
	await writeFile(tarFile, Buffer.concat(parts));
}

/**
 * A chart `.tgz` that inflates to `inflatedBytes` of one huge template, in little space: gzip members
 * of zeros (about 1000:1 each) concatenated after a member holding the tar header.
 */
export async function gzipBomb(inflatedBytes: number): Promise<Buffer> {
	const {gzipSync} = await import('node:zlib');
	const header = rawHeader({name: 'bomb/templates/zeros.yaml'}, inflatedBytes);
	const slab = 64 * 1024 * 1024;
	const zeros = gzipSync(Buffer.alloc(slab), {level: 9});
	const members = [gzipSync(header)];
	for (let left = inflatedBytes; left > 0; left -= slab) {
		members.push(left >= slab ? zeros : gzipSync(Buffer.alloc(left), {level: 9}));
	}

	return Buffer.concat(members);
}

function valuesAndHints(chart: FixtureChart): {values: string; hints: string} {
	const refs = [...chart.images.map(image => image.ref), ...(chart.hintOnlyImages ?? [])];
	const values: string[] = [];
	const hints: string[] = [];
	for (const [index, ref] of refs.entries()) {
		const slash = ref.indexOf('/');
		const colon = ref.lastIndexOf(':');
		const registry = ref.slice(0, slash);
		const repository = ref.slice(slash + 1, colon);
		const tag = ref.slice(colon + 1);
		const key = index === 0 ? 'image' : `image${index}`;
		values.push(`${key}:\n  registry: ${registry}\n  repository: ${repository}\n  tag: "${tag}"\n`);
		hints.push(`- "{{ .${key}.registry }}/{{ .${key}.repository }}:{{ .${key}.tag }}"`);
	}

	return {values: values.join(''), hints: `${hints.join('\n')}\n`};
}

async function writeBundle(workDir: string, chart: FixtureChart, arch: string, target: string): Promise<void> {
	const bundleDir = path.join(workDir, 'bundle');
	const originalChart = path.join(bundleDir, 'original-chart');
	const chartDir = chart.layout === 'flat' ? originalChart : path.join(originalChart, chart.name);
	await mkdir(chartDir, {recursive: true});
	const {values, hints} = valuesAndHints(chart);
	await writeFile(
		path.join(chartDir, 'Chart.yaml'),
		`apiVersion: v2\nname: ${chart.name}\nversion: ${chart.version}\ndescription: fixture chart\n`,
	);
	await writeFile(path.join(chartDir, 'values.yaml'), chart.valuesYaml ?? values);
	if (chart.packaged) {
		const helmDir = path.join(workDir, 'helm', chart.name);
		await mkdir(helmDir, {recursive: true});
		await writeFile(
			path.join(helmDir, 'Chart.yaml'),
			`apiVersion: v2\nname: ${chart.name}\nversion: ${chart.version}\ndescription: fixture chart (packaged)\n`,
		);
		await writeFile(path.join(helmDir, 'values.yaml'), values);
		await createTar(
			{file: path.join(originalChart, `${chart.name}-${chart.version}.tgz`), gzip: true, cwd: path.dirname(helmDir), portable: true},
			[chart.name],
		);
		await rm(path.dirname(helmDir), {recursive: true});
	}

	if (chart.chartArchive) {
		await writeFile(path.join(bundleDir, 'original-chart', `${chart.name}-${chart.version}.tgz`), chart.chartArchive);
	}

	if (chart.packChart) {
		await createTar(
			{
				file: path.join(bundleDir, 'original-chart', `${chart.name}-${chart.version}.tgz`),
				gzip: true,
				cwd: path.dirname(chartDir),
				portable: true,
			},
			[chart.name],
		);
		await rm(chartDir, {recursive: true});
	}

	await writeFile(path.join(bundleDir, 'hints.yaml'), hints);
	await writeImagesTar(path.join(workDir, 'images'), chart.images, arch, path.join(bundleDir, 'images.tar'), chart.imagesDamage);
	await createTar({file: target, cwd: bundleDir, portable: true}, ['hints.yaml', 'original-chart', 'images.tar']);
	if (chart.extraEntries) {
		await appendRawEntries(target, chart.extraEntries);
	}

	await rm(bundleDir, {recursive: true});
}

/** A docker-archive of `images` alone (what a bundle's images.tar holds), for pushing with skopeo. */
export async function buildImageArchive(target: string, images: FixtureImage[], arch = 'amd64'): Promise<string> {
	const workDir = await mkdtemp(path.join(tmpdir(), 'addon-fixture-images-'));
	try {
		await writeImagesTar(workDir, images, arch, target);
	} finally {
		await rm(workDir, {recursive: true, force: true});
	}

	return target;
}

/** Size of the tar stream inside a gzip file, by decompressing it. */
async function gunzippedSize(file: string): Promise<number> {
	const {createGunzip} = await import('node:zlib');
	let bytes = 0;
	await pipeline(createReadStream(file), createGunzip(), async function* (source) {
		for await (const chunk of source as AsyncIterable<Buffer>) {
			bytes += chunk.length;
		}
	});
	return bytes;
}

export async function buildPackage(options: FixturePackageOptions): Promise<BuiltPackage> {
	const kind = options.kind ?? 'full';
	// Not a published version: a fixture named like a real release would (rightly) fail its checksum.
	const version = options.version ?? 'v0.9.5';
	const arch = options.arch ?? 'amd64';
	const charts = options.charts ?? defaultCharts(arch);
	const fileName = options.fileName ?? packageFileName(kind, version, arch);
	const staging = await mkdtemp(path.join(tmpdir(), 'addon-fixture-'));
	try {
		const topDir = options.topDir ?? 'addon-offline-package';
		const root = path.join(staging, 'root', topDir);
		await mkdir(root, {recursive: true});
		if (options.metadata !== false) {
			const metadata = options.metadata ?? {version, arch, kind};
			const lines = Object.entries(metadata).map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
			await writeFile(path.join(root, 'metadata.yaml'), `${lines.join('\n')}\n`);
		}

		for (const chart of charts) {
			const repoDir = path.join(root, chart.repo ?? 'addon');
			await mkdir(repoDir, {recursive: true});
			await writeBundle(path.join(staging, 'work'), chart, arch, path.join(repoDir, `${chart.name}-${chart.version}.bundle.tar`));
		}

		await mkdir(options.dir, {recursive: true});
		const target = path.join(options.dir, fileName);
		const tarFile = path.join(staging, 'package.tar');
		await createTar({file: tarFile, cwd: path.join(staging, 'root'), portable: true}, [topDir]);
		if (options.extraEntries) {
			await appendRawEntries(tarFile, options.extraEntries);
		}

		await rm(root, {recursive: true});
		await pipeline(createReadStream(tarFile), createGzip({level: options.gzipLevel ?? 6}), createWriteStream(target));
		const uncompressedBytes = (await stat(tarFile)).size;
		await rm(tarFile);
		const sha512 = await hashFile(target, 'sha512');
		if (options.sidecar) {
			const value = options.sidecar === 'good' ? sha512 : 'f'.repeat(128);
			await writeFile(`${target}.sha512`, `${value}  ${fileName}\n`);
		}

		return {
			path: target,
			fileName,
			size: (await stat(target)).size,
			sha512,
			uncompressedBytes,
			charts,
			images: charts.flatMap(chart => chart.images.map(image => image.ref)),
		};
	} finally {
		await rm(staging, {recursive: true, force: true});
	}
}

/** Cuts a package to `keepBytes`, as an interrupted download would. */
export async function truncatePackage(file: string, keepBytes: number): Promise<void> {
	await truncate(file, keepBytes);
}

/** Overwrites bytes in the middle of a package so the gzip stream no longer decodes. */
export async function corruptPackage(file: string, atFraction = 0.5): Promise<void> {
	const {open} = await import('node:fs/promises');
	const handle = await open(file, 'r+');
	try {
		const {size} = await handle.stat();
		const position = Math.floor(size * atFraction);
		await handle.write(randomBytes(Math.min(4096, size - position)), 0, undefined, position);
	} finally {
		await handle.close();
	}
}

export {gunzippedSize};
