// The Status document mapped from the internal run record (its schema is status.ts): apart from
// the schema so that `status`, text or JSON, prints it without loading zod.
import type {FailureKind} from '../../domain/run/run-events.js';
import type {LockHolder} from '../../domain/run/lock-holder.js';
import type {RunFacts} from '../../domain/run/run-facts.js';
import type {RunRecord} from '../../workflow/ports/run-record-port.js';
import {recordedExitCode} from '../../workflow/run/outcome-exit-code.js';
import {envelope} from './envelope-fields.js';
import {runIdOf} from './run-id.js';
import type {StatusDocument} from './status.js';
import type {StatusOutcome} from './status-outcomes.js';

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
