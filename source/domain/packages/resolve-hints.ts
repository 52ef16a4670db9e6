// charts-syncer hints (`.relok8s-images.yaml`, shipped as hints.yaml) are Go templates over the
// chart's values, e.g. `{{ .image.registry }}/{{ .image.repository }}:{{ .image.tag }}`.
import {parse} from 'yaml';

type Values = Record<string, unknown>;

/**
 * The one way package texts are read as YAML. A chart's values come from whoever built the package:
 * an alias bomb (anchors of anchors) stops at a few dozen aliases instead of expanding.
 */
const yamlOptions = {maxAliasCount: 50, merge: true, logLevel: 'error'} as const;

export type YamlRead = {value: unknown; problem?: undefined} | {value?: undefined; problem: string};

export function readYaml(text: string): YamlRead {
	try {
		return {value: parse(text, yamlOptions) as unknown};
	} catch (error) {
		const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
		return {problem: /alias count/i.test(message) ? 'too many YAML aliases (an alias bomb?)' : `not valid YAML (${message})`};
	}
}

function lookup(values: Values, dotted: string): unknown {
	let current: unknown = values;
	for (const key of dotted
		.replace(/^\.?(Values\.)?/, '')
		.split('.')
		.filter(Boolean)) {
		if (typeof current !== 'object' || current === null) {
			return undefined;
		}

		current = (current as Values)[key];
	}

	return current;
}

/** Resolves one template; missing values leave the part empty and the separators tidy. */
export function resolveHint(template: string, values: Values): string | undefined {
	let missing = false;
	const text = template.replaceAll(/{{-?\s*([.\w]+)\s*-?}}/g, (_match, key: string) => {
		const value = lookup(values, key);
		if (value === undefined || value === null || value === '') {
			missing = true;
			return '';
		}

		return String(value);
	});
	const tidy = text
		.replace(/^\/+/, '')
		.replaceAll(/\/{2,}/g, '/')
		.replace(/[:@]$/, '');
	if (tidy === '' || (missing && !tidy.includes('/'))) {
		return undefined;
	}

	return tidy;
}

export type HintsRead = {refs: string[]; problems: string[]};

/** Image references named by a bundle's hints, resolved through its values, and what could not be read. */
export function readHints(hintsText: string | undefined, valuesText: string | undefined): HintsRead {
	const problems: string[] = [];
	const read = (file: string, text: string | undefined): unknown => {
		if (!text) {
			return undefined;
		}

		const result = readYaml(text);
		if (result.problem) {
			problems.push(`${file}: ${result.problem}`);
		}

		return result.value;
	};

	const hints = read('hints.yaml', hintsText);
	const values = read('values.yaml', valuesText);
	if (!Array.isArray(hints)) {
		return {refs: [], problems};
	}

	const usable = typeof values === 'object' && values !== null ? (values as Values) : {};
	const refs = hints
		.filter((item): item is string => typeof item === 'string')
		.map(template => resolveHint(template, usable))
		.filter((ref): ref is string => ref !== undefined);
	return {refs: [...new Set(refs)], problems};
}

/** Image references named by a bundle's hints, resolved through its values. Unparseable input gives none. */
export function resolveHints(hintsText: string | undefined, valuesText: string | undefined): string[] {
	return readHints(hintsText, valuesText).refs;
}
