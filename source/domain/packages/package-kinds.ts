// The kinds of addon offline package DaoCloud publishes, as data: what each holds, for which
// arches and from which release (../shared/domain/dce5-addon-reference.md §1.1, §8.1). A kind
// not in this table is still a package (a future release may add one); it is shown as unknown.
import type {Finding} from '../shared/findings.js';
import {compareSemver, parseSemver, type Semver} from '../shared/semver.js';

export type KindArch = {
	arch: string;
	/** First release that publishes this kind for this arch. */
	from: string;
	/** Last release that does, when the kind was retired. */
	until?: string;
};

export type KindInfo = {
	kind: string;
	/** What the file is called before `-<version>-<arch>.tar.gz`. */
	filePrefix: string;
	/** One line: what the package holds. */
	description: string;
	/** False for the kind every release is built around: its absence is worth a warning, not a note. */
	optional: boolean;
	arches: readonly KindArch[];
};

export const packageKinds: readonly KindInfo[] = [
	{
		kind: 'full',
		filePrefix: 'addon-offline-full-package',
		description: 'every addon chart and its images in one file (releases up to v0.17)',
		optional: false,
		// The download pages start at v0.5.2; the docs' own sample names v0.4.8, so no lower bound.
		arches: [
			{arch: 'amd64', from: 'v0.0.0', until: 'v0.17.0'},
			{arch: 'arm64', from: 'v0.0.0', until: 'v0.17.0'},
		],
	},
	{
		kind: 'standard',
		filePrefix: 'standard-addon-offline-package',
		description: 'the addon, community (and from v0.44 system) chart repos and their images',
		optional: false,
		arches: [
			{arch: 'amd64', from: 'v0.18.0'},
			{arch: 'arm64', from: 'v0.18.0'},
		],
	},
	{
		kind: 'gpu',
		filePrefix: 'gpu-addon-offline-package',
		description: 'NVIDIA GPU charts: nvidia-vgpu, gpu-operator',
		optional: true,
		arches: [
			{arch: 'amd64', from: 'v0.18.0'},
			{arch: 'arm64', from: 'v0.28.0'},
		],
	},
	{
		kind: 'metax',
		filePrefix: 'metax-addon-offline-package',
		description: 'MetaX GPU charts: metax-exporter, metax-gpu-extensions, metax-operator',
		optional: true,
		arches: [{arch: 'amd64', from: 'v0.28.0'}],
	},
	{
		kind: 'jenkins',
		filePrefix: 'jenkins-addon-offline-package',
		description: 'Jenkins with its plugins (chart jenkins-full)',
		optional: true,
		arches: [
			{arch: 'amd64', from: 'v0.44.0'},
			{arch: 'arm64', from: 'v0.44.0'},
		],
	},
];

export const knownKindNames: readonly string[] = packageKinds.map(item => item.kind);

export function kindInfo(kind: string | undefined): KindInfo | undefined {
	return packageKinds.find(item => item.kind === kind);
}

export function isKnownKind(kind: string | undefined): boolean {
	return kindInfo(kind) !== undefined;
}

/** Table order (standard before gpu before metax …), unknown kinds after, by name. */
export function compareKinds(a: string | undefined, b: string | undefined): number {
	const rank = (kind: string | undefined) => {
		const index = knownKindNames.indexOf(kind ?? '');
		return index === -1 ? knownKindNames.length : index;
	};

	return rank(a) - rank(b) || (a ?? '').localeCompare(b ?? '');
}

function within(range: KindArch, version: Semver): boolean {
	const from = parseSemver(range.from)!;
	const until = range.until ? parseSemver(range.until) : undefined;
	// A pre-release of the first version (v0.8.0-rc2) belongs to that line, not before it.
	const core = {...version, prerelease: []};
	return compareSemver(core, from) >= 0 && (!until || compareSemver(core, until) <= 0);
}

/** True when DaoCloud publishes `kind` for `arch` at `version`; undefined for a kind the table does not know. */
export function isPublishedFor(kind: string, arch: string, version: Semver): boolean | undefined {
	const info = kindInfo(kind);
	return info ? info.arches.some(range => range.arch === arch && within(range, version)) : undefined;
}

/** The kinds a release publishes for one arch, in table order. */
export function kindsOfRelease(version: Semver, arch: string): KindInfo[] {
	return packageKinds.filter(info => info.arches.some(range => range.arch === arch && within(range, version)));
}

/** The arches a kind is published for at a version (empty for an unknown kind). */
export function archesOfKind(kind: string, version: Semver): string[] {
	return (kindInfo(kind)?.arches ?? []).filter(range => within(range, version)).map(range => range.arch);
}

/** The file name DaoCloud gives a package of this kind. */
export function packageFileNameFor(kind: string, version: string, arch: string): string {
	const prefix = kindInfo(kind)?.filePrefix ?? `${kind}-addon-offline-package`;
	return `${prefix}-${version}-${arch}.tar.gz`;
}

/** "amd64 from v0.18.0, arm64 from v0.28.0": where the table says a kind exists. */
export function describeKindArches(info: KindInfo): string {
	return info.arches.map(range => `${range.arch} ${range.until ? `up to ${range.until}` : `from ${range.from}`}`).join(', ');
}

/** What the kinds table says about one file: an unknown kind, or a kind/arch/version never published. */
export function kindFindings(name: {kind: string; version: string; semver: Semver; arch: string}): Finding[] {
	const info = kindInfo(name.kind);
	if (!info) {
		return [
			{
				code: 'kind-unknown',
				severity: 'info',
				message: `"${name.kind}" is a kind this wizard does not know (it knows ${knownKindNames.join(', ')}); read as ${name.version} ${name.arch} and offered like any other package.`,
				hint: `See the ${name.version} download page for what it holds; the plan imports it with the other ${name.arch} packages of the release.`,
			},
		];
	}

	return isPublishedFor(name.kind, name.arch, name.semver)
		? []
		: [
				{
					code: 'kind-arch-unpublished',
					severity: 'info',
					message: `The kinds table this wizard carries has no ${name.kind} package for ${name.arch} at ${name.version} (${name.kind}: ${describeKindArches(info)}).`,
					hint: 'Check that the file came from the Download Center under this name; a newer release may have added it.',
				},
			];
}
