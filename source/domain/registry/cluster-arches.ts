// Which architectures the cluster runs now, and where that was learned: the operator's
// --cluster-arches, the live registry, the wizard's own record of the runs it made, or
// clusterConfig.yaml. Integration never changes the config, so the config alone says
// "amd64" of a cluster that `import -addon` made multi-arch: the registry and the history are
// asked first, and the answer always names its source.
import {normalizeArch} from '../packages/package-name.js';

export type ArchSource = 'flag' | 'registry' | 'history' | 'config';

/**
 * One finished step as the run history records it (`HistoryEntry` in workflow/ports-history.ts
 * fits): what it imported or integrated, and how the installer ended.
 */
export type RecordedStep = {
	at: number;
	stepKind: 'cluster-create' | 'import-addon';
	packages: Array<{fileName: string; version?: string; kind?: string; arch?: string}>;
	outcome: string;
};

export type HistorySummary = {
	entries: number;
	/** Arches of every step that ended ok: the cluster has nodes of each. */
	arches: string[];
	/** The last cluster-create that ended ok, with the arches integrated into it since. */
	current?: {versions: string[]; arches: string[]; at: number};
	lastAt?: number;
};

const sorted = (items: Iterable<string>) => [...new Set(items)].filter(Boolean).sort();

/** What the wizard's own runs say about the cluster, oldest entry first. */
export function summarizeHistory(entries: RecordedStep[]): HistorySummary {
	const ok = entries.filter(entry => entry.outcome === 'ok');
	const archesOf = (items: RecordedStep[]) =>
		sorted(items.flatMap(entry => entry.packages.map(item => (item.arch ? normalizeArch(item.arch) : ''))));
	let lastCreate = -1;
	for (const [index, entry] of ok.entries()) {
		lastCreate = entry.stepKind === 'cluster-create' ? index : lastCreate;
	}

	const current =
		lastCreate < 0
			? undefined
			: {
					versions: sorted(ok[lastCreate]!.packages.map(item => item.version ?? '')),
					arches: archesOf(ok.slice(lastCreate).filter(entry => entry.stepKind === 'import-addon' || entry === ok[lastCreate])),
					at: ok[lastCreate]!.at,
				};
	return {entries: entries.length, arches: archesOf(ok), current, lastAt: entries.at(-1)?.at};
}

export type ClusterArches = {
	arches: string[];
	/** Where they come from, the deciding source first. */
	sources: ArchSource[];
	/** One sentence: which source said what. */
	detail: string;
	/** True only when the live registry was read. */
	checked: boolean;
};

export type ClusterArchInputs = {
	/** `--cluster-arches`: wins over everything. */
	flag: string[];
	/** What the registry shows across the tags read, most tags first; undefined when it was not read. */
	/** `unreadable` of `targets` tags could not be read (neither shown nor absent). */
	registry?: {arches: Array<{arch: string; tags: number}>; tagsRead: number; unreadable?: number; targets?: number};
	history?: HistorySummary;
	/** Arches the entries of spec.addonPackage.path name. */
	config: string[];
};

function registryWords(registry: NonNullable<ClusterArchInputs['registry']>): string {
	const counts = registry.arches.map(item => `${item.arch} in ${item.tags}`).join(', ');
	return `the registry shows ${counts} of the ${registry.tagsRead} tag${registry.tagsRead === 1 ? '' : 's'} read`;
}

/** The registry showed no arch: "holds none" only when every tag was read, else how many were not. */
function nothingReadWords(unreadable: number, targets: number): string {
	if (unreadable === 0) {
		return 'the registry holds none of these images yet';
	}

	return unreadable >= targets
		? `the registry's ${unreadable === 1 ? 'tag' : `${unreadable} tags`} of these images could not be read`
		: `${unreadable} of the registry's ${targets} tags of these images could not be read and the others hold none yet`;
}

const historyWords = (added: string[]) => `the wizard's history of this cluster adds ${added.join(', ')} (integrated by an earlier run)`;

export function clusterArchesNow(inputs: ClusterArchInputs): ClusterArches {
	const flag = sorted(inputs.flag.map(arch => normalizeArch(arch)));
	const config = sorted(inputs.config);
	const recorded = inputs.history?.arches ?? [];
	const checked = inputs.registry !== undefined;
	if (flag.length > 0) {
		const seen = inputs.registry && inputs.registry.arches.length > 0 ? `; ${registryWords(inputs.registry)}` : '';
		return {arches: flag, sources: ['flag'], detail: `--cluster-arches ${flag.join(',')} was given${seen}`, checked};
	}

	const fromRegistry = sorted((inputs.registry?.arches ?? []).map(item => item.arch));
	if (fromRegistry.length > 0) {
		const added = recorded.filter(arch => !fromRegistry.includes(arch));
		return {
			arches: sorted([...fromRegistry, ...added]),
			sources: added.length > 0 ? ['registry', 'history'] : ['registry'],
			detail: `${registryWords(inputs.registry!)}${added.length > 0 ? `; ${historyWords(added)}` : ''}`,
			checked,
		};
	}

	const nothingThere = checked ? nothingReadWords(inputs.registry!.unreadable ?? 0, inputs.registry!.targets ?? 0) : undefined;
	if (recorded.length > 0) {
		const added = config.filter(arch => !recorded.includes(arch));
		const said = `the wizard's history of this cluster shows ${recorded.join(', ')}`;
		return {
			arches: sorted([...recorded, ...added]),
			sources: added.length > 0 ? ['history', 'config'] : ['history'],
			detail: [nothingThere, said, added.length > 0 ? `clusterConfig.yaml adds ${added.join(', ')}` : undefined].filter(Boolean).join('; '),
			checked,
		};
	}

	const named =
		config.length > 0 ? `clusterConfig.yaml's addonPackage.path names ${config.join(', ')}` : 'clusterConfig.yaml names no package yet';
	return {arches: config, sources: ['config'], detail: [nothingThere, named].filter(Boolean).join('; '), checked};
}
