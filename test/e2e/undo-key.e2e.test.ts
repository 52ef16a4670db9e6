// The Result's `z` in a real terminal (tmux) with a real registry under it: the seed's <0.12.0
// upgrade through the screens turns the cluster's amd64+arm64 lists into amd64-only images; the
// Result says undo can put them back, z shows each tag now → before with its arches and asks,
// y puts them back and reads them back, and skopeo (a client the project did not write) sees the
// two-arch lists again, byte for byte the ones saved before the step.
import {rm} from 'node:fs/promises';
import process from 'node:process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliPath, type ClusterFixture} from '../helpers/cluster-fixture.js';
import {flat} from '../helpers/e2e-scratch.js';
import {clobberedRefs, multiArchSite, type MultiArchSite} from '../helpers/multi-arch-site.js';
import {runProgram} from '../helpers/run-program.js';
import {startTmux, type TmuxSession} from '../helpers/tmux.js';

const refs = clobberedRefs;
let f: ClusterFixture;
let session: TmuxSession | undefined;
let pkg: MultiArchSite['pkg'];
let manifestOf: MultiArchSite['manifestOf'];

beforeAll(async () => {
	({f, pkg, manifestOf} = await multiArchSite());
}, 180_000);

afterAll(async () => {
	await session?.kill();
	await session?.ended();
	await f?.stop();
	await rm(f?.root ?? '/nonexistent', {recursive: true, force: true});
});

describe('z on the Result of the clobbering v0.11.2 upgrade', () => {
	it('says undo is available, shows each tag now → before, asks, and puts every list back, verified', async () => {
		const lists = await Promise.all(refs.map(async ref => manifestOf(ref)));
		expect(lists.map(item => item.arches)).toEqual(refs.map(() => 'amd64+arm64'));

		session = await startTmux({
			argv: [process.execPath, cliPath, '-c', f.configPath, '--search', f.packagesDir, '-p', pkg('v0.11.2', 'amd64')],
			cwd: f.workdir,
			env: f.env,
			columns: 100,
			rows: 30,
		});
		await session.waitFor('Upgrade:', 60_000);
		await session.sendKeys('Enter');
		const confirm = await session.waitFor('Run now?', 30_000);
		if (confirm.includes('yes+enter')) {
			await session.type('yes');
			await session.sendKeys('Enter');
		} else {
			await session.sendKeys('y');
		}

		const offered = flat(await session.waitFor('z undo: put 3 tags back as they were before step 1', 120_000));
		expect(offered).toContain('z undo');
		// Before z: the step is not verified and i, the chained integration, is the other way on.
		expect(offered).toContain('✘ Not verified after');
		expect(offered).toMatch(/i integrate/);
		expect((await manifestOf(refs[0]!)).arches).toBe('single image');

		await session.sendKeys('z');
		const asked = flat(await session.waitFor('Put 3 tags back?', 30_000));
		expect(asked).toMatch(
			/put back +release\.daocloud\.io\/daocloud\/dao-2048:v1\.4\.1 +[0-9a-f]{12} \(amd64\) → [0-9a-f]{12} \(amd64\+arm64\)/,
		);
		expect(asked).toContain('esc keeps them as they are');
		// Nothing changes until the answer.
		expect((await manifestOf(refs[0]!)).arches).toBe('single image');

		// Esc keeps things as they are, and z asks again.
		await session.sendKeys('Escape');
		await session.waitFor(screen => !screen.includes('Put 3 tags back?') && screen.includes('z undo: put 3 tags back'), 30_000);
		expect((await manifestOf(refs[0]!)).arches).toBe('single image');
		await session.sendKeys('z');
		await session.waitFor('Put 3 tags back?', 30_000);

		await session.sendKeys('y');
		const done = flat(await session.waitFor('✔ Verified: 3 tags hold their saved manifests again.', 60_000));
		expect(done).toMatch(/put back, read back: release\.daocloud\.io\/daocloud\/dao-2048:v1\.4\.1/);
		expect(done).not.toContain('z undo');
		// The headline tells the registry as it is now, then the step's own outcome, still true.
		expect(done).toMatch(/RESULT ✔ Tags back as before step 1: 3 tags put back and read back, verified\./);
		expect(done).toMatch(/Step 1 itself was not verified after \d+:\d\d \(3 tags lost arm64\); undo put them back\./);
		expect(done).not.toContain('✘ Not verified after');
		// i would fuse v0.11.2's arm64 images into the lists put back: neither said nor in the footer.
		expect(done).not.toMatch(/i integrate/);
		expect(done).not.toContain('Next: Integrate');
		expect(done).toMatch(
			/next: u puts clusterConfig\.yaml back as it was before this run too, to match\. To upgrade and keep arm64, run the wizard again with addon-offline-full-package-v0\.11\.2-arm64\.tar\.gz chosen too/,
		);
		expect(done).toMatch(
			/The 3 chart versions step 1 added stay \(addon-wizard undo --remove-added --run run-[\d-]+ --step 1 removes them/,
		);
		for (const [index, ref] of refs.entries()) {
			const now = await manifestOf(ref);
			expect(now.arches, ref).toBe('amd64+arm64');
			expect(now.digest, ref).toBe(lists[index]!.digest);
		}

		// The history records it as the command's undo is recorded.
		const history = await runProgram(process.execPath, [cliPath, 'history', '-c', f.configPath], {
			cwd: f.workdir,
			env: {...f.env, CI: 'true'},
			timeoutMs: 60_000,
		});
		expect(history.stdout).toMatch(
			/undo of cluster-create v0\.11\.2 amd64 \(run run-[\d-]+\) {2}verified\n {2}✔ Verified: 3 tags hold their saved manifests again\./,
		);

		await session.sendKeys('q');
		await session.waitForExit(30_000);
	}, 400_000);
});
