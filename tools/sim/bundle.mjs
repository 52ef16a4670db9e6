// A charts-syncer bundle (`<chart>-<version>.bundle.tar`): unpacked beside itself, its chart read
// from either layout seen in the wild (`original-chart/Chart.yaml` or `original-chart/<chart>/`,
// plus a packaged `original-chart/<chart>-<version>.tgz`), and its docker-archive `images.tar`
// indexed (every entry's digest; manifest.json and image configs kept) without unpacking it.
import {createHash} from 'node:crypto';
import {createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {Parser} from 'tar';
import YAML from 'yaml';
import {chartMetadata} from '../lib/chart-repo.mjs';
import {Fatal, fail} from './log.mjs';
import {extractTar} from './unpack.mjs';

export function findBundles(dir) {
	const bundles = [];
	for (const entry of readdirSync(dir, {withFileTypes: true})) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) bundles.push(...findBundles(full));
		else if (entry.name.endsWith('.bundle.tar')) bundles.push(full);
	}
	return bundles.sort();
}

async function readChart(unpacked) {
	const chartDir = path.join(unpacked, 'original-chart');
	const names = readdirSync(chartDir).sort();
	const archive = names.find(name => name.endsWith('.tgz'));
	const dir = names.includes('Chart.yaml')
		? chartDir
		: names.map(name => path.join(chartDir, name)).find(full => statSync(full).isDirectory());
	if (!dir && !archive) throw new Error(`no chart in ${chartDir}`);
	const metadata = dir
		? (YAML.parse(readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')) ?? {})
		: await chartMetadata(readFileSync(path.join(chartDir, archive)));
	if (!metadata.name || metadata.version === undefined) throw new Error(`Chart.yaml in ${dir ?? archive} lacks name or version`);
	return {
		name: String(metadata.name),
		version: String(metadata.version),
		chartDir: dir,
		chartArchive: archive && path.join(chartDir, archive),
	};
}

const isSmallJson = name => name === 'manifest.json' || name.endsWith('.json') || /^(blobs\/)?sha256[:/][0-9a-f]{64}$/.test(name);

/** One pass over images.tar: digest, size and compression of every file; the small JSON files' text. */
export async function indexImagesTar(file) {
	const blobs = new Map();
	const small = new Map();
	const parser = new Parser({strict: true});
	parser.on('entry', entry => {
		if (entry.type !== 'File' && entry.type !== 'OldFile') {
			entry.resume();
			return;
		}
		const hash = createHash('sha256');
		const keep = isSmallJson(entry.path) && entry.size < 1 << 20 ? [] : undefined;
		let first;
		entry.on('data', chunk => {
			first ??= chunk.subarray(0, 2);
			hash.update(chunk);
			keep?.push(chunk);
		});
		entry.on('end', () => {
			blobs.set(entry.path, {digest: `sha256:${hash.digest('hex')}`, size: entry.size, gzip: first?.[0] === 0x1f && first?.[1] === 0x8b});
			if (keep) small.set(entry.path, Buffer.concat(keep));
		});
	});
	await new Promise((resolve, reject) => {
		parser.on('error', reject);
		parser.on('end', resolve);
		createReadStream(file).on('error', reject).pipe(parser);
	});
	return {blobs, small};
}

async function readImages(unpacked) {
	const imagesTar = path.join(unpacked, 'images.tar');
	if (!existsSync(imagesTar)) return {images: [], imagesTar: undefined, blobs: new Map()};
	const {blobs, small} = await indexImagesTar(imagesTar);
	const manifest = JSON.parse(small.get('manifest.json')?.toString('utf8') ?? '[]');
	const images = [];
	for (const item of manifest) {
		const configBytes = small.get(item.Config);
		const config = JSON.parse(configBytes?.toString('utf8') ?? '{}');
		for (const ref of item.RepoTags ?? []) {
			images.push({
				ref,
				arch: config.architecture ?? 'amd64',
				os: config.os ?? 'linux',
				variant: config.variant,
				config: item.Config,
				configBytes,
				layers: item.Layers ?? [],
			});
		}
	}
	return {images, imagesTar, blobs};
}

/** Unpacks and reads one bundle; a malformed one ends the import with an `[Error]` line, as the installer does. */
export async function readBundle(bundle, budget) {
	const unpacked = bundle.slice(0, -'.tar'.length);
	try {
		mkdirSync(unpacked, {recursive: true});
		await extractTar(createReadStream(bundle), unpacked, budget);
		const chart = await readChart(unpacked);
		return {...chart, ...(await readImages(unpacked)), dir: unpacked};
	} catch (error) {
		if (error instanceof Fatal) throw error;
		fail(`import addon failed: read bundle ${bundle}: ${error.message}`);
	}
}
