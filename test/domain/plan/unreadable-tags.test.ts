// Tags the registry could not read: named with their cause and next step, grouped when many fail
// alike, never counted as absent, and blocking under --require-registry, like a chart repository
// whose index.yaml could not be read.
import {describe, expect, it} from 'vitest';
import {reviewRegistry, type RegistryFacts, type RegistrySnapshot, type StepImages} from '../../../source/domain/plan/registry-review.js';
import {pendingChanges} from '../../../source/domain/plan/pending-changes.js';
import {requiredRegistryFindings, unreadableGroups} from '../../../source/domain/plan/unreadable-tags.js';
import type {RegistryAccessError, TagState} from '../../../source/domain/registry/tag-state.js';
import {renderRegistryText} from '../../../source/report/registry/registry-text.js';
import {harborLocation} from '../../helpers/tag-states.js';

const location = harborLocation;

const failure = (reason: string, hint: string, url: string): RegistryAccessError => ({
	kind: 'registry-protocol',
	message: `The registry at ${url} sent something unexpected: ${reason}.`,
	hint,
	exitCode: 3,
	url,
	cause: 'protocol',
	reason,
});
const key = (repository: string) => `release.daocloud.io/${repository}:v1`;
const notJson = (repository: string): TagState => ({
	kind: 'unreadable',
	error: failure('the manifest is not JSON', 'Push its image again.', `https://harbor.example/v2/${repository}/manifests/v1`),
});
const forbidden: TagState = {
	kind: 'unreadable',
	error: {...failure('user "admin" may not read it (403)', 'Grant user "admin" the rights.', 'u'), kind: 'registry-forbidden'},
};

const snapshot = (tags: Array<[string, TagState]>): RegistrySnapshot => ({
	tags: new Map(tags),
	spaces: {kind: 'none', reason: 'no Harbor'},
	neighbours: new Map(),
	auth: 'basic',
	harbor: false,
	tls: 'system CAs',
	elapsedMs: 12,
	requests: 9,
});

function step(repositories: string[]): StepImages {
	return {
		stepId: 'cluster-create-amd64',
		push: {kind: 'cluster-create', version: 'v0.11.0'},
		arch: 'amd64',
		version: 'v0.11.0',
		images: repositories.map(repository => ({
			registry: 'release.daocloud.io',
			repository,
			tag: 'v1',
			architecture: 'amd64',
			os: 'linux',
			chart: 'app-2.0.0',
		})),
		charts: [{name: 'app', version: '2.0.0'}],
	};
}

const repositories = Array.from({length: 102}, (_, index) => `r${String(index).padStart(3, '0')}`);
/** 100 tags whose manifest is not JSON, one the login may not read, one absent. */
const hostile = snapshot([
	...repositories.slice(0, 100).map((repository): [string, TagState] => [key(repository), notJson(repository)]),
	[key(repositories[100]!), forbidden],
	[key(repositories[101]!), {kind: 'absent'}],
]);

const facts = (registry: RegistrySnapshot, extra: Partial<RegistryFacts> = {}): RegistryFacts => ({
	location: location(),
	registry,
	charts: {charts: new Map([['app', ['1.0.0']]]), url: 'http://charts.example:8081/index.yaml', bytes: 100},
	history: [],
	...extra,
});

const review = (registry: RegistrySnapshot, extra: Partial<RegistryFacts> = {}) =>
	reviewRegistry({facts: facts(registry, extra), steps: [step(repositories)], flagArches: [], configArches: []});

describe('tags the registry could not read', () => {
	it('names each tag with its cause and next step, grouped by cause, the largest group first', () => {
		const reviewed = review(hostile);
		expect(reviewed.tags.find(tag => tag.key === key('r100'))?.unreadable).toEqual({
			kind: 'registry-forbidden',
			message: 'The registry at u sent something unexpected: user "admin" may not read it (403).',
			hint: 'Grant user "admin" the rights.',
			reason: 'user "admin" may not read it (403)',
		});
		const groups = unreadableGroups(reviewed.tags);
		expect(groups.map(group => [group.reason, group.tags.length, group.hint])).toEqual([
			['the manifest is not JSON', 100, 'Push its image again.'],
			['user "admin" may not read it (403)', 1, 'Grant user "admin" the rights.'],
		]);
	});

	it('says so in a few lines at 80x24, with the count, the first tags and where the full list is', () => {
		const lines = renderRegistryText(review(hostile), []);
		expect(lines.length).toBeLessThan(30);
		const text = lines.join('\n');
		expect(text).toContain(
			'[WARN] 101 tags could not be read, so they are counted as pending, never as absent (plan --json lists every one with its cause):',
		);
		expect(text).toContain(
			'[WARN] the manifest is not JSON: 100 tags (release.daocloud.io/r000:v1, release.daocloud.io/r001:v1, release.daocloud.io/r002:v1 and 97 more)',
		);
		expect(text).toContain('next: Push its image again.');
		expect(text).toContain('user "admin" may not read it (403): 1 tag (release.daocloud.io/r100:v1)');
		expect(text).toContain('Tags: 102 (1 added, 0 merged, 0 overwritten, 0 unchanged, 101 unreadable)');
	});

	it('never counts one as absent: the cluster arches do not say "holds none", and the changes are pending', () => {
		const reviewed = review(hostile);
		expect(reviewed.clusterArches.detail).not.toContain('holds none of these images yet');
		expect(reviewed.clusterArches.detail).toContain("101 of the registry's 102 tags of these images could not be read");
		expect(reviewed.tagChanges).toMatchObject({added: 1, unknown: 101});
		expect(reviewed.images).toMatchObject({absent: 1, unreadable: 101});
		const all = review(snapshot([[key('r000'), notJson('r000')]]));
		expect(all.clusterArches.detail).toContain("the registry's tag of these images could not be read");
		expect(pendingChanges({steps: [], registry: reviewed})).toEqual({
			changed: true,
			summary: 'changes pending: 101 tags unreadable (counted as pending, not absent), 1 tag to add, 1 chart version to upload',
		});
	});

	it('counts an unreadable tag as pending even when its chart is in the repository (the step skips it)', () => {
		const skipped = review(snapshot([[key('r000'), notJson('r000')]]), {
			charts: {charts: new Map([['app', ['2.0.0']]]), url: 'http://charts.example:8081/index.yaml', bytes: 100},
		});
		expect(skipped.tags[0]).toMatchObject({skipped: true, change: 'unknown'});
		expect(pendingChanges({steps: [], registry: skipped}).changed).toBe(true);
	});

	it('blocks under --require-registry, naming the causes and the first tags', () => {
		const [finding, ...rest] = requiredRegistryFindings(review(hostile));
		expect(rest).toEqual([]);
		expect(finding).toMatchObject({code: 'registry-unchecked', severity: 'error', hint: 'Push its image again.'});
		expect(finding!.message).toBe(
			'101 tags of the plan could not be read from the registry at https://harbor.example (the manifest is not JSON: 100 tags; user "admin" may not read it (403): 1 tag; the Registry section names them), so the plan is not checked against the registry for them; --require-registry makes that block.',
		);
		expect(requiredRegistryFindings(review(snapshot([[key('r000'), {kind: 'absent'}]])))).toEqual([]);
	});

	it('blocks under --require-registry when the chart repository could not be read', () => {
		const tooLarge = {
			kind: 'registry-protocol',
			message: "The chart repository's index.yaml at http://charts.example:8081/index.yaml is larger than 64 MB; not read.",
			hint: 'Remove old chart versions.',
			exitCode: 3,
		};
		const findings = requiredRegistryFindings(review(snapshot([[key('r000'), {kind: 'absent'}]]), {charts: tooLarge}));
		expect(findings).toEqual([
			{
				code: 'registry-unchecked',
				severity: 'error',
				message: `The chart repository at http://charts.example:8081 could not be read, so its charts are unknown (${tooLarge.message}); --require-registry makes that block.`,
				hint: 'Remove old chart versions.',
			},
		]);
	});
});
