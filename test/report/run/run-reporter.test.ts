// What `addon-wizard run --yes` prints: every line for a script, a readable stream for a person.
import {describe, expect, it} from 'vitest';
import type {RunEvent} from '../../../source/domain/run/run-events.js';
import {classifyFailure} from '../../../source/domain/run/installer-output.js';
import {wordNextStep} from '../../../source/domain/shared/next-step.js';
import {runEventDocumentSchema} from '../../../source/report/contract/run-event.js';
import {createJsonReporter, createPlainReporter} from '../../../source/report/run/run-reporter.js';

function capture() {
	let text = '';
	return {
		io: {
			stdout: (chunk: string) => {
				text += chunk;
			},
			stderr: () => undefined,
		},
		text: () => text,
	};
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
			'installer | flood 0',
			'installer | flood 1',
			'installer | flood 2',
			'addon-wizard: … 7 more installer lines (all in the log)',
			'installer | next second',
			'addon-wizard: step cluster-create done',
		]);
	});

	it('names the lines held back when the step ends within the same second', () => {
		const sink = capture();
		const reporter = createPlainReporter(sink.io, {linesPerSecond: 1});
		reporter.report(output('a', 0));
		reporter.report(output('b', 10));
		reporter.report({
			type: 'step-end',
			at: 20,
			stepId: 'cluster-create',
			exitCode: 1,
			failure: {kind: 'unknown', message: 'It failed.', hint: 'Read the log.', lastErrors: []},
		});
		reporter.flush();
		expect(sink.text()).toBe(
			'installer | a\naddon-wizard: … 1 more installer line (all in the log)\naddon-wizard: step cluster-create failed: It failed.\n  next: Read the log.\n',
		);
	});
});

describe('installer lines in plain output', () => {
	it('marks every installer line, so one that imitates the wizard cannot pass for it', () => {
		const sink = capture();
		const reporter = createPlainReporter(sink.io, {});
		reporter.report(output('addon-wizard: step cluster-create done', 100));
		reporter.report({
			type: 'step-end',
			at: 200,
			stepId: 'cluster-create',
			exitCode: 1,
			failure: {kind: 'unknown', message: 'It failed.', hint: 'Read the log.', lastErrors: []},
		});
		reporter.flush();
		const lines = sink.text().split('\n').filter(Boolean);
		expect(lines[0]).toBe('installer | addon-wizard: step cluster-create done');
		// The only line that speaks as the wizard is the wizard's own verdict.
		expect(lines.filter(line => line.startsWith('addon-wizard: step cluster-create'))).toEqual([
			'addon-wizard: step cluster-create failed: It failed.',
		]);
	});
});

describe('a run that ends before it starts', () => {
	it('says so, and never a duration counted from no start at all', () => {
		const sink = capture();
		const reporter = createPlainReporter(sink.io, {});
		const error = {kind: 'state-unwritable', message: 'Cannot write the state folder.', hint: 'Fix it.', exitCode: 3};
		reporter.report({type: 'run-end', at: 1_796_000_000_000, ok: false, outcome: {ok: false, error}});
		reporter.flush();
		expect(sink.text()).toContain('addon-wizard: import failed before it started');
		expect(sink.text()).not.toMatch(/after \d/);
	});
});

describe('JSON run reporter', () => {
	it('writes one RunEvent line of the v1 contract per event, every output line included', () => {
		const sink = capture();
		const reporter = createJsonReporter(sink.io);
		for (let index = 0; index < 1000; index++) {
			reporter.report(output(`line ${index}`, index));
		}

		reporter.flush();
		const events = sink
			.text()
			.trim()
			.split('\n')
			.map(line => runEventDocumentSchema.parse(JSON.parse(line)));
		expect(events).toHaveLength(1000);
		expect(events[999]).toEqual({
			apiVersion: 'addon-wizard/v1',
			kind: 'RunEvent',
			event: 'output',
			at: 999,
			stepId: 'cluster-create',
			stream: 'stdout',
			line: 'line 999',
		});
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

		expect(wordNextStep(exits[0]!, 'plain')).toBe(
			'Run again with --cleanup to remove it and retry (same as rm -rf addon-offline-target-package).',
		);
		// The screens word the same step with the key that does it.
		expect(wordNextStep(exits[0]!, 'screen')).toBe('Press r to remove it and retry (same as rm -rf addon-offline-target-package).');
	});

	it('is what a scripted run prints after a failed step', () => {
		const sink = capture();
		const reporter = createPlainReporter(sink.io);
		reporter.report({
			type: 'step-end',
			at: 1,
			stepId: 'cluster-create',
			exitCode: 1,
			failure: classifyFailure({
				exitCode: 1,
				installerPath: '/root/dce5-installer',
				cwd: '/w',
				errorLines: ['[Error]:[Error] failed to unpack addon package: write /w/x: no space left on device'],
			}),
		});
		reporter.flush();
		expect(sink.text()).toContain(
			'next: Free space on that filesystem (or use --workdir on a bigger one), then run again with --cleanup to clean up and retry.',
		);
	});
});

describe("what a scripted run says beyond the installer's lines", () => {
	const progress = (at: number, extra: Record<string, number> = {}): RunEvent => ({
		type: 'progress',
		at,
		stepId: 'cluster-create',
		progress: {
			unpackedBytes: 716_800,
			expectedBytes: 624_600,
			chartsSeen: 8,
			expectedCharts: 5,
			imagesSeen: 3,
			expectedImages: 5,
			...extra,
		},
	});

	it('never prints a count above the plan\'s as "8/5"', () => {
		const sink = capture();
		const reporter = createPlainReporter(sink.io);
		reporter.report({type: 'run-start', at: 0, logPath: '/l', steps: []});
		reporter.report(progress(6000));
		reporter.flush();
		expect(sink.text()).toContain(
			'progress: 716.8 KB unpacked (more than the 624.6 KB expected) · charts 8 (5 expected) · images 3/5 · 0:06 elapsed',
		);
		expect(sink.text()).not.toContain('8/5');
	});

	it('says a long silence once, with how long', () => {
		const sink = capture();
		const reporter = createPlainReporter(sink.io);
		reporter.report({type: 'silent', at: 400_000, stepId: 'cluster-create', since: 100_000});
		for (let second = 401; second < 420; second++) {
			reporter.report(progress(second * 1000));
		}

		reporter.flush();
		expect(sink.text().match(/no output from the installer/g)).toHaveLength(1);
		expect(sink.text()).toContain(
			'addon-wizard: no output from the installer for 5:00; it may still be working (a large image, a slow registry). Ctrl+C stops it.',
		);
	});

	it('names processes the installer left running, says when they are gone, and offers the stop after a grace', () => {
		const sink = capture();
		const reporter = createPlainReporter(sink.io);
		reporter.report({
			type: 'lingering',
			at: 1000,
			stepId: 'cluster-create',
			leaderPid: 500,
			exitCode: 0,
			processes: [{pid: 501, command: 'skopeo'}],
		});
		reporter.report(progress(30_000));
		reporter.report(progress(62_000));
		reporter.report(progress(63_000));
		reporter.report({type: 'lingering', at: 64_000, stepId: 'cluster-create', leaderPid: 500, exitCode: 0, processes: []});
		reporter.flush();
		const lines = sink
			.text()
			.split('\n')
			.filter(line => !line.includes('progress:'));
		expect(lines.filter(Boolean)).toEqual([
			'addon-wizard: the installer (pid 500) exited with status 0, but its process group still runs: skopeo (pid 501); following their output until they exit.',
			"addon-wizard: the installer's processes still run 1:01 after it exited; Ctrl+C (or kill -INT -500) stops them and ends the step.",
			"addon-wizard: the installer's remaining processes have exited.",
		]);
	});

	it("ends with the counts (not measured: no read came back; the installer's account labelled as its own), and words a step that finished with errors as such", () => {
		const sink = capture();
		const reporter = createPlainReporter(sink.io);
		reporter.report({type: 'run-start', at: 0, logPath: '/l', steps: []});
		reporter.report({
			type: 'step-end',
			at: 1,
			stepId: 'cluster-create',
			exitCode: 0,
			status: 'errors',
			failure: {
				kind: 'finished-with-errors',
				message: 'The installer exited with status 0 but printed 1 error line.',
				hint: 'Read the log',
				lastErrors: [],
			},
			tally: {arch: 'amd64', charts: {synced: ['a_1'], skipped: ['b_1']}, images: {pushed: ['r/a:1'], skipped: []}, overflow: 0},
		});
		reporter.report({type: 'run-end', at: 2000, ok: false, outcome: {ok: false, failedStepIndex: 0, withErrors: true}});
		reporter.flush();
		expect(sink.text()).toContain(
			'addon-wizard: step cluster-create finished with errors: The installer exited with status 0 but printed 1 error line.',
		);
		expect(sink.text()).toContain('addon-wizard: import finished with errors after 0:02');
		expect(sink.text()).toContain(
			'addon-wizard: Images and charts: not counted, the registry was not read back: the step ended before the registry was read.',
		);
		expect(sink.text()).toContain('addon-wizard: (installer reported: 1 chart synced, 1 chart skipped, 1 image pushed)');
		expect(sink.text()).not.toContain('Charts: 1 chart synced');
	});
});

describe('plain run reporter: the registry read back after a step', () => {
	const verification = {
		state: 'failed' as const,
		registry: 'https://10.6.135.222',
		chain: [],
		tagArches: ['amd64'],
		result: {
			verified: false,
			checkedImages: 7,
			checkedTags: 7,
			missing: {count: 0, first: []},
			different: {count: 0, first: []},
			lostArch: {count: 7, first: ['a', 'b', 'c', 'd', 'e'].map(name => ({key: `release.daocloud.io/kpanda/${name}:v1`, lost: ['arm64']}))},
			lostArchChecked: true,
			lackingClusterArch: {count: 0, first: []},
			unreadable: {count: 0, first: []},
			cause: {
				kind: 'below-0.12-conversion' as const,
				message: 'v0.11.2 is below 0.12.0: its charts-syncer replaced their multi-arch lists with amd64-only images.',
			},
			nextSteps: [],
			message:
				'7 tag(s) lost arm64 (…). v0.11.2 is below 0.12.0: its charts-syncer replaced their multi-arch lists with amd64-only images.',
			hint: 'Integrate the v0.11.2 arm64 package (import -addon) to restore them.',
		},
	};

	it('says n of m tags as it reads (a line a second, and the last), then what is missing with counts, the cause and the next step', () => {
		const sink = capture();
		const reporter = createPlainReporter(sink.io);
		reporter.report({type: 'run-start', at: 0, logPath: '/l', steps: []});
		reporter.report({
			type: 'verify-start',
			at: 1000,
			stepId: 'cluster-create',
			phase: 'after',
			registry: 'https://10.6.135.222',
			tags: 1000,
		});
		for (let done = 100; done <= 1000; done += 100) {
			reporter.report({type: 'verify-progress', at: 1000 + done * 2, stepId: 'cluster-create', phase: 'after', done, total: 1000});
		}

		reporter.report({type: 'step-verified', at: 3000, stepId: 'cluster-create', verification});
		reporter.report({
			type: 'step-end',
			at: 3000,
			stepId: 'cluster-create',
			exitCode: 0,
			status: 'failed',
			failure: {kind: 'verification-failed', message: verification.result.message, hint: verification.result.hint},
		});
		reporter.report({type: 'run-end', at: 3000, ok: false, outcome: {ok: false, failedStepIndex: 0, verificationFailed: true}});
		reporter.flush();
		expect(sink.text().split('\n').filter(Boolean)).toEqual([
			'addon-wizard: running 0 step(s); log: /l',
			'addon-wizard: step cluster-create: verifying against the registry https://10.6.135.222 (1000 tags)…',
			'addon-wizard: verifying 500 of 1000 tags',
			'addon-wizard: verifying 1000 of 1000 tags',
			`addon-wizard: step cluster-create: Not verified against https://10.6.135.222: ${verification.result.message.charAt(0)}${verification.result.message.slice(1)}`,
			'  7 tag(s) lost an arch: release.daocloud.io/kpanda/a:v1 (arm64), release.daocloud.io/kpanda/b:v1 (arm64), release.daocloud.io/kpanda/c:v1 (arm64), release.daocloud.io/kpanda/d:v1 (arm64), release.daocloud.io/kpanda/e:v1 (arm64), and 2 more',
			'  next: Integrate the v0.11.2 arm64 package (import -addon) to restore them.',
			'addon-wizard: step cluster-create is not verified (the installer exited 0; what the registry showed is above)',
			'addon-wizard: import finished, but the registry does not hold what it should after 0:03',
		]);
	});

	it('says "finished, not verified" with the registry\'s cause when it cannot be read, and never "done"', () => {
		const sink = capture();
		const reporter = createPlainReporter(sink.io);
		const error = {
			kind: 'registry-auth',
			message: 'The registry at https://r refused the login (401).',
			hint: 'Check externalImageRepoPassword.',
		};
		reporter.report({type: 'run-start', at: 0, logPath: '/l', steps: []});
		reporter.report({
			type: 'step-verified',
			at: 1,
			stepId: 'cluster-create',
			verification: {state: 'unreadable', registry: 'https://r', error},
		});
		reporter.report({
			type: 'step-end',
			at: 2,
			stepId: 'cluster-create',
			exitCode: 0,
			status: 'unverified',
			failure: {
				kind: 'not-verified',
				cause: 'registry-auth',
				message: 'The installer exited cleanly, but the registry https://r could not be read after the step.',
				hint: 'Check externalImageRepoPassword',
			},
		});
		reporter.report({type: 'run-end', at: 2, ok: false, outcome: {ok: false, failedStepIndex: 0, unverified: true}});
		reporter.flush();
		const lines = sink.text().split('\n').filter(Boolean);
		expect(lines[1]).toBe('addon-wizard: step cluster-create: Finished, not verified: The registry at https://r refused the login (401).');
		expect(lines).toContain('  next: Check externalImageRepoPassword; then addon-wizard verify checks what the step left.');
		expect(lines).toContain(
			'addon-wizard: step cluster-create finished, not verified (the installer exited 0; what the registry showed is above)',
		);
		expect(lines.at(-1)).toMatch(/^addon-wizard: import finished, not verified after /);
		expect(lines.some(line => line.includes('done'))).toBe(false);
	});

	it('says when the registry could not be read before the step, so lost arches could not be told', () => {
		const sink = capture();
		const reporter = createPlainReporter(sink.io);
		const result = {
			...verification.result,
			verified: true,
			lostArch: {count: 0, first: []},
			lostArchChecked: false,
			cause: undefined,
			message: 'All 7 images of the v0.12.1 amd64 package are in the registry; tags carry amd64.',
			hint: '',
		};
		reporter.report({
			type: 'step-verified',
			at: 1,
			stepId: 'cluster-create',
			verification: {
				...verification,
				state: 'verified',
				result,
				beforeError: 'Cannot reach the registry at https://r: connection refused (ECONNREFUSED).',
			},
		});
		reporter.flush();
		expect(sink.text().split('\n').filter(Boolean)).toEqual([
			'addon-wizard: step cluster-create: Verified against https://10.6.135.222: all 7 images of the v0.12.1 amd64 package are in the registry; tags carry amd64.',
			'  The registry could not be read before the step (Cannot reach the registry at https://r: connection refused (ECONNREFUSED)), so tags that lost an arch could not be told.',
		]);
	});
});

describe("plain run reporter: one line for each of the run's own events", () => {
	it('words the start, the config written, each step, skipped lines, the disk, the clean-up, a restore, a refused restore and a run error', () => {
		const sink = capture();
		const reporter = createPlainReporter(sink.io);
		const error = {kind: 'config-changed', message: 'clusterConfig.yaml changed since the plan.', hint: 'Plan again.', exitCode: 3};
		const events: RunEvent[] = [
			{
				type: 'run-start',
				at: 0,
				logPath: '/l/run.log',
				steps: [
					{id: 'step-1', title: 'One', argv: []},
					{id: 'step-2', title: 'Two', argv: []},
				],
			},
			{type: 'config-written', at: 1, path: '/c.yaml', backupPath: '/c.yaml.bak'},
			{type: 'verify-start', at: 2, stepId: 'step-1', phase: 'before', registry: 'r:5000', tags: 1},
			{type: 'verify-progress', at: 3, stepId: 'step-1', phase: 'before', done: 1, total: 1},
			{type: 'step-start', at: 4, stepId: 'step-1', argv: ['/root/dce5-installer', 'import'], cwd: '/w', pid: 42},
			{type: 'output-skipped', at: 5, stepId: 'step-1', count: 1},
			{type: 'output-skipped', at: 5, stepId: 'step-1', count: 3},
			{type: 'disk', at: 6, samples: [{path: '/w', freeBytes: 5e9, level: 'low'}]},
			{type: 'disk', at: 7, samples: [{path: '/w', freeBytes: 4e9, level: 'low'}]},
			{type: 'disk', at: 8, samples: [{path: '/w', freeBytes: 1e8, level: 'critical'}]},
			{type: 'step-end', at: 9, stepId: 'step-1', exitCode: 0, status: 'done'},
			{type: 'cleanup', at: 10, path: '/w/addon-offline-target-package', freedBytes: 12e9},
			{type: 'step-start', at: 11, stepId: 'step-2', argv: [], cwd: '/w'},
			{type: 'config-restored', at: 12, path: '/c.yaml', backupPath: '/c.yaml.bak', replacedCopyPath: '/c.yaml.run'},
			{type: 'config-restore-refused', at: 13, path: '/c.yaml', backupPath: '/c.yaml.bak', error},
			{type: 'run-error', at: 14, error},
		];
		for (const event of events) {
			reporter.report(event);
		}

		reporter.flush();
		expect(sink.text().split('\n').filter(Boolean)).toEqual([
			'addon-wizard: running 2 step(s); log: /l/run.log',
			'addon-wizard: wrote /c.yaml (backup: /c.yaml.bak)',
			'addon-wizard: step step-1: reading what the registry r:5000 holds before the step (1 tag)…',
			'addon-wizard: read 1 of 1 tags',
			'addon-wizard: step step-1: ["/root/dce5-installer","import"] (in /w, pid 42)',
			'addon-wizard: … 1 earlier installer line not repeated (all in the log)',
			'addon-wizard: … 3 earlier installer lines not repeated (all in the log)',
			'addon-wizard: WARNING: only 5.00 GB free on /w',
			'addon-wizard: WARNING: only 100.0 MB free on /w (below the floor; Ctrl+C twice stops the installer)',
			'addon-wizard: step step-1 done',
			'addon-wizard: removed /w/addon-offline-target-package (12.0 GB freed)',
			'addon-wizard: step step-2: [] (in /w, pid ?)',
			'addon-wizard: put /c.yaml back from /c.yaml.bak; what the run had written is kept as /c.yaml.run',
			'addon-wizard: did not put /c.yaml back: clusterConfig.yaml changed since the plan.',
			'  next: Plan again.',
			'addon-wizard: clusterConfig.yaml changed since the plan.',
			'  next: Plan again.',
		]);
	});

	it("names a deferred step's later step by its number and id", () => {
		const sink = capture();
		const reporter = createPlainReporter(sink.io);
		const result = {
			verified: false,
			message: 'Tags lost arm64.',
			hint: '',
			checkedImages: 1,
			checkedTags: 1,
			missing: {count: 0, first: []},
			different: {count: 0, first: []},
			unreadable: {count: 0, first: []},
			lostArch: {count: 1, first: [{key: 'r/a:1', lost: ['arm64']}]},
			lostArchChecked: true,
			lackingClusterArch: {count: 0, first: []},
			nextSteps: [],
		};
		reporter.report({
			type: 'run-start',
			at: 0,
			logPath: '/l',
			steps: [
				{id: 'amd', title: 'A', argv: []},
				{id: 'arm', title: 'B', argv: []},
			],
		});
		reporter.report({
			type: 'step-verified',
			at: 1,
			stepId: 'amd',
			verification: {state: 'deferred', laterStepId: 'arm', registry: 'r', result, chain: [], tagArches: []},
		});
		reporter.flush();
		expect(sink.text()).toContain('step 2 (arm)');
	});
});
