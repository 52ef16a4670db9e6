// Pushing the images of a bundle's docker-archive `images.tar`, blobs by digest and a manifest built
// from manifest.json, the two ways the installer does it:
// - `syncImage` (cluster-create, charts-syncer/go-containerregistry): a Docker schema2 manifest at
//   `<tag>`; packages below 0.12.0 force-push it over whatever the tag holds, later ones skip a tag
//   that exists (charts-syncer v0.0.17 "Add Target Image Check", reference §4.3).
// - `mergeImage` (import -addon, kubean's artifacts/import_images.sh): the image at `<tag>-<arch>`,
//   then an OCI index at `<tag>` holding every arch (podman ≥ 4.4 `manifest push` writes OCI indexes).
import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {Parser} from 'tar';
import {isList, mediaTypes} from './registry-client.mjs';

const formats = {
	docker: {
		manifest: mediaTypes.dockerManifest,
		config: 'application/vnd.docker.container.image.v1+json',
		gzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
		plain: 'application/vnd.docker.image.rootfs.diff.tar',
	},
	oci: {
		manifest: mediaTypes.ociManifest,
		config: 'application/vnd.oci.image.config.v1+json',
		gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
		plain: 'application/vnd.oci.image.layer.v1.tar',
	},
};

function blobOf(bundle, name) {
	const blob = bundle.blobs.get(name);
	if (!blob) throw new Error(`images.tar of ${bundle.name}-${bundle.version} has no ${name}`);
	return blob;
}

export function imageManifest(bundle, image, format) {
	const type = formats[format];
	const config = blobOf(bundle, image.config);
	const manifest = {
		schemaVersion: 2,
		mediaType: type.manifest,
		config: {mediaType: type.config, size: config.size, digest: config.digest},
		layers: image.layers.map(name => {
			const blob = blobOf(bundle, name);
			return {mediaType: blob.gzip ? type.gzip : type.plain, size: blob.size, digest: blob.digest};
		}),
	};
	return Buffer.from(JSON.stringify(manifest, null, 3));
}

/** Uploads the listed images.tar entries in one pass, one at a time, each streamed from the archive. */
async function uploadEntries(client, repo, bundle, names) {
	let previous = Promise.resolve();
	let failure;
	const parser = new Parser({strict: true});
	parser.on('entry', entry => {
		if (!names.has(entry.path)) {
			entry.resume();
			return;
		}
		names.delete(entry.path);
		const blob = blobOf(bundle, entry.path);
		// Held until the upload before it is done; the parser waits for it meanwhile. After a
		// failure the rest is only read through, so the parser always reaches the end.
		entry.pause();
		previous = previous
			.then(() => (failure ? entry.resume() : client.uploadBlob(repo, blob.digest, blob.size, entry)))
			.catch(error => {
				failure ??= error;
				entry.resume();
			});
	});
	await new Promise((resolve, reject) => {
		parser.on('error', reject);
		parser.on('end', resolve);
		createReadStream(bundle.imagesTar).on('error', reject).pipe(parser);
	});
	await previous;
	if (failure) throw failure;
	if (names.size > 0) throw new Error(`images.tar of ${bundle.name}-${bundle.version} has no ${[...names][0]}`);
}

/** Blobs the registry lacks, then the manifest at `ref`; returns the index entry the image makes. */
export async function pushImage(client, bundle, image, repo, ref, format) {
	const missing = new Set();
	for (const name of new Set([image.config, ...image.layers])) {
		if (!(await client.hasBlob(repo, blobOf(bundle, name).digest))) missing.add(name);
	}
	if (missing.delete(image.config)) {
		await client.uploadBlob(repo, blobOf(bundle, image.config).digest, image.configBytes.length, image.configBytes);
	}
	if (missing.size > 0) await uploadEntries(client, repo, bundle, missing);
	const bytes = imageManifest(bundle, image, format);
	await client.putManifest(repo, ref, formats[format].manifest, bytes);
	return {
		mediaType: formats[format].manifest,
		size: bytes.length,
		digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
		platform: platformOf(image),
	};
}

const platformOf = ({architecture, arch, os, variant}) => ({
	architecture: architecture ?? arch,
	os: os ?? 'linux',
	...(variant ? {variant} : {}),
});

/** charts-syncer's check: a pull for the package's platform succeeds, so the tag is left alone. */
function alreadyThere(current, arch) {
	return current !== undefined && (!isList(current) || current.json.manifests?.some(item => item.platform?.architecture === arch));
}

/** cluster-create: `Pushing <ref>...` (forced below 0.12.0) or `Image <ref> already exists, skip pushing...`. */
export async function syncImage(client, {bundle, image, repo, tag, ref, forcePush, arch, say}) {
	if (!forcePush) {
		// As charts-syncer's Check: any failure to pull counts as "not there" and the push decides.
		const current = await client.getManifest(repo, tag).catch(() => undefined);
		if (alreadyThere(current, arch)) {
			say(`Image ${ref} already exists, skip pushing...`);
			return;
		}
	}
	say(`Pushing ${ref}...`);
	await pushImage(client, bundle, image, repo, tag, 'docker');
}

function indexBytes(entries) {
	return Buffer.from(JSON.stringify({schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests: entries}, null, 3));
}

const descriptor = (manifest, platform) => ({mediaType: manifest.mediaType, size: manifest.size, digest: manifest.digest, platform});

/** import -addon, per image, as kubean's image::merge_multi_arch does it, with its log lines. */
export async function mergeImage(client, {bundle, image, repo, tag, host, arch, say}) {
	const source = `${host}/${repo}:${tag}`;
	say(`[info] import image from oci:offline-images:${image.ref} to ${source}-${arch}`);
	const pushed = await pushImage(client, bundle, image, repo, `${tag}-${arch}`, 'oci');
	const current = await client.getManifest(repo, tag);
	let entries;
	if (current === undefined) {
		say(`[info] ${source} not found in registry ${host}`);
		entries = [pushed];
	} else if (!isList(current)) {
		say('[info] original manifest arch: []');
		const config = JSON.parse((await client.getBlob(repo, current.json.config.digest)).toString('utf8'));
		const original = platformOf(config);
		if (original.architecture !== arch) {
			say(`[info] image retag from ${source} to ${source}-${original.architecture}`);
			await client.putManifest(repo, `${tag}-${original.architecture}`, current.mediaType, current.body);
		}
		entries = [descriptor(current, original), pushed].filter(
			(entry, index, all) => all.findIndex(other => other.digest === entry.digest) === index,
		);
	} else {
		const listed = (current.json.manifests ?? []).filter(item => item.platform && item.platform.architecture !== 'unknown');
		say(`[info] original manifest arch: [${listed.map(item => item.platform.architecture).join(' ')}]`);
		if (listed.some(item => item.platform.architecture === arch)) {
			say('[warn] skipping to push since it already exists in remote');
			return;
		}
		entries = [];
		for (const item of listed) {
			const own = await client.getManifest(repo, `${tag}-${item.platform.architecture}`);
			entries.push(own && !isList(own) ? descriptor(own, item.platform) : item);
		}
		entries.push(pushed);
	}
	await client.putManifest(repo, tag, mediaTypes.ociIndex, indexBytes(entries));
}
