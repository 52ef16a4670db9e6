// ESLint rules that keep the layers: `layer-imports` checks every import against the allowlist in
// layers.js; `no-import-cycle` follows relative imports (type-only ones too) through source/ and
// reports any that lead back to the file.
import {existsSync, readFileSync} from 'node:fs';
import {builtinModules} from 'node:module';
import path from 'node:path';
import {domainCapabilityOrder, entries, layers} from './layers.js';

const root = path.resolve(import.meta.dirname, '..');
const builtins = new Set(builtinModules);

/** `source/domain/registry/tag-state.ts` → {layer: 'domain', capability: 'registry'}. */
function placeOf(file) {
	const parts = path.relative(root, file).split(path.sep);
	if (parts[0] !== 'source' || parts.length < 3) {
		return undefined;
	}

	return {layer: parts[1], capability: parts.length > 3 ? parts[2] : undefined, rest: parts.slice(2).join('/')};
}

/** A relative specifier as the file it names (`./x.js` is `./x.ts` or `./x.tsx` on disk). */
function resolveRelative(from, specifier) {
	const base = path.resolve(path.dirname(from), specifier);
	const stem = base.replace(/\.(js|mjs|jsx)$/, '');
	return [`${stem}.ts`, `${stem}.tsx`, base].find(candidate => existsSync(candidate));
}

function npmName(specifier) {
	const parts = specifier.split('/');
	return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function sourcesOf(node) {
	if (
		(node.type === 'ImportDeclaration' ||
			node.type === 'ExportNamedDeclaration' ||
			node.type === 'ExportAllDeclaration' ||
			node.type === 'ImportExpression') &&
		node.source?.type === 'Literal'
	) {
		return node.source;
	}

	return undefined;
}

/** Why `specifier` may not be imported from `file`, or undefined when it may. */
function refusal(file, specifier) {
	const relativeFile = path.relative(root, file).split(path.sep).join('/');
	const from = placeOf(file);
	const allowed = from ? layers[from.layer] : entries[relativeFile];
	if (!allowed) {
		return undefined;
	}

	const where = from ? `source/${from.layer}/` : relativeFile;
	if (specifier.startsWith('.')) {
		const target = resolveRelative(file, specifier);
		const to = target && placeOf(target);
		if (!to) {
			return target ? `${where} imports nothing outside source/.` : undefined;
		}

		const targetPath = `${to.layer}/${to.rest}`;
		if (!allowed.source.some(prefix => targetPath === prefix || targetPath.startsWith(`${prefix}/`))) {
			return `${where} may import ${allowed.source.map(name => `${name}/`).join(', ')} only, not ${to.layer}/ (lint/layers.js).`;
		}

		if (from?.layer === 'domain' && to.layer === 'domain' && from.capability && to.capability && from.capability !== to.capability) {
			const mine = domainCapabilityOrder.indexOf(from.capability);
			const theirs = domainCapabilityOrder.indexOf(to.capability);
			if (mine === -1 || theirs === -1 || theirs > mine) {
				return `domain/${from.capability}/ may not import domain/${to.capability}/: capabilities depend in the order ${domainCapabilityOrder.join(' < ')} (lint/layers.js).`;
			}
		}

		return undefined;
	}

	const bare = specifier.replace(/^node:/, '');
	if (specifier.startsWith('node:') || builtins.has(bare)) {
		const name = bare.split('/')[0];
		return allowed.node === true || allowed.node.includes(name)
			? undefined
			: `${where} may not import node:${bare}: ${from ? 'it does no I/O; put this behind a port in source/adapters and inject it' : 'it only hands over to source/app'} (lint/layers.js).`;
	}

	const name = npmName(specifier);
	return allowed.npm.includes(name)
		? undefined
		: `${where} may not import the npm package "${name}" (lint/layers.js lists what each layer may use).`;
}

const layerImports = {
	meta: {type: 'problem', docs: {description: 'Imports follow the layer allowlist in lint/layers.js.'}, schema: []},
	create(context) {
		const check = node => {
			const source = sourcesOf(node);
			const why = source && typeof source.value === 'string' ? refusal(context.filename, source.value) : undefined;
			if (why) {
				context.report({node: source, message: why});
			}
		};

		return {ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check};
	},
};

// The import graph of source/, read once per lint process: every file's relative imports.
const graph = new Map();
const importPattern = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

function importsOf(file) {
	let targets = graph.get(file);
	if (!targets) {
		const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
		targets = [...text.matchAll(importPattern)].map(match => resolveRelative(file, match[1])).filter(Boolean);
		graph.set(file, targets);
	}

	return targets;
}

/** The shortest chain of imports from `start` back to `file`, or undefined. */
function cycleThrough(file, start) {
	const previous = new Map([[start, undefined]]);
	const queue = [start];
	while (queue.length > 0) {
		const current = queue.shift();
		if (current === file) {
			const chain = [];
			for (let at = current; at !== undefined; at = previous.get(at)) {
				chain.unshift(path.relative(root, at));
			}

			return chain;
		}

		for (const next of importsOf(current)) {
			if (!previous.has(next)) {
				previous.set(next, current);
				queue.push(next);
			}
		}
	}

	return undefined;
}

const noImportCycle = {
	meta: {type: 'problem', docs: {description: 'No import circle through source/, type-only imports included.'}, schema: []},
	create(context) {
		const file = context.filename;
		const check = node => {
			const source = sourcesOf(node);
			if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) {
				return;
			}

			const target = resolveRelative(file, source.value);
			const chain = target && placeOf(target) ? cycleThrough(file, target) : undefined;
			if (chain) {
				context.report({
					node: source,
					message: `Import circle: ${path.relative(root, file)} → ${chain.join(' → ')}. Move what both need into the capability they share.`,
				});
			}
		};

		return {ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check};
	},
};

export default {meta: {name: 'addon-wizard'}, rules: {'layer-imports': layerImports, 'no-import-cycle': noImportCycle}};
