// After a step, the registry is read again and compared with what the step should have left:
// every image at its tag, no tag that lost an arch, and after an integration every cluster arch
// in every tag. The installer's exit status never makes a step done; this does.
import type {PackageKind} from '../packages/package-name.js';
import {pushPolicyOf, type StepPush} from './push-policy.js';
import {compareImage, projectStep, type PlannedPush} from './push-diff.js';
import type {TagState} from './tag-state.js';
import {archesOf, imagesOf, platformKey} from './tag-state.js';

export type VerifyPurpose = 'import' | 'upgrade' | 'integration';

export type StepUnderTest = {
	step: StepPush;
	purpose: VerifyPurpose;
	package: {kind?: PackageKind; arch: string; version: string};
	pushes: PlannedPush[];
	/** The registry before the step (the read the diff used); without it lost arches cannot be told. */
	before?: Map<string, TagState>;
	/** Arches the cluster runs: the registry's before the step, or the operator's override. */
	clusterArches: string[];
	/**
	 * Tags the step's package alone brings (absent before an integration, pushed by no package of
	 * another arch): an arm64-only chart's image. They need not carry the other cluster arches.
	 */
	singleArchTags?: ReadonlySet<string>;
};

export type NextStep =
	{kind: 'integrate'; packageKind?: PackageKind; arch: string; version: string; reason: string} | {kind: 'retry-step'; reason: string};

type Listed<T> = {count: number; first: T[]};

/**
 * The chart repository read back (domain/registry/verify-charts.ts). `read`: it answered, and
 * `missing` are the `name@version` it does not list; `unreadable`: it could not be read (or was not
 * located), so the charts are not known either way.
 */
export type ChartsCheck =
	| {state: 'read'; repository: string; expected: number; missing: Listed<string>}
	| {state: 'unreadable'; repository?: string; expected: number; error: {kind: string; message: string; hint: string}};

export type VerifyResult = {
	verified: boolean;
	checkedImages: number;
	checkedTags: number;
	/** `repo:tag (arch)` of images not at their tag. */
	missing: Listed<string>;
	/** Images at their tag whose config digest is not the package's where the step should have put it. */
	different: Listed<string>;
	lostArch: Listed<{key: string; lost: string[]}>;
	/** False when there was no earlier read to compare with. */
	lostArchChecked: boolean;
	lackingClusterArch: Listed<{key: string; missing: string[]}>;
	/** Of `singleArchTags`, those that exist and carry only some cluster arches: said, not failed. */
	singleArch?: Listed<string>;
	unreadable: Listed<{key: string; message: string}>;
	/** The chart versions the packages hold, against the chart repository's index.yaml; absent when not read. */
	charts?: ChartsCheck;
	cause?: {kind: 'below-0.12-conversion'; message: string};
	nextSteps: NextStep[];
	/** One line: what the registry shows. */
	message: string;
	/** One line: what to do next (empty when verified). */
	hint: string;
};

const shown = 5;

function listed<T>(items: T[]): Listed<T> {
	return {count: items.length, first: items.slice(0, shown)};
}

const more = (list: Listed<unknown>) => (list.count > list.first.length ? `, and ${list.count - list.first.length} more` : '');

function expectedImage(expected: TagState | undefined, push: PlannedPush) {
	return imagesOf(expected).find(image => platformKey(image) === platformKey(push.image));
}

function readImages(subject: StepUnderTest, after: Map<string, TagState>) {
	const expected = subject.before ? projectStep(subject.before, subject.pushes, pushPolicyOf(subject.step).policy) : undefined;
	const forcePush = pushPolicyOf(subject.step).policy === 'force-push';
	const missing: string[] = [];
	const different: string[] = [];
	for (const push of subject.pushes) {
		const state = after.get(push.key);
		const comparison = compareImage(state, push.image);
		const label = `${push.key} (${platformKey(push.image)})`;
		if (comparison === 'absent' || comparison === 'arch-missing') {
			missing.push(label);
			continue;
		}

		const should = expected ? expectedImage(expected.get(push.key), push) : forcePush ? push.image : undefined;
		const there = imagesOf(state).find(image => platformKey(image) === platformKey(push.image));
		if (should?.configDigest && there?.configDigest && should.configDigest !== there.configDigest) {
			different.push(label);
		}
	}

	return {missing, different};
}

function readTags(subject: StepUnderTest, after: Map<string, TagState>) {
	const keys = [...new Set(subject.pushes.map(push => push.key))];
	const lost: Array<{key: string; lost: string[]}> = [];
	const lacking: Array<{key: string; missing: string[]}> = [];
	const single: string[] = [];
	const unreadable: Array<{key: string; message: string}> = [];
	for (const key of keys) {
		const state = after.get(key);
		if (state?.kind === 'unreadable') {
			unreadable.push({key, message: state.error.message});
			continue;
		}

		const arches = archesOf(state);
		const gone = subject.before ? archesOf(subject.before.get(key)).filter(arch => !arches.includes(arch)) : [];
		if (gone.length > 0) {
			lost.push({key, lost: gone});
		}

		const absent = subject.clusterArches.filter(arch => !arches.includes(arch));
		if (absent.length > 0 && state && state.kind !== 'absent') {
			if (subject.singleArchTags?.has(key)) {
				single.push(key);
			} else {
				lacking.push({key, missing: absent});
			}
		}
	}

	return {keys, lost, lacking, single, unreadable};
}

function isConversion(subject: StepUnderTest, after: Map<string, TagState>, lost: Array<{key: string}>): boolean {
	return (
		subject.step.kind === 'cluster-create' &&
		pushPolicyOf(subject.step).policy === 'force-push' &&
		lost.length > 0 &&
		lost.every(({key}) => {
			const state = after.get(key);
			return state?.kind === 'image' && platformKey(state.image) === subject.package.arch;
		})
	);
}

function nextStepsFor(subject: StepUnderTest, lostArches: string[], lackingArches: string[], missing: number): NextStep[] {
	const steps: NextStep[] = [];
	for (const arch of [...new Set([...lostArches, ...lackingArches])].filter(arch => arch !== subject.package.arch).sort()) {
		const why = lostArches.includes(arch) ? `tags lost ${arch}` : `tags of ${subject.package.version} carry no ${arch} image yet`;
		steps.push({kind: 'integrate', packageKind: subject.package.kind, arch, version: subject.package.version, reason: why});
	}

	if (missing > 0) {
		steps.unshift({kind: 'retry-step', reason: `${missing} image(s) of the step are not in the registry`});
	}

	return steps;
}

function packageName(subject: StepUnderTest, arch = subject.package.arch): string {
	return `${subject.package.version} ${arch}${subject.package.kind ? ` ${subject.package.kind}` : ''} package`;
}

function summarize(result: Omit<VerifyResult, 'message' | 'hint'>, subject: StepUnderTest): {message: string; hint: string} {
	const integrate = result.nextSteps
		.filter(step => step.kind === 'integrate')
		.map(step => (step.kind === 'integrate' ? packageName(subject, step.arch) : ''));
	const integrateHint = integrate.length > 0 ? `Integrate the ${integrate.join(' and the ')} (import -addon) to restore them.` : '';
	if (result.unreadable.count > 0) {
		return {
			message: `${result.unreadable.count} tag(s) could not be read back: ${result.unreadable.first[0]!.message}`,
			hint: 'Fix the registry access named above and run the verification again (addon-wizard verify).',
		};
	}

	if (result.missing.count > 0) {
		return {
			message: `${result.missing.count} of ${result.checkedImages} images are not in the registry (${result.missing.first.join(', ')}${more(result.missing)}).`,
			// Said on the Result and by `run --yes` alike, so it names the key and the flag.
			hint: 'Clean up and run the step again (r on the Result; --cleanup without the screens); if it fails the same way, look in the installer log for the push errors.',
		};
	}

	if (result.lostArch.count > 0) {
		const arches = [...new Set(result.lostArch.first.flatMap(item => item.lost))].join(', ');
		const why = result.cause ? ` ${result.cause.message}` : '';
		return {
			message: `${result.lostArch.count} tag(s) lost ${arches} (${result.lostArch.first.map(item => item.key).join(', ')}${more(result.lostArch)}).${why}`,
			hint: integrateHint || 'Integrate the package of the lost architecture again (import -addon).',
		};
	}

	if (result.different.count > 0) {
		return {
			message: `${result.different.count} tag(s) hold another image than the package's (${result.different.first.join(', ')}${more(result.different)}).`,
			hint: 'Another push changed them meanwhile; check who else writes to this registry, then run the step again.',
		};
	}

	if (subject.purpose === 'integration' && result.lackingClusterArch.count > 0) {
		return {
			message: `${result.lackingClusterArch.count} tag(s) still lack a cluster arch (${result.lackingClusterArch.first.map(item => `${item.key}: ${item.missing.join(', ')}`).join('; ')}${more(result.lackingClusterArch)}).`,
			hint: integrateHint || 'Run the integration again (r on the Result; --cleanup without the screens).',
		};
	}

	const arches = subject.clusterArches.length > 0 ? `; tags carry ${subject.clusterArches.join(', ')}` : '';
	const pending =
		result.lackingClusterArch.count > 0
			? `, but ${result.lackingClusterArch.count} tag(s) have no image for ${[...new Set(result.lackingClusterArch.first.flatMap(item => item.missing))].join(', ')} yet`
			: '';
	const single =
		result.singleArch && result.singleArch.count > 0
			? ` (${result.singleArch.count} tag(s) only this ${subject.package.arch} package brings carry ${subject.package.arch} alone)`
			: '';
	return {
		message: `All ${result.checkedImages} images of the ${packageName(subject)} are in the registry${pending || arches}${single}.`,
		hint: pending ? integrateHint : '',
	};
}

export function verifyStep(subject: StepUnderTest, after: Map<string, TagState>): VerifyResult {
	const {missing, different} = readImages(subject, after);
	const {keys, lost, lacking, single, unreadable} = readTags(subject, after);
	const conversion = isConversion(subject, after, lost);
	const lostArches = lost.flatMap(item => item.lost);
	const lackingArches = lacking.flatMap(item => item.missing);
	const base = {
		checkedImages: subject.pushes.length,
		checkedTags: keys.length,
		missing: listed(missing),
		different: listed(different),
		lostArch: listed(lost),
		lostArchChecked: subject.before !== undefined,
		lackingClusterArch: listed(lacking),
		...(subject.singleArchTags ? {singleArch: listed(single)} : {}),
		unreadable: listed(unreadable),
		cause: conversion
			? {
					kind: 'below-0.12-conversion' as const,
					message: `${subject.package.version} is below 0.12.0: its charts-syncer replaced their multi-arch lists with ${subject.package.arch}-only images.`,
				}
			: undefined,
		nextSteps: nextStepsFor(subject, lostArches, lackingArches, missing.length),
	};
	const verified =
		missing.length === 0 &&
		different.length === 0 &&
		lost.length === 0 &&
		unreadable.length === 0 &&
		(subject.purpose !== 'integration' || lacking.length === 0);
	return {verified, ...base, ...summarize({verified, ...base}, subject)};
}
