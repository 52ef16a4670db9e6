// The published sha512 of the addon offline packages: the blocks of published-checksums-data.ts,
// read with the `--checksums` parser, and where the table ends (so "no published checksum" can
// say why: the release is newer than the copy the wizard carries).
import {parseChecksumList, sameVersion} from './checksum-list.js';
import type {PackageKind} from './package-name.js';
import {publishedChecksumSources} from './published-checksums-data.js';
import {compareSemver, parseSemver} from '../shared/semver.js';

export type PublishedChecksum = {
	version: string;
	kind: PackageKind;
	arch: string;
	sha512: string;
	size?: string;
	date?: string;
	/** Where the value was copied from, and when. */
	source: string;
	copiedOn: string;
};

export const publishedChecksums: readonly PublishedChecksum[] = publishedChecksumSources.flatMap(block =>
	parseChecksumList(block.text, block.source).entries.map(entry => ({
		version: entry.version!,
		kind: entry.kind!,
		arch: entry.arch!,
		sha512: entry.sha512,
		size: entry.size,
		date: entry.date,
		source: block.source,
		copiedOn: block.copiedOn,
	})),
);

const newest = publishedChecksums.reduce((best, item) =>
	compareSemver(parseSemver(item.version)!, parseSemver(best.version)!) > 0 ? item : best,
);

/** The last release the table holds, and the copy it came from. */
export const publishedTableEnd = {version: newest.version, source: newest.source, copiedOn: newest.copiedOn} as const;

/** One sentence for "no published checksum": how far the table reaches, and from where. */
export function describePublishedTable(): string {
	return `the published table this wizard carries ends at ${publishedTableEnd.version}, copied ${publishedTableEnd.copiedOn} from ${publishedTableEnd.source}`;
}

/** The published sha512 for a package, matched on version (with or without `v`), kind and arch. */
export function findPublishedChecksum(version: string, kind: PackageKind, arch: string): PublishedChecksum | undefined {
	return publishedChecksums.find(item => item.kind === kind && item.arch === arch && sameVersion(item.version, version));
}

/** Every published entry with this sha512 (a renamed file still matches its real identity). */
export function findBySha512(sha512: string): PublishedChecksum[] {
	return publishedChecksums.filter(item => item.sha512 === sha512);
}

/** True when the version is newer than every release in the table. */
export function isBeyondPublishedTable(version: string): boolean {
	const semver = parseSemver(version);
	return semver !== undefined && compareSemver(semver, parseSemver(publishedTableEnd.version)!) > 0;
}
