// Reads clusterConfig.yaml and plans the change of `spec.addonPackage.path` the way an operator
// would make it by hand: only the path's bytes change (see domain/edit-addon-paths.ts). Writing
// and undoing the change live in config-write.ts.
import {constants, type FileHandle, open} from 'node:fs/promises';
import path from 'node:path';
import {parseDocument, Parser, visit, type Alias, type Document} from 'yaml';
import {collectSecrets, interpretClusterConfig} from '../../domain/config/cluster-config.js';
import {editAddonPaths} from '../../domain/config/edit-addon-paths.js';
import {maskSecretLines, secretMasker} from '../../domain/shared/mask-secrets.js';
import {exitCodes, type WizardError} from '../../domain/shared/wizard-error.js';
import type {ClusterConfigInfo, ConfigEdit} from '../../domain/config/config-facts.js';
import {unifiedDiff} from '../../domain/config/unified-diff.js';
import {isWizardError} from '../../domain/shared/wizard-error.js';
import {aliasOverBudget, expandedNodeBudget} from '../../domain/config/yaml-alias-budget.js';
import {resolveWriteTarget} from '../shared/atomic-write.js';
import {configFileError, configIsDirectory, configNotRegular, configTooBig} from './config-file-errors.js';

export {applyConfigEdit, restoreConfigBackup, type RestoredConfig, type WriteOptions} from './config-write.js';

/** A 1000-node cluster's config is about 200 KB; anything past this is another file (a package passed to -c). */
const maxConfigBytes = 4 * 1024 * 1024;

async function isFile(file: string): Promise<boolean> {
	const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => undefined);
	const info = await handle?.stat().catch(() => undefined);
	await handle?.close().catch(() => undefined);
	return info?.isFile() ?? false;
}

/** Up to one byte past the cap, to the end of the file however its size was reported (it may grow, or say 0). */
async function readCapped(handle: FileHandle): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let total = 0;
	while (total <= maxConfigBytes) {
		const chunk = Buffer.alloc(Math.min(64 * 1024, maxConfigBytes + 1 - total));
		const {bytesRead} = await handle.read(chunk, 0, chunk.length, total);
		if (bytesRead === 0) {
			break;
		}

		chunks.push(chunk.subarray(0, bytesRead));
		total += bytesRead;
	}

	return Buffer.concat(chunks, total);
}

/**
 * The file's text, refusing at once what cannot be a cluster config: a directory, a FIFO or
 * device (reading one would hang), a file of gigabytes. O_NONBLOCK so that opening a FIFO
 * returns instead of waiting for a writer; it changes nothing for a regular file.
 */
async function readConfigText(file: string): Promise<string | WizardError> {
	let handle;
	try {
		handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
		const info = await handle.stat();
		if (info.isDirectory()) {
			return configIsDirectory(file, await isFile(path.join(file, 'clusterConfig.yaml')));
		}

		if (!info.isFile()) {
			return configNotRegular(file);
		}

		if (info.size > maxConfigBytes) {
			return configTooBig(file, info.size);
		}

		const content = await readCapped(handle);
		return content.length > maxConfigBytes ? configTooBig(file, Math.max(info.size, content.length)) : content.toString('utf8');
	} catch (error) {
		return configFileError(file, error);
	} finally {
		await handle?.close().catch(() => undefined);
	}
}

const closers: Readonly<Record<string, RegExp>> = {
	'double-quoted-scalar': /^"(?:[^"\\]|\\[\s\S])*"$/,
	'single-quoted-scalar': /^'(?:[^']|'')*'$/,
};

function isUnclosed(token: Record<string, unknown>): boolean {
	const closer = closers[token['type'] as string];
	if (closer) {
		return !closer.test(token['source'] as string);
	}

	return (
		token['type'] === 'flow-collection' &&
		!(token['end'] as Array<{type: string}>).some(end => end.type === 'flow-seq-end' || end.type === 'flow-map-end')
	);
}

/** Offsets of the quotes and brackets that are opened and never closed, in any nesting. */
function unclosedOffsets(node: unknown): number[] {
	if (Array.isArray(node)) {
		return node.flatMap(item => unclosedOffsets(item));
	}

	if (typeof node !== 'object' || node === null) {
		return [];
	}

	const token = node as Record<string, unknown>;
	const own = typeof token['offset'] === 'number' && isUnclosed(token) ? [token['offset']] : [];
	return [...own, ...Object.values(token).flatMap(value => unclosedOffsets(value))];
}

/**
 * The parser notices an unclosed quote or bracket only at the end of the file, a line the
 * operator cannot find in an editor; point at where it was opened instead.
 */
function errorOffset(text: string, offset: number): number {
	if (offset < text.trimEnd().length) {
		return offset;
	}

	const opened = unclosedOffsets([...new Parser().parse(text)]);
	return opened.length > 0 ? Math.max(...opened) : offset;
}

function parse(file: string, text: string): Document | WizardError {
	const document = parseDocument(text, {prettyErrors: false});
	const [error] = document.errors;
	if (error) {
		const offset = errorOffset(text, error.pos[0]);
		const line = text.slice(0, offset).split('\n').length;
		const column = offset - text.lastIndexOf('\n', offset - 1);
		const where = ` line ${line}, column ${column}`;
		const reason = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
		return {
			kind: 'config-malformed',
			message: `${path.basename(file)}${where}: ${reason}`,
			hint: `Fix the YAML at that line in ${file} (a backup is not needed: nothing was changed).`,
			exitCode: exitCodes.badInput,
		};
	}

	return document;
}

const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

function aliasBomb(file: string, line: number | undefined): WizardError {
	return {
		kind: 'config-malformed',
		message: `${path.basename(file)}${line === undefined ? '' : ` line ${line}`}: its aliases (*name) expand to more than ${expandedNodeBudget} values, which no cluster config needs (a YAML alias bomb?).`,
		hint: `Write the values out instead of the aliases in ${file}, or pass the right file with -c; nothing was changed.`,
		exitCode: exitCodes.badInput,
	};
}

/** `*name` with no `&name` before it, or the library's own alias guard: bad input either way, never an internal error. */
function unexpandable(file: string, text: string, document: Document, error: unknown): WizardError {
	const message = error instanceof Error ? error.message : String(error);
	if (/excessive alias count/i.test(message)) {
		return aliasBomb(file, undefined);
	}

	let unresolved: Alias | undefined;
	visit(document, {
		Alias(_key, node) {
			if (!node.resolve(document)) {
				unresolved = node;
				return visit.BREAK;
			}

			return undefined;
		},
	});
	const where = unresolved?.range ? ` line ${lineOf(text, unresolved.range[0])}` : '';
	return {
		kind: 'config-malformed',
		message: `${path.basename(file)}${where}: ${message.split('\n')[0]}`,
		hint: `Fix the YAML at that line in ${file} (a backup is not needed: nothing was changed).`,
		exitCode: exitCodes.badInput,
	};
}

type LoadedConfig = {text: string; document: Document; plain: unknown; info: ClusterConfigInfo};

/** Read, parse, expand (within a budget) and check the file: what every use of it starts with. */
async function loadConfig(file: string): Promise<LoadedConfig | WizardError> {
	const text = await readConfigText(file);
	if (isWizardError(text)) {
		return text;
	}

	const document = parse(file, text);
	if (isWizardError(document)) {
		return document;
	}

	const culprit = aliasOverBudget(document);
	if (culprit) {
		return aliasBomb(file, culprit.range ? lineOf(text, culprit.range[0]) : undefined);
	}

	let plain: unknown;
	try {
		// The library's own guard stays on behind the budget above, which has already passed.
		plain = document.toJS({maxAliasCount: expandedNodeBudget});
	} catch (error) {
		return unexpandable(file, text, document, error);
	}

	const info = interpretClusterConfig(file, plain);
	return isWizardError(info) ? info : {text, document, plain, info};
}

export async function readClusterConfig(file: string): Promise<ClusterConfigInfo | WizardError> {
	const loaded = await loadConfig(file);
	return isWizardError(loaded) ? loaded : {...loaded.info, secrets: collectSecrets(loaded.plain)};
}

/** The whole document as plain values, for what reads more of it than ClusterConfigInfo holds (the registry's location). */
export async function readClusterConfigDocument(file: string): Promise<unknown> {
	const loaded = await loadConfig(file);
	return isWizardError(loaded) ? loaded : loaded.plain;
}

type Mapping = Record<string, unknown>;
const isMapping = (value: unknown): value is Mapping => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The document without `spec.addonPackage.path` (and an addonPackage left empty by that), for comparing the rest. */
function withoutAddonPath(plain: unknown): string {
	const copy = structuredClone(plain) as Mapping;
	const spec = isMapping(copy['spec']) ? copy['spec'] : undefined;
	const addon = spec?.['addonPackage'];
	if (spec && isMapping(addon)) {
		delete addon['path'];
	}

	if (spec && (addon === null || (isMapping(addon) && Object.keys(addon).length === 0))) {
		delete spec['addonPackage'];
	}

	return JSON.stringify(copy);
}

/**
 * Parses the edited text again: the path must read back as written (a list stays a list) and
 * every other value must be what it was. A shape the text edit got wrong is never written.
 */
function verifyEdit(before: unknown, afterText: string, newPaths: string[]): string[] | undefined {
	const after = parseDocument(afterText);
	if (after.errors.length > 0) {
		return undefined;
	}

	let plain: unknown;
	try {
		plain = after.toJS({maxAliasCount: expandedNodeBudget});
	} catch {
		return undefined; // An anchor the edit took away, for one.
	}

	const read = (value: unknown) =>
		isMapping(value) && isMapping(value['spec']) && isMapping(value['spec']['addonPackage'])
			? value['spec']['addonPackage']['path']
			: undefined;
	const wasList = Array.isArray(read(before));
	const written = read(plain);
	const paths = Array.isArray(written) ? written : [written];
	const shapeRight = wasList || newPaths.length > 1 ? Array.isArray(written) : typeof written === 'string';
	const sameSet = paths.length === newPaths.length && [...paths].map(String).sort().join('\n') === [...newPaths].sort().join('\n');
	return shapeRight && sameSet && withoutAddonPath(before) === withoutAddonPath(plain) ? paths.map(String) : undefined;
}

function cannotEdit(file: string, reason: string, newPaths: string[]): WizardError {
	return {
		kind: 'config-shape-unsupported',
		message: `${file}: ${reason}, so the wizard cannot set spec.addonPackage.path without rewriting other lines; nothing was changed.`,
		hint: `Set spec.addonPackage.path by hand to ${newPaths.join(', ')} (or write addonPackage: as a block with path: on its own line) and run again.`,
		exitCode: exitCodes.badInput,
	};
}

export async function planConfigEdit(file: string, newPaths: string[]): Promise<ConfigEdit | WizardError> {
	const loaded = await loadConfig(file);
	if (isWizardError(loaded)) {
		return loaded;
	}

	const edited = editAddonPaths(loaded.text, loaded.document, newPaths);
	if ('refused' in edited) {
		return cannotEdit(file, edited.refused, newPaths);
	}

	const written = verifyEdit(loaded.plain, edited.text, newPaths);
	if (!written) {
		return cannotEdit(file, 'the edited file did not read back as intended', newPaths);
	}

	const realPath = await resolveWriteTarget(file).catch(() => file);
	const mask = secretMasker(collectSecrets(loaded.plain));
	const diff = maskSecretLines(unifiedDiff(loaded.text, edited.text, path.basename(file)), mask);
	return {path: file, realPath, newPaths: written, originalText: loaded.text, newText: edited.text, diff};
}
