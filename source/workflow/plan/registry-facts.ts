// Gathers what the Registry section of a plan needs, once per plan: the registry's tags and
// spaces (with progress, and cancelled when the operator leaves Review), the chart repository's
// index.yaml, and what the wizard itself recorded of this cluster. Nothing here judges:
// domain/registry-review.ts does, from these facts.
import type {WizardError} from '../../domain/shared/wizard-error.js';
import {plannedPushes, readTargetsOf} from '../../domain/registry/push-diff.js';
import type {RegistryFacts, StepImages} from '../../domain/plan/registry-review.js';
import {isWizardError} from '../../domain/shared/wizard-error.js';
import type {ClusterIdentity, HistoryEntry, HistoryPort} from '../ports/history-port.js';
import type {RegistryPort, RegistryReadProgress} from '../ports/registry-port.js';

export type RegistryFactsQuery = {
	steps: StepImages[];
	cluster: ClusterIdentity;
	/** Aborted when the operator leaves Review: the read stops, nothing is waited for. */
	signal?: AbortSignal;
	/** "n of m tags", a hundred times at most however many tags there are. */
	onProgress?: (progress: RegistryReadProgress) => void;
};

export type RegistryFactsDeps = {
	/** A port for this one plan (closed once the facts are in), or why there is no registry to read. */
	openRegistry(): RegistryPort | WizardError;
	history?: HistoryPort;
};

export type GatherRegistryFacts = (query: RegistryFactsQuery) => Promise<RegistryFacts>;

/** Reports the first and the last update and at most every hundredth in between, so a screen is never flooded. */
function throttled(report: ((progress: RegistryReadProgress) => void) | undefined): ((progress: RegistryReadProgress) => void) | undefined {
	if (!report) {
		return undefined;
	}

	let last = -1;
	return progress => {
		const step = Math.max(1, Math.floor(progress.total / 100));
		if (progress.done === progress.total || last < 0 || progress.done - last >= step) {
			last = progress.done;
			report(progress);
		}
	};
}

async function readHistory(
	history: HistoryPort | undefined,
	cluster: ClusterIdentity,
): Promise<{history: HistoryEntry[]; historyProblem?: string}> {
	if (!history) {
		return {history: []};
	}

	try {
		return {history: await history.read(cluster)};
	} catch (error) {
		return {
			history: [],
			historyProblem: `the wizard's history could not be read (${error instanceof Error ? error.message : String(error)})`,
		};
	}
}

export async function gatherRegistryFacts(query: RegistryFactsQuery, deps: RegistryFactsDeps): Promise<RegistryFacts> {
	const port = deps.openRegistry();
	if (isWizardError(port)) {
		return {location: port, ...(await readHistory(deps.history, query.cluster))};
	}

	try {
		const endpoint = port.location.registry;
		const pushes = query.steps.flatMap(step => plannedPushes(step.images, endpoint, step.arch));
		const [registry, charts, recorded] = await Promise.all([
			port.readRegistryState(readTargetsOf(pushes), {signal: query.signal, onProgress: throttled(query.onProgress)}),
			port.readChartIndex({signal: query.signal}),
			readHistory(deps.history, query.cluster),
		]);
		return {location: port.location, registry, charts, ...recorded};
	} finally {
		await port.close();
	}
}
