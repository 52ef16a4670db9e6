// Decides what a package's sha512 means, against every source that names it: the published
// table the wizard carries, the operator's `--checksums FILE`, and a sidecar (`<file>.sha512`,
// `checksums.txt`) beside the package.
//
// Every source that has a value is compared, and a mismatch with any of them is an error naming
// the file, the source and the expected value: two sources that disagree mean one of them, or
// the file, is wrong, and the wizard cannot tell which. When all agree, the state names the
// strongest source that matched: published (`verified`) > --checksums list > sidecar (both
// `sidecar-verified`, with `sidecarFile` naming the list or the sidecar).
import {entriesFor, parseChecksumList, type ChecksumList} from './checksum-list.js';
import type {Finding} from '../shared/findings.js';
import type {IntegrityState, PackageInspection} from './inspection.js';
import {knownKindNames} from './package-kinds.js';
import {parsePackageName, type ParsedPackageName} from './package-name.js';
import {
	describePublishedTable,
	findBySha512,
	findPublishedChecksum,
	isBeyondPublishedTable,
	publishedChecksums,
	publishedTableEnd,
	type PublishedChecksum,
} from './published-checksums.js';

/**
 * Reads the sha512 for `fileName` from a sidecar or checksum list. Understands GNU
 * (`<hex>  name`, `<hex> *name`), BSD (`SHA512 (name) = <hex>`), the download page's lines
 * and a bare hash.
 */
export function parseChecksumFile(text: string, fileName: string): string | undefined {
	const hashes = new Set(entriesFor(parseChecksumList(text, fileName), parsePackageName(fileName), fileName).map(entry => entry.sha512));
	if (hashes.size === 1) {
		return [...hashes][0];
	}

	const lines = text
		.split(/\r?\n/)
		.map(line => line.trim())
		.filter(Boolean);
	return hashes.size === 0 && lines.length === 1 && /^[\da-f]{128}$/i.test(lines[0]!) ? lines[0]!.toLowerCase() : undefined;
}

export type IntegrityVerdict = {
	integrity: PackageInspection['integrity'];
	findings: Finding[];
};

export type IntegritySources = {
	/** The operator's `--checksums FILE`, parsed with `parseChecksumList`. */
	list?: ChecksumList;
	/** The package's file name, so a list line naming a renamed file still matches. Defaults to the parsed name's. */
	fileName?: string;
};

const short = (hash: string) => `${hash.slice(0, 12)}…`;
const identity = (item: {version: string; kind: string; arch: string}) => `${item.version} ${item.kind} ${item.arch}`;

/** A file renamed from another published package still says what it really is. */
function renamedHint(sha512: string): string | undefined {
	const [real] = findBySha512(sha512);
	return real ? `Its sha512 is the published value of ${identity(real)}: the file was renamed; give it that name.` : undefined;
}

function unknownFinding(name: ParsedPackageName | undefined, fileName: string | undefined): Finding {
	const add = `Put the sha512 from the download page in ${fileName ?? '<package>'}.sha512 beside the file, or pass --checksums FILE with the page's lines.`;
	const read = 'the contents were read end to end without error';
	if (!name) {
		return {
			code: 'checksum-unknown',
			severity: 'info',
			message: `The name does not say version, kind and arch, so no published checksum applies and no sidecar names it; ${read}.`,
			hint: add,
		};
	}

	const what = identity(name);
	const first = publishedChecksums[0]!.version;
	const why = !name.knownKind
		? `the published table knows the kinds ${knownKindNames.join(', ')}, not ${name.kind}`
		: isBeyondPublishedTable(name.version)
			? describePublishedTable()
			: `the published table (${first} to ${publishedTableEnd.version}) has no such file`;
	return {code: 'checksum-unknown', severity: 'info', message: `No published checksum for ${what}: ${why}; ${read}.`, hint: add};
}

function publishedMismatch(fileName: string, sha512: string, published: PublishedChecksum): Finding {
	return {
		code: 'checksum-mismatch',
		severity: 'error',
		message: `${fileName}: sha512 differs from the value published for ${identity(published)}: expected ${published.sha512}, got ${short(sha512)}.`,
		hint: renamedHint(sha512) ?? 'Download the package again from the Download Center and do not import this copy.',
		details: {expected: published.sha512, actual: sha512, source: published.source},
	};
}

export function judgeIntegrity(
	sha512: string,
	name: ParsedPackageName | undefined,
	sidecar?: {file: string; sha512: string},
	sources: IntegritySources = {},
): IntegrityVerdict {
	const fileName = sources.fileName ?? name?.fileName ?? '(package)';
	const published = name ? findPublishedChecksum(name.version, name.kind, name.arch) : undefined;
	const listed = sources.list ? entriesFor(sources.list, name, fileName) : [];
	const base = {published: published?.sha512, sidecar: sidecar?.sha512, sidecarFile: sidecar?.file};
	const verdict = (state: IntegrityState, findings: Finding[], extra: Partial<typeof base> = {}): IntegrityVerdict => ({
		integrity: {state, ...base, ...extra},
		findings,
	});
	const mismatches: Finding[] = [];
	if (published && published.sha512 !== sha512) {
		mismatches.push(publishedMismatch(fileName, sha512, published));
	}

	for (const entry of listed.filter(item => item.sha512 !== sha512)) {
		mismatches.push({
			code: 'checksum-list-mismatch',
			severity: 'error',
			message: `${fileName}: sha512 differs from ${sources.list!.source} line ${entry.line}: expected ${entry.sha512}, got ${short(sha512)}.`,
			hint:
				published?.sha512 === sha512
					? `The file matches the published value; line ${entry.line} of ${sources.list!.source} is wrong: correct or remove it.`
					: 'The copy is damaged or the line belongs to another package; copy the file again or correct the line.',
			details: {expected: entry.sha512, actual: sha512, source: sources.list!.source, line: entry.line},
		});
	}

	if (sidecar && sidecar.sha512 !== sha512) {
		mismatches.push({
			code: 'sidecar-mismatch',
			severity: 'error',
			message: `${fileName}: sha512 differs from ${sidecar.file}: expected ${sidecar.sha512}, got ${short(sha512)}.`,
			hint: 'The copy is damaged or the checksum file belongs to another package; copy both again.',
			details: {expected: sidecar.sha512, actual: sha512, source: sidecar.file},
		});
	}

	if (mismatches.length > 0) {
		return verdict('mismatch', mismatches);
	}

	if (published) {
		return verdict('verified', [
			{code: 'checksum-verified', severity: 'info', message: `sha512 matches the published checksum of ${identity(published)}.`},
		]);
	}

	const [entry] = listed;
	if (entry) {
		const where = `${sources.list!.source} line ${entry.line}`;
		return verdict(
			'sidecar-verified',
			[{code: 'checksum-list-verified', severity: 'info', message: `sha512 matches ${where}.`}],
			sidecar ? {} : {sidecar: entry.sha512, sidecarFile: sources.list!.source},
		);
	}

	if (sidecar) {
		return verdict('sidecar-verified', [{code: 'sidecar-verified', severity: 'info', message: `sha512 matches ${sidecar.file}.`}]);
	}

	return verdict('unknown', [unknownFinding(name, sources.fileName ?? name?.fileName)]);
}

/** The finding codes a verdict writes; re-judging replaces exactly these. */
const integrityCodes = new Set<string>([
	'checksum-verified',
	'checksum-mismatch',
	'checksum-unknown',
	'checksum-list-verified',
	'checksum-list-mismatch',
	'sidecar-verified',
	'sidecar-mismatch',
]);

/**
 * The verdict again, for a result read from the cache: the checksums an operator gives (a sidecar
 * copied along later, --checksums FILE) change what the same bytes mean, never the bytes.
 */
export function rejudgeIntegrity(
	inspection: PackageInspection,
	sidecar: {file: string; sha512: string} | undefined,
	list?: ChecksumList,
): PackageInspection {
	if (inspection.sha512 === '') {
		return inspection; // Never read: nothing to compare.
	}

	const verdict = judgeIntegrity(inspection.sha512, inspection.name, sidecar, {list, fileName: inspection.fileName});
	const damaged = inspection.integrity.state === 'damaged';
	const fresh = damaged ? verdict.findings.filter(finding => finding.severity === 'error') : verdict.findings;
	// The verdict keeps its place among the findings (damage first, then checksums, then arch).
	const at = inspection.findings.findIndex(finding => integrityCodes.has(finding.code));
	const kept = inspection.findings.filter(finding => !integrityCodes.has(finding.code));
	const position = at === -1 ? kept.length : inspection.findings.slice(0, at).filter(finding => !integrityCodes.has(finding.code)).length;
	return {
		...inspection,
		integrity: damaged ? {...verdict.integrity, state: 'damaged'} : verdict.integrity,
		findings: [...kept.slice(0, position), ...fresh, ...kept.slice(position)],
	};
}
