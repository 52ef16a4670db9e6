// The counts of a step come from the registry and the chart repository read before and after it,
// never from the installer's lines: an installer that says "Syncing" for a chart it never uploaded,
// or prints no Pushing line for an image that arrived, is counted by what the reads showed.
import {describe, expect, it} from 'vitest';
import {plannedPushes, type PushImage} from '../../../source/domain/registry/push-diff.js';
import {countCharts, countImages} from '../../../source/domain/registry/step-counts.js';
import type {ChartIndex, TagState} from '../../../source/domain/registry/tag-state.js';
import {checkCharts, withCharts} from '../../../source/domain/registry/verify-charts.js';
import {verifyStep} from '../../../source/domain/registry/verify-step.js';
import {measureRun, wordMeasured} from '../../../source/domain/run/measured-counts.js';
import type {StepVerification} from '../../../source/domain/run/run-events.js';
import {cfg, single} from '../../helpers/tag-states.js';

const image = (repository: string, arch: string): PushImage => ({
	registry: 'release.daocloud.io',
	repository,
	tag: 'v1',
	architecture: arch,
	configDigest: cfg(repository.slice(-1)),
});
const key = (repository: string) => `release.daocloud.io/${repository}:v1`;
const pushes = plannedPushes([image('k/a', 'amd64'), image('k/b', 'amd64'), image('k/c', 'amd64')], {pathPrefix: ''}, 'amd64');
const charts = [
	{name: 'insight', version: '0.30.0'},
	{name: 'kpanda', version: '0.28.0'},
];

describe('a step counted from the reads before and after it', () => {
	it('pushed: absent before, there after; already there: there before; missing: not there after', () => {
		const before = new Map<string, TagState>([[key('k/a'), single('amd64', 'a')]]);
		const after = new Map<string, TagState>([
			[key('k/a'), single('amd64', 'a')],
			[key('k/b'), single('amd64', 'b')],
		]);
		expect(countImages(pushes, before, after)).toEqual({
			pushed: 1,
			alreadyThere: 1,
			missing: 1,
			notToldApart: 0,
			unread: 0,
			byArch: [{arch: 'amd64', pushed: 1, alreadyThere: 1, missing: 1, notToldApart: 0, unread: 0}],
		});
	});

	it('a tag the installer keeps (it skips tags that exist) is already there, as the verification expects, not missing', () => {
		// The tag held another amd64 image before the step; an installer that skips existing tags left it.
		const before = new Map<string, TagState>([[key('k/a'), single('amd64', 'z')]]);
		const after = new Map<string, TagState>([
			[key('k/a'), single('amd64', 'z')],
			[key('k/b'), single('amd64', 'b')],
			[key('k/c'), single('amd64', 'c')],
		]);
		expect(countImages(pushes, before, after, 'skip-existing')).toMatchObject({pushed: 2, alreadyThere: 1, missing: 0});
		// An installer that overwrites should have left the package's image: the old one there is missing it.
		expect(countImages(pushes, before, after, 'force-push')).toMatchObject({pushed: 2, alreadyThere: 0, missing: 1});
	});

	it('without a read before the step, what is there is not split into pushed and already there', () => {
		const after = new Map<string, TagState>(pushes.map(push => [push.key, single('amd64', push.key.split('/').at(-1)!.slice(0, 1))]));
		expect(countImages(pushes, undefined, after)).toMatchObject({pushed: 0, alreadyThere: 0, missing: 0, notToldApart: 3});
	});

	it('charts: uploaded, already there and missing by name and version', () => {
		const before: ChartIndex = new Map([['insight', ['0.30.0']]]);
		const after: ChartIndex = new Map([['insight', ['0.30.0']]]);
		expect(countCharts(charts, before, after)).toEqual({
			uploaded: [],
			alreadyThere: ['insight@0.30.0'],
			missing: ['kpanda@0.28.0'],
			notToldApart: [],
		});
		expect(countCharts(charts, new Map(), new Map([...after, ['kpanda', ['0.28.0']]])).uploaded).toEqual([
			'insight@0.30.0',
			'kpanda@0.28.0',
		]);
	});
});

describe('a run counted from its steps, the installer beside it', () => {
	const none = {count: 0, first: []};
	const result = verifyStep(
		{
			step: {kind: 'cluster-create', version: 'v0.30.0'},
			purpose: 'import',
			package: {arch: 'amd64', version: 'v0.30.0'},
			pushes,
			before: new Map(),
			clusterArches: ['amd64'],
		},
		new Map(pushes.map(push => [push.key, single('amd64', push.key.split('/').at(-1)!.slice(0, 1))])),
	);

	it("the installer's Syncing lines do not make a chart uploaded: the repository's empty index makes it missing, named", () => {
		const judged = withCharts(result, checkCharts(charts, 'http://10.6.135.222:8081', new Map()), {missing: 'Run the step again.'});
		expect(result.verified).toBe(true);
		expect(judged.verified).toBe(false);
		expect(judged.message).toBe('2 of 2 charts are not in the chart repository http://10.6.135.222:8081 (insight@0.30.0, kpanda@0.28.0).');
		expect(judged.hint).toBe('Run the step again.');
		expect(judged.nextSteps[0]).toMatchObject({kind: 'retry-step'});

		const verification: StepVerification = {
			state: 'failed',
			registry: 'https://10.6.135.222',
			result: judged,
			chain: [],
			tagArches: ['amd64'],
			counts: {
				images: countImages(
					pushes,
					new Map(),
					new Map(pushes.map(push => [push.key, single('amd64', push.key.split('/').at(-1)!.slice(0, 1))])),
				),
				charts: countCharts(charts, new Map(), new Map()),
			},
		};
		// The contradiction this replaces: "Images: no image pushed" beside "all 3 images are in the registry".
		expect(wordMeasured(measureRun([verification]), 'installer reported: 2 charts synced, no image pushed')).toEqual([
			'Images: 3 pushed, 0 already there, 0 missing. Charts: 0 uploaded, 0 already there, 2 missing (insight@0.30.0, kpanda@0.28.0).',
			'(installer reported: 2 charts synced, no image pushed)',
		]);
	});

	it('a chart one step uploaded stays uploaded when the next step finds it there; a step without a read is said', () => {
		const counted = (uploaded: string[], alreadyThere: string[]): StepVerification => ({
			state: 'verified',
			registry: 'r',
			result: {...result, charts: {state: 'read', repository: 'c', expected: 2, missing: none}},
			chain: [],
			tagArches: ['amd64'],
			counts: {
				images: {pushed: 3, alreadyThere: 0, missing: 0, notToldApart: 0, unread: 0, byArch: []},
				charts: {uploaded, alreadyThere, missing: [], notToldApart: []},
			},
		});
		const both = ['insight@0.30.0', 'kpanda@0.28.0'];
		const measured = measureRun([counted(both, []), counted([], both), {state: 'skipped', reason: '--no-verify was given'}]);
		expect(measured.charts).toEqual({uploaded: both, alreadyThere: [], missing: [], notToldApart: []});
		expect(wordMeasured(measured)).toEqual([
			'Images: 6 pushed, 0 already there, 0 missing. Charts: 2 uploaded, 0 already there, 0 missing.',
			'1 step not counted: --no-verify was given.',
		]);
		expect(
			wordMeasured(
				measureRun([{state: 'skipped', reason: '--no-verify was given'}]),
				'installer reported: 2 charts synced, 3 images pushed',
			),
		).toEqual([
			'Images and charts: not counted, the registry was not read back: --no-verify was given.',
			'(installer reported: 2 charts synced, 3 images pushed)',
		]);
	});
});
