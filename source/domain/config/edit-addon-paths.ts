// Writes `spec.addonPackage.path` into clusterConfig.yaml's text the way an operator would by
// hand: only the bytes of the path value (and the entries added or removed) change; comments,
// quoting, blank lines and every other key stay exactly as written.
//
// Shapes written (installer >= v0.19 reads a list, older ones one path):
// - one path over a scalar, or where there was none: the scalar form of the seed, `path: "…"`;
// - several paths: a block list, one entry per path, indented under `path:` as the docs show;
// - any number of paths over a list: still a list, one entry a path. An operator (or their
//   installer's `generate-config`) chose the list form, their installer reads it, and keeping it
//   keeps the comments on and between the entries and the smallest diff; turning it back into a
//   scalar would delete those and surprise whoever adds the next kind to it.
import {isMap, isScalar, isSeq, type Document, type Pair, type Scalar, type YAMLMap, type YAMLSeq} from 'yaml';

type Splice = {start: number; end: number; text: string};

/** The new text, or why this file's shape is one the wizard will not edit (then nothing is written). */
export type PathEditResult = {text: string} | {refused: string};

type Context = {text: string; eol: string; unit: number};

const lineStart = (text: string, pos: number) => text.lastIndexOf('\n', pos - 1) + 1;
const column = (text: string, pos: number) => pos - lineStart(text, pos);

/** Offset just past the end of the line holding `pos` (its newline included). */
function lineEndAfter(text: string, pos: number): number {
	const newline = text.indexOf('\n', pos);
	return newline === -1 ? text.length : newline + 1;
}

/** Lines inserted after the line holding `pos`; a last line without a newline gets one first. */
function insertLinesAfter(context: Context, pos: number, lines: string[]): Splice {
	const at = lineEndAfter(context.text, pos);
	const needsBreak = at === context.text.length && !context.text.endsWith('\n');
	const body = lines.join(context.eol);
	return {start: at, end: at, text: needsBreak ? `${context.eol}${body}` : `${body}${context.eol}`};
}

/** A path in the quoting style of the value it replaces; double quotes (as the docs write it) for a new one. */
export function quoteLike(node: Scalar | undefined, value: string): string {
	const plainSafe = /^[\w./+-]+$/.test(value) && !/[\u0000-\u001F]/.test(value);
	if (node?.type === 'QUOTE_SINGLE' && !/[\n\r]/.test(value)) {
		return `'${value.replaceAll("'", "''")}'`;
	}

	return node?.type === 'PLAIN' && plainSafe ? value : JSON.stringify(value);
}

/** The same package apart from its version (`standard-…-v0.28.0-amd64` and `…-v0.44.0-amd64`): its comment still applies. */
const sameKindKey = (file: string) => file.slice(file.lastIndexOf('/') + 1).replace(/v?\d+\.\d+\.\d+(?:-(?:rc|alpha|beta)[.\d]*)?/i, '#');

const findPair = (map: YAMLMap, key: string) =>
	map.items.find(item => isScalar(item.key) && item.key.value === key) as Pair<Scalar, unknown> | undefined;
const isEmptyValue = (node: unknown) =>
	node === null || node === undefined || (isScalar(node) && node.value === null && node.range?.[0] === node.range?.[1]);

/** The offset just after the `:` of a block pair's key. */
const colonAfter = (text: string, key: Scalar) => text.indexOf(':', key.range![1]) + 1;

function pathLines(context: Context, indent: number, paths: string[], style?: Scalar): string[] {
	const pad = ' '.repeat(indent);
	if (paths.length === 1) {
		return [`${pad}path: ${quoteLike(style, paths[0]!)}`];
	}

	return [`${pad}path:`, ...paths.map(item => `${pad}${' '.repeat(context.unit)}- ${quoteLike(style, item)}`)];
}

/** `- ` before a list entry, from the start of its line; undefined when the entry shares a line with more than its dash. */
function entryPrefix(text: string, item: Scalar): {start: number; prefix: string} | undefined {
	const start = lineStart(text, item.range![0]);
	const prefix = text.slice(start, item.range![0]);
	return /^[ \t]*-[ \t]+$/.test(prefix) ? {start, prefix} : undefined;
}

/**
 * Entries whose path stays are not touched; an entry replaced by the same package in another
 * version keeps its line and comment; other entries go (their own lines only, comment lines
 * around them stay); new paths are appended after the last entry in its style.
 */
function editList(context: Context, list: YAMLSeq, newPaths: string[]): Splice[] | string {
	const items = list.items;
	if (!items.every(item => isScalar(item) && item.range && entryPrefix(context.text, item))) {
		return 'an entry of the path list is not a plain path on a line of its own';
	}

	const entries = (items as Scalar[]).map(node => ({node, value: String(node.value)}));
	const unplaced = [...newPaths];
	const leftover = entries.filter(entry => {
		const index = unplaced.indexOf(entry.value);
		if (index === -1) {
			return true;
		}

		unplaced.splice(index, 1);
		return false;
	});
	const splices: Splice[] = [];
	const appended: string[] = [];
	for (const value of unplaced) {
		const index = leftover.findIndex(entry => sameKindKey(entry.value) === sameKindKey(value));
		if (index === -1) {
			appended.push(value);
			continue;
		}

		const {node} = leftover.splice(index, 1)[0]!;
		splices.push({start: node.range![0], end: node.range![1], text: quoteLike(node, value)});
	}

	for (const {node} of leftover) {
		splices.push({start: entryPrefix(context.text, node)!.start, end: lineEndAfter(context.text, node.range![1]), text: ''});
	}

	const last = entries.at(-1)!.node;
	if (appended.length > 0) {
		const {prefix} = entryPrefix(context.text, last)!;
		splices.push(
			insertLinesAfter(
				context,
				last.range![1],
				appended.map(value => `${prefix}${quoteLike(last, value)}`),
			),
		);
	}

	return splices;
}

const flowList = (paths: string[], style?: Scalar) => `[${paths.map(item => quoteLike(style, item)).join(', ')}]`;

/** `path:` exists under a block `addonPackage:` mapping. */
function editPathValue(context: Context, pair: Pair<Scalar, unknown>, newPaths: string[], inFlow: boolean): Splice[] | string {
	const {text} = context;
	const value = pair.value;
	const keyColumn = column(text, pair.key.range![0]);
	const anchored = isSeq(value) ? [value, ...value.items] : [value];
	if (anchored.some(node => (isScalar(node) || isSeq(node)) && node.anchor)) {
		return 'spec.addonPackage.path carries an anchor (&name) that other keys may refer to';
	}

	if (isSeq(value)) {
		const first = value.items[0];
		const style = isScalar(first) ? first : undefined;
		return value.flow
			? [{start: value.range![0], end: value.range![1], text: flowList(newPaths, style)}]
			: editList(context, value, newPaths);
	}

	if (isEmptyValue(value)) {
		const colon = colonAfter(text, pair.key);
		if (newPaths.length === 1 || inFlow) {
			return [{start: colon, end: colon, text: ` ${newPaths.length === 1 ? quoteLike(undefined, newPaths[0]!) : flowList(newPaths)}`}];
		}

		return [insertLinesAfter(context, colon, pathLines(context, keyColumn, newPaths).slice(1))];
	}

	if (!isScalar(value) || !value.range) {
		return 'spec.addonPackage.path is neither a path nor a list of paths';
	}

	if (newPaths.length === 1) {
		return value.value === newPaths[0] ? [] : [{start: value.range[0], end: value.range[1], text: quoteLike(value, newPaths[0]!)}];
	}

	if (inFlow) {
		return [{start: value.range[0], end: value.range[1], text: flowList(newPaths, value)}];
	}

	// `path: "/old"   # comment` becomes `path:   # comment` with the entries below it.
	return [
		{start: colonAfter(text, pair.key), end: value.range[1], text: ''},
		insertLinesAfter(context, value.range[1], pathLines(context, keyColumn, newPaths, value).slice(1)),
	];
}

/** After the key's line and the comment lines indented under it (a commented-out `# path: …`). */
function endOfCommentsUnder(text: string, key: Scalar): number {
	const keyColumn = column(text, key.range![0]);
	let insertAfter = key.range![1];
	for (let at = lineEndAfter(text, key.range![1]); at < text.length; at = lineEndAfter(text, at)) {
		const line = text.slice(at, lineEndAfter(text, at)).replace(/\r?\n$/, '');
		if (line.trim() === '') {
			continue;
		}

		if (!line.trimStart().startsWith('#') || line.length - line.trimStart().length <= keyColumn) {
			break;
		}

		insertAfter = at;
	}

	return insertAfter;
}

function editAddonPackage(context: Context, spec: YAMLMap, newPaths: string[]): Splice[] | string {
	const {text} = context;
	const addon = findPair(spec, 'addonPackage');
	const specColumn = spec.items[0] && isScalar(spec.items[0].key) ? column(text, spec.items[0].key.range![0]) : context.unit;
	if (!addon) {
		const lines = [`${' '.repeat(specColumn)}addonPackage:`, ...pathLines(context, specColumn + context.unit, newPaths)];
		return [insertLinesAfter(context, spec.range![1] - 1, lines)];
	}

	const childColumn = column(text, addon.key.range![0]) + context.unit;
	if (isEmptyValue(addon.value) || (isScalar(addon.value) && addon.value.value === null)) {
		const removeValue: Splice[] =
			isScalar(addon.value) && addon.value.range && addon.value.range[0] !== addon.value.range[1]
				? [{start: colonAfter(text, addon.key), end: addon.value.range[1], text: ''}]
				: [];
		return [...removeValue, insertLinesAfter(context, endOfCommentsUnder(text, addon.key), pathLines(context, childColumn, newPaths))];
	}

	if (!isMap(addon.value)) {
		return 'spec.addonPackage is not a mapping';
	}

	const map = addon.value;
	const pathPair = findPair(map, 'path');
	if (pathPair) {
		return editPathValue(context, pathPair, newPaths, Boolean(map.flow));
	}

	if (map.flow || !map.items[0] || !isScalar(map.items[0].key)) {
		return 'spec.addonPackage is a one-line {…} mapping without a path';
	}

	return [insertLinesAfter(context, map.range![1] - 1, pathLines(context, column(text, map.items[0].key.range![0]), newPaths))];
}

/** The indentation step the file uses (spec's children against spec), 2 when it cannot be told. */
function indentUnit(text: string, specKey: Scalar, spec: YAMLMap): number {
	const first = spec.items[0]?.key;
	const step = isScalar(first) && first.range ? column(text, first.range[0]) - column(text, specKey.range![0]) : 0;
	return step > 0 ? step : 2;
}

/**
 * The text with `spec.addonPackage.path` set to `newPaths`, changing nothing else. `document` is
 * `text` parsed (yaml's parseDocument, which keeps source ranges).
 */
export function editAddonPaths(text: string, document: Document, newPaths: string[]): PathEditResult {
	if (newPaths.length === 0) {
		return {refused: 'no path to write'};
	}

	const root = document.contents;
	const specPair = isMap(root) ? findPair(root, 'spec') : undefined;
	const spec = specPair?.value;
	if (!specPair || !isMap(spec) || spec.flow || !spec.range) {
		return {refused: 'spec: is not a block mapping'};
	}

	const context: Context = {text, eol: text.includes('\r\n') ? '\r\n' : '\n', unit: indentUnit(text, specPair.key, spec)};
	const splices = editAddonPackage(context, spec, newPaths);
	if (typeof splices === 'string') {
		return {refused: splices};
	}

	let result = text;
	for (const splice of splices.sort((a, b) => b.start - a.start || b.end - a.end)) {
		result = result.slice(0, splice.start) + splice.text + result.slice(splice.end);
	}

	return {text: result};
}
