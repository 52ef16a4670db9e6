// The RunResult document: how one `run` ended, for scripts and the Ansible role. `run --json` ends
// with exactly one of it, and `--result-file` holds the same. Public and versioned: it is built
// here from the internal facts (the gate's verdict, the folded run events), so a change inside the
// wizard cannot change it by accident; its schema is the contract.
import {z} from 'zod';
import type {PendingChanges} from '../../domain/plan/pending-changes.js';
import type {PlanHazard} from '../../domain/plan/plan-hazards.js';
import {exitCodes} from '../../domain/shared/wizard-error.js';
import {runEndingOf, runEndingWords, stepEndingOf, type RunEnding, type StepEnding} from '../run/outcome-words.js';
import {documentSchema, envelope} from './envelope.js';
import type {RunFacts, StepFacts} from './run-facts.js';
import {runIdOf} from './run-id.js';
import {plural} from '../../domain/shared/plural.js';
import {measureRun} from '../../domain/run/measured-counts.js';
import {summarizeTallies} from '../../domain/run/run-tally.js';
import {notesAfterRun} from '../../domain/run/after-import-notes.js';

export const runResultOutcomes = [
	'succeeded',
	'nothing-to-do',
	'refused',
	'blocked',
	'failed',
	'finished-with-errors',
	'verification-failed',
	'not-verified',
	'stopped',
] as const;
export type RunResultOutcome = (typeof runResultOutcomes)[number];

/** How one step ended; `not-run`: the run ended before it, `skipped`: before `--from-step`. */
export const runResultStepOutcomes = [
	'done',
	'finished-with-errors',
	'verification-failed',
	'not-verified',
	'failed',
	'stopped',
	'not-run',
	'skipped',
] as const;
export type RunResultStepOutcome = (typeof runResultStepOutcomes)[number];

export const runResultSchema = documentSchema('RunResult', {
	outcome: z.enum(runResultOutcomes),
	exitCode: z.number().int().min(0),
	/** True when an installer ran: something may have changed. */
	changed: z.boolean(),
	summary: z.string(),
	/** clusterConfig.yaml the run was for. */
	config: z.string(),
	runId: z.string().optional(),
	logPath: z.string().optional(),
	steps: z.array(
		z.object({
			index: z.number().int().min(1),
			title: z.string(),
			outcome: z.enum(runResultStepOutcomes),
			/** What the registry read after the step said; absent when it was not read (or a later step decides). */
			verified: z.boolean().optional(),
			/** `name@version` of the step's charts the chart repository did not list after it. */
			chartsMissing: z.array(z.string()).optional(),
		}),
	),
	hazards: z.array(z.object({id: z.string(), message: z.string(), accepted: z.boolean()})),
	nextStep: z.string().optional(),
	/**
	 * What the run changed, measured: the registry and the chart repository read before and after
	 * each step. `installerReported` is the installer's own account, from its lines; supporting detail only.
	 */
	counts: z
		.object({
			/** Steps whose registry was read after them, and steps that ended without such a read. */
			measuredSteps: z.number().int(),
			unmeasuredSteps: z.number().int(),
			/** Absent when no step was read back: nothing measured is never said as zero. */
			images: z
				.object({
					pushed: z.number().int(),
					alreadyThere: z.number().int(),
					missing: z.number().int(),
					/** At their tag, but not read before the step: pushed or already there is not known. */
					notToldApart: z.number().int(),
					unread: z.number().int(),
				})
				.optional(),
			/** `name@version` lists; absent when no chart repository was read. */
			charts: z
				.object({
					uploaded: z.array(z.string()),
					alreadyThere: z.array(z.string()),
					missing: z.array(z.string()),
					notToldApart: z.array(z.string()),
				})
				.optional(),
			installerReported: z
				.object({
					chartsSynced: z.number().int(),
					chartsSkipped: z.number().int(),
					imagesPushed: z.number().int(),
					imagesSkipped: z.number().int(),
				})
				.optional(),
		})
		.optional(),
	/** The failed step's installer error lines: the first (a retry loop buries it, and it is often the cause) and the last. */
	installerErrors: z.object({first: z.string(), last: z.string()}).optional(),
	/** What is left to do after a successful import that the wizard cannot do (ids: `sync-chart-repository`). */
	notes: z.array(z.object({id: z.string(), message: z.string()})).optional(),
	/** The id of the error that ended the run (`state-not-writable`, `cleanup-refused`, …), when one did. */
	errorId: z.string().optional(),
});
export type RunResult = z.infer<typeof runResultSchema>;

/** A run that did not start the installer, and why (the unattended gate's verdict, or an error before the run). */
export type NotStarted = {outcome: 'nothing-to-do' | 'refused' | 'blocked'; summary: string};

export type RunResultInput = {
	config: string;
	/** The plan's steps in order; empty when no plan was made. */
	steps: Array<{id: string; title: string}>;
	/** Index of the first step the run was to start at (`--from-step` minus one). */
	fromStep: number;
	pending?: PendingChanges;
	hazards: PlanHazard[];
	exitCode: number;
	/** Set when the installer was never asked to start. */
	notStarted?: NotStarted;
	/** What the run's events said, when it ran. */
	run?: RunFacts;
	nextStep?: string;
};

const outcomeOfEnding: Record<RunEnding, RunResultOutcome> = {
	done: 'succeeded',
	'with-errors': 'finished-with-errors',
	'verification-failed': 'verification-failed',
	unverified: 'not-verified',
	'run-lost': 'failed',
	stopped: 'stopped',
	failed: 'failed',
};

const stepOutcomeOfEnding: Record<StepEnding, RunResultStepOutcome> = {
	done: 'done',
	'with-errors': 'finished-with-errors',
	'verification-failed': 'verification-failed',
	unverified: 'not-verified',
	failed: 'failed',
};

function stepOutcome(facts: StepFacts | undefined, index: number, input: RunResultInput): RunResultStepOutcome {
	if (index < input.fromStep) {
		return 'skipped';
	}

	if (!facts?.started) {
		return 'not-run';
	}

	return facts.end ? stepOutcomeOfEnding[stepEndingOf(facts.end)] : 'stopped';
}

/** The outcome of a run that took place: a run stopped before its first step (a lock held) is `blocked`, as its exit code says. */
function ranOutcome(run: RunFacts, exitCode: number): RunResultOutcome {
	const started = run.steps.some(step => step.started);
	if (!run.outcome) {
		return 'failed';
	}

	return !started && run.outcome.error && exitCode === exitCodes.blocked ? 'blocked' : outcomeOfEnding[runEndingOf(run.outcome)];
}

function ranSummary(run: RunFacts, input: RunResultInput): string {
	if (run.outcome?.error && !run.steps.some(step => step.started)) {
		return run.outcome.error.message;
	}

	const ending = run.outcome ? runEndingWords[runEndingOf(run.outcome)].reported : 'the run ended without saying how';
	const done = run.steps.filter(step => step.end && !step.end.failure).length;
	const planned = input.pending ? ` (planned: ${input.pending.summary})` : '';
	return `${ending}: ${done} of ${plural(input.steps.length, 'step')} done${planned}`;
}

function countsField(run: RunFacts | undefined): Pick<RunResult, 'counts'> {
	const counts = run ? runCounts(run) : undefined;
	return counts ? {counts} : {};
}

/** The counts of the steps that ran: measured, then the installer's own account. */
function runCounts(run: RunFacts): NonNullable<RunResult['counts']> | undefined {
	const ended = run.steps.filter(step => step.end || step.verification);
	if (ended.length === 0) {
		return undefined;
	}

	const measured = measureRun(ended.map(step => step.verification));
	const tallies = ended.flatMap(step => (step.tally ? [step.tally] : []));
	const told = tallies.length > 0 ? summarizeTallies(tallies) : undefined;
	if (measured.measuredSteps === 0 && !told) {
		return undefined;
	}

	const {pushed, alreadyThere, missing, notToldApart, unread} = measured.images;
	return {
		measuredSteps: measured.measuredSteps,
		unmeasuredSteps: measured.unmeasured.length,
		...(measured.measuredSteps > 0 ? {images: {pushed, alreadyThere, missing, notToldApart, unread}} : {}),
		...(measured.charts ? {charts: measured.charts} : {}),
		...(told
			? {
					installerReported: {
						chartsSynced: told.charts.synced,
						chartsSkipped: told.charts.skipped,
						imagesPushed: told.images.tags,
						imagesSkipped: told.images.skipped,
					},
				}
			: {}),
	};
}

/** The chart versions a step's read-back did not find, when there are any. */
function chartsMissingField(facts: StepFacts | undefined): {chartsMissing?: string[]} {
	const verification = facts?.verification;
	const counted = verification && 'counts' in verification ? verification.counts?.charts?.missing : undefined;
	return counted && counted.length > 0 ? {chartsMissing: counted} : {};
}

function notesField(run: RunFacts): Pick<RunResult, 'notes'> {
	const notes = notesAfterRun(run.outcome);
	return notes.length > 0 ? {notes} : {};
}

/** The first and last error lines of the step that failed, when its installer printed any. */
function installerErrors(run: RunFacts | undefined): Pick<RunResult, 'installerErrors'> {
	const failure = run?.steps.find(step => step.end?.failure)?.end?.failure;
	if (!failure || !('lastErrors' in failure) || failure.lastErrors.length === 0) {
		return {};
	}

	return {installerErrors: {first: failure.firstError?.line ?? failure.lastErrors[0]!, last: failure.lastErrors.at(-1)!}};
}

/** The run id is the run log's name: one log per run, named by its start to the millisecond. */

export function buildRunResult(input: RunResultInput): RunResult {
	const {run, notStarted} = input;
	const outcome = notStarted?.outcome ?? (run ? ranOutcome(run, input.exitCode) : 'failed');
	const summary = notStarted?.summary ?? (run ? ranSummary(run, input) : 'the run did not start');
	const byId = new Map((run?.steps ?? []).map(step => [step.stepId, step]));
	return envelope('RunResult', {
		outcome,
		exitCode: input.exitCode,
		changed: run?.steps.some(step => step.started) ?? false,
		summary,
		config: input.config,
		...(run?.logPath ? {runId: runIdOf(run.logPath), logPath: run.logPath} : {}),
		steps: input.steps.map((step, index) => {
			const facts = byId.get(step.id);
			return {
				index: index + 1,
				title: step.title,
				outcome: stepOutcome(facts, index, input),
				...(facts?.verified === undefined ? {} : {verified: facts.verified}),
				...chartsMissingField(facts),
			};
		}),
		hazards: input.hazards.map(hazard => ({id: hazard.id, message: hazard.message, accepted: hazard.accepted})),
		...(input.nextStep ? {nextStep: input.nextStep} : {}),
		...countsField(run),
		...installerErrors(run),
		...(notStarted || !run ? {} : notesField(run)),
		...(run?.outcome?.error ? {errorId: run.outcome.error.kind} : {}),
	});
}
