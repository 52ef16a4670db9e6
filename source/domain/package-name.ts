// Recognises offline-package file names. Up to addon v0.17 the name is
// `addon-offline-full-package-<v>-<arch>.tar.gz`; from v0.18 it is split into
// `standard-addon-offline-package-…` and `gpu-addon-offline-package-…`.
import {parseSemver, type Semver} from './semver.js';

export type PackageKind = 'full' | 'standard' | 'gpu';

export type ParsedPackageName = {
	fileName: string;
	kind: PackageKind;
	/** The version exactly as written in the name, e.g. `v0.9.0`. */
	version: string;
	semver: Semver;
	/** Normalised architecture (`amd64`, `arm64`, …). */
	arch: string;
};

const namePatterns: ReadonlyArray<{kind: PackageKind; pattern: RegExp}> = [
	{kind: 'full', pattern: /^addon-offline-full-package-(?<version>v?\d[\w.+-]*?)-(?<arch>[a-z\d_]+)\.tar\.gz$/},
	{kind: 'standard', pattern: /^standard-addon-offline-package-(?<version>v?\d[\w.+-]*?)-(?<arch>[a-z\d_]+)\.tar\.gz$/},
	{kind: 'gpu', pattern: /^gpu-addon-offline-package-(?<version>v?\d[\w.+-]*?)-(?<arch>[a-z\d_]+)\.tar\.gz$/},
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
	for (const {kind, pattern} of namePatterns) {
		const match = pattern.exec(fileName);
		const version = match?.groups?.['version'];
		const arch = match?.groups?.['arch'];
		if (!version || !arch) {
			continue;
		}

		const semver = parseSemver(version);
		if (!semver) {
			return undefined;
		}

		return {fileName, kind, version, semver, arch: normalizeArch(arch)};
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
