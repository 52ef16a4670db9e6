// What the walk of a package may find wrong inside it, and the caps that keep the walk's memory
// flat whatever the package holds. Every problem names the entry; each kind becomes one finding
// that names the first few and counts the rest, so a package with a thousand broken bundles
// still gives three readable lines.
import type {Finding, FindingCode} from '../../domain/shared/findings.js';

const kib = 1024;
const mib = 1024 * kib;
const gib = 1024 * mib;

/** Caps on what one package may make the walk keep or inflate. Real packages stay far below them. */
export const readCaps = {
	/** hints.yaml, Chart.yaml, values.yaml: kept to be parsed (values with embedded dashboards reach a few MB). */
	text: 8 * mib,
	/** values.yaml files kept per bundle (those beside the shallowest Chart.yaml candidates). */
	valuesPerBundle: 4,
	/** A docker-archive's manifest.json. */
	manifest: 4 * mib,
	/** One image config blob (a few KB in practice). */
	config: mib,
	/** All config-like blobs kept from one images.tar until its manifest.json is read. */
	configsPerArchive: 32 * mib,
	/** Entry names remembered per images.tar (to find what manifest.json names). */
	namesPerArchive: 100_000,
	/** Inflated bytes of one chart `.tgz` (charts are KBs to a few MB). */
	chartArchive: 64 * mib,
	/** Inflated bytes of all chart `.tgz` in one package together. */
	nestedTotal: 2 * gib,
	/** `.tgz` inside `.tgz` (subcharts) deeper than this is not opened. */
	chartNesting: 3,
	/** The package's own gzip: past `outerFloor` unpacked bytes, more than `outerRatio` × what was read is a bomb. */
	outerRatio: 100,
	outerFloor: gib,
} as const;

type ProblemCode = Extract<FindingCode, 'entry-over-cap' | 'images-damaged' | 'entry-damaged'>;

const wording: Record<ProblemCode, {one: string; many: (count: number) => string; hint: string}> = {
	'images-damaged': {
		one: 'Damaged images.tar',
		many: count => `${count} damaged images.tar archives`,
		hint: 'Its images cannot be loaded: copy or download the package again, compare its sha512, and do not import this copy.',
	},
	'entry-damaged': {
		one: 'Damaged entry',
		many: count => `${count} damaged entries`,
		hint: 'Copy or download the package again, compare its sha512, and do not import this copy.',
	},
	'entry-over-cap': {
		one: 'Entry past a read cap',
		many: count => `${count} entries past a read cap`,
		hint: 'A package from the Download Center stays far below these caps: this one is damaged or hostile. Download it again; do not import it.',
	},
};

const shown = 3;

export class WalkProblems {
	private readonly byCode = new Map<ProblemCode, {examples: string[]; count: number}>();

	add(code: ProblemCode, entry: string, detail: string): void {
		const problems = this.byCode.get(code) ?? {examples: [], count: 0};
		this.byCode.set(code, problems);
		problems.count++;
		if (problems.examples.length < shown) {
			problems.examples.push(`${entry}: ${detail}`);
		}
	}

	has(code: ProblemCode): boolean {
		return this.byCode.has(code);
	}

	/** True once anything was found: the package is damaged (or hostile) and is not offered. */
	get damaged(): boolean {
		return this.byCode.size > 0;
	}

	findings(): Finding[] {
		return [...this.byCode].map(([code, {examples, count}]) => {
			const words = wording[code];
			const more = count > examples.length ? `; and ${count - examples.length} more` : '';
			return {
				code,
				severity: 'error',
				message: `${count === 1 ? words.one : words.many(count)}: ${examples.join('; ')}${more}.`,
				hint: words.hint,
				details: {count, entries: examples},
			};
		});
	}
}

export function formatCap(bytes: number): string {
	return bytes >= gib ? `${bytes / gib} GiB` : bytes >= mib ? `${bytes / mib} MiB` : `${bytes / kib} KiB`;
}
