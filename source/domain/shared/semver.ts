export type Semver = {
	major: number;
	minor: number;
	patch: number;
	/** Pre-release identifiers such as `rc2`; empty for a release. */
	prerelease: string[];
};

const semverPattern = /^v?(\d+)\.(\d+)\.(\d+)(?:-([\da-z.-]+))?(?:\+[\da-z.-]+)?$/i;

export function parseSemver(text: string): Semver | undefined {
	const match = semverPattern.exec(text.trim());
	if (!match) {
		return undefined;
	}

	return {
		major: Number(match[1]),
		minor: Number(match[2]),
		patch: Number(match[3]),
		prerelease: match[4] ? match[4].split('.') : [],
	};
}

function compareIdentifiers(a: string, b: string): number {
	const aNumeric = /^\d+$/.test(a);
	const bNumeric = /^\d+$/.test(b);
	if (aNumeric && bNumeric) {
		return Number(a) - Number(b);
	}

	if (aNumeric !== bNumeric) {
		return aNumeric ? -1 : 1;
	}

	return a < b ? -1 : (a > b ? 1 : 0);
}

/** Negative when a < b, zero when equal, positive when a > b (semver 2.0 precedence). */
export function compareSemver(a: Semver, b: Semver): number {
	const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
	if (core !== 0) {
		return Math.sign(core);
	}

	if (a.prerelease.length === 0 || b.prerelease.length === 0) {
		return Math.sign(b.prerelease.length - a.prerelease.length);
	}

	for (let index = 0; index < Math.max(a.prerelease.length, b.prerelease.length); index++) {
		const left = a.prerelease[index];
		const right = b.prerelease[index];
		if (left === undefined || right === undefined) {
			return left === undefined ? -1 : 1;
		}

		const order = compareIdentifiers(left, right);
		if (order !== 0) {
			return Math.sign(order);
		}
	}

	return 0;
}

export function formatSemver(version: Semver): string {
	const core = `${version.major}.${version.minor}.${version.patch}`;
	return version.prerelease.length > 0 ? `${core}-${version.prerelease.join('.')}` : core;
}
