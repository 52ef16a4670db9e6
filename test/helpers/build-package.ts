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
async function writeImagesTar(workDir: string, images: FixtureImage[], defaultArch: string, target: string) {
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
		const configName = `sha256:${sha256(config)}`;
		await writeFile(path.join(archiveDir, configName), config);
		configNames.push(configName);
		layerNames.push(layerName);
		manifest.push({Config: configName, RepoTags: [image.ref], Layers: [layerName]});
	}

	await writeFile(path.join(archiveDir, 'manifest.json'), JSON.stringify(manifest));
	await createTar({file: target, cwd: archiveDir, portable: true}, [...configNames, ...new Set(layerNames), 'manifest.json']);
	await rm(archiveDir, {recursive: true});
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
	await writeFile(path.join(chartDir, 'Chart.yaml'), `apiVersion: v2\nname: ${chart.name}\nversion: ${chart.version}\ndescription: fixture chart\n`);
	await writeFile(path.join(chartDir, 'values.yaml'), values);
	if (chart.packaged) {
		const helmDir = path.join(workDir, 'helm', chart.name);
		await mkdir(helmDir, {recursive: true});
		await writeFile(path.join(helmDir, 'Chart.yaml'), `apiVersion: v2\nname: ${chart.name}\nversion: ${chart.version}\ndescription: fixture chart (packaged)\n`);
		await writeFile(path.join(helmDir, 'values.yaml'), values);
		await createTar({file: path.join(originalChart, `${chart.name}-${chart.version}.tgz`), gzip: true, cwd: path.dirname(helmDir), portable: true}, [chart.name]);
		await rm(path.dirname(helmDir), {recursive: true});
	}

	await writeFile(path.join(bundleDir, 'hints.yaml'), hints);
	await writeImagesTar(path.join(workDir, 'images'), chart.images, arch, path.join(bundleDir, 'images.tar'));
	await createTar({file: target, cwd: bundleDir, portable: true}, ['hints.yaml', 'original-chart', 'images.tar']);
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
	await pipeline(createReadStream(file), createGunzip(), async function * (source) {
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
