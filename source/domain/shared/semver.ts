// Versions as plain data (they travel in plans, run records and the inspection cache as JSON),
// parsed by the `semver` package (only its parse is loaded, not the whole package). Ordered on the
// parsed data: `semver`'s compare parses both strings again, and the published table's end is
// found by comparing every entry at each start (test/domain/shared/semver.test.ts checks the order
// against `semver`'s own).
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

const numeric = /^\d+$/;

/** One pre-release identifier against another: numbers by value and below words, words by ASCII. */
function compareIdentifier(a: string, b: string): number {
	const aNumber = numeric.test(a);
	const bNumber = numeric.test(b);
	if (aNumber && bNumber) {
		return Math.sign(Number(a) - Number(b));
	}

	if (aNumber !== bNumber) {
		return aNumber ? -1 : 1;
	}

	return a < b ? -1 : a > b ? 1 : 0;
}

/** A release above its pre-releases; else identifier by identifier, the longer list above its prefix. */
function comparePrerelease(a: string[], b: string[]): number {
	if (a.length === 0 || b.length === 0) {
		return Math.sign(b.length - a.length);
	}

	for (let index = 0; index < Math.min(a.length, b.length); index++) {
		const order = compareIdentifier(a[index]!, b[index]!);
		if (order !== 0) {
			return order;
		}
	}

	return Math.sign(a.length - b.length);
}

/** Negative when a < b, zero when equal, positive when a > b (semver 2.0 precedence). */
export function compareSemver(a: Semver, b: Semver): number {
	return (
		Math.sign(a.major - b.major) ||
		Math.sign(a.minor - b.minor) ||
		Math.sign(a.patch - b.patch) ||
		comparePrerelease(a.prerelease, b.prerelease)
	);
}

export function formatSemver(version: Semver): string {
	const core = `${version.major}.${version.minor}.${version.patch}`;
	return version.prerelease.length > 0 ? `${core}-${version.prerelease.join('.')}` : core;
}
