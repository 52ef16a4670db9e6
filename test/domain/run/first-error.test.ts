import {describe, expect, it} from 'vitest';
import {classifyFailure, type StepExit} from '../../../source/domain/run/installer-output.js';
import {stepVerdict} from '../../../source/domain/run/step-verdict.js';

const retries = Array.from(
	{length: 7},
	(_, index) => `Error: failed to push image r/x:1 (attempt ${index + 2}/8): unexpected status code 503`,
);
const exit = (over: Partial<StepExit>): StepExit => ({installerPath: '/i', cwd: '/w', errorLines: [], exitCode: 1, ...over});

describe('the first error of a retry loop', () => {
	it('is quoted beside the last lines when they no longer hold it', () => {
		const first = 'Error: failed to push image r/x:1 (attempt 1/8): Patch "https://r/v2/x/blobs/uploads/": EOF';
		const failure = classifyFailure(exit({errorLines: retries, firstErrorLine: first, errorLineCount: 8}));
		expect(failure.kind).toBe('unknown');
		expect(failure.firstError).toEqual({line: first, ofLines: 8});
	});

	it('is not repeated when the last lines still hold it', () => {
		const failure = classifyFailure(exit({errorLines: retries.slice(0, 3), firstErrorLine: retries[0], errorLineCount: 3}));
		expect(failure.firstError).toBeUndefined();
	});

	it('still names the cause when only the first line says it (a missing Harbor project)', () => {
		const first = 'Error: failed to push image h/p/x:1: unauthorized: project not found, name: p: project not found, name: p';
		const failure = classifyFailure(exit({errorLines: retries, firstErrorLine: first, errorLineCount: 8}));
		expect(failure).toMatchObject({kind: 'registry-space-missing', space: 'p'});
	});

	it('counts every error line of a step that exited 0, not only the ones kept, and quotes its first', () => {
		const kept = Array.from({length: 20}, (_, index) => `[Error]:[Error] retry ${index + 31}`);
		const outcome = stepVerdict({
			exit: exit({exitCode: 0, errorLines: kept, firstErrorLine: '[Error]:[Error] retry 1', errorLineCount: 50}),
		});
		expect(outcome.status).toBe('errors');
		expect(outcome.failure?.message).toContain('printed 50 error lines');
		expect(outcome.failure?.firstError).toEqual({line: '[Error]:[Error] retry 1', ofLines: 50});
	});
});
