// Reads sha512 values from text an operator copied: `sha512sum` output (`<hex>  <file>`), BSD
// (`SHA512 (<file>) = <hex>`), the download page's `echo "<hex>  <file>" | sha512sum -c` lines,
// or a table row holding a version, kind and arch next to a hash, separated by spaces, tabs or
// `|`. The wizard's own published table is read by the same parser.
import {isKnownKind, kindsOfRelease} from './package-kinds.js';
import {normalizeArch, parsePackageName, type ParsedPackageName} from './package-name.js';
import {formatSemver, parseSemver} from '../shared/semver.js';

export type ChecksumEntry = {
	sha512: string;
	/** 1-based line of the text it came from. */
	line: number;
	/** The file the line names, when it names one. */
	fileName?: string;
	/** Identity of the package, from the file name or the row's own columns. */
	version?: string;
	kind?: string;
	arch?: string;
	/** As written on the page (`37.07GB`), when the row carries it. */
	size?: string;
	date?: string;
};

export type ChecksumProblem = {line: number; text: string; reason: string};

export type ChecksumList = {
	/** Where the text came from (a path, or the published table's source). */
	source: string;
	entries: ChecksumEntry[];
	/** Lines that hold a sha512 the parser could not attach to a package. */
	problems: ChecksumProblem[];
};

const hexPattern = /^[\da-f]{128}$/i;
const versionPattern = /^v?\d+\.\d+\.\d+(?:-[\da-z.]+)?$/i;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const sizePattern = /^\d+(?:\.\d+)?\s?[KMGT]i?B$/i;
const knownArches = new Set(['amd64', 'arm64']);

/** What a browser leaves in a copied page: tags, link targets, "AMD 64" written with a space. */
function clean(line: string): string {
	return line
		.replaceAll(/<[^>]*>/g, ' ')
		.replaceAll(/\[([^\]]*)]\([^)]*\)/g, '$1')
		.replaceAll(/\b(amd|arm)\s+64\b/gi, '$164')
		.replaceAll(/(\d)\s+([KMGT]i?B)\b/gi, '$1$2');
}

const tokensOf = (line: string) =>
	clean(line)
		.split(/[\s|"'`*()=,;]+/)
		.filter(Boolean);

/** `v0.9.0` and `0.9.0` are one release. */
export function sameVersion(a: string, b: string): boolean {
	const left = parseSemver(a);
	const right = parseSemver(b);
	return left && right ? formatSemver(left) === formatSemver(right) : a === b;
}

type Identity = Pick<ChecksumEntry, 'fileName' | 'version' | 'kind' | 'arch'>;

function fromFileName(tokens: string[]): Identity | undefined {
	const file = tokens.map(token => token.replace(/:$/, '').split('/').pop()!).find(token => token.endsWith('.tar.gz'));
	if (!file) {
		return undefined;
	}

	const name = parsePackageName(file);
	return name ? {fileName: file, version: name.version, kind: name.kind, arch: name.arch} : {fileName: file};
}

/** A row's own columns: a version, an arch, and a known kind or a joined `<kind>-<arch>`. */
function fromColumns(tokens: string[]): Identity | string {
	const versions = [...new Set(tokens.filter(token => versionPattern.test(token)))];
	const arches = new Set<string>();
	const kinds = new Set<string>();
	for (const token of tokens) {
		const lower = token.toLowerCase();
		const joined = /^([a-z][a-z\d-]*)-(amd64|arm64|x86_64|aarch64)$/.exec(lower);
		if (joined) {
			kinds.add(joined[1]!);
			arches.add(normalizeArch(joined[2]!));
		} else if (knownArches.has(normalizeArch(lower))) {
			arches.add(normalizeArch(lower));
		} else if (isKnownKind(lower)) {
			kinds.add(lower);
		}
	}

	if (versions.length !== 1 || arches.size !== 1 || kinds.size > 1) {
		const what = [versions.length === 1 ? '' : 'one version', arches.size === 1 ? '' : 'one arch', kinds.size > 1 ? 'one kind' : ''].filter(
			Boolean,
		);
		return `it names no file and not exactly ${what.join(', ')}`;
	}

	const version = versions[0]!;
	const arch = [...arches][0]!;
	const semver = parseSemver(version)!;
	// Before the split (≤ v0.17) a release has one kind per arch, so a row need not name it.
	const onlyKind = kindsOfRelease(semver, arch);
	const kind = [...kinds][0] ?? (onlyKind.length === 1 ? onlyKind[0]!.kind : undefined);
	if (!kind) {
		return `it names ${version} ${arch} but no kind (${onlyKind.map(info => info.kind).join(', ')})`;
	}

	return {version, kind, arch};
}

function parseLine(text: string, line: number): ChecksumEntry | ChecksumProblem | undefined {
	const tokens = tokensOf(text);
	const hashes = [...new Set(tokens.filter(token => hexPattern.test(token)).map(token => token.toLowerCase()))];
	if (hashes.length === 0) {
		return undefined;
	}

	if (hashes.length > 1) {
		return {line, text, reason: `it holds ${hashes.length} sha512 values; put each file on its own line`};
	}

	const rest = tokens.filter(token => !hexPattern.test(token));
	const identity = fromFileName(rest) ?? fromColumns(rest);
	if (typeof identity === 'string') {
		return {line, text, reason: identity};
	}

	return {
		sha512: hashes[0]!,
		line,
		...identity,
		size: rest.find(token => sizePattern.test(token)),
		date: rest.find(token => datePattern.test(token)),
	};
}

const identityKey = (entry: ChecksumEntry) =>
	entry.version && entry.kind && entry.arch
		? `${formatSemver(parseSemver(entry.version)!)} ${entry.kind} ${entry.arch}`
		: (entry.fileName ?? '');

export function parseChecksumList(text: string, source: string): ChecksumList {
	const entries: ChecksumEntry[] = [];
	const problems: ChecksumProblem[] = [];
	// The entries so far by identity: the wizard parses its own published table at start-up, and
	// comparing each line with every earlier one (parsing their versions again) cost ~0.1 s there.
	const byIdentity = new Map<string, ChecksumEntry[]>();
	for (const [index, line] of text.split(/\r?\n/).entries()) {
		const parsed = parseLine(line.trim(), index + 1);
		if (parsed && 'reason' in parsed) {
			problems.push(parsed);
		} else if (parsed) {
			const key = identityKey(parsed);
			const same = byIdentity.get(key) ?? [];
			const other = same.find(entry => entry.sha512 !== parsed.sha512);
			if (other) {
				problems.push({
					line: parsed.line,
					text: line.trim(),
					reason: `it gives ${key} another sha512 than line ${other.line}`,
				});
			}

			same.push(parsed);
			byIdentity.set(key, same);
			entries.push(parsed);
		}
	}

	return {source, entries, problems};
}

/** Every entry that speaks for this package: by its exact file name, or by version, kind and arch. */
export function entriesFor(list: Pick<ChecksumList, 'entries'>, name: ParsedPackageName | undefined, fileName: string): ChecksumEntry[] {
	return list.entries.filter(
		entry =>
			entry.fileName === fileName ||
			(name !== undefined &&
				entry.kind === name.kind &&
				entry.arch === name.arch &&
				entry.version !== undefined &&
				sameVersion(entry.version, name.version)),
	);
}
