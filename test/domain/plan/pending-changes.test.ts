// Whether a plan would change anything, from reviews made the way a plan makes them
// (reviewRegistry over a registry snapshot and a chart index), and that the already-in-registry
// finding says the same.
import {describe, expect, it} from 'vitest';
import type {ConfigEdit} from '../../../source/domain/config/config-facts.js';
import {currentFrom, decideOperation} from '../../../source/domain/plan/decide-operation.js';
import {pendingChanges} from '../../../source/domain/plan/pending-changes.js';
import type {PlanStep} from '../../../source/domain/plan/plan.js';
import {reviewRegistry, type RegistryFacts, type StepImages} from '../../../source/domain/plan/registry-review.js';
import {registryHazards} from '../../../source/domain/plan/version-hazards.js';
import {locateRegistry} from '../../../source/domain/registry/location.js';
import type {TagState} from '../../../source/domain/registry/tag-state.js';
import {full} from '../packages/make-inspection.js';

const cfg = (name: string) => `sha256:${name.padEnd(64, '0')}`;
const refs = ['release.daocloud.io/kpanda/a:v1', 'release.daocloud.io/kpanda/b:v1'];
const located = locateRegistry({document: undefined, flags: {registry: 'http://127.0.0.1:5000', chartRepo: 'http://127.0.0.1:8081'}});
const location = (located as {location: RegistryFacts['location']}).location;

const image = (arch: string, digest: string): TagState => ({kind: 'image', image: {arch, os: 'linux', configDigest: cfg(digest)}});
const list = (...arches: Array<[string, string]>): TagState => ({
	kind: 'list',
	images: arches.map(([arch, digest]) => ({arch, os: 'linux', configDigest: cfg(digest)})),
});

function step(id: string, kind: 'cluster-create' | 'import-addon', arch: string, digest: string, version = 'v0.13.0'): StepImages {
	return {
		stepId: id,
		push: kind === 'cluster-create' ? {kind, version} : {kind},
		arch,
		version,
		images: refs.map(ref => {
			const [repository, tag] = ref.slice('release.daocloud.io/'.length).split(':');
			return {
				registry: 'release.daocloud.io',
				repository: repository!,
				tag: tag!,
				architecture: arch,
				os: 'linux',
				configDigest: cfg(digest),
				chart: 'kpanda-0.20.1',
			};
		}),
		charts: [{name: 'kpanda', version: '0.20.1'}],
	};
}

const edit = (changes: boolean): ConfigEdit => ({
	path: '/root/clusterConfig.yaml',
	newPaths: ['/p/new.tar.gz'],
	originalText: 'path: /p/old.tar.gz\n',
	newText: changes ? 'path: /p/new.tar.gz\n' : 'path: /p/old.tar.gz\n',
	diff: '',
});

const planStep = (id: string, configEdit?: ConfigEdit) => ({id, configEdit}) as PlanStep;

type Site = {tags?: TagState; charts?: Array<[string, string[]]>; registryDown?: boolean};

function review(steps: StepImages[], site: Site) {
	const facts: RegistryFacts = {
		location,
		registry: site.registryDown
			? {kind: 'registry-unreachable', message: 'connection refused', hint: 'Start it.', exitCode: 7}
			: {
					tags: new Map(site.tags ? refs.map(ref => [ref, site.tags!]) : []),
					spaces: {kind: 'none', reason: 'plain'},
					neighbours: new Map(),
					auth: 'none',
					harbor: false,
					tls: 'plain',
					elapsedMs: 1,
					requests: 1,
				},
		charts: site.charts ? {charts: new Map(site.charts), url: 'http://127.0.0.1:8081/index.yaml', bytes: 1} : undefined,
		history: [],
	};
	return reviewRegistry({facts, steps, flagArches: [], configArches: ['amd64']});
}

describe('pendingChanges', () => {
	it('says nothing to change when every tag holds the same image and every chart is at its version', () => {
		const steps = [step('s0', 'cluster-create', 'amd64', 'x')];
		const result = pendingChanges({
			steps: [planStep('s0', edit(false))],
			registry: review(steps, {tags: image('amd64', 'x'), charts: [['kpanda', ['0.20.1']]]}),
		});
		expect(result).toEqual({
			changed: false,
			summary: 'nothing to change: the registry holds all 2 tags and the chart repository all 1 chart as the plan would leave them',
		});
	});

	it('counts a first import, a new chart version and an edit of clusterConfig.yaml as pending', () => {
		const steps = [step('s0', 'cluster-create', 'amd64', 'x')];
		const result = pendingChanges({steps: [planStep('s0', edit(true))], registry: review(steps, {charts: [['kpanda', ['0.20.0']]]})});
		expect(result).toEqual({
			changed: true,
			summary: 'changes pending: 2 tags to add, 1 chart version to upload, clusterConfig.yaml to edit',
		});
	});

	it('treats a cluster-create whose charts the repository has as skipping their images, even when the registry lacks them', () => {
		// charts-syncer drops a synced chart with its images: running the installer would not push them.
		const steps = [step('s0', 'cluster-create', 'amd64', 'x')];
		const result = pendingChanges({steps: [planStep('s0')], registry: review(steps, {charts: [['kpanda', ['0.20.1']]]})});
		expect(result.changed).toBe(false);
		expect(result.summary).toBe(
			'nothing to change: the registry holds 0 of the 2 tags and the chart repository all 1 chart as the plan would leave them; 2 tags the registry lacks are skipped with their charts, which the repository has, so running the installer would not push them either',
		);
	});

	it('judges a plan of several steps by what the last one leaves: an integration into lists that hold the arch changes nothing', () => {
		const steps = [step('s0', 'cluster-create', 'amd64', 'x'), step('s1', 'import-addon', 'arm64', 'y')];
		const held = review(steps, {tags: list(['amd64', 'x'], ['arm64', 'y']), charts: [['kpanda', ['0.20.1']]]});
		expect(pendingChanges({steps: [planStep('s0'), planStep('s1')], registry: held}).changed).toBe(false);
		// The same plan over amd64-only tags merges arm64 in.
		const single = review(steps, {tags: image('amd64', 'x'), charts: [['kpanda', ['0.20.1']]]});
		expect(pendingChanges({steps: [planStep('s0'), planStep('s1')], registry: single})).toEqual({
			changed: true,
			summary: 'changes pending: 2 tags to merge an arch into',
		});
	});

	it('counts a below-0.12.0 force-push of another build over a tag as an overwrite', () => {
		const steps = [step('s0', 'cluster-create', 'amd64', 'new', 'v0.11.0')];
		const result = pendingChanges({
			steps: [planStep('s0')],
			registry: review(steps, {tags: image('amd64', 'old'), charts: [['kpanda', ['0.20.0']]]}),
		});
		expect(result).toEqual({changed: true, summary: 'changes pending: 2 tags to overwrite, 1 chart version to upload'});
	});

	it('assumes changes when the registry or the chart repository was not read, and says why', () => {
		const steps = [step('s0', 'cluster-create', 'amd64', 'x')];
		expect(pendingChanges({steps: [planStep('s0')], registry: review(steps, {registryDown: true})})).toEqual({
			changed: true,
			summary: 'changes assumed pending: the registry was not read (connection refused)',
		});
		expect(pendingChanges({steps: [planStep('s0')], registry: review(steps, {tags: image('amd64', 'x')})})).toEqual({
			changed: true,
			summary: 'changes assumed pending: the chart repository was not read (no chart repository was given or found)',
		});
		expect(pendingChanges({steps: [planStep('s0')], registry: undefined}).changed).toBe(true);
	});
});

describe('the already-in-registry finding agrees with pendingChanges', () => {
	const decision = decideOperation(
		[full('v0.13.0', 'amd64')],
		currentFrom(['/p/addon-offline-full-package-v0.13.0-amd64.tar.gz'], undefined),
	);
	const steps = [step('s0', 'cluster-create', 'amd64', 'x')];
	const held = review(steps, {tags: image('amd64', 'x'), charts: [['kpanda', ['0.20.1']]]});
	const finding = (editsConfig: boolean) =>
		registryHazards({decision, review: held, integrationSteps: [], editsConfig}).find(item => item.code === 'already-in-registry');

	it('says "changes nothing" exactly when nothing is pending', () => {
		expect(pendingChanges({steps: [planStep('s0', edit(false))], registry: held}).changed).toBe(false);
		expect(finding(false)?.message).toMatch(/Running it changes nothing\.$/);
	});

	it('says the config would still be edited when that is what is pending', () => {
		expect(pendingChanges({steps: [planStep('s0', edit(true))], registry: held})).toEqual({
			changed: true,
			summary: 'changes pending: clusterConfig.yaml to edit',
		});
		expect(finding(true)?.message).toMatch(/Running it changes nothing there; it would only edit clusterConfig\.yaml\.$/);
	});

	it('is not said when a chart version is to upload', () => {
		// From 0.12.0 a tag that holds the arch is left alone, whatever image it holds: only the chart changes.
		const changing = review(steps, {tags: image('amd64', 'other'), charts: [['kpanda', ['0.20.0']]]});
		expect(pendingChanges({steps: [planStep('s0')], registry: changing})).toEqual({
			changed: true,
			summary: 'changes pending: 1 chart version to upload',
		});
		expect(registryHazards({decision, review: changing, integrationSteps: []}).map(item => item.code)).toEqual([]);
	});
});
