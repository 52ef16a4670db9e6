// `addon-wizard undo` against a real docker-registry: the seed's <0.12.0 upgrade turns the
// cluster's amd64+arm64 lists into amd64-only images, and undo puts every one of them back from
// the snapshot the run saved before the step, each digest equal to the saved one (skopeo, a
// client the project did not write, sees two-arch lists again). A tag someone else pushed since
// the step is left alone, named, unless --force.
import {rm} from 'node:fs/promises';
import process from 'node:process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliPath, type ClusterFixture} from '../helpers/cluster-fixture.js';
import {clobberedRefs, multiArchSite, type MultiArchSite} from '../helpers/multi-arch-site.js';
import {runProgram} from '../helpers/run-program.js';

const refs = clobberedRefs;
let f: ClusterFixture;
let pkg: MultiArchSite['pkg'];
let manifestOf: MultiArchSite['manifestOf'];

async function cli(args: string[]) {
	return runProgram(process.execPath, [cliPath, ...args, '-c', f.configPath], {
		cwd: f.workdir,
		env: {...f.env, CI: 'true'},
		timeoutMs: 90_000,
	});
}

const chartAuth = () => {
	const repo = f.testBed!.chartRepo!;
	return {authorization: `Basic ${Buffer.from(`${repo.username}:${repo.password}`).toString('base64')}`};
};

beforeAll(async () => {
	({f, pkg, manifestOf} = await multiArchSite());
}, 180_000);

afterAll(async () => {
	await f?.stop();
	await rm(f?.root ?? '/nonexistent', {recursive: true, force: true});
});

describe('undo of the <0.12.0 single-arch overwrite', () => {
	it('puts every overwritten tag back to its amd64+arm64 list, digest equal to the saved one, and records it', async () => {
		const lists = await Promise.all(refs.map(async ref => manifestOf(ref)));
		expect(lists.map(item => item.arches)).toEqual(refs.map(() => 'amd64+arm64'));

		// Given the clobbering upgrade, accepted as an operator in a hurry would.
		const upgrade = await cli(['run', '--yes', '--accept', 'below-0.12-single-arch', '-p', pkg('v0.11.2', 'amd64')]);
		expect(upgrade.code, upgrade.stdout + upgrade.stderr).not.toBe(0);
		expect((await manifestOf(refs[0]!)).arches).toBe('single image');

		// When undo runs without a terminal and without --yes, it shows and changes nothing.
		const asked = await cli(['undo']);
		expect(asked.code, asked.stderr).toBe(2);
		expect(asked.stdout).toMatch(
			/put back +release\.daocloud\.io\/daocloud\/dao-2048:v1\.4\.1 +[0-9a-f]{12} \(amd64\) → [0-9a-f]{12} \(amd64\+arm64\)/,
		);
		expect(asked.stderr).toContain('there is no terminal to ask on. Nothing was changed.');
		expect((await manifestOf(refs[0]!)).arches).toBe('single image');

		// Then with --yes it puts them back and reads them back.
		const undone = await cli(['undo', '--yes', '--json']);
		expect(undone.code, undone.stdout + undone.stderr).toBe(0);
		const document = JSON.parse(undone.stdout) as {
			kind: string;
			verified: boolean;
			state: string;
			tags: Array<{ref: string; before: string; result?: string; nowArches?: string[]; beforeArches: string[]}>;
			charts?: Array<{name: string; version: string; result?: string}>;
		};
		expect(document).toMatchObject({kind: 'Undo', state: 'done', verified: true});
		// The chart versions the upgrade uploaded are listed, and kept without --remove-added.
		expect(document.charts, undone.stdout).toEqual(expect.arrayContaining([expect.objectContaining({result: 'left'})]));
		expect(document.charts?.every(chart => chart.result === 'left')).toBe(true);
		expect(undone.stderr).toMatch(/chart added +dao-2048-\S+: the step uploaded it \(--remove-added deletes it\)/);
		for (const [index, ref] of refs.entries()) {
			const now = await manifestOf(ref);
			expect(now.arches, ref).toBe('amd64+arm64');
			expect(now.digest, ref).toBe(lists[index]!.digest);
			const tag = document.tags.find(
				item => item.ref.endsWith(ref.slice(ref.indexOf('/'))) || item.ref.includes(ref.split('/').slice(1).join('/')),
			);
			expect(tag?.result, ref).toBe('restored');
			// What the upgrade left, as the preview read it: amd64 where amd64+arm64 was.
			expect(tag?.nowArches, ref).toEqual(['amd64']);
			expect(tag?.beforeArches, ref).toEqual(['amd64', 'arm64']);
			expect(tag?.before, ref).toBe(now.digest);
		}

		// The history says the undo happened.
		const history = await cli(['history']);
		expect(history.stdout).toMatch(
			/undo of cluster-create v0\.11\.2 amd64 \(run run-[\d-]+\) {2}verified\n {2}✔ Verified: 3 tags hold their saved manifests again\./,
		);
		expect(history.stdout).toMatch(/ {2}undo: done /);
		expect(history.stdout).toMatch(/undo: available \(addon-wizard undo --run run-[\d-]+ --step 1\)/);
		// And a second undo has nothing left to do.
		const again = await cli(['undo', '--yes']);
		expect(again.code, again.stderr).toBe(0);
		expect(again.stdout).toContain('Nothing to undo');

		// --remove-added deletes the chart versions the upgrade uploaded from the ChartMuseum stand-in.
		const charts = await cli(['undo', '--yes', '--remove-added']);
		expect(charts.code, charts.stdout + charts.stderr).toBe(0);
		expect(charts.stdout).toMatch(/deleted: chart dao-2048-\S+/);
		const index = await (await fetch(`${f.testBed!.chartRepo!.url}/index.yaml`, {headers: chartAuth()})).text();
		expect(index).not.toMatch(/dao-2048-1\.4\.2\.tgz/);
		// The versions that were there before the upgrade stay.
		expect(index).toMatch(/dao-2048-\S+\.tgz/);
	}, 240_000);
});
