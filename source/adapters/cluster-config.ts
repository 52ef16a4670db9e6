// Reads clusterConfig.yaml and changes `spec.addonPackage.path` the way an operator would by
// hand: comments, order and formatting kept, a timestamped backup beside it, atomic replace.
import {copyFile, chmod, readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {isMap, isScalar, isSeq, parseDocument, Parser, YAMLSeq, type Document, type Scalar} from 'yaml';
import {collectSecrets, interpretClusterConfig} from '../domain/cluster-config.js';
import type {ClusterConfigInfo, ConfigEdit, WizardError} from '../domain/model.js';
import {unifiedDiff} from '../domain/unified-diff.js';
import {writeFileAtomic} from './atomic-write.js';
import {isWizardError} from '../domain/wizard-error.js';

function fileError(file: string, error: unknown): WizardError {
	const code = (error as NodeJS.ErrnoException).code;
	if (code === 'ENOENT') {
		return {kind: 'config-missing', message: `clusterConfig.yaml not found at ${file}.`, hint: 'Pass -c PATH, or run from the folder that holds it.', exitCode: 2};
	}

	return {kind: 'config-unreadable', message: `Cannot read ${file} (${code ?? String(error)}).`, hint: 'Run as a user that can read it, or fix its permissions.', exitCode: 2};
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

	return token['type'] === 'flow-collection'
		&& !(token['end'] as Array<{type: string}>).some(end => end.type === 'flow-seq-end' || end.type === 'flow-map-end');
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
			exitCode: 2,
		};
	}

	return document;
}


export async function readClusterConfig(file: string): Promise<ClusterConfigInfo | WizardError> {
	let text;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		return fileError(file, error);
	}

	const document = parse(file, text);
	if (isWizardError(document)) {
		return document;
	}

	const plain = document.toJS() as unknown;
	const info = interpretClusterConfig(file, plain);
	return isWizardError(info) ? info : {...info, secrets: collectSecrets(plain)};
}

/** Writes a path in the same quoting style as the value it replaces. */
function quoteLike(node: Scalar, value: string): string {
	if (node.type === 'QUOTE_SINGLE') {
		return `'${value.replaceAll("'", "''")}'`;
	}

	return node.type === 'PLAIN' && /^[\w./+-]+$/.test(value) ? value : JSON.stringify(value);
}

/**
 * Replaces the existing path scalars in the text itself, so every other byte of the file
 * (comments, spacing, quoting) stays exactly as the operator wrote it. Undefined when the
 * shape changes and a structural edit is needed.
 */
function replaceInPlace(text: string, document: Document, newPaths: string[]): string | undefined {
	const current = document.getIn(['spec', 'addonPackage', 'path'], true);
	const scalars = isSeq(current) ? current.items : [current];
	if (scalars.length !== newPaths.length || !scalars.every(item => isScalar(item) && item.range)) {
		return undefined;
	}

	let result = text;
	const pairs = (scalars as Scalar[]).map((node, index) => ({node, value: newPaths[index]!}));
	for (const {node, value} of pairs.sort((a, b) => b.node.range![0] - a.node.range![0])) {
		const [start, end] = node.range!;
		result = result.slice(0, start) + quoteLike(node, value) + result.slice(end);
	}

	return result;
}

function setAddonPaths(document: Document, newPaths: string[]): void {
	const current = document.getIn(['spec', 'addonPackage', 'path'], true);
	const keepList = isSeq(current) || newPaths.length > 1;
	const parent = document.getIn(['spec', 'addonPackage'], true);
	if (!isMap(parent)) {
		// `addonPackage:` with only a commented-out path under it: keep the operator's comment.
		const replacement = document.createNode({});
		const {comment, commentBefore} = (parent ?? {}) as {comment?: string | null; commentBefore?: string | null};
		replacement.commentBefore = [commentBefore, comment].filter(Boolean).join('\n') || undefined;
		document.setIn(['spec', 'addonPackage'], replacement);
	}

	if (keepList) {
		const list = new YAMLSeq();
		for (const item of newPaths) {
			list.add(document.createNode(item));
		}

		document.setIn(['spec', 'addonPackage', 'path'], list);
		return;
	}

	document.setIn(['spec', 'addonPackage', 'path'], newPaths[0]);
}

export async function planConfigEdit(file: string, newPaths: string[]): Promise<ConfigEdit | WizardError> {
	let originalText;
	try {
		originalText = await readFile(file, 'utf8');
	} catch (error) {
		return fileError(file, error);
	}

	const document = parse(file, originalText);
	if (isWizardError(document)) {
		return document;
	}

	let newText = replaceInPlace(originalText, document, newPaths);
	if (newText === undefined) {
		setAddonPaths(document, newPaths);
		newText = document.toString({lineWidth: 0});
	}

	return {path: file, newPaths, originalText, newText, diff: unifiedDiff(originalText, newText, path.basename(file))};
}

function stamp(now: Date): string {
	const pad = (value: number) => String(value).padStart(2, '0');
	return `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
}

export async function applyConfigEdit(edit: ConfigEdit, options: {now?: Date} = {}): Promise<{backupPath: string} | WizardError> {
	const file = edit.path;
	let current;
	let mode;
	try {
		current = await readFile(file, 'utf8');
		mode = (await stat(file)).mode & 0o7777;
	} catch (error) {
		return fileError(file, error);
	}

	if (current !== edit.originalText) {
		return {kind: 'config-changed', message: `${file} changed since the plan was made.`, hint: 'Start the wizard again so the plan reflects the file as it is now.', exitCode: 2};
	}

	const backupPath = `${file}.bak-${stamp(options.now ?? new Date())}`;
	try {
		// Root may write anything; a file its owner marked read-only is still not ours to change.
		if ((mode & 0o200) === 0) {
			const error = new Error('read-only') as NodeJS.ErrnoException;
			error.code = 'EACCES';
			throw error;
		}

		await copyFile(file, backupPath);
		await chmod(backupPath, mode);

		await writeFileAtomic(file, edit.newText, {mode});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? String(error);
		return {
			kind: 'config-not-writable',
			message: `Cannot write ${file} (${code}); it was left unchanged.`,
			hint: `Make it and its folder writable (chmod u+w ${path.basename(file)}), or set addonPackage.path by hand.`,
			exitCode: 2,
		};
	}

	return {backupPath};
}
