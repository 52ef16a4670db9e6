// charts-syncer hints (`.relok8s-images.yaml`, shipped as hints.yaml) are Go templates over the
// chart's values, e.g. `{{ .image.registry }}/{{ .image.repository }}:{{ .image.tag }}`.
import {load} from 'js-yaml';

type Values = Record<string, unknown>;

function lookup(values: Values, dotted: string): unknown {
	let current: unknown = values;
	for (const key of dotted.replace(/^\.?(Values\.)?/, '').split('.').filter(Boolean)) {
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
	const tidy = text.replace(/^\/+/, '').replaceAll(/\/{2,}/g, '/').replace(/[:@]$/, '');
	if (tidy === '' || (missing && !tidy.includes('/'))) {
		return undefined;
	}

	return tidy;
}

function parseYaml(text: string | undefined): unknown {
	if (!text) {
		return undefined;
	}

	try {
		return load(text);
	} catch {
		return undefined;
	}
}

/** Image references named by a bundle's hints, resolved through its values. Unparseable input gives none. */
export function resolveHints(hintsText: string | undefined, valuesText: string | undefined): string[] {
	const hints = parseYaml(hintsText);
	const values = (parseYaml(valuesText) ?? {}) as Values;
	if (!Array.isArray(hints)) {
		return [];
	}

	const refs = hints
		.filter((item): item is string => typeof item === 'string')
		.map(template => resolveHint(template, values))
		.filter((ref): ref is string => ref !== undefined);
	return [...new Set(refs)];
}
