// Versions as plain data (they travel in plans, run records and the inspection cache as JSON),
// parsed and ordered by the `semver` package. Only its two functions are loaded, not the whole
// package, so the commands that never compare versions do not pay for it.
import compare from 'semver/functions/compare.js';
import parse from 'semver/functions/parse.js';

export type Semver = {
	major: number;
	minor: number;
	patch: number;
	/** Pre-release identifiers such as `rc2`; empty for a release. */
	prerelease: string[];
};

export function parseSemver(text: string): Semver | undefined {
	const parsed = parse(text.trim());
	return parsed ? {major: parsed.major, minor: parsed.minor, patch: parsed.patch, prerelease: parsed.prerelease.map(String)} : undefined;
}

/** Negative when a < b, zero when equal, positive when a > b (semver 2.0 precedence). */
export function compareSemver(a: Semver, b: Semver): number {
	return compare(formatSemver(a), formatSemver(b));
}

export function formatSemver(version: Semver): string {
	const core = `${version.major}.${version.minor}.${version.patch}`;
	return version.prerelease.length > 0 ? `${core}-${version.prerelease.join('.')}` : core;
}
