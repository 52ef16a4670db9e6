import {describe, expect, it} from 'vitest';
import {plannedPushes, type PushImage} from '../../../source/domain/registry/push-diff.js';
import type {TagState} from '../../../source/domain/registry/tag-state.js';
import {verifyStep, type StepUnderTest} from '../../../source/domain/registry/verify-step.js';
import {cfg, single, list} from '../../helpers/tag-states.js';

const image = (repository: string, arch: string, config: string): PushImage => ({
	registry: 'release.daocloud.io',
	repository,
	tag: 'v1',
	architecture: arch,
	configDigest: cfg(config),
});
const key = (repository: string) => `release.daocloud.io/${repository}:v1`;
const repos = Array.from({length: 8}, (_, index) => `kpanda/r${index}`);

function upgradeTo(version: string): StepUnderTest {
	return {
		step: {kind: 'cluster-create', version},
		purpose: 'upgrade',
		package: {kind: 'standard', arch: 'amd64', version},
		pushes: plannedPushes(
			repos.map(repo => image(repo, 'amd64', `${repo}-amd64`)),
			{pathPrefix: ''},
			'amd64',
		),
		before: new Map(repos.map(repo => [key(repo), list(['amd64', 'old'], ['arm64', `${repo}-arm64`])])),
		clusterArches: ['amd64', 'arm64'],
	};
}

describe('verification after a step', () => {
	it('catches the <0.12.0 conversion: tags named, cause given, the other-arch package offered as the next step', () => {
		const subject = upgradeTo('v0.11.0');
		const after = new Map(repos.map(repo => [key(repo), single('amd64', `${repo}-amd64`)]));
		const result = verifyStep(subject, after);
		expect(result.verified).toBe(false);
		expect(result.lostArch.count).toBe(8);
		expect(result.lostArch.first).toHaveLength(5);
		expect(result.lostArch.first[0]).toEqual({key: key('kpanda/r0'), lost: ['arm64']});
		expect(result.cause?.kind).toBe('below-0.12-conversion');
		expect(result.nextSteps).toEqual([
			{kind: 'integrate', packageKind: 'standard', arch: 'arm64', version: 'v0.11.0', reason: 'tags lost arm64'},
		]);
		expect(result.message).toBe(
			`8 tag(s) lost arm64 (${repos
				.slice(0, 5)
				.map(repo => key(repo))
				.join(', ')}, and 3 more). v0.11.0 is below 0.12.0: its charts-syncer replaced their multi-arch lists with amd64-only images.`,
		);
		expect(result.hint).toBe('Integrate the v0.11.0 arm64 standard package (import -addon) to restore them.');
	});

	it('passes an upgrade that kept every arch, and only then', () => {
		const subject = upgradeTo('v0.12.0');
		const after = new Map(repos.map(repo => [key(repo), list(['amd64', 'old'], ['arm64', `${repo}-arm64`])]));
		// >= 0.12.0 skips existing tags: the old amd64 image staying is what the step should leave.
		const result = verifyStep(subject, after);
		expect(result).toMatchObject({
			verified: true,
			missing: {count: 0},
			lostArch: {count: 0},
			different: {count: 0},
			nextSteps: [],
			hint: '',
		});
		expect(result.message).toBe('All 8 images of the v0.12.0 amd64 standard package are in the registry; tags carry amd64, arm64.');
	});

	it('lists missing images and asks to run the step again', () => {
		const subject = upgradeTo('v0.12.0');
		const after = new Map(repos.slice(1).map(repo => [key(repo), list(['amd64', 'old'], ['arm64', `${repo}-arm64`])]));
		const result = verifyStep(subject, after);
		expect(result.verified).toBe(false);
		expect(result.missing).toEqual({count: 1, first: [`${key('kpanda/r0')} (amd64)`]});
		expect(result.nextSteps[0]).toEqual({kind: 'retry-step', reason: '1 image(s) of the step are not in the registry'});
		// Without a terminal there is no r to press: the advice names the flag as well.
		expect(result.hint).toContain('--cleanup');
	});

	it('an integration is done only when every tag carries every cluster arch', () => {
		const subject: StepUnderTest = {
			step: {kind: 'import-addon'},
			purpose: 'integration',
			package: {kind: 'standard', arch: 'arm64', version: 'v0.12.0'},
			pushes: plannedPushes(
				repos.map(repo => image(repo, 'arm64', `${repo}-arm64`)),
				{pathPrefix: ''},
				'arm64',
			),
			clusterArches: ['amd64', 'arm64', 'ppc64le'],
		};
		const after = new Map(repos.map(repo => [key(repo), list(['amd64', 'a'], ['arm64', `${repo}-arm64`])]));
		const result = verifyStep(subject, after);
		expect(result.verified).toBe(false);
		expect(result.lostArchChecked).toBe(false);
		expect(result.lackingClusterArch.count).toBe(8);
		expect(result.nextSteps).toEqual([
			{
				kind: 'integrate',
				packageKind: 'standard',
				arch: 'ppc64le',
				version: 'v0.12.0',
				reason: 'tags of v0.12.0 carry no ppc64le image yet',
			},
		]);
		const complete = verifyStep({...subject, clusterArches: ['amd64', 'arm64']}, after);
		expect(complete.verified).toBe(true);
	});

	it('an upgrade of a multi-arch cluster passes but says the new tags still need the other arch', () => {
		const subject: StepUnderTest = {...upgradeTo('v0.13.0'), before: new Map()};
		const after = new Map(repos.map(repo => [key(repo), single('amd64', `${repo}-amd64`)]));
		const result = verifyStep(subject, after);
		expect(result.verified).toBe(true);
		expect(result.message).toBe(
			'All 8 images of the v0.13.0 amd64 standard package are in the registry, but 8 tag(s) have no image for arm64 yet.',
		);
		expect(result.nextSteps).toEqual([
			{kind: 'integrate', packageKind: 'standard', arch: 'arm64', version: 'v0.13.0', reason: 'tags of v0.13.0 carry no arm64 image yet'},
		]);
	});

	it("a force-pushed tag holding another image than the package's is not done", () => {
		const subject = upgradeTo('v0.11.0');
		const after = new Map(repos.map(repo => [key(repo), list(['amd64', `${repo}-amd64`], ['arm64', `${repo}-arm64`])]));
		after.set(key('kpanda/r3'), list(['amd64', 'someone-else'], ['arm64', 'kpanda/r3-arm64']));
		const result = verifyStep(subject, after);
		expect(result.verified).toBe(false);
		expect(result.different.first).toEqual([`${key('kpanda/r3')} (amd64)`]);
		expect(result.lostArch.count).toBe(0);
	});

	it('a tag it cannot read back is not done, and says why', () => {
		const subject = upgradeTo('v0.12.0');
		const after = new Map<string, TagState>(repos.map(repo => [key(repo), list(['amd64', 'old'], ['arm64', `${repo}-arm64`])]));
		after.set(key('kpanda/r2'), {
			kind: 'unreadable',
			error: {kind: 'registry-forbidden', message: 'User ops may not read kpanda/r2 (403).', hint: 'h', exitCode: 3},
		});
		const result = verifyStep(subject, after);
		expect(result.verified).toBe(false);
		expect(result.message).toBe('1 tag(s) could not be read back: User ops may not read kpanda/r2 (403).');
	});
});
