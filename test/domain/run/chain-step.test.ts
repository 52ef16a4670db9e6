// Which package the verification asks to integrate next, and which file on this host it is.
import {describe, expect, it} from 'vitest';
import {chainSuggestions, describeSuggestion, matchChainPackages} from '../../../source/domain/run/chain-step.js';
import type {DiscoveredPackage} from '../../../source/domain/packages/inspection.js';
import {parsePackageName} from '../../../source/domain/packages/package-name.js';

const found = (fileName: string, extra: Partial<DiscoveredPackage> = {}): DiscoveredPackage => ({
	path: `/srv/${fileName}`,
	fileName,
	name: parsePackageName(fileName),
	size: 1,
	mtimeMs: 1,
	status: 'candidate',
	findings: [],
	...extra,
});
const integrate = (arch: string, version: string) => ({kind: 'integrate' as const, arch, version, reason: `tags lost ${arch}`});

describe('chainSuggestions', () => {
	it("asks for the same version's other-arch package of each kind the step imported, leaving out kinds never published for that arch", () => {
		// v0.44.0 amd64: standard and metax; the metax package is amd64-only.
		const [suggestion] = chainSuggestions({nextSteps: [integrate('arm64', 'v0.44.0')]}, ['standard', 'metax']);
		expect(suggestion).toEqual({
			version: 'v0.44.0',
			arch: 'arm64',
			kinds: ['standard'],
			fileNames: ['standard-addon-offline-package-v0.44.0-arm64.tar.gz'],
			reason: 'tags lost arm64',
		});
		expect(describeSuggestion(suggestion!)).toBe('the v0.44.0 arm64 standard package');
	});

	it('names a full package by its Download Center file, once per arch, and ignores a retry', () => {
		const suggestions = chainSuggestions(
			{nextSteps: [{kind: 'retry-step', reason: 'x'}, integrate('arm64', 'v0.11.2'), integrate('arm64', 'v0.11.2')]},
			['full'],
		);
		expect(suggestions.map(item => item.fileNames)).toEqual([['addon-offline-full-package-v0.11.2-arm64.tar.gz']]);
		expect(describeSuggestion(suggestions[0]!)).toBe('the v0.11.2 arm64 package');
	});
});

describe('matchChainPackages', () => {
	const suggestion = chainSuggestions({nextSteps: [integrate('arm64', 'v0.11.2')]}, ['full'])[0]!;

	it('takes only a complete file of that version, arch and kind, the newest when there are two', () => {
		const match = matchChainPackages(suggestion, [
			found('addon-offline-full-package-v0.11.2-amd64.tar.gz'),
			found('addon-offline-full-package-v0.11.1-arm64.tar.gz'),
			found('addon-offline-full-package-v0.11.2-arm64.tar.gz', {path: '/old/addon-offline-full-package-v0.11.2-arm64.tar.gz', mtimeMs: 1}),
			found('addon-offline-full-package-v0.11.2-arm64.tar.gz', {mtimeMs: 5}),
		]);
		expect(match).toEqual({found: [expect.objectContaining({path: '/srv/addon-offline-full-package-v0.11.2-arm64.tar.gz'})], missing: []});
	});

	it('names the file to download when only an incomplete download or another version is here', () => {
		const match = matchChainPackages(suggestion, [
			found('addon-offline-full-package-v0.11.2-arm64.tar.gz', {status: 'incomplete'}),
			found('addon-offline-full-package-v0.12.0-arm64.tar.gz'),
		]);
		expect(match).toEqual({found: [], missing: ['addon-offline-full-package-v0.11.2-arm64.tar.gz']});
	});
});
