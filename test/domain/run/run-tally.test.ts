// The Result's counts come from what the installer said it did, by name.
import {describe, expect, it} from 'vitest';
import {parseOutputLine} from '../../../source/domain/run/installer-output.js';
import {createTally, settledTally, summarizeTallies, wordSummary} from '../../../source/domain/run/run-tally.js';

function tallyOf(arch: string, lines: string[]) {
	const tally = createTally(arch);
	for (const line of lines) {
		tally.add(parseOutputLine(line));
	}

	return tally.result();
}

const charts = ['metrics-server_3.8.3', 'dao-2048_1.4.1', 'nginx_15.1.0', 'insight_0.30.0', 'kpanda_0.28.0'];
const synced = (name: string) => `I1124 20:01:47.234706    8743 sync.go:66] Syncing "${name}" chart...`;
const skipped = (name: string) => `I1124 20:01:47.234706    8743 index.go:80] Skipping "${name}" chart: Already synced`;

describe('the run summary', () => {
	it('counts the same five charts in two arches as five charts, and one tag pushed in two arches as one image', () => {
		const amd = tallyOf('amd64', [...charts.map(synced), 'Pushing 10.6.135.222/release.daocloud.io/daocloud/dao-2048:v1.4.1...']);
		const arm = tallyOf('arm64', [
			'[info] import image from oci:offline-images:release.daocloud.io/daocloud/dao-2048:v1.4.1 to 10.6.135.222/release.daocloud.io/daocloud/dao-2048:v1.4.1-arm64',
			...charts.map(skipped),
		]);
		const summary = summarizeTallies([amd, arm]);
		expect(summary.charts).toEqual({synced: 5, skipped: 0});
		expect(summary.images).toEqual({
			tags: 1,
			byArch: [
				{arch: 'amd64', pushed: 1},
				{arch: 'arm64', pushed: 1},
			],
			skipped: 0,
			skippedByArch: [],
		});
		expect(wordSummary(summary)).toEqual(['Charts: 5 charts synced. Images: 1 image pushed (1 for amd64, 1 for arm64).']);
	});

	it('counts an image that several arm64 kinds of one release integrate once for arm64', () => {
		const merge =
			'[info] import image from oci:offline-images:release.daocloud.io/daocloud/dao-2048:v1.4.1 to 10.6.135.222/release.daocloud.io/daocloud/dao-2048:v1.4.1-arm64';
		const amd = tallyOf('amd64', ['Pushing 10.6.135.222/release.daocloud.io/daocloud/dao-2048:v1.4.1...']);
		const summary = summarizeTallies([amd, tallyOf('arm64', [merge]), tallyOf('arm64', [merge]), tallyOf('arm64', [merge])]);
		expect(summary.images.byArch).toEqual([
			{arch: 'amd64', pushed: 1},
			{arch: 'arm64', pushed: 1},
		]);
		expect(wordSummary(summary)).toEqual(['Charts: no chart synced. Images: 1 image pushed (1 for amd64, 1 for arm64).']);
	});

	it('an integration that only merged images claims no chart, and says which were already there', () => {
		const arm = tallyOf('arm64', [
			'[info] import image from oci:offline-images:a/b:v1 to 10.6.135.222/a/b:v1-arm64',
			'[info] import image from oci:offline-images:a/c:v2 to 10.6.135.222/a/c:v2-arm64',
			'[warn] skipping to push since it already exists in remote',
			...charts.slice(0, 2).map(skipped),
		]);
		expect(wordSummary(summarizeTallies([arm]))).toEqual([
			'Charts: no chart synced, 2 already there (skipped). Images: 1 image pushed for arm64, 1 already there (skipped).',
		]);
	});

	it('keeps the amd64 images that were already there when the arm64 step then pushes the same tags', () => {
		const refs = ['a/b:v1', 'a/c:v2', 'a/d:v3'];
		const amd = tallyOf(
			'amd64',
			refs.map(ref => `Image 10.6.135.222/${ref} already exists, skip pushing...`),
		);
		const arm = tallyOf(
			'arm64',
			refs.map(ref => `[info] import image from oci:offline-images:${ref} to 10.6.135.222/${ref}-arm64`),
		);
		const summary = summarizeTallies([amd, arm]);
		expect(summary.images).toEqual({
			tags: 3,
			byArch: [{arch: 'arm64', pushed: 3}],
			skipped: 3,
			skippedByArch: [{arch: 'amd64', skipped: 3}],
		});
		expect(wordSummary(summary)).toEqual([
			'Charts: no chart synced. Images: 3 images pushed for arm64, 3 for amd64 already there (skipped).',
		]);
		// A retry that pushes for the same arch what an earlier attempt skipped counts it once, as pushed.
		const retried = summarizeTallies([
			amd,
			tallyOf(
				'amd64',
				refs.map(ref => `Pushing 10.6.135.222/${ref}...`),
			),
		]);
		expect(retried.images).toMatchObject({tags: 3, skipped: 0});
	});

	it('an installer that printed no Pushing line cannot claim images', () => {
		const summary = summarizeTallies([
			tallyOf('amd64', ['[Info]: Step 13/13: import addon offline package', '[Info]: cluster-create finished']),
		]);
		expect(summary.images.tags).toBe(0);
		expect(summary.silentSteps).toBe(1);
		expect(wordSummary(summary)[0]).toContain('named no chart and no image');
	});

	it('does not count the push a failed step was in the middle of: "Pushing x..." is said before the push', () => {
		const lines = [
			synced('metrics-server_3.8.3'),
			'Pushing 10.6.135.222/docker.m.daocloud.io/metrics-server:v0.6.2...',
			synced('dao-2048_1.4.1'),
			'Pushing 10.6.135.222/release.daocloud.io/daocloud/dao-2048:v1.4.1...',
		];
		const tally = tallyOf('amd64', lines);
		const failed = settledTally(tally, false);
		expect(failed.charts.synced).toEqual(['metrics-server_3.8.3']);
		expect(failed.images.pushed).toEqual(['10.6.135.222/docker.m.daocloud.io/metrics-server:v0.6.2']);
		// A step that ended done keeps them all.
		expect(settledTally(tally, true).images.pushed).toHaveLength(2);
	});

	it('drops the image the error names, whatever order the two output files were read in', () => {
		// The chart line (stderr) was read after the image line (stdout) that followed it.
		const tally = tallyOf('amd64', [
			'Pushing 10.6.135.222/docker.m.daocloud.io/metrics-server:v0.6.2...',
			'Pushing 10.6.135.222/release.daocloud.io/daocloud/dao-2048:v1.4.1...',
			synced('metrics-server_3.8.3'),
			synced('dao-2048_1.4.1'),
			'Error: failed to push image 10.6.135.222/release.daocloud.io/daocloud/dao-2048:v1.4.1: unauthorized: project not found, name: release.daocloud.io',
		]);
		const failed = settledTally(tally, false);
		expect(failed.images.pushed).toEqual(['10.6.135.222/docker.m.daocloud.io/metrics-server:v0.6.2']);
		expect(failed.charts.synced).toEqual(['metrics-server_3.8.3']);
	});

	it('stays bounded on a flood of distinct names', () => {
		const tally = createTally('amd64');
		for (let index = 0; index < 50_000; index++) {
			tally.add({kind: 'image', ref: `r/x:${index}`, skipped: false});
		}

		const result = tally.result();
		expect(result.images.pushed.length + result.overflow).toBe(50_000);
		expect(result.images.pushed.length).toBeLessThanOrEqual(20_000);
	});
});
