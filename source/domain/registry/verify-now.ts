// `addon-wizard verify`: the registry as it is now against packages (given, or what the cluster
// has): every image at its tag for its arch with the package's config digest, and every tag that
// exists carrying every arch the cluster runs. There is no "before" here, so a tag that carries
// one arch where the cluster runs two is named for what it lacks, and the <0.12.0 conversion is
// named as the likely cause when the tag holds a single image of an upgrade below 0.12.0.
import type {PackageKind} from '../packages/package-name.js';
import {compareImage, type PlannedPush} from './push-diff.js';
import {archesOf, platformKey, type TagState} from './tag-state.js';
import {compareSemver, parseSemver} from '../shared/semver.js';
import type {NextStep, VerifyResult} from './verify-step.js';

export type PackageUnderTest = {kind?: PackageKind; arch: string; version: string; pushes: PlannedPush[]};

export type PresenceSubject = {
	packages: PackageUnderTest[];
	/** Arches every existing tag must carry beyond its packages' own (--cluster-arches, what the history says was integrated). */
	clusterArches: string[];
};

const shown = 5;
const listed = <T>(items: T[]) => ({count: items.length, first: items.slice(0, shown)});
const more = (list: {count: number; first: unknown[]}) =>
	list.count > list.first.length ? `, and ${list.count - list.first.length} more` : '';
const belowConversionFix = parseSemver('0.12.0')!;

function isBelowFix(version: string): boolean {
	const semver = parseSemver(version);
	return semver !== undefined && compareSemver(semver, belowConversionFix) < 0;
}

type Lacking = {key: string; missing: string[]; single?: string};

function checkImages(subject: PresenceSubject, after: Map<string, TagState>) {
	const missing: string[] = [];
	const different: string[] = [];
	const unreadable = new Map<string, string>();
	for (const item of subject.packages) {
		for (const push of item.pushes) {
			const state = after.get(push.key);
			const comparison = compareImage(state, push.image);
			const label = `${push.key} (${platformKey(push.image)})`;
			if (state?.kind === 'unreadable') {
				unreadable.set(push.key, state.error.message);
			} else if (comparison === 'absent' || comparison === 'arch-missing') {
				missing.push(label);
			} else if (comparison === 'different') {
				different.push(label);
			}
		}
	}

	return {missing, different, unreadable};
}

/** Tags that exist without an arch the cluster runs (and no given package brings for them). */
function checkTags(subject: PresenceSubject, after: Map<string, TagState>): {keys: string[]; lacking: Lacking[]} {
	const pushed = new Map<string, Set<string>>();
	for (const push of subject.packages.flatMap(item => item.pushes)) {
		pushed.set(push.key, (pushed.get(push.key) ?? new Set()).add(platformKey(push.image)));
	}

	const lacking: Lacking[] = [];
	for (const [key, own] of pushed) {
		const state = after.get(key);
		if (!state || state.kind === 'absent' || state.kind === 'unreadable') {
			continue;
		}

		const arches = archesOf(state);
		const absent = subject.clusterArches.filter(arch => !arches.includes(arch) && !own.has(arch));
		if (absent.length > 0) {
			lacking.push({key, missing: absent, single: state.kind === 'image' ? platformKey(state.image) : undefined});
		}
	}

	return {keys: [...pushed.keys()], lacking};
}

/** The package whose single-arch images stand where lists were: a version below 0.12.0 of that arch. */
function conversionOf(subject: PresenceSubject, lacking: Lacking[]): PackageUnderTest | undefined {
	const singles = lacking.filter(item => item.single !== undefined);
	if (singles.length === 0 || singles.length < lacking.length / 2) {
		return undefined;
	}

	return subject.packages.find(item => item.arch === singles[0]!.single && isBelowFix(item.version));
}

function nextStepsFor(subject: PresenceSubject, lacking: Lacking[], missing: number): NextStep[] {
	const steps: NextStep[] = [];
	const base = subject.packages[0];
	for (const arch of [...new Set(lacking.flatMap(item => item.missing))].sort()) {
		const version = base?.version ?? '(unknown version)';
		steps.push({kind: 'integrate', packageKind: base?.kind, arch, version, reason: `tags of ${version} carry no ${arch} image`});
	}

	if (missing > 0) {
		steps.unshift({kind: 'retry-step', reason: `${missing} image(s) are not in the registry`});
	}

	return steps;
}

function packagesName(subject: PresenceSubject): string {
	const names = subject.packages.map(item => `${item.version} ${item.arch}${item.kind && item.kind !== 'full' ? ` ${item.kind}` : ''}`);
	return `${[...new Set(names)].join(', ')} package${names.length === 1 ? '' : 's'}`;
}

export function verifyPresence(subject: PresenceSubject, after: Map<string, TagState>): VerifyResult {
	const images = checkImages(subject, after);
	const {keys, lacking} = checkTags(subject, after);
	const converted = conversionOf(subject, lacking);
	const unreadable = [...images.unreadable].map(([key, message]) => ({key, message}));
	const checkedImages = subject.packages.reduce((sum, item) => sum + item.pushes.length, 0);
	const base = {
		checkedImages,
		checkedTags: keys.length,
		missing: listed(images.missing),
		different: listed(images.different),
		lostArch: listed<{key: string; lost: string[]}>([]),
		lostArchChecked: false,
		lackingClusterArch: listed(lacking.map(({key, missing}) => ({key, missing}))),
		unreadable: listed(unreadable),
		cause: converted
			? {
					kind: 'below-0.12-conversion' as const,
					message: `${converted.version} is below 0.12.0: its charts-syncer replaces a tag's multi-arch list with the ${converted.arch}-only image on cluster-create, so the other arches stay gone until they are integrated again.`,
				}
			: undefined,
		nextSteps: nextStepsFor(subject, lacking, images.missing.length),
	};
	const verified = images.missing.length === 0 && images.different.length === 0 && lacking.length === 0 && unreadable.length === 0;
	const what = packagesName(subject);
	const integrate = base.nextSteps
		.filter(step => step.kind === 'integrate')
		.map(step => (step.kind === 'integrate' ? `${step.version} ${step.arch}` : ''));
	let message = `All ${checkedImages} images of the ${what} are at their tags in the registry${subject.clusterArches.length > 0 ? `; tags carry ${[...new Set([...subject.clusterArches, ...subject.packages.map(item => item.arch)])].sort().join(', ')}` : ''}.`;
	let hint = '';
	if (unreadable.length > 0) {
		message = `${unreadable.length} tag(s) could not be read: ${unreadable[0]!.message}`;
		hint = 'Fix the registry access named above and run addon-wizard verify again.';
	} else if (images.missing.length > 0) {
		message = `${images.missing.length} of ${checkedImages} images of the ${what} are not in the registry (${base.missing.first.join(', ')}${more(base.missing)}).`;
		hint =
			'Import the package again (addon-wizard run --yes -p …); if it fails the same way, look in the installer log for the push errors.';
	} else if (images.different.length > 0) {
		message = `${images.different.length} tag(s) hold another image than the ${what}'s (${base.different.first.join(', ')}${more(base.different)}).`;
		hint =
			'Something else pushed over them (another version, another import); check which version the cluster should run, then import it again.';
	} else if (lacking.length > 0) {
		const arches = [...new Set(lacking.flatMap(item => item.missing))].join(', ');
		message = `${lacking.length} tag(s) carry no ${arches} image though the cluster runs ${arches} (${base.lackingClusterArch.first.map(item => item.key).join(', ')}${more(base.lackingClusterArch)}).${base.cause ? ` ${base.cause.message}` : ''}`;
		hint = `Integrate the ${integrate.join(' and the ')} package (import -addon) to give them ${arches} again.`;
	}

	return {verified, ...base, message, hint};
}
