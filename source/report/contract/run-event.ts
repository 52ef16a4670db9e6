// The RunEvent lines of `run --json` and `attach --json`: one per internal run event, each with
// `event` naming it and only the fields a script reads. The mapper is a table typed over every
// internal event type, so a new event does not compile until its public line is decided here.
import {z} from 'zod';
import type {ChainSuggestion, FailureCause, RunEvent, RunOutcome, StepTally, StepVerification} from '../../domain/run/run-events.js';
import {problemSchema, toPublicProblem} from './common.js';
import {documentSchema, envelope, type apiVersion} from './envelope.js';

const line = <E extends string, S extends z.ZodRawShape>(event: E, shape: S) =>
	documentSchema('RunEvent', {event: z.literal(event), at: z.number(), ...shape});

const failureSchema = problemSchema.extend({
	/** The failure's kind: no-space, registry-unreachable, finished-with-errors, verification-failed, … */
	id: z.string(),
	lastErrors: z.array(z.string()).optional(),
	/** The installer's first error line, when `lastErrors` no longer holds it (a retry loop buried it). */
	firstError: z.string().optional(),
});

const tallySchema = z.object({
	chartsSynced: z.number().int(),
	chartsSkipped: z.number().int(),
	imagesPushed: z.number().int(),
	imagesSkipped: z.number().int(),
});

const nextIntegrationSchema = z.object({
	version: z.string(),
	arch: z.string(),
	kinds: z.array(z.string()),
	fileNames: z.array(z.string()),
	reason: z.string(),
});

const verificationSchema = z.object({
	state: z.enum(['verified', 'failed', 'deferred', 'unreadable', 'skipped']),
	registry: z.string().optional(),
	message: z.string(),
	hint: z.string().optional(),
	checkedImages: z.number().int().optional(),
	missing: z.number().int().optional(),
	lostArch: z.number().int().optional(),
	/** Arches the step's tags carry after it. */
	tagArches: z.array(z.string()).optional(),
	/** The integrations the registry asks for next (the other arch after a <0.12.0 upgrade). */
	next: z.array(nextIntegrationSchema).optional(),
});

const outcomeSchema = z.object({
	ok: z.boolean(),
	/** 1-based, as `--from-step` takes it. */
	failedStep: z.number().int().optional(),
	interrupted: z.boolean(),
	withErrors: z.boolean(),
	verificationFailed: z.boolean(),
	unverified: z.boolean(),
	error: problemSchema.optional(),
});

export const runEventSchemas = [
	line('run-start', {logPath: z.string(), steps: z.array(z.object({id: z.string(), title: z.string()}))}),
	line('config-written', {path: z.string(), backupPath: z.string(), stepId: z.string().optional()}),
	line('step-start', {stepId: z.string(), argv: z.array(z.string()), cwd: z.string(), pid: z.number().int().optional()}),
	line('output', {stepId: z.string(), stream: z.enum(['stdout', 'stderr']), line: z.string()}),
	line('output-skipped', {stepId: z.string(), count: z.number().int()}),
	line('progress', {
		stepId: z.string(),
		unpackedBytes: z.number(),
		expectedBytes: z.number(),
		chartsSeen: z.number().int(),
		expectedCharts: z.number().int(),
		imagesSeen: z.number().int(),
		expectedImages: z.number().int(),
	}),
	line('disk', {samples: z.array(z.object({path: z.string(), freeBytes: z.number(), level: z.enum(['ok', 'low', 'critical'])}))}),
	line('silent', {stepId: z.string(), since: z.number()}),
	line('lingering', {
		stepId: z.string(),
		leaderPid: z.number().int(),
		exitCode: z.number().int().optional(),
		processes: z.array(z.object({pid: z.number().int(), command: z.string()})),
	}),
	line('step-end', {
		stepId: z.string(),
		verdict: z.enum(['done', 'errors', 'failed', 'unverified']),
		exitCode: z.number().int().optional(),
		signal: z.string().optional(),
		failure: failureSchema.optional(),
		tally: tallySchema.optional(),
	}),
	line('verify-start', {stepId: z.string(), phase: z.enum(['before', 'after']), registry: z.string(), tags: z.number().int()}),
	line('verify-progress', {stepId: z.string(), phase: z.enum(['before', 'after']), done: z.number().int(), total: z.number().int()}),
	line('step-verified', {stepId: z.string(), verification: verificationSchema}),
	line('cleanup', {path: z.string(), freedBytes: z.number()}),
	line('config-restored', {path: z.string(), backupPath: z.string(), replacedCopyPath: z.string()}),
	line('config-restore-refused', {path: z.string(), backupPath: z.string(), error: problemSchema}),
	line('run-error', {error: problemSchema}),
	line('run-end', {outcome: outcomeSchema}),
	/** Not an installer event: after a run whose registry asks for another arch, the command that integrates it. */
	line('next-step', {integrate: nextIntegrationSchema, found: z.array(z.string()), missing: z.array(z.string()), command: z.string()}),
] as const;

export const runEventDocumentSchema = z.discriminatedUnion('event', runEventSchemas);
export type RunEventDocument = z.infer<typeof runEventDocumentSchema>;

type PublicLine<E extends RunEventDocument['event']> = Omit<Extract<RunEventDocument, {event: E}>, 'apiVersion' | 'kind' | 'event' | 'at'>;
/** Every internal event has its public line: a new event type fails to compile here until it does. */
const everyEventHasALine: [Exclude<RunEvent['type'], RunEventDocument['event']>] extends [never] ? true : false = true;
void everyEventHasALine;

type Mappers = {[T in RunEvent['type']]: (event: Extract<RunEvent, {type: T}>) => PublicLine<T>};

const publicFailure = (failure: FailureCause): z.infer<typeof failureSchema> => ({
	id: failure.kind,
	message: failure.message,
	hint: failure.hint,
	lastErrors: 'lastErrors' in failure ? failure.lastErrors : undefined,
	...(failure.firstError ? {firstError: failure.firstError.line} : {}),
});

const publicTally = (tally: StepTally): z.infer<typeof tallySchema> => ({
	chartsSynced: tally.charts.synced.length,
	chartsSkipped: tally.charts.skipped.length,
	imagesPushed: tally.images.pushed.length,
	imagesSkipped: tally.images.skipped.length,
});

export const publicIntegration = (suggestion: ChainSuggestion): z.infer<typeof nextIntegrationSchema> => ({
	version: suggestion.version,
	arch: suggestion.arch,
	kinds: suggestion.kinds,
	fileNames: suggestion.fileNames,
	reason: suggestion.reason,
});

function publicVerification(verification: StepVerification): z.infer<typeof verificationSchema> {
	switch (verification.state) {
		case 'verified':
		case 'failed':
		case 'deferred': {
			const {result} = verification;
			return {
				state: verification.state,
				registry: verification.registry,
				message: result.message,
				hint: result.hint || undefined,
				checkedImages: result.checkedImages,
				missing: result.missing.count,
				lostArch: result.lostArch.count,
				tagArches: verification.tagArches,
				next: verification.chain.map(item => publicIntegration(item)),
			};
		}

		case 'unreadable': {
			return {state: 'unreadable', registry: verification.registry, message: verification.error.message, hint: verification.error.hint};
		}

		case 'skipped': {
			return {state: 'skipped', message: verification.reason};
		}
	}
}

const publicOutcome = (outcome: RunOutcome): z.infer<typeof outcomeSchema> => ({
	ok: outcome.ok,
	failedStep: outcome.failedStepIndex === undefined ? undefined : outcome.failedStepIndex + 1,
	interrupted: outcome.interrupted === true,
	withErrors: outcome.withErrors === true,
	verificationFailed: outcome.verificationFailed === true,
	unverified: outcome.unverified === true,
	error: outcome.error ? toPublicProblem(outcome.error) : undefined,
});

/** A step-end without a status (a failure the verdict table never saw) is failed, without a failure done. */
const verdictOf = (event: Extract<RunEvent, {type: 'step-end'}>) => event.status ?? (event.failure ? 'failed' : 'done');

const mappers: Mappers = {
	'run-start': event => ({logPath: event.logPath, steps: event.steps.map(step => ({id: step.id, title: step.title}))}),
	'config-written': event => ({path: event.path, backupPath: event.backupPath, stepId: event.stepId}),
	'step-start': event => ({stepId: event.stepId, argv: event.argv, cwd: event.cwd, pid: event.pid}),
	output: event => ({stepId: event.stepId, stream: event.stream, line: event.line}),
	'output-skipped': event => ({stepId: event.stepId, count: event.count}),
	progress: ({stepId, progress}) => ({
		stepId,
		unpackedBytes: progress.unpackedBytes,
		expectedBytes: progress.expectedBytes,
		chartsSeen: progress.chartsSeen,
		expectedCharts: progress.expectedCharts,
		imagesSeen: progress.imagesSeen,
		expectedImages: progress.expectedImages,
	}),
	disk: event => ({samples: event.samples.map(sample => ({path: sample.path, freeBytes: sample.freeBytes, level: sample.level}))}),
	silent: event => ({stepId: event.stepId, since: event.since}),
	lingering: event => ({
		stepId: event.stepId,
		leaderPid: event.leaderPid,
		exitCode: event.exitCode,
		processes: event.processes.map(item => ({pid: item.pid, command: item.command})),
	}),
	'step-end': event => ({
		stepId: event.stepId,
		verdict: verdictOf(event),
		exitCode: event.exitCode,
		signal: event.signal,
		failure: event.failure ? publicFailure(event.failure) : undefined,
		tally: event.tally ? publicTally(event.tally) : undefined,
	}),
	'verify-start': event => ({stepId: event.stepId, phase: event.phase, registry: event.registry, tags: event.tags}),
	'verify-progress': event => ({stepId: event.stepId, phase: event.phase, done: event.done, total: event.total}),
	'step-verified': event => ({stepId: event.stepId, verification: publicVerification(event.verification)}),
	cleanup: event => ({path: event.path, freedBytes: event.freedBytes}),
	'config-restored': event => ({path: event.path, backupPath: event.backupPath, replacedCopyPath: event.replacedCopyPath}),
	'config-restore-refused': event => ({path: event.path, backupPath: event.backupPath, error: toPublicProblem(event.error)}),
	'run-error': event => ({error: toPublicProblem(event.error)}),
	'run-end': event => ({outcome: publicOutcome(event.outcome)}),
};

type Envelope = {apiVersion: typeof apiVersion; kind: 'RunEvent'};

/** The RunEvent line of one internal run event. */
export function toPublicRunEvent(event: RunEvent): RunEventDocument {
	const map = mappers[event.type] as (event: RunEvent) => object;
	return envelope('RunEvent', {event: event.type, at: event.at, ...map(event)}) as Envelope & RunEventDocument;
}

/** The `next-step` line: the integration the registry asks for after the run, and the command that does it. */
export function toPublicNextStep(
	at: number,
	suggestion: ChainSuggestion,
	found: string[],
	missing: string[],
	command: string,
): Extract<RunEventDocument, {event: 'next-step'}> {
	return envelope('RunEvent', {event: 'next-step' as const, at, integrate: publicIntegration(suggestion), found, missing, command});
}
