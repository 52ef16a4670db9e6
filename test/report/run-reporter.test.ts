// What `addon-wizard run --yes` prints: every line for a script, a readable stream for a person.
import {describe, expect, it} from 'vitest';
import type {RunEvent} from '../../source/domain/model.js';
import {classifyFailure} from '../../source/domain/installer-output.js';
import {wordNextStep} from '../../source/domain/next-step.js';
import {createJsonReporter, createPlainReporter} from '../../source/report/run-reporter.js';

function capture() {
	let text = '';
	return {io: {stdout: (chunk: string) => {
		text += chunk;
	}, stderr: () => undefined}, text: () => text};
}

const output = (line: string, at: number): RunEvent => ({type: 'output', at, stepId: 'cluster-create', stream: 'stdout', line});

describe('plain run reporter', () => {
	it('prints every installer line when no rate is set (output captured by a script)', () => {
		const sink = capture();
		const reporter = createPlainReporter(sink.io);
		for (let index = 0; index < 5000; index++) {
			reporter.report(output(`line ${index}`, 1000));
		}

		reporter.flush();
		expect(sink.text().split('\n').filter(Boolean)).toHaveLength(5000);
	});

	it('shows at most the given lines per second in a terminal and says how many more are in the log', () => {
		const sink = capture();
		const reporter = createPlainReporter(sink.io, {linesPerSecond: 3});
		for (let index = 0; index < 10; index++) {
			reporter.report(output(`flood ${index}`, 5000 + index));
		}

		reporter.report(output('next second', 6100));
		reporter.report({type: 'step-end', at: 6200, stepId: 'cluster-create', exitCode: 0});
		reporter.flush();
		expect(sink.text().split('\n').filter(Boolean)).toEqual([
			'flood 0',
			'flood 1',
			'flood 2',
			'addon-wizard: … 7 more installer lines (all in the log)',
			'next second',
			'addon-wizard: step cluster-create done',
		]);
	});

	it('names the lines held back when the step ends within the same second', () => {
		const sink = capture();
		const reporter = createPlainReporter(sink.io, {linesPerSecond: 1});
		reporter.report(output('a', 0));
		reporter.report(output('b', 10));
		reporter.report({type: 'step-end', at: 20, stepId: 'cluster-create', exitCode: 1, failure: {kind: 'unknown', message: 'It failed.', hint: 'Read the log.', lastErrors: []}});
		reporter.flush();
		expect(sink.text()).toBe('a\naddon-wizard: … 1 more installer line (all in the log)\naddon-wizard: step cluster-create failed: It failed.\n  next: Read the log.\n');
	});
});

describe('JSON run reporter', () => {
	it('writes one parseable event per line, every output line included', () => {
		const sink = capture();
		const reporter = createJsonReporter(sink.io);
		for (let index = 0; index < 1000; index++) {
			reporter.report(output(`line ${index}`, index));
		}

		reporter.flush();
		const events = sink.text().trim().split('\n').map(line => JSON.parse(line) as RunEvent);
		expect(events).toHaveLength(1000);
		expect(events[999]).toMatchObject({type: 'output', line: 'line 999'});
	});
});

describe('failure hints without screens', () => {
	it('names the flag that does what r does, for every cause whose hint names a key', () => {
		const exits = [
			['[Error]:[Error] failed to unpack addon package: mkdir /w/addon-offline-target-package: file exists'],
			['[Error]:[Error] failed to unpack addon package: write /w/x: no space left on device'],
			['Error: failed to push image a: unauthorized: project not found, name: kpanda'],
			['[Error]:[Error] something nobody has seen before'],
		].map(errorLines => classifyFailure({exitCode: 1, installerPath: '/root/dce5-installer', cwd: '/w', errorLines}));
		for (const failure of exits) {
			const hint = wordNextStep(failure, 'plain');
			expect(hint).not.toMatch(/press [rl]/i);
			expect(hint).toContain('--cleanup');
		}

		expect(wordNextStep(exits[0]!, 'plain')).toBe('Run again with --cleanup to remove it and retry (same as rm -rf addon-offline-target-package).');
		// The screens word the same step with the key that does it.
		expect(wordNextStep(exits[0]!, 'screen')).toBe('Press r to remove it and retry (same as rm -rf addon-offline-target-package).');
	});

	it('is what a scripted run prints after a failed step', () => {
		const sink = capture();
		const reporter = createPlainReporter(sink.io);
		reporter.report({type: 'step-end', at: 1, stepId: 'cluster-create', exitCode: 1, failure: classifyFailure({exitCode: 1, installerPath: '/root/dce5-installer', cwd: '/w', errorLines: ['[Error]:[Error] failed to unpack addon package: write /w/x: no space left on device']})});
		reporter.flush();
		expect(sink.text()).toContain('next: Free space on that filesystem (or use --workdir on a bigger one), then run again with --cleanup to clean up and retry.');
	});
});

