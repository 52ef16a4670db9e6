// What a leftover addon-offline-target-package may hold that its packages do not explain. The
// installer unpacks the package's tar as it is, then each chart bundle `<x>.bundle.tar` beside
// itself into `<x>.bundle/`, where charts-syncer packs the chart as `<chart>-<version>.tgz` (the
// simulator does the same); anything else in the directory was put there by someone, and a
// clean-up must not take it without the operator naming it.

/** What the packages put into the directory: their tar entries, and each bundle's own entries. */
export type PackageLayout = {
	/** Entry names of the packages' outer tars (`./` and a trailing `/` dropped). */
	entries: readonly string[];
	/** Per bundle entry (`addon/x-1.0.0.bundle.tar`): the entries of that bundle's tar, as read from the leftover. */
	bundles: ReadonlyMap<string, readonly string[]>;
};

export type LeftoverEntry = {path: string; type: 'file' | 'directory' | 'symlink' | 'other'};

/** What a clean-up found in the directory that the packages do not explain. */
export type UnexplainedFiles = {
	/** Relative paths, sorted, at most `shownLimit` of them. */
	paths: string[];
	/** How many there are in all. */
	count: number;
	/** Set when the packages could not be read, so nothing in the directory could be explained. */
	why?: string;
};

/** What the operator agreed may go: every unexplained path (the flag), or exactly these (typed on the Result). */
export type UnexplainedConsent = 'all' | readonly string[];

export const shownLimit = 200;

const clean = (name: string) => name.replace(/^(\.\/)+/, '').replace(/\/+$/, '');

function withAncestors(into: Set<string>, name: string): void {
	const parts = clean(name).split('/');
	for (let index = 1; index <= parts.length; index++) {
		into.add(parts.slice(0, index).join('/'));
	}
}

/** Every path the packages and the installer's own unpacking of bundles account for. */
export function explainedPaths(layout: PackageLayout): Set<string> {
	const explained = new Set<string>();
	for (const entry of layout.entries) {
		const name = clean(entry);
		if (name === '' || name === '.') {
			continue;
		}

		withAncestors(explained, name);
		if (name.endsWith('.bundle.tar')) {
			const unpacked = name.slice(0, -'.tar'.length);
			explained.add(unpacked);
			for (const inner of layout.bundles.get(name) ?? []) {
				const innerName = clean(inner);
				if (innerName !== '' && innerName !== '.') {
					withAncestors(explained, `${unpacked}/${innerName}`);
				}
			}
		}
	}

	return explained;
}

/**
 * The directory's entries the layout does not explain: files, links and other entries by name.
 * Directories are not named: an empty one holds nothing to lose, and one with contents is named by them.
 */
export function findUnexplained(entries: readonly LeftoverEntry[], layout: PackageLayout, why?: string): UnexplainedFiles {
	const explained = explainedPaths(layout);
	const bundleDirs = new Set(
		layout.entries.map(clean).flatMap(name => (name.endsWith('.bundle.tar') ? [name.slice(0, -'.tar'.length)] : [])),
	);
	// The chart charts-syncer packs beside the unpacked bundle: a `.tgz` file right inside it.
	const packedChart = (entry: LeftoverEntry) =>
		entry.type === 'file' && entry.path.endsWith('.tgz') && bundleDirs.has(entry.path.split('/').slice(0, -1).join('/'));
	const unexplained = entries
		.filter(entry => entry.type !== 'directory' && !explained.has(entry.path) && !packedChart(entry))
		.map(entry => entry.path)
		.sort();
	return {paths: unexplained.slice(0, shownLimit), count: unexplained.length, ...(why && unexplained.length > 0 ? {why} : {})};
}

/** Whether `consent` covers every unexplained path (a list must name each one, and the list must be whole). */
export function consentCovers(found: UnexplainedFiles, consent: UnexplainedConsent | undefined): boolean {
	if (found.count === 0 || consent === 'all') {
		return true;
	}

	return consent !== undefined && found.count === found.paths.length && found.paths.every(item => consent.includes(item));
}

/** `my-notes/precious.txt, a.txt and 3 more`: the names an operator must see before agreeing. */
export function describeUnexplained(found: UnexplainedFiles, limit = 3): string {
	const named = found.paths.slice(0, limit);
	const more = found.count - named.length;
	return more > 0 ? `${named.join(', ')} and ${more} more` : named.join(', ');
}
