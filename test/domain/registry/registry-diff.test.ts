import {describe, expect, it} from 'vitest';
import {diffCharts} from '../../../source/domain/registry/chart-diff.js';
import {chainSteps, diffRegistry, plannedPushes, type PushImage} from '../../../source/domain/registry/push-diff.js';
import type {TagState} from '../../../source/domain/registry/tag-state.js';
import {archesOf} from '../../../source/domain/registry/tag-state.js';
import {pickNeighbourTag} from '../../../source/domain/registry/neighbour-tag.js';
import {cfg, single, list} from '../../helpers/tag-states.js';

const image = (repository: string, arch: string, config?: string): PushImage => ({
	registry: 'release.daocloud.io',
	repository,
	tag: 'v1',
	architecture: arch,
	configDigest: config ? cfg(config) : undefined,
});
const key = (repository: string) => `release.daocloud.io/${repository}:v1`;
const harbor = {kind: 'harbor' as const, existing: ['release.daocloud.io'], missing: []};

describe('registry diff before a step', () => {
	it('counts absent, same, different, arch-missing and uncompared images by config digest', () => {
		const pushes = plannedPushes(
			[image('a', 'amd64', 'a1'), image('b', 'amd64', 'b1'), image('c', 'amd64', 'c2'), image('d', 'amd64', 'd1'), image('e', 'amd64')],
			{pathPrefix: ''},
			'amd64',
		);
		const now = new Map<string, TagState>([
			[key('b'), list(['amd64', 'b1'], ['arm64', 'b9'])],
			[key('c'), single('amd64', 'c1')],
			[key('d'), single('arm64', 'd9')],
			[key('e'), single('amd64', 'e1')],
		]);
		const diff = diffRegistry({pushes, step: {kind: 'cluster-create', version: 'v0.12.0'}, now, spaces: harbor});
		expect(diff.counts).toEqual({absent: 1, same: 1, different: 1, 'arch-missing': 1, uncompared: 1, unreadable: 0, total: 5});
		expect(diff.policy).toBe('skip-existing');
		// >= 0.12.0 skips any existing tag: only the absent one changes, nothing loses an arch.
		expect(diff.tags.map(tag => [tag.key, tag.change])).toEqual([
			[key('a'), 'added'],
			[key('b'), 'unchanged'],
			[key('c'), 'unchanged'],
			[key('d'), 'unchanged'],
			[key('e'), 'unchanged'],
		]);
		expect(diff.losingArch).toEqual([]);
		expect(diff.missingSpaces).toEqual([]);
	});

	it('finds the <0.12.0 hazard from the registry: every multi-arch tag would become amd64-only', () => {
		const repos = ['kpanda/x', 'kpanda/y', 'insight/z'];
		const pushes = plannedPushes(
			repos.map(repo => image(repo, 'amd64', `${repo}-new`)),
			{pathPrefix: ''},
			'amd64',
		);
		const now = new Map<string, TagState>([
			[key('kpanda/x'), list(['amd64', 'x1'], ['arm64', 'x2'])],
			[key('kpanda/y'), list(['amd64', 'y1'], ['arm64', 'y2'])],
			[key('insight/z'), single('amd64', 'z1')],
		]);
		const diff = diffRegistry({pushes, step: {kind: 'cluster-create', version: 'v0.11.0'}, now, spaces: harbor});
		expect(diff.policy).toBe('force-push');
		expect(diff.policyReason).toContain('below 0.12.0');
		expect(diff.losingArch).toEqual([
			{key: key('kpanda/x'), lost: ['arm64']},
			{key: key('kpanda/y'), lost: ['arm64']},
		]);
		expect(diff.tags.find(tag => tag.key === key('kpanda/x'))).toMatchObject({
			now: 'list',
			nowArches: ['amd64', 'arm64'],
			after: 'image',
			afterArches: ['amd64'],
			change: 'overwritten',
		});
		expect(diff.tags.find(tag => tag.key === key('insight/z'))?.change).toBe('overwritten');
		expect(diff.clusterArches).toEqual([
			{arch: 'amd64', tags: 3},
			{arch: 'arm64', tags: 2},
		]);
		expect(diff.multiArchNow).toBe(2);
		expect(diff.multiArchAfter).toBe(0);
	});

	it('the same upgrade at 0.12.0 keeps the lists, and one followed by an integration ends multi-arch', () => {
		const now = new Map<string, TagState>([[key('x'), list(['amd64', 'x1'], ['arm64', 'x2'])]]);
		const upgrade = plannedPushes([image('x', 'amd64', 'x1')], {pathPrefix: ''}, 'amd64');
		expect(diffRegistry({pushes: upgrade, step: {kind: 'cluster-create', version: '0.12.0'}, now, spaces: harbor}).losingArch).toEqual([]);
		const integrate = plannedPushes([image('x', 'arm64', 'x3')], {pathPrefix: ''}, 'arm64');
		const end = chainSteps(now, [
			{pushes: upgrade, step: {kind: 'cluster-create', version: 'v0.11.0'}},
			{pushes: integrate, step: {kind: 'import-addon'}},
		]);
		expect(archesOf(end.get(key('x')))).toEqual(['amd64', 'arm64']);
	});

	it('import -addon merges: added as a one-arch list, merged into a single image or a list, skipped when the arch is there', () => {
		const pushes = plannedPushes(
			[image('new', 'arm64', 'n'), image('single', 'arm64', 's2'), image('list', 'arm64', 'l2'), image('has', 'arm64', 'h9')],
			{pathPrefix: ''},
			'arm64',
		);
		const now = new Map<string, TagState>([
			[key('single'), single('amd64', 's1')],
			[key('list'), list(['amd64', 'l1'])],
			[key('has'), list(['amd64', 'h1'], ['arm64', 'h2'])],
		]);
		const diff = diffRegistry({pushes, step: {kind: 'import-addon'}, now, spaces: harbor});
		expect(diff.tags.map(tag => [tag.key, tag.change, tag.after, tag.afterArches])).toEqual([
			[key('new'), 'added', 'list', ['arm64']],
			[key('single'), 'merged', 'list', ['amd64', 'arm64']],
			[key('list'), 'merged', 'list', ['amd64', 'arm64']],
			[key('has'), 'unchanged', 'list', ['amd64', 'arm64']],
		]);
		expect(diff.tags.at(-1)?.pushed).toEqual([{arch: 'arm64', comparison: 'different'}]);
		expect(diff.multiArchAfter).toBe(3);
	});

	it('names the Harbor projects that do not exist, and none for a registry without projects', () => {
		const pushes = plannedPushes(
			[
				image('a', 'arm64'),
				{registry: 'localhost', repository: 'b', tag: 'v1', architecture: 'arm64'},
				{registry: 'docker.m.daocloud.io', repository: 'c', tag: '1', architecture: 'arm64'},
			],
			{pathPrefix: ''},
			'arm64',
		);
		expect(diffRegistry({pushes, step: {kind: 'import-addon'}, now: new Map(), spaces: harbor}).missingSpaces).toEqual([
			'docker.m.daocloud.io',
			'localhost',
		]);
		const plain = diffRegistry({
			pushes,
			step: {kind: 'import-addon'},
			now: new Map(),
			spaces: {kind: 'none', reason: 'a plain registry has no projects'},
		});
		expect(plain.missingSpaces).toEqual([]);
		expect(plain.spacesNote).toBe('a plain registry has no projects');
	});

	it('an unreadable tag is counted, not guessed', () => {
		const pushes = plannedPushes([image('a', 'amd64', 'a')], {pathPrefix: ''}, 'amd64');
		const now = new Map<string, TagState>([
			[key('a'), {kind: 'unreadable', error: {kind: 'registry-forbidden', message: 'no', hint: 'h', exitCode: 3}}],
		]);
		const diff = diffRegistry({pushes, step: {kind: 'cluster-create', version: 'v0.11.0'}, now, spaces: harbor});
		expect(diff.counts.unreadable).toBe(1);
		expect(diff.tags[0]).toMatchObject({change: 'unknown', after: 'unknown', lostArches: []});
	});

	it('assumes a force push for a version it cannot compare, and says so', () => {
		const diff = diffRegistry({pushes: [], step: {kind: 'cluster-create', version: 'latest'}, now: new Map(), spaces: harbor});
		expect(diff.policy).toBe('force-push');
		expect(diff.policyReason).toContain('assumes the worst');
	});

	it("an image without an arch in its config takes the package's, and duplicates count once", () => {
		const pushes = plannedPushes(
			[
				{registry: 'r.io', repository: 'a', tag: '1'},
				{registry: 'r.io', repository: 'a', tag: '1'},
			],
			{pathPrefix: ''},
			'arm64',
		);
		expect(pushes).toEqual([
			{target: {repository: 'r.io/a', tag: '1'}, key: 'r.io/a:1', image: {arch: 'arm64', os: undefined, configDigest: undefined}},
		]);
	});
});

describe('chart diff against the live index.yaml', () => {
	it('added, upgraded, downgraded and unchanged against what the repository lists', () => {
		const index = new Map([
			['metrics-server', ['3.8.2', '3.8.3']],
			['dao-2048', ['1.4.1']],
			['nginx', ['15.1.0', '16.0.0']],
		]);
		const changes = diffCharts(
			[
				{name: 'metrics-server', version: '3.8.3'},
				{name: 'dao-2048', version: '1.5.0'},
				{name: 'nginx', version: '15.2.0'},
				{name: 'insight-agent', version: '0.1.0'},
			],
			index,
		);
		expect(changes).toEqual([
			{name: 'dao-2048', from: '1.4.1', to: '1.5.0', change: 'upgraded'},
			{name: 'insight-agent', to: '0.1.0', change: 'added'},
			{name: 'metrics-server', from: '3.8.3', to: '3.8.3', change: 'unchanged'},
			{name: 'nginx', from: '16.0.0', to: '15.2.0', change: 'downgraded'},
		]);
	});

	it('counts v1.0.0 and 1.0.0 as the same version', () => {
		expect(diffCharts([{name: 'a', version: 'v1.0.0'}], new Map([['a', ['1.0.0']]]))[0]?.change).toBe('unchanged');
	});
});

describe('neighbouring tags', () => {
	it("picks the highest version, skipping the step's own tags and kubean's per-arch leftovers", () => {
		expect(pickNeighbourTag(['v0.9.0', 'v0.10.2', 'v0.10.2-arm64', 'v0.10.2-amd64', 'v0.11.0', 'latest'], ['v0.11.0'])).toBe('v0.10.2');
		expect(pickNeighbourTag(['main', 'dev'], [])).toBe('main');
		expect(pickNeighbourTag(['v1-amd64'], [])).toBeUndefined();
		expect(pickNeighbourTag([], [])).toBeUndefined();
	});

	it("an upgrade whose tags are all new still shows the cluster's arches, from the repositories' other tags", () => {
		const pushes = plannedPushes(
			[image('x', 'amd64', 'x9')].map(item => ({...item, tag: 'v2'})),
			{pathPrefix: ''},
			'amd64',
		);
		const neighbours = new Map([['release.daocloud.io/x', {tag: 'v1', state: list(['amd64', 'x1'], ['arm64', 'x2'])}]]);
		const diff = diffRegistry({pushes, step: {kind: 'cluster-create', version: 'v0.11.0'}, now: new Map(), spaces: harbor, neighbours});
		expect(diff.clusterArches).toEqual([
			{arch: 'amd64', tags: 1},
			{arch: 'arm64', tags: 1},
		]);
		expect(diff.archSources).toEqual({tags: 0, neighbours: 1});
		expect(diff.losingArch).toEqual([]);
	});
});
