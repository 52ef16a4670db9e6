// What the workflow asks of the cluster's registry and chart repository. The adapters in
// `source/adapters/registry-port.ts` implement it; tests pass fakes. Every call returns a value
// or a `RegistryAccessError` (cause and next step), never throws for the registry's answers.
import type {WizardError} from '../../domain/shared/wizard-error.js';
import type {RegistryLocation} from '../../domain/registry/location.js';
import type {RegistrySnapshot} from '../../domain/plan/registry-review.js';
import type {ChartIndex, ReadTarget, RegistryAccessError} from '../../domain/registry/tag-state.js';

/**
 * How far a read got. `connectingTo` is said once, before the first answer: a registry that drops
 * packets keeps the wizard waiting for the connect timeout, and the screen names whom it waits for.
 */
export type RegistryReadProgress = {done: number; total: number; elapsedMs: number; connectingTo?: string};

export type RegistryRead = RegistrySnapshot;

export type ChartIndexRead = {charts: ChartIndex; bytes: number; url: string};

export type SpaceCreation = {name: string; outcome: 'created' | 'exists'};

export type RegistryPort = {
	/** Where the registry and chart repository are, and why (for Review; no passwords). */
	readonly location: RegistryLocation;
	/**
	 * Reads what the registry holds at each target tag, and which registry spaces exist.
	 * Targets in a Harbor project that does not exist are reported absent without a request.
	 * Give targets their images (`readTargetsOf(pushes)`) to read only what the diff needs.
	 */
	readRegistryState(
		targets: ReadTarget[],
		options?: {signal?: AbortSignal; onProgress?: (progress: RegistryReadProgress) => void},
	): Promise<RegistryRead | RegistryAccessError | WizardError>;
	readChartIndex(options?: {signal?: AbortSignal}): Promise<ChartIndexRead | RegistryAccessError | WizardError>;
	/** Creates Harbor projects; 409 counts as done. One refusal stops and is returned with the names done before it. */
	createSpaces(
		names: string[],
		options?: {signal?: AbortSignal},
	): Promise<{created: SpaceCreation[]; error?: RegistryAccessError | WizardError}>;
	close(): Promise<void>;
};
