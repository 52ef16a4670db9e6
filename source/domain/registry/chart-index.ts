// Reads a Helm repository's index.yaml a chunk at a time into chart name → versions, holding one
// chart's entries at a time: an index can be tens of MB, and parsed whole it would take several
// times that in memory. Helm, ChartMuseum and Harbor all write it with Go's YAML encoder:
// `entries:` at column 0, one key per chart at a fixed indent, everything of that chart indented
// deeper. Each chart's block is parsed with `yaml` on its own; an index in any other layout (JSON,
// flow style) is parsed whole, which the caller's byte cap keeps bounded.
import {parse} from 'yaml';
import type {ChartIndex} from './tag-state.js';

/** `parsedBlocks`: charts whose block needed the YAML parser (the rest were read line by line). */
export type ChartIndexResult =
	{ok: true; charts: ChartIndex; layout: 'streamed' | 'whole'; parsedBlocks: number} | {ok: false; reason: string};

type Mapping = Record<string, unknown>;
const isMapping = (value: unknown): value is Mapping => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Versions from one `name: [entries]` pair; the failsafe schema keeps `1.10` a string, not the number 1.1. */
function versionsOf(entries: unknown): string[] {
	if (!Array.isArray(entries)) {
		return [];
	}

	return entries.flatMap(entry => (isMapping(entry) && typeof entry['version'] === 'string' ? [entry['version']] : []));
}

function chartsOfDocument(document: unknown, into: ChartIndex): string | undefined {
	if (!isMapping(document)) {
		return 'index.yaml is not a YAML mapping';
	}

	const entries = document['entries'];
	if (entries === undefined || entries === null || entries === '') {
		return undefined;
	}

	if (!isMapping(entries)) {
		return "index.yaml's entries is not a mapping";
	}

	for (const [name, list] of Object.entries(entries)) {
		into.set(name, [...(into.get(name) ?? []), ...versionsOf(list)]);
	}

	return undefined;
}

const plainKey = /^([A-Za-z\d][\w.-]*):\s*$/;
const safeScalar = /^(?:[\w.+-]+|"([^"\\]*)"|'([^']*)')$/;
const fieldLine = /^([A-Za-z][\w-]*):(?: (.*))?$/;

/**
 * The fast path for one chart's block in the layout Go writes: the chart key at `indent`, each
 * entry a `- key: value` line at `indent`, the entry's own keys at `indent + 2`; a line there
 * cannot belong to anything deeper (YAML continuation and block-scalar lines sit further in). The
 * version of every entry is read from its own `version:` line when that value is a plain or
 * quoted scalar of safe characters. Anything else (an entry without one, two in one entry, an
 * entry that is not a mapping, a value with anchors, comments or escapes) returns undefined, and
 * the block is parsed with `yaml` instead.
 */
function versionsByLines(block: string[], indent: number): {name: string; versions: string[]} | undefined {
	const name = plainKey.exec(block[0]!.slice(indent))?.[1];
	if (!name) {
		return undefined;
	}

	const versions: Array<string | undefined> = [];
	for (const line of block.slice(1)) {
		const text = line.trimStart();
		const at = line.length - text.length;
		if (text === '' || text.startsWith('#') || at > indent + 2 || (at === indent + 2 && /^-(?: |$)/.test(text))) {
			// Deeper content, and the items of a nested list (Go does not indent them under their key).
			continue;
		}

		const field = at === indent ? /^- ([A-Za-z][\w-]*):(?: (.*))?$/.exec(text) : at === indent + 2 ? fieldLine.exec(text) : null;
		if (!field) {
			return undefined;
		}

		if (at === indent) {
			versions.push(undefined);
		}

		if (field[1] === 'version') {
			const value = safeScalar.exec((field[2] ?? '').trim());
			if (!value || versions.length === 0 || versions.at(-1) !== undefined) {
				return undefined;
			}

			versions[versions.length - 1] = value[1] ?? value[2] ?? value[0];
		}
	}

	// No entry at `indent` but content below: sequences indented under their key, another layout.
	const hasContent = block.slice(1).some(line => line.trim() !== '' && !line.trimStart().startsWith('#'));
	return versions.every(version => version !== undefined) && (versions.length > 0 || !hasContent)
		? {name, versions: versions as string[]}
		: undefined;
}

const entriesLine = /^entries:\s*(?:#.*)?$/;
const emptyEntriesLine = /^entries:\s*(?:\{\s*\}|\[\s*\]|null|~)?\s*(?:#.*)?$/;

type ReaderState = 'preamble' | 'entries' | 'after' | 'whole';

/**
 * The most text held at once (one chart's block, or an index in another layout parsed whole):
 * beyond it the YAML parser alone would take several times as much, so the index is not read.
 */
export const defaultMaxHeld = 16 * 1_048_576;

export class ChartIndexReader {
	readonly #charts: ChartIndex = new Map();
	#partial = '';
	#state: ReaderState = 'preamble';
	/** Indent of the chart-name keys, learned from the first one. */
	#indent = -1;
	#block: string[] = [];
	#blockStart = 0;
	#line = 0;
	#whole: string[] = [];
	#error: string | undefined;
	#parsedBlocks = 0;
	/** Characters in `#whole` or `#block`, against `maxHeld`. */
	#held = 0;
	readonly #maxHeld: number;

	constructor(maxHeld = defaultMaxHeld) {
		this.#maxHeld = maxHeld;
	}

	push(chunk: string): void {
		if (this.#error) {
			return;
		}

		if (this.#state === 'whole') {
			this.#hold(chunk.length);
			this.#whole.push(chunk);
			return;
		}

		const lines = (this.#partial + chunk).split('\n');
		this.#partial = lines.pop() ?? '';

		for (const [index, line] of lines.entries()) {
			this.#take(line.endsWith('\r') ? line.slice(0, -1) : line);
			this.#hold(this.#state === 'after' ? -this.#held : line.length + 1);
			if (this.#error) {
				return;
			}

			if (this.#in('whole')) {
				// The rest of this chunk, in order, before any later chunk.
				this.#whole.push(...lines.slice(index + 1).map(rest => `${rest}\n`), this.#partial);
				this.#partial = '';
				return;
			}
		}

		if (this.#partial.length > this.#maxHeld) {
			// One line with no end in sight.
			this.#hold(this.#partial.length);
		}
	}

	end(): ChartIndexResult {
		if (this.#state !== 'whole' && !this.#error) {
			this.#take(this.#partial);
			this.#partial = '';
			if (this.#in('entries')) {
				this.#flush();
			}
		}

		if (this.#state === 'whole' && !this.#error) {
			this.#parseWhole();
		}

		return this.#error
			? {ok: false, reason: this.#error}
			: {ok: true, charts: this.#charts, layout: this.#state === 'whole' ? 'whole' : 'streamed', parsedBlocks: this.#parsedBlocks};
	}

	/** Counts text held (a negative count releases it); past the cap the index is not read. */
	#hold(chars: number): void {
		this.#held = Math.max(0, this.#held + chars);
		if (this.#held > this.#maxHeld && !this.#error) {
			this.#error = `index.yaml line ${this.#blockStart || this.#line}: one piece larger than ${Math.round(this.#maxHeld / 1_048_576)} MB (a chart's entries, or an index not in the layout Helm writes); not read`;
			this.#whole = [];
			this.#block = [];
			this.#partial = '';
		}
	}

	/** Reads the state afresh: `#take` changes it behind TypeScript's narrowing. */
	#in(state: ReaderState): boolean {
		return this.#state === state;
	}

	#take(line: string): void {
		this.#line++;
		if (this.#state === 'preamble') {
			this.#takePreamble(line);
		} else if (this.#state === 'entries') {
			this.#takeEntry(line);
		}
	}

	#takePreamble(line: string): void {
		const trimmed = line.trim();
		this.#whole.push(line, '\n');
		if (trimmed === '' || trimmed.startsWith('#') || trimmed === '---') {
			return;
		}

		if (!/^[A-Za-z_"']/.test(line)) {
			// JSON (`{`), a flow mapping or an indented root: not the layout Go writes.
			this.#state = 'whole';
		} else if (entriesLine.test(line)) {
			this.#state = 'entries';
			this.#whole = [];
			this.#held = 0;
		} else if (line.startsWith('entries:')) {
			this.#state = emptyEntriesLine.test(line) ? 'after' : 'whole';
			if (this.#state === 'after') {
				this.#whole = [];
			}
		}
	}

	#takeEntry(line: string): void {
		if (line.trim() === '' || line.trimStart().startsWith('#')) {
			this.#block.push(line);
			return;
		}

		const indent = line.length - line.trimStart().length;
		if (indent === 0) {
			this.#flush();
			this.#state = 'after';
			return;
		}

		if (this.#indent === -1) {
			if (line.trimStart().startsWith('-')) {
				this.#error = `index.yaml line ${this.#line}: entries is not a mapping of chart names`;
				return;
			}

			this.#indent = indent;
		}

		const startsChart = indent === this.#indent && !line.trimStart().startsWith('-');
		if (startsChart) {
			this.#flush();
			this.#blockStart = this.#line;
		}

		this.#block.push(line);
	}

	#flush(): void {
		this.#held = 0;
		if (this.#block.every(line => line.trim() === '')) {
			this.#block = [];
			return;
		}

		const fast = versionsByLines(this.#block, this.#indent);
		if (fast) {
			this.#charts.set(fast.name, [...(this.#charts.get(fast.name) ?? []), ...fast.versions]);
			this.#block = [];
			return;
		}

		this.#parsedBlocks++;
		try {
			const document: unknown = parse(this.#block.join('\n'), {schema: 'failsafe'});
			this.#block = [];
			const problem = chartsOfDocument({entries: document}, this.#charts);
			if (problem) {
				this.#error = `index.yaml line ${this.#blockStart}: ${problem}`;
			}
		} catch (error) {
			this.#error = `index.yaml line ${this.#blockStart}: ${(error as Error).message.split('\n')[0]}`;
		}
	}

	#parseWhole(): void {
		try {
			this.#error = chartsOfDocument(parse(this.#whole.join(''), {schema: 'failsafe'}), this.#charts);
		} catch (error) {
			this.#error = `index.yaml: ${(error as Error).message.split('\n')[0]}`;
		}

		this.#whole = [];
	}
}

/** Convenience for a whole text already in memory (tests, small indexes). */
export function readChartIndex(text: string): ChartIndexResult {
	const reader = new ChartIndexReader();
	reader.push(text);
	return reader.end();
}
