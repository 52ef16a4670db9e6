import {describe, expect, it} from 'vitest';
import type {WizardError} from '../../../source/domain/shared/wizard-error.js';
import {locateRegistry} from '../../../source/domain/registry/location.js';
import {reviewRegistry, type RegistryFacts, type RegistrySnapshot, type StepImages} from '../../../source/domain/plan/registry-review.js';
import type {RegistrySpaces, TagState} from '../../../source/domain/registry/tag-state.js';
import {cfg, list, harborLocation} from '../../helpers/tag-states.js';

const key = (repository: string, tag = 'v1') => `release.daocloud.io/${repository}:${tag}`;

const location = harborLocation;

const snapshot = (tags: Array<[string, TagState]>, spaces: RegistrySpaces = {kind: 'none', reason: 'no Harbor'}): RegistrySnapshot => ({
	tags: new Map(tags),
	spaces,
	neighbours: new Map(),
	auth: 'basic',
	harbor: spaces.kind === 'harbor',
	tls: 'system CAs',
	elapsedMs: 12,
	requests: 9,
});

/** A step with one image per repository, each config named after repository and arch. */
function step(
	kind: 'cluster-create' | 'import-addon',
	arch: string,
	repositories: string[],
	version = 'v0.11.0',
	chart = 'app-2.0.0',
): StepImages {
	return {
		stepId: `${kind}-${arch}`,
		push: kind === 'cluster-create' ? {kind, version} : {kind},
		arch,
		version,
		images: repositories.map(repository => ({
			registry: 'release.daocloud.io',
			repository,
			tag: 'v1',
			architecture: arch,
			os: 'linux',
			configDigest: cfg(`${repository}${arch}new`),
			chart,
		})),
		charts: [{name: chart.replace(/-[\d.]+$/, ''), version: chart.replace(/^.*-/, '')}],
	};
}

const facts = (registry: RegistrySnapshot | WizardError, extra: Partial<RegistryFacts> = {}): RegistryFacts => ({
	location: location(),
	registry,
	charts: {charts: new Map([['app', ['1.0.0']]]), url: 'http://charts.example:8081/index.yaml', bytes: 100},
	history: [],
	...extra,
});
const multiArch = snapshot([
	[key('a'), list(['amd64', 'a1'], ['arm64', 'a2'])],
	[key('b'), list(['amd64', 'b1'], ['arm64', 'b2'])],
]);

describe('the Registry section of a plan', () => {
	it('sees a <0.12.0 amd64 upgrade overwrite multi-arch tags: arm64 lost at the end, images different by config digest, cluster arches from the registry', () => {
		const review = reviewRegistry({
			facts: facts(multiArch),
			steps: [step('cluster-create', 'amd64', ['a', 'b', 'c'])],
			flagArches: [],
			configArches: ['amd64'],
		});
		expect(review).toMatchObject({
			checked: true,
			registry: {
				url: 'https://harbor.example',
				login: 'user admin from ADDON_WIZARD_REGISTRY_USER / _PASSWORD',
				tls: 'HTTPS, certificate checked against the system CAs',
			},
			images: {total: 3, absent: 1, different: 2, same: 0},
			tagChanges: {overwritten: 2, added: 1, merged: 0, unchanged: 0, unknown: 0},
			multiArchNow: 2,
			multiArchAfter: 0,
			losing: {tags: 2, arches: ['arm64'], restored: 0},
			// c is new: it will hold amd64 only while the cluster runs arm64 too.
			lacking: {tags: 1, arches: ['arm64']},
			clusterArches: {arches: ['amd64', 'arm64'], sources: ['registry']},
			spaces: {kind: 'none', reason: 'no Harbor'},
			steps: [{stepId: 'cluster-create-amd64', policy: 'force-push', images: 3, skippedWithCharts: 0, losingArch: 2}],
		});
		expect(review.tags.map(tag => [tag.key, tag.nowArches, tag.afterArches, tag.change, tag.lostAtEnd, tag.lacking])).toEqual([
			[key('a'), ['amd64', 'arm64'], ['amd64'], 'overwritten', ['arm64'], ['arm64']],
			[key('b'), ['amd64', 'arm64'], ['amd64'], 'overwritten', ['arm64'], ['arm64']],
			[key('c'), [], ['amd64'], 'added', [], ['arm64']],
		]);
		expect(JSON.stringify(review)).not.toContain('secret');
	});

	it('projects each step on what the one before leaves: the arm64 integration right after restores the lists', () => {
		const review = reviewRegistry({
			facts: facts(multiArch),
			steps: [step('cluster-create', 'amd64', ['a', 'b']), step('import-addon', 'arm64', ['a', 'b'])],
			flagArches: [],
			configArches: ['amd64'],
		});
		expect(review.tags.map(tag => [tag.key, tag.afterArches, tag.lostDuringPlan, tag.lostAtEnd])).toEqual([
			[key('a'), ['amd64', 'arm64'], ['arm64'], []],
			[key('b'), ['amd64', 'arm64'], ['arm64'], []],
		]);
		expect(review.losing).toEqual({tags: 2, arches: ['arm64'], restored: 2});
		expect(review.multiArchAfter).toBe(2);
		expect(review.steps.map(item => [item.policy, item.losingArch])).toEqual([
			['force-push', 2],
			['merge', 0],
		]);
	});

	it('keeps the tags of a chart version the repository has: charts-syncer skips the chart with its images', () => {
		const review = reviewRegistry({
			facts: facts(multiArch),
			steps: [step('cluster-create', 'amd64', ['a', 'b'], 'v0.11.0', 'app-1.0.0')],
			flagArches: [],
			configArches: ['amd64'],
		});
		expect(review.steps[0]).toMatchObject({images: 0, skippedWithCharts: 2, losingArch: 0});
		expect(review.tags.map(tag => [tag.change, tag.skipped, tag.lostAtEnd])).toEqual([
			['unchanged', true, []],
			['unchanged', true, []],
		]);
		expect(review.charts).toEqual({
			checked: true,
			url: 'http://charts.example:8081/index.yaml',
			changes: [{name: 'app', from: '1.0.0', to: '1.0.0', change: 'unchanged'}],
		});
	});

	it('names the Harbor projects the images need that do not exist', () => {
		const harbor = snapshot([], {kind: 'harbor', existing: ['release.daocloud.io'], missing: ['localhost']});
		const steps: StepImages[] = [
			{
				...step('import-addon', 'arm64', ['a']),
				images: [
					...step('import-addon', 'arm64', ['a']).images,
					{registry: 'localhost', repository: 'busybox', tag: '1.36', architecture: 'arm64'},
				],
			},
		];
		expect(reviewRegistry({facts: facts(harbor), steps, flagArches: [], configArches: []}).spaces).toEqual({
			kind: 'harbor',
			required: ['localhost', 'release.daocloud.io'],
			existing: ['release.daocloud.io'],
			missing: ['localhost'],
		});
	});

	it('says why nothing was checked when the registry cannot be read, and what the arches come from then', () => {
		const refused: WizardError = {
			kind: 'registry-unreachable',
			message: 'Cannot reach the registry at https://harbor.example: connection refused (ECONNREFUSED).',
			hint: 'Check that the registry runs.',
			exitCode: 3,
		};
		const history = [
			{at: 1, stepKind: 'cluster-create' as const, outcome: 'ok', packages: [{fileName: 'x', version: 'v0.10.0', arch: 'amd64'}]},
			{at: 2, stepKind: 'import-addon' as const, outcome: 'ok', packages: [{fileName: 'y', version: 'v0.10.0', arch: 'arm64'}]},
		];
		const review = reviewRegistry({
			facts: facts(refused, {charts: refused, history}),
			steps: [step('cluster-create', 'amd64', ['a'])],
			flagArches: [],
			configArches: ['amd64'],
		});
		expect(review).toMatchObject({
			checked: false,
			problem: {kind: 'registry-unreachable', message: refused.message, hint: refused.hint},
			tags: [],
			clusterArches: {arches: ['amd64', 'arm64'], sources: ['history'], checked: false},
			history: {entries: 2, current: {versions: ['v0.10.0'], arches: ['amd64', 'arm64']}},
			spaces: {kind: 'unknown'},
			charts: {checked: false, problem: {kind: 'registry-unreachable'}},
		});
	});

	it('says where no registry could be found, e.g. for images from the online service', () => {
		const online = locateRegistry({document: {spec: {imagesAndCharts: {type: 'official-service'}}}});
		const review = reviewRegistry({
			facts: {location: online as WizardError, history: []},
			steps: [step('cluster-create', 'amd64', ['a'])],
			flagArches: [],
			configArches: ['amd64'],
		});
		expect(review.checked).toBe(false);
		expect(review.registry).toBeUndefined();
		expect(review.problem?.message).toContain('imagesAndCharts.type is official-service');
		expect(review.problem?.hint).toBe('Pass --registry URL (and --chart-repo URL) to check a registry anyway.');
	});
});
