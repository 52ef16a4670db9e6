// The public `Status` document (`addon-wizard status --json`): the active or last run for a
// config, for scripts and Ansible's `async` polling. Its own shape, mapped from the internal run
// record, so a change to the record cannot silently change what a script reads.
import {z} from 'zod';
import type {FailureKind} from '../../domain/run/run-events.js';
import type {LockHolder} from '../../domain/run/lock-holder.js';
import type {RunFacts} from '../../domain/run/run-facts.js';
import type {RunRecord} from '../../workflow/ports/run-record-port.js';
import {recordedExitCode} from '../../workflow/run/outcome-exit-code.js';
import {documentSchema, envelope} from './envelope.js';
import {runIdOf} from './run-id.js';

/**
 * How an ended run ended, in the words of RunResult's `outcome`; `unknown`: the record still says
 * running, but neither the wizard nor its installer lives (killed before it could say).
 */
export const statusOutcomes = [
	'succeeded',
	'failed',
	'finished-with-errors',
	'verification-failed',
	'not-verified',
	'stopped',
	'unknown',
] as const;
export type StatusOutcome = (typeof statusOutcomes)[number];

const isoTime = z.iso.datetime();

export const statusSchema = documentSchema('Status', {
	/** The clusterConfig.yaml the run is for; null when no -c was given and no run is recorded. */
	config: z.string().nullable(),
	/** `running` while the wizard or its installer lives; `ended` once the run has ended; `none`: no run recorded. */
	state: z.enum(['running', 'ended', 'none']),
	/** `<start time, UTC>-<wizard pid>`: one id per run. */
	runId: z.string().optional(),
	/** The step running now, or the last one the run reached; index from 1. */
	step: z
		.object({index: z.number().int().min(1), count: z.number().int().min(1), title: z.string()})
		.strict()
		.optional(),
	outcome: z.enum(statusOutcomes).optional(),
	/** The exit code `run` ended (or ends) with for this outcome. */
	exitCode: z.number().int().optional(),
	/** What the registry read back after the last checked step said; absent when nothing was checked (--no-verify). */
	verified: z.boolean().optional(),
	logPath: z.string().optional(),
	startedAt: isoTime.optional(),
	endedAt: isoTime.optional(),
	/** The wizard's process, and the account it runs as. */
	pid: z.number().int().optional(),
	user: z.string().optional(),
	wizardAlive: z.boolean().optional(),
	installerPid: z.number().int().optional(),
	installerAlive: z.boolean().optional(),
	/** Why fields are missing: another account's run whose record this user cannot read. */
	note: z.string().optional(),
});
export type StatusDocument = z.infer<typeof statusSchema>;

const iso = (at: number | undefined) => (at === undefined ? undefined : new Date(at).toISOString());

/** One id per run: when it started and which wizard started it. */
function outcomeOf(status: 'ok' | 'failed' | 'interrupted', failure: FailureKind | undefined): Exclude<StatusOutcome, 'unknown'> {
	if (status === 'ok') {
		return 'succeeded';
	}

	if (status === 'interrupted') {
		return 'stopped';
	}

	const byKind: Partial<Record<FailureKind, Exclude<StatusOutcome, 'unknown'>>> = {
		'finished-with-errors': 'finished-with-errors',
		'verification-failed': 'verification-failed',
		'not-verified': 'not-verified',
	};
	return (failure && byKind[failure]) || 'failed';
}

const verifiedBy: Record<NonNullable<RunFacts['lastVerification']>, boolean | undefined> = {
	verified: true,
	failed: false,
	// Tags lost an arch that a later step of the plan integrates again: not (yet) what it should be.
	deferred: false,
	unreadable: false,
	skipped: undefined,
};

/** The end as the document says it: a record still `running` whose processes are all gone ended unknown. */
function endOf(record: RunRecord, facts: RunFacts): Pick<StatusDocument, 'state' | 'outcome' | 'exitCode'> {
	if (record.status === 'running') {
		return facts.wizardAlive || facts.installerAlive ? {state: 'running'} : {state: 'ended', outcome: 'unknown'};
	}

	return {
		state: 'ended',
		outcome: outcomeOf(record.status, record.failure?.kind),
		exitCode: recordedExitCode(record.status, record.failure?.kind),
	};
}

/** The Status document of `record` (undefined: no run recorded) for `config`. */
export function statusDocument(config: string | null, record: RunRecord | undefined, facts: RunFacts | undefined): StatusDocument {
	if (!record || !facts) {
		return envelope('Status', {config, state: 'none' as const});
	}

	const stepIndex = record.status === 'failed' && record.failedStepIndex !== undefined ? record.failedStepIndex : record.stepIndex;
	const step = record.plan.steps[stepIndex];
	const verified = facts.lastVerification && verifiedBy[facts.lastVerification];
	return envelope('Status', {
		config: record.configPath,
		...endOf(record, facts),
		runId: runIdOf(record.logPath),
		...(step ? {step: {index: stepIndex + 1, count: record.plan.steps.length, title: step.title}} : {}),
		...(verified === undefined ? {} : {verified}),
		logPath: record.logPath,
		startedAt: iso(record.startedAt)!,
		...(record.endedAt === undefined ? {} : {endedAt: iso(record.endedAt)}),
		pid: record.wizardPid,
		...(facts.user ? {user: facts.user} : {}),
		wizardAlive: facts.wizardAlive,
		...(record.installerPid ? {installerPid: record.installerPid} : {}),
		installerAlive: facts.installerAlive,
	});
}

/**
 * Another account's run, known from its lock alone (its record is that account's to read): what the
 * lock says, and why the step and outcome are missing.
 */
export function heldStatusDocument(holder: LockHolder, cause: string): StatusDocument {
	return envelope('Status', {
		config: holder.configPath,
		state: 'running' as const,
		...(holder.logPath ? {runId: runIdOf(holder.logPath), logPath: holder.logPath} : {}),
		startedAt: iso(holder.since)!,
		pid: holder.pid,
		user: holder.user,
		wizardAlive: true,
		note: `run by ${holder.user}, whose run record this account cannot read (${cause}): step and outcome are not shown; sudo -u ${holder.user} addon-wizard status shows them.`,
	});
}
