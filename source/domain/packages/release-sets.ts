// A release is a set of files: from v0.28 up to five kinds, two arches. This groups what was
// found by release and arch, says which kinds of the release are there and which are not, and
// what choosing a set means: one release per arch, and kinds that stay single-arch.
import type {Finding} from '../shared/findings.js';
import {
	compareKinds,
	describeKindArches,
	isPublishedFor,
	kindInfo,
	kindsOfRelease,
	packageFileNameFor,
	type KindInfo,
} from './package-kinds.js';
import type {ParsedPackageName} from './package-name.js';
import {compareSemver, formatSemver, parseSemver, type Semver} from '../shared/semver.js';

/** Anything with a file name that may parse: a DiscoveredPackage or a PackageInspection. */
export type SetItem = {path: string; fileName: string; name?: ParsedPackageName; status?: 'candidate' | 'incomplete'};

export type ArchSet<T extends SetItem> = {
	arch: string;
	/** Every file of this release and arch, in kind order (standard, gpu, metax, jenkins, unknown). */
	members: T[];
	/** Kinds with a file that can be offered. */
	present: string[];
	/** Kinds whose only files are unfinished or damaged. */
	incomplete: string[];
	/** Kinds the release publishes for this arch that were not found. */
	missing: KindInfo[];
	/** One finding per missing kind: information for an optional kind, a warning for the main one. */
	findings: Finding[];
};

export type ReleaseSet<T extends SetItem> = {
	/** As written in the first file's name (`v0.44.0`). */
	version: string;
	semver: Semver;
	arches: Array<ArchSet<T>>;
};

const usable = (item: SetItem) => item.status !== 'incomplete';
const releaseKey = (name: ParsedPackageName) => formatSemver(name.semver);

function missingFinding(version: string, arch: string, info: KindInfo): Finding {
	const file = packageFileNameFor(info.kind, version, arch);
	return info.optional
		? {
				code: 'release-kind-missing',
				severity: 'info',
				message: `${version} ${arch}: no ${info.kind} package here (${info.description}); it is optional.`,
				hint: `Download ${file} from the ${version} download page if the cluster needs it.`,
			}
		: {
				code: 'release-kind-missing',
				severity: 'warning',
				message: `${version} ${arch}: no ${info.kind} package here (${info.description}); only the other kinds would be imported.`,
				hint: `Download ${file} from the ${version} download page.`,
			};
}

function archSet<T extends SetItem>(version: string, semver: Semver, arch: string, members: T[]): ArchSet<T> {
	const sorted = [...members].sort((a, b) => compareKinds(a.name!.kind, b.name!.kind));
	const kinds = [...new Set(sorted.map(item => item.name!.kind))];
	const present = kinds.filter(kind => sorted.some(item => item.name!.kind === kind && usable(item)));
	const incomplete = kinds.filter(kind => !present.includes(kind));
	const missing = kindsOfRelease(semver, arch).filter(info => !kinds.includes(info.kind));
	return {arch, members: sorted, present, incomplete, missing, findings: missing.map(info => missingFinding(version, arch, info))};
}

/** Groups files by release (newest first) and arch; files whose name does not parse come back apart. */
export function groupReleases<T extends SetItem>(items: readonly T[]): {releases: Array<ReleaseSet<T>>; unnamed: T[]} {
	const byRelease = new Map<string, T[]>();
	for (const item of items.filter(candidate => candidate.name)) {
		const key = releaseKey(item.name!);
		byRelease.set(key, [...(byRelease.get(key) ?? []), item]);
	}

	const releases = [...byRelease.values()].map(members => {
		const {version, semver} = members[0]!.name!;
		const arches = [...new Set(members.map(item => item.name!.arch))].sort();
		return {
			version,
			semver,
			arches: arches.map(arch =>
				archSet(
					version,
					semver,
					arch,
					members.filter(item => item.name!.arch === arch),
				),
			),
		};
	});
	releases.sort((a, b) => compareSemver(b.semver, a.semver));
	return {releases, unnamed: items.filter(item => !item.name)};
}

/** Selecting a release for an arch (`v0.44.0` or `0.44.0`): every kind found for it that can be offered, in kind order. */
export function selectRelease<T extends SetItem>(items: readonly T[], version: string, arch: string): T[] {
	const wanted = parseSemver(version);
	return items
		.filter(item => item.name && wanted && releaseKey(item.name) === formatSemver(wanted) && item.name.arch === arch && usable(item))
		.sort((a, b) => compareKinds(a.name!.kind, b.name!.kind));
}

/** A chosen file as the plan sees it: its arch may come from its contents rather than its name. */
export type ChosenFile = {fileName: string; version?: string; semver?: Semver; kind?: string; arch?: string};

/**
 * One cluster-create takes one release: packages of different versions for one arch block.
 * Different chart versions between kinds of one release (standard-amd64 v0.44.0 carries
 * metax-operator 0.14.2, the metax package 0.9.0) are how DaoCloud ships them, not a mix.
 */
export function mixedReleaseFindings(chosen: readonly ChosenFile[]): Finding[] {
	const byArch = new Map<string, ChosenFile[]>();
	for (const item of chosen.filter(file => file.version && file.arch)) {
		byArch.set(item.arch!, [...(byArch.get(item.arch!) ?? []), item]);
	}

	return [...byArch.entries()].flatMap(([arch, files]) => {
		const versions = [...new Set(files.map(file => file.version!))];
		if (versions.length < 2) {
			return [];
		}

		const listed = files.map(file => `${file.kind ?? '?'} ${file.version}`).join(', ');
		return [
			{
				code: 'release-versions-mixed',
				severity: 'error',
				message: `${arch} packages of different releases are chosen (${listed}): one cluster-create or integration run takes the files of one release.`,
				hint: `Choose the ${arch} packages of one release only (${versions.join(' or ')}).`,
			} satisfies Finding,
		];
	});
}

/**
 * A kind imported for the primary arch that no step brings to another arch of the cluster keeps
 * single-arch images: said once per kind and arch, with why (never published for that arch, or
 * left out of the files chosen for it).
 */
export function singleArchKindFindings(
	primary: readonly ChosenFile[],
	others: readonly ChosenFile[],
	primaryArch: string,
	clusterArches: readonly string[],
): Finding[] {
	const otherArches = [...new Set([...clusterArches, ...others.map(file => file.arch ?? '')])]
		.filter(arch => arch && arch !== primaryArch)
		.sort();
	const findings: Finding[] = [];
	for (const file of primary.filter(item => item.kind && item.version && item.semver)) {
		for (const arch of otherArches.filter(other => !others.some(item => item.kind === file.kind && item.arch === other))) {
			const published = isPublishedFor(file.kind!, arch, file.semver!);
			// A kind left out of a partly chosen arch is worth a note; a whole arch left out is the
			// operator's choice (and below 0.12.0 the arch-conflict warning's business).
			if (published !== false && !others.some(item => item.arch === arch)) {
				continue;
			}

			const info = kindInfo(file.kind);
			findings.push(
				published === false
					? {
							code: 'kind-stays-single-arch',
							severity: 'info',
							message: `${file.kind} charts stay ${primaryArch}-only: ${file.kind} is published for ${info ? describeKindArches(info) : primaryArch}, so no ${arch} step brings them; their images do not run on ${arch} nodes.`,
							hint: `Run ${file.kind} workloads on ${primaryArch} nodes.`,
						}
					: {
							code: 'kind-stays-single-arch',
							severity: 'info',
							message: `${file.kind} charts stay ${primaryArch}-only: ${packageFileNameFor(file.kind!, file.version!, arch)} is not chosen, so no ${arch} step brings them.`,
							hint: `Choose ${packageFileNameFor(file.kind!, file.version!, arch)} too if ${arch} nodes need ${file.kind}, or integrate it later.`,
						},
			);
		}
	}

	return findings;
}
