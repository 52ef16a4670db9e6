// The seed's "Architecture Conflict" in a real terminal (tmux, 80×24) with a real registry under
// it: a cluster made multi-arch with v0.10.3 (amd64 imported, arm64 integrated), then upgraded to
// v0.11.2 with the amd64 package alone through the screens. The Result shows the verification
// failure with the <0.12.0 cause, and `i` runs the chained integration of v0.11.2 arm64 to a
// verified end; skopeo (a client the project did not write) sees two-arch lists again.
import {rm} from 'node:fs/promises';
import process from 'node:process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliPath, type ClusterFixture} from '../helpers/cluster-fixture.js';
import {flat} from '../helpers/e2e-scratch.js';
import {clobberedRefs, multiArchSite, type MultiArchSite} from '../helpers/multi-arch-site.js';
import {startTmux, type TmuxSession} from '../helpers/tmux.js';

const refs = clobberedRefs;
let f: ClusterFixture;
let session: TmuxSession | undefined;
let site: MultiArchSite;
let pkg: MultiArchSite['pkg'];
const arches = async (ref: string) => (await site.manifestOf(ref)).arches;

beforeAll(async () => {
	site = await multiArchSite(60_000);
	({f, pkg} = site);
	expect(await arches(refs[0]!)).toBe('amd64+arm64');
}, 120_000);

afterAll(async () => {
	await session?.kill();
	await session?.ended();
	await f?.stop();
	await rm(f?.root ?? '/nonexistent', {recursive: true, force: true});
});

describe('the v0.10.3 → v0.11.2 amd64 upgrade through the screens, verified against a real registry', () => {
	it('shows the verification failure with the <0.12.0 cause, and i integrates v0.11.2 arm64 to a verified end', async () => {
		session = await startTmux({
			argv: [process.execPath, cliPath, '-c', f.configPath, '--search', f.packagesDir, '-p', pkg('v0.11.2', 'amd64')],
			cwd: f.workdir,
			env: f.env,
			columns: 80,
			rows: 24,
		});
		await session.waitFor('Upgrade:', 30_000);
		await session.sendKeys('Enter');
		const confirm = await session.waitFor('Run now?');
		if (confirm.includes('yes+enter')) {
			// A plan whose warning Confirm repeats runs only with yes typed out.
			await session.type('yes');
			await session.sendKeys('Enter');
		} else {
			await session.sendKeys('y');
		}

		// The Result is whole once the snapshot is read: the undo offer (z) is part of it, and the
		// footer, shortened to fit 80 columns, then names i without its long form.
		const failed = flat(await session.waitFor(screen => screen.includes('Not verified after') && screen.includes('z undo'), 60_000));
		expect(failed).toContain('the installer exited cleanly, but the registry does not hold what the step should have left.');
		expect(failed).toMatch(/3 tag\(s\) lost an arch: release\.daocloud\.io\/daocloud\/dao-2048:v1\.4\.1 \(arm64\)/);
		expect(failed).toContain('v0.11.2 is below 0.12.0: its charts-syncer replaced their multi-arch lists with amd64-only images.');
		// The path may wrap anywhere: compared without the breaks.
		expect(failed).toContain('i integrates the v0.11.2 arm64 package now (import -addon, pre-flight first):');
		expect(failed.replaceAll(' ', '')).toContain(pkg('v0.11.2', 'arm64'));
		expect(failed).toMatch(/z undo · i integrate · l open the log/);
		expect(await arches(refs[0]!)).toBe('single image');

		await session.sendKeys('i');
		const done = flat(await session.waitFor('Done in', 60_000));
		expect(done).toContain('2. Integrate arm64 images of v0.11.2 with import -addon');
		expect(done).toMatch(
			/✔ Verified against http:\/\/127\.0\.0\.1:\d+: all 3 images of the v0\.11\.2 arm64 package are in the registry; tags carry amd64, arm64\./,
		);
		expect(done).toContain('⚠ 3 tag(s) lost arm64 (v0.11.2 is below 0.12.0); step 2 integrated arm64 again.');
		expect(done).toContain('⚠ 1. Upgrade addon to v0.11.2 (amd64) with cluster-create -j13');
		expect(done).not.toContain('i integrate');
		// The counts are what the reads before and after both steps showed, the installer's beside them.
		// The upgrade pushed three amd64 images (v0.11.2's differ from v0.10.3's), the integration three
		// arm64 ones into the same tags; the bumped charts went up once and stay "uploaded".
		expect(done).toContain(
			'Images: 6 pushed (3 amd64, 3 arm64), 0 already there, 0 missing. Charts: 3 uploaded, 0 already there, 0 missing. (installer reported: 3 charts synced, 3 images pushed (3 for amd64, 3 for arm64))',
		);
		expect(done).toMatch(/All 3 chart versions are in the chart repository http:\/\/127\.0\.0\.1:\d+\./);
		for (const ref of refs) {
			expect(await arches(ref), ref).toBe('amd64+arm64');
		}

		await session.sendKeys('q');
		expect(await session.waitForExit()).toBe(0);
	}, 180_000);
});
