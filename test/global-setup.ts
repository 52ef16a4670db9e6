// Tests that drive dist/ must drive the code under test: a bundle built from other sources (a stale
// build after an edit) is rebuilt before any test runs, whichever way vitest was started.
import {execFileSync} from 'node:child_process';
import path from 'node:path';
// @ts-expect-error -- a plain .mjs script shared with the build
import {bundleHash, sourceHash} from '../scripts/source-hash.mjs';

const root = path.resolve(import.meta.dirname, '..');

export async function setup(): Promise<void> {
	const bundle = path.join(root, 'dist', 'addon-wizard.mjs');
	const [want, have] = await Promise.all([sourceHash() as Promise<string>, bundleHash(bundle) as Promise<string | undefined>]);
	if (want !== have) {
		execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], {cwd: root, stdio: 'inherit'});
		const built = (await bundleHash(bundle)) as string | undefined;
		if (built !== want) {
			throw new Error(`dist/addon-wizard.mjs carries source hash ${built ?? 'none'} after a rebuild, expected ${want}.`);
		}
	}
}
