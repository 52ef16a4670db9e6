// What a run and `undo` ask of the registry to save tags before a step and put them back: small on
// purpose, beside the big RegistryPort. Every call answers with a value or a WizardError (cause and
// next step); nothing throws for the registry's answers.
import type {WizardError} from '../../domain/shared/wizard-error.js';
import type {ReadTarget, TargetTag} from '../../domain/registry/tag-state.js';
import type {SavedManifest, StepSnapshot} from '../../domain/registry/tag-snapshot.js';
import type {TagNow} from '../../domain/registry/undo-plan.js';
import type {KnownArches} from '../../domain/registry/known-arches.js';

export type SnapshotPort = {
	/** The registry's URL, for the snapshot and the words. */
	readonly registry: string;
	/** The path prefix images are pushed under (the plan's targets need it). */
	readonly pathPrefix: string;
	/** Each tag's manifest as stored, or absent. A registry that cannot be used is an error for all. */
	save(targets: ReadTarget[], signal?: AbortSignal): Promise<Array<SavedManifest | 'absent'> | WizardError>;
	/** HEAD of each tag: its digest now. */
	digests(targets: TargetTag[], signal?: AbortSignal): Promise<TagNow[] | WizardError>;
	close(): Promise<void>;
};

export type DeleteOutcome = {deleted: true} | {deleted: false; reason: string};

export type RestorePort = SnapshotPort & {
	/**
	 * Each tag now, with the arches it carries (a GET per tag, as costly to the registry as a
	 * HEAD); a single image's config blob is fetched only when `known` cannot tell its arch, each
	 * config once per repository. An arch that cannot be read is left out, never guessed.
	 */
	readNow(targets: TargetTag[], known: KnownArches, signal?: AbortSignal): Promise<TagNow[] | WizardError>;
	/** The references (manifests by digest, blobs) the repository no longer has. */
	missing(repository: string, references: SavedManifest['references'], signal?: AbortSignal): Promise<string[] | WizardError>;
	/** PUT the saved bytes with their media type; answers the digest the registry says it stored. */
	put(target: TargetTag, manifest: SavedManifest, signal?: AbortSignal): Promise<{digest: string} | WizardError>;
	/** Removes a tag the step added (`digest` is what it holds), where the registry allows deletes. */
	remove(target: TargetTag, digest: string, signal?: AbortSignal): Promise<DeleteOutcome | WizardError>;
	/** Removes a chart version from the chart repository (ChartMuseum's API), where it allows. */
	removeChart(name: string, version: string, signal?: AbortSignal): Promise<DeleteOutcome | WizardError>;
};

/** Where snapshots are kept: one file per step of a run, beside the run record in the state folder. */
export type SnapshotFiles = {
	write(snapshot: StepSnapshot, logPath: string): Promise<{path: string; bytes: number}>;
	/** The run's saved steps, by step index; an unreadable file is an error, never half used. */
	read(runId: string): Promise<StepSnapshot[] | WizardError>;
	/** Which runs have snapshots (ids), to say in history whether undo is available. */
	fileOf(runId: string, stepIndex: number): string;
};
