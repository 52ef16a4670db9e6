// One hash over everything the bundle is built from, so a test can tell a stale dist/ from a
// current one: the build writes it into the bundle, the test setup compares.
import {createHash} from 'node:crypto';
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

async function files(dir) {
	const entries = await readdir(path.join(root, dir), {withFileTypes: true});
	const nested = await Promise.all(
		entries.map(async entry => {
			const relative = path.join(dir, entry.name);
			return entry.isDirectory() ? files(relative) : [relative];
		}),
	);
	return nested.flat();
}

export async function sourceHash() {
	const inputs = [
		...(await files('source')),
		'cli.tsx',
		'package.json',
		'package-lock.json',
		'scripts/build.mjs',
		'scripts/bundle-loader.mjs',
		// The build's plugins change the bundle as much as the source does.
		'scripts/known-width.mjs',
		'scripts/lazy-builtins.mjs',
		'scripts/string-width-fast.mjs',
		'scripts/no-top-level-await.mjs',
		'scripts/zod-english-only.mjs',
	].sort();
	const hash = createHash('sha256');
	for (const file of inputs) {
		hash.update(`${file}\0`);
		hash.update(await readFile(path.join(root, file)));
	}

	return hash.digest('hex').slice(0, 16);
}

/** The hash a built bundle carries, or undefined when there is no bundle or it carries none. */
export async function bundleHash(bundlePath) {
	const head = await readFile(bundlePath, 'utf8').then(
		text => text.slice(0, 4096),
		() => '',
	);
	return /^\/\/ addon-wizard source-hash: ([\da-f]+)$/m.exec(head)?.[1];
}
