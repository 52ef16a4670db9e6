// Decides which files found on disk can be offered for import. A package that is still
// downloading, empty, or far smaller than its siblings is listed, never offered.
import type {DiscoveredPackage} from './inspection.js';
import type {Finding} from '../shared/findings.js';
import {looksLikePackageName, parsePackageName, stripIncompleteSuffix} from './package-name.js';
import {compareKinds, kindFindings} from './package-kinds.js';
import {compareSemver} from '../shared/semver.js';
import {formatBytes} from '../shared/format-bytes.js';
import {stillCopyingFinding, type StillCopying} from './still-copying.js';

export type FoundFile = {path: string; fileName: string; size: number; mtimeMs: number; copying?: StillCopying};

/**
 * A complete package is never this small next to a sibling: arm64 packages are about half
 * the amd64 size (13 vs 24 GB), so across arches only a quarter is suspicious; within the
 * same arch and kind, half.
 */
const smallRatio = {sameArch: 0.5, otherArch: 0.25} as const;

const expectedName =
	'<kind>-addon-offline-package-<version>-<arch>.tar.gz (standard, gpu, metax, jenkins; addon-offline-full-package-<version>-<arch>.tar.gz up to v0.17)';

function incomplete(
	file: FoundFile,
	finding: Finding,
	name = parsePackageName(stripIncompleteSuffix(file.fileName).name),
): DiscoveredPackage {
	return {...file, name, status: 'incomplete', findings: [finding]};
}

function tooSmall(file: DiscoveredPackage, all: DiscoveredPackage[]): Finding | undefined {
	const name = file.name!;
	const siblings = all.filter(
		other => other !== file && other.name && other.name.version === name.version && other.name.kind === name.kind,
	);
	for (const sibling of siblings) {
		const ratio = sibling.name!.arch === name.arch ? smallRatio.sameArch : smallRatio.otherArch;
		if (file.size < sibling.size * ratio) {
			return {
				code: 'suspiciously-small',
				severity: 'warning',
				message: `Only ${formatBytes(file.size)}, far below ${sibling.fileName} (${formatBytes(sibling.size)}): probably an unfinished copy.`,
				hint: 'Copy it again and check its sha512 before importing.',
			};
		}
	}

	return undefined;
}

function classifyOne(file: FoundFile): DiscoveredPackage | undefined {
	const {name: completeName, suffix} = stripIncompleteSuffix(file.fileName);
	// A copy under way, whatever its name or size says: it is neither damaged nor small, only unfinished.
	if (file.copying && looksLikePackageName(completeName)) {
		return incomplete(file, stillCopyingFinding(file.copying));
	}

	if (suffix) {
		return looksLikePackageName(completeName)
			? incomplete(file, {
					code: 'incomplete-download',
					severity: 'warning',
					message: `Still downloading or interrupted (${suffix}).`,
					hint: `Wait for the download to finish, or download it again as ${completeName}.`,
				})
			: undefined;
	}

	const name = parsePackageName(file.fileName);
	if (!name) {
		return looksLikePackageName(file.fileName) && file.fileName.endsWith('.tar.gz')
			? incomplete(
					file,
					{
						code: 'name-unrecognised',
						severity: 'warning',
						message: 'Looks like an addon package but the name does not say its version and arch.',
						hint: `Rename it to ${expectedName}, or pass it with --package to inspect it anyway.`,
					},
					undefined,
				)
			: undefined;
	}

	if (file.size === 0) {
		return incomplete(
			file,
			{code: 'incomplete-download', severity: 'warning', message: 'The file is empty.', hint: 'Copy the package again.'},
			name,
		);
	}

	return {...file, name, status: 'candidate', findings: kindFindings(name)};
}

export function classifyPackages(files: FoundFile[]): DiscoveredPackage[] {
	const classified = files.map(file => classifyOne(file)).filter((item): item is DiscoveredPackage => item !== undefined);
	const candidates = classified.filter(item => item.status === 'candidate');
	const result = classified.map(item => {
		const finding = item.status === 'candidate' ? tooSmall(item, candidates) : undefined;
		return finding ? {...item, status: 'incomplete' as const, findings: [finding, ...item.findings]} : item;
	});
	return result.sort((a, b) => {
		if (a.name && b.name) {
			return (
				compareSemver(b.name.semver, a.name.semver) || a.name.arch.localeCompare(b.name.arch) || compareKinds(a.name.kind, b.name.kind)
			);
		}

		return a.name ? -1 : b.name ? 1 : a.fileName.localeCompare(b.fileName);
	});
}
