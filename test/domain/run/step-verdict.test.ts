// When a step counts as done: an installer that exits 0 after printing errors did not simply
// succeed, and one that leaves its helpers running is not over until they are.
import {describe, expect, it} from 'vitest';
import {exitCodes} from '../../../source/domain/shared/wizard-error.js';
import {wordNextStep} from '../../../source/domain/shared/next-step.js';
import {lingerDecision, stepVerdict} from '../../../source/domain/run/step-verdict.js';
import {outcomeExitCode, recordedExitCode} from '../../../source/workflow/run/outcome-exit-code.js';

const base = {installerPath: '/root/dce5-installer', cwd: '/root/work', errorLines: [] as string[]};

describe('stepVerdict', () => {
	it('exit 0 and no error line: done', () => {
		expect(stepVerdict({exit: {...base, exitCode: 0}})).toEqual({status: 'done'});
	});

	it('exit 0 after [Error] lines: finished with errors, never done, with the lines', () => {
		const lines = ['[Error]:[Error] sync chart insight failed', '[Error]:[Error] import addon failed'];
		const verdict = stepVerdict({exit: {...base, exitCode: 0, errorLines: lines}});
		expect(verdict.status).toBe('errors');
		expect(verdict.failure).toMatchObject({kind: 'finished-with-errors', lastErrors: lines});
		expect(verdict.failure?.message).toBe('The installer exited with status 0 but printed 2 error lines. The import may be incomplete.');
	});

	it('exit 0 after GNU tar ran out of space: finished with errors, saying it is likely the disk', () => {
		const verdict = stepVerdict({
			exit: {
				...base,
				exitCode: 0,
				errorLines: ['tar: /root/work/addon-offline-target-package/a.bundle.tar: Cannot write: No space left on device'],
			},
		});
		expect(verdict).toMatchObject({status: 'errors', failure: {kind: 'finished-with-errors', likely: 'no-space'}});
		expect(verdict.failure?.message).toContain(
			'No space left on device while writing /root/work/addon-offline-target-package/a.bundle.tar',
		);
		expect(wordNextStep(verdict.failure!, 'screen')).toContain('press r');
	});

	it('a non-zero exit is failed, classified as before', () => {
		expect(
			stepVerdict({exit: {...base, exitCode: 1, errorLines: ['[Error]:[Error] failed to unpack addon package: unexpected EOF']}}),
		).toMatchObject({status: 'failed', failure: {kind: 'package-damaged'}});
	});

	it('exit 0 but its leftover processes had to be stopped: failed, naming them', () => {
		const verdict = stepVerdict({exit: {...base, exitCode: 0, stoppedBy: 'user'}, stoppedLingering: [{pid: 42, command: 'skopeo'}]});
		expect(verdict).toMatchObject({status: 'failed', failure: {kind: 'killed'}});
		expect(verdict.failure?.message).toContain('skopeo (pid 42)');
	});

	it('a failing check after a clean exit fails the step (where the registry verification goes)', () => {
		const failure = {kind: 'unknown' as const, message: 'The registry lacks 2 tags.', hint: 'Push them again', lastErrors: []};
		expect(stepVerdict({exit: {...base, exitCode: 0}, checks: [{name: 'ok'}, {name: 'registry', failure}]})).toEqual({
			status: 'failed',
			failure,
		});
	});

	it('a check that could not be made after a clean exit: finished, not verified, never done', () => {
		const failure = {
			kind: 'not-verified' as const,
			message: 'The registry could not be read.',
			hint: 'Check it',
			cause: 'registry-unreachable',
		};
		expect(stepVerdict({exit: {...base, exitCode: 0}, checks: [{name: 'registry', failure, unverified: true}]})).toEqual({
			status: 'unverified',
			failure,
		});
		// What is known wrong is said before what could not be checked.
		const wrong = {kind: 'verification-failed' as const, message: 'Tags lost arm64.', hint: 'Integrate arm64'};
		expect(
			stepVerdict({
				exit: {...base, exitCode: 0},
				checks: [
					{name: 'a', failure, unverified: true},
					{name: 'b', failure: wrong},
				],
			}),
		).toEqual({status: 'failed', failure: wrong});
		// The installer's own failure outweighs both.
		expect(stepVerdict({exit: {...base, exitCode: 1}, checks: [{name: 'registry', failure, unverified: true}]}).status).toBe('failed');
	});
});

describe('lingerDecision', () => {
	it('is over when the group is empty; waits for the grace; then offers the stop; a stop asked for stops', () => {
		expect(lingerDecision({remaining: 0, sinceMs: 0, graceMs: 60_000, stopRequested: false})).toBe('over');
		expect(lingerDecision({remaining: 2, sinceMs: 5000, graceMs: 60_000, stopRequested: false})).toBe('wait');
		expect(lingerDecision({remaining: 2, sinceMs: 60_000, graceMs: 60_000, stopRequested: false})).toBe('offer-stop');
		expect(lingerDecision({remaining: 2, sinceMs: 1, graceMs: 60_000, stopRequested: true})).toBe('stop');
	});
});

describe('the exit code of a run that finished with errors', () => {
	it('is its own (5), apart from failure (4), success (0) and a stop (130)', () => {
		expect(exitCodes.finishedWithErrors).toBe(5);
		expect(outcomeExitCode({ok: false, failedStepIndex: 0, withErrors: true})).toBe(5);
		expect(outcomeExitCode({ok: false, failedStepIndex: 0})).toBe(4);
		expect(outcomeExitCode({ok: true})).toBe(0);
	});

	it('a verification that failed is 6, one that could not be made 7; an installer failure stays 4', () => {
		expect(outcomeExitCode({ok: false, failedStepIndex: 0, verificationFailed: true})).toBe(6);
		expect(outcomeExitCode({ok: false, failedStepIndex: 0, unverified: true})).toBe(7);
		expect(recordedExitCode('failed', 'verification-failed')).toBe(6);
		expect(recordedExitCode('failed', 'not-verified')).toBe(7);
		expect(recordedExitCode('failed', 'no-space')).toBe(4);
		expect(recordedExitCode('ok')).toBe(0);
	});
});
