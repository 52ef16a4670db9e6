// The step a verification asks for next: integrate the same version's other-arch package (the
// <0.12.0 conversion took that arch away, or the new tags never had it). Which packages that is,
// by kind, and which of the files on this host are those packages.
import type {ChainSuggestion} from './run-events.js';
import type {DiscoveredPackage} from '../packages/inspection.js';
import {isPublishedFor, packageFileNameFor} from '../packages/package-kinds.js';
import {parseSemver} from '../shared/semver.js';
import type {VerifyResult} from '../registry/verify-step.js';

/**
 * One suggestion per arch the result says to integrate. `stepKinds` are the kinds of the step's
 * packages (standard and gpu for a v0.44 set): only those DaoCloud publishes for the arch count
 * (the gpu package is amd64-only), so the chain never asks for a file that does not exist.
 */
export function chainSuggestions(result: Pick<VerifyResult, 'nextSteps'>, stepKinds: string[]): ChainSuggestion[] {
	const suggestions: ChainSuggestion[] = [];
	for (const next of result.nextSteps) {
		if (next.kind !== 'integrate' || suggestions.some(item => item.arch === next.arch && item.version === next.version)) {
			continue;
		}

		const semver = parseSemver(next.version);
		const known = [...new Set(stepKinds)];
		const kinds = semver ? known.filter(kind => isPublishedFor(kind, next.arch, semver) !== false) : known;
		suggestions.push({
			version: next.version,
			arch: next.arch,
			kinds,
			fileNames: kinds.map(kind => packageFileNameFor(kind, next.version, next.arch)),
			reason: next.reason,
		});
	}

	return suggestions;
}

export type ChainMatch = {
	/** One file per kind asked for, newest first when a kind is there twice. */
	found: DiscoveredPackage[];
	/** File names of the kinds not found on this host. */
	missing: string[];
};

/** The files on this host that are the suggested packages: same version, that arch, a kind asked for, complete. */
export function matchChainPackages(suggestion: ChainSuggestion, discovered: readonly DiscoveredPackage[]): ChainMatch {
	const candidates = discovered
		.filter(item => item.status === 'candidate' && item.name?.version === suggestion.version && item.name.arch === suggestion.arch)
		.sort((a, b) => b.mtimeMs - a.mtimeMs);
	const kinds = suggestion.kinds.length > 0 ? suggestion.kinds : [...new Set(candidates.map(item => item.name!.kind))];
	const found: DiscoveredPackage[] = [];
	const missing: string[] = [];
	for (const kind of kinds) {
		const file = candidates.find(item => item.name!.kind === kind);
		if (file) {
			found.push(file);
		} else {
			missing.push(packageFileNameFor(kind, suggestion.version, suggestion.arch));
		}
	}

	return {found, missing};
}

/** `the v0.11.2 arm64 package`, `the v0.44.0 arm64 standard package`. */
export function describeSuggestion(suggestion: ChainSuggestion): string {
	const kinds = suggestion.kinds.filter(kind => kind !== 'full');
	return `the ${suggestion.version} ${suggestion.arch}${kinds.length > 0 ? ` ${kinds.join(' and ')}` : ''} package${kinds.length > 1 ? 's' : ''}`;
}
