// Recognises offline-package file names. Up to addon v0.17 the name is
// `addon-offline-full-package-<v>-<arch>.tar.gz`; from v0.18 every kind is
// `<kind>-addon-offline-package-<v>-<arch>.tar.gz` (standard, gpu, metax, jenkins, and
// whatever a later release adds: an unknown kind is parsed, never refused).
import {isKnownKind} from './package-kinds.js';
import {parseSemver, type Semver} from '../shared/semver.js';

/** A kind name from the file name; the known ones are the rows of `package-kinds.ts`. */
export type PackageKind = string;

export type ParsedPackageName = {
	fileName: string;
	kind: PackageKind;
	/** False when the kind is not in the wizard's table (a release newer than the wizard). */
	knownKind: boolean;
	/** The version exactly as written in the name, e.g. `v0.9.0`. */
	version: string;
	semver: Semver;
	/** Normalised architecture (`amd64`, `arm64`, …). */
	arch: string;
};

const versionAndArch = String.raw`(?<version>v?\d[\w.+-]*?)-(?<arch>[a-z\d_]+)\.tar\.gz$`;

const namePatterns: readonly RegExp[] = [
	new RegExp(String.raw`^addon-offline-(?<kind>full)-package-${versionAndArch}`),
	new RegExp(String.raw`^(?<kind>[a-z][a-z\d]*(?:-[a-z\d]+)*?)-addon-offline-package-${versionAndArch}`),
];

/** Suffixes browsers and download tools leave on a file that is still being written. */
export const incompleteSuffixes = ['.part', '.crdownload', '.tmp', '.download', '.partial'] as const;

const archAliases: Readonly<Record<string, string>> = {
	x86_64: 'amd64',
	x64: 'amd64',
	amd64: 'amd64',
	aarch64: 'arm64',
	arm64: 'arm64',
	arm64v8: 'arm64',
};

export function normalizeArch(arch: string): string {
	const lower = arch.toLowerCase();
	return archAliases[lower] ?? lower;
}

export function parsePackageName(fileName: string): ParsedPackageName | undefined {
	for (const pattern of namePatterns) {
		const groups = pattern.exec(fileName)?.groups;
		const {kind, version, arch} = groups ?? {};
		if (!kind || !version || !arch) {
			continue;
		}

		const semver = parseSemver(version);
		if (!semver) {
			return undefined;
		}

		return {fileName, kind, knownKind: isKnownKind(kind), version, semver, arch: normalizeArch(arch)};
	}

	return undefined;
}

/** Strips a download-in-progress suffix, returning the name the file will have once complete. */
export function stripIncompleteSuffix(fileName: string): {name: string; suffix?: string} {
	const suffix = incompleteSuffixes.find(candidate => fileName.endsWith(candidate));
	return suffix ? {name: fileName.slice(0, -suffix.length), suffix} : {name: fileName};
}

/** True when a name looks like an addon package even if it is not one we can parse. */
export function looksLikePackageName(fileName: string): boolean {
	return /addon-offline.*package/i.test(fileName);
}
