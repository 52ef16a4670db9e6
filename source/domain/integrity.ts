// Decides what a package's sha512 means: published (the download page), a sidecar file the
// operator copied along, or nothing to compare with.
import type {Finding, IntegrityState, PackageInspection} from './model.js';
import type {ParsedPackageName} from './package-name.js';
import {findPublishedChecksum} from './published-checksums.js';

/**
 * Reads the sha512 for `fileName` from a sidecar or checksum list. Understands GNU
 * (`<hex>  name`, `<hex> *name`), BSD (`SHA512 (name) = <hex>`) and a bare hash.
 */
export function parseChecksumFile(text: string, fileName: string): string | undefined {
	const lines = text.split(/\r?\n/).map(line => line.trim()).filter(Boolean);
	for (const line of lines) {
		const gnu = /^([\da-f]{128})\s+\*?(.+)$/i.exec(line);
		if (gnu && gnu[2]!.split('/').pop() === fileName) {
			return gnu[1]!.toLowerCase();
		}

		const bsd = /^SHA512 \((.+)\) = ([\da-f]{128})$/i.exec(line);
		if (bsd && bsd[1]!.split('/').pop() === fileName) {
			return bsd[2]!.toLowerCase();
		}
	}

	if (lines.length === 1 && /^[\da-f]{128}$/i.test(lines[0]!)) {
		return lines[0]!.toLowerCase();
	}

	return undefined;
}

export type IntegrityVerdict = {
	integrity: PackageInspection['integrity'];
	findings: Finding[];
};

const short = (hash: string) => `${hash.slice(0, 12)}…`;

export function judgeIntegrity(
	sha512: string,
	name: ParsedPackageName | undefined,
	sidecar?: {file: string; sha512: string},
): IntegrityVerdict {
	const published = name ? findPublishedChecksum(name.version, name.kind, name.arch)?.sha512 : undefined;
	const base = {published, sidecar: sidecar?.sha512, sidecarFile: sidecar?.file};
	const verdict = (state: IntegrityState, findings: Finding[]): IntegrityVerdict => ({integrity: {state, ...base}, findings});
	if (published && published !== sha512) {
		return verdict('mismatch', [{
			code: 'checksum-mismatch',
			severity: 'error',
			message: `sha512 differs from the published value for ${name!.fileName}: expected ${short(published)}, got ${short(sha512)}.`,
			hint: 'Download the package again from the Download Center and do not import this copy.',
		}]);
	}

	if (sidecar && sidecar.sha512 !== sha512) {
		return verdict('mismatch', [{
			code: 'sidecar-mismatch',
			severity: 'error',
			message: `sha512 differs from ${sidecar.file}: expected ${short(sidecar.sha512)}, got ${short(sha512)}.`,
			hint: 'The copy is damaged or the checksum file belongs to another package; copy both again.',
		}]);
	}

	if (published) {
		return verdict('verified', [{code: 'checksum-verified', severity: 'info', message: 'sha512 matches the published checksum.'}]);
	}

	if (sidecar) {
		return verdict('sidecar-verified', [{code: 'sidecar-verified', severity: 'info', message: `sha512 matches ${sidecar.file}.`}]);
	}

	return verdict('unknown', [{
		code: 'checksum-unknown',
		severity: 'info',
		message: 'No published or sidecar checksum to compare with; the contents were read end to end without error.',
		hint: 'Put the sha512 from the download page in <package>.sha512 beside the file to have it verified.',
	}]);
}
