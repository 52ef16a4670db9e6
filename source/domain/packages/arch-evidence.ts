// The architecture of a package is only trusted when every source that speaks agrees:
// the file name, the image configs and any arch field in the package's metadata.
import type {ArchEvidence} from './inspection.js';
import type {Finding} from '../shared/findings.js';
import {normalizeArch} from './package-name.js';

const metadataKeys = ['arch', 'architecture', 'platform'] as const;

/** Reads an arch from a metadata document (`arch: arm64`, `platform: linux/arm64`, nested under `spec`). */
export function archFromMetadata(document: unknown): string | undefined {
	if (typeof document !== 'object' || document === null) {
		return undefined;
	}

	const record = document as Record<string, unknown>;
	for (const key of metadataKeys) {
		const value = record[key];
		if (typeof value === 'string' && value.trim() !== '') {
			return normalizeArch(value.split('/').pop()!.trim());
		}
	}

	return archFromMetadata(record['spec']) ?? archFromMetadata(record['metadata']);
}

/**
 * Weighs the sources. `complete` says the package was read whole and undamaged: only then can its
 * contents confirm anything, however well the image configs that were read agree.
 */
export function weighArchEvidence(
	fromName: string | undefined,
	imageArches: string[],
	fromMetadata: string | undefined,
	complete: boolean,
): {arch: ArchEvidence; findings: Finding[]} {
	const fromImages = [...new Set(imageArches.map(arch => normalizeArch(arch)))].sort();
	const findings: Finding[] = [];
	const voices: Array<[string, string]> = [];
	if (fromName) {
		voices.push(['file name', fromName]);
	}

	if (fromImages.length === 1) {
		voices.push(['image configs', fromImages[0]!]);
	}

	if (fromMetadata) {
		voices.push(['package metadata', fromMetadata]);
	}

	if (fromImages.length > 1) {
		findings.push({
			code: 'arch-mixed-images',
			severity: 'warning',
			message: `Images of several architectures in one package: ${fromImages.join(', ')}.`,
			hint: 'Addon packages hold one architecture each; check that this is the file from the Download Center.',
		});
	}

	const distinct = new Set(voices.map(([, arch]) => arch));
	if (distinct.size > 1) {
		findings.push({
			code: 'arch-mismatch',
			severity: 'error',
			message: `Architecture sources disagree: ${voices.map(([source, arch]) => `${source}: ${arch}`).join(', ')}.`,
			hint: 'Do not import it under this name: rename or re-download the package so name and contents match.',
			details: Object.fromEntries(voices.map(([source, arch]) => [source, arch])),
		});
		return {arch: {fromName, fromImages, fromMetadata, agreed: undefined, confirmedByContents: false}, findings};
	}

	const agreed = voices[0]?.[1];
	if (voices.length === 1 && fromName) {
		findings.push({
			code: 'arch-unconfirmed',
			severity: 'info',
			message: `Architecture ${fromName} comes from the file name only; the contents did not state one.`,
		});
	}

	const confirmedByContents = complete && fromImages.length === 1 && agreed !== undefined;
	return {arch: {fromName, fromImages, fromMetadata, agreed, confirmedByContents}, findings};
}
