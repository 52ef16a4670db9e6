// What a step does to a tag that already exists, by step kind and package version (§4.2, §4.3),
// and the tag a push leaves behind. Shared by the diff before a run and the verification after it.
import type {ArchImage, KnownTagState} from './tag-state.js';
import {platformKey} from './tag-state.js';
import {compareSemver, parseSemver} from '../shared/semver.js';

export type StepPush =
	/** `cluster-create` of an addon package: charts-syncer pushes the package's images. */
	| {kind: 'cluster-create'; version: string}
	/** `import -addon`: the kubean-style merge into manifest lists. */
	| {kind: 'import-addon'};

export type PushPolicy = 'force-push' | 'skip-existing' | 'merge';

/** charts-syncer v0.0.17 (2023-10-16, first in addon v0.12.0) checks the tag before pushing. */
const checksBeforePushFrom = parseSemver('0.12.0')!;

export function pushPolicyOf(step: StepPush): {policy: PushPolicy; reason: string} {
	if (step.kind === 'import-addon') {
		return {policy: 'merge', reason: "import -addon merges each image into its tag's manifest list and skips an arch the list already has"};
	}

	const version = parseSemver(step.version);
	if (!version) {
		return {
			policy: 'force-push',
			reason: `${step.version} is not a version the wizard can compare, so it assumes the worst: every image is force-pushed over its tag`,
		};
	}

	return compareSemver(version, checksBeforePushFrom) < 0
		? {
				policy: 'force-push',
				reason: `${step.version} is below 0.12.0: its charts-syncer force-pushes every image, replacing a multi-arch tag with a single-arch image`,
			}
		: {
				policy: 'skip-existing',
				reason: `${step.version} is 0.12.0 or later: its charts-syncer skips a tag that already holds an image for the platform`,
			};
}

const hasArch = (images: ArchImage[], image: ArchImage) => images.some(item => platformKey(item) === platformKey(image));

function skipExisting(now: KnownTagState, push: ArchImage): KnownTagState | undefined {
	// [I] remote.Image(WithPlatform) resolves the platform only inside a list: any single image
	// pulls, whatever its arch, so the check finds the tag and nothing is pushed.
	if (now.kind === 'image' || (now.kind === 'list' && hasArch(now.images, push))) {
		return undefined;
	}

	// [I] go-containerregistry's remote.Image(WithPlatform) fails on a list without the platform,
	// so charts-syncer's check says "push" and the list is replaced by the single image.
	return {kind: 'image', image: push};
}

function merge(now: KnownTagState, push: ArchImage): KnownTagState | undefined {
	if (now.kind === 'absent') {
		return {kind: 'list', images: [push]};
	}

	if (now.kind === 'image') {
		// [I] kubean retags the single image and lists both; when both are the same arch the
		// pushed image is the one the list can hold for it.
		return {kind: 'list', images: platformKey(now.image) === platformKey(push) ? [push] : [now.image, push]};
	}

	return hasArch(now.images, push) ? undefined : {kind: 'list', images: [...now.images, push]};
}

/** The tag after one push; undefined when the step leaves it as it is. */
export function applyPush(now: KnownTagState, push: ArchImage, policy: PushPolicy): KnownTagState | undefined {
	if (policy === 'force-push') {
		return {kind: 'image', image: push};
	}

	return policy === 'merge' ? merge(now, push) : skipExisting(now, push);
}
