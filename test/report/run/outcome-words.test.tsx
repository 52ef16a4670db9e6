// One wording of how a run ended, said alike by every surface: the plain reporter's last line, the
// Result screen's headline and `attach` on a run that is over. The words are pinned as each surface
// has always shown them.
import {Box} from 'ink';
import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import type {Services} from '../../../source/app/commands/services.js';
import {runAttachCommand} from '../../../source/app/commands/attach-command.js';
import type {Options} from '../../../source/app/options.js';
import type {FailureCause, RunEvent, RunOutcome} from '../../../source/domain/run/run-events.js';
import {recordedEndingOf, runEndingOf, stepEndingOf, type RunEnding} from '../../../source/report/run/outcome-words.js';
import {createPlainReporter} from '../../../source/report/run/run-reporter.js';
import {unicodeGlyphs} from '../../../source/ui/glyphs.js';
import {resultRows} from '../../../source/ui/screens/ResultScreen.js';
import type {RunRecord} from '../../../source/workflow/ports/run-record-port.js';
import {initialWizardState, wizardReducer} from '../../../source/workflow/wizard/wizard-reducer.js';
import {makePlan} from '../../helpers/fake-ports.js';

const plan = makePlan();
const cause = (kind: FailureCause['kind']) =>
	({kind, message: 'Why.', hint: 'Fix it.', lastErrors: [], cause: 'registry-auth'}) as FailureCause;
const runLost = {kind: 'run-lost', message: 'Lost.', hint: 'See the log.', exitCode: 4};

type Case = {
	ending: RunEnding;
	outcome: RunOutcome;
	failure?: FailureCause;
	record?: Pick<RunRecord, 'status' | 'failure'>;
	reported: string;
	headline: string;
	recorded?: string;
};

const cases: Case[] = [
	{
		ending: 'done',
		outcome: {ok: true},
		record: {status: 'ok'},
		reported: 'import finished',
		headline: '✔ Done in 2:05: 2 steps from 0 packages.',
		recorded: 'ok',
	},
	{
		ending: 'with-errors',
		outcome: {ok: false, failedStepIndex: 1, withErrors: true},
		failure: cause('finished-with-errors'),
		record: {status: 'failed', failure: cause('finished-with-errors')},
		reported: 'import finished with errors',
		headline:
			'⚠ Finished with errors after 2:05 at step 2 of 2: the installer exited 0 but printed errors. Do not count on this import until they are understood.',
		recorded: 'failed',
	},
	{
		ending: 'verification-failed',
		outcome: {ok: false, failedStepIndex: 1, verificationFailed: true},
		failure: cause('verification-failed'),
		record: {status: 'failed', failure: cause('verification-failed')},
		reported: 'import finished, but the registry does not hold what it should',
		headline:
			'✘ Not verified after 2:05 at step 2 of 2: the installer exited cleanly, but the registry does not hold what the step should have left.',
		recorded: 'not verified (the registry does not hold what the step should have left)',
	},
	{
		ending: 'unverified',
		outcome: {ok: false, failedStepIndex: 1, unverified: true},
		failure: cause('not-verified'),
		record: {status: 'failed', failure: cause('not-verified')},
		reported: 'import finished, not verified',
		headline:
			'⚠ Finished, not verified after 2:05 at step 2 of 2: the registry could not be read after the step, so what it left is not known.',
		recorded: 'finished, not verified',
	},
	{
		ending: 'run-lost',
		outcome: {ok: false, error: runLost},
		reported: 'import ended, outcome unknown',
		headline: '⚠ The run ended after 2:05, but how the installer ended was not recorded (see below).',
	},
	{
		ending: 'stopped',
		outcome: {ok: false, failedStepIndex: 1, interrupted: true},
		failure: cause('killed'),
		record: {status: 'interrupted'},
		reported: 'import stopped',
		headline: '⚠ Stopped after 2:05. The installer was stopped before it finished.',
		recorded: 'interrupted',
	},
	{
		ending: 'failed',
		outcome: {ok: false, failedStepIndex: 1},
		failure: cause('unknown'),
		record: {status: 'failed', failure: cause('unknown')},
		reported: 'import failed',
		headline: '✘ Failed after 2:05 at step 2 of 2.',
		recorded: 'failed',
	},
];

function events(test: Case): RunEvent[] {
	return [
		{type: 'run-start', at: 1000, logPath: '/l/run.log', steps: plan.steps.map(({id, title, argv}) => ({id, title, argv}))},
		...(test.failure ? [{type: 'step-end', at: 2000, stepId: 'step-2', exitCode: 0, failure: test.failure} as const] : []),
		{type: 'run-end', at: 126_000, ok: test.outcome.ok, outcome: test.outcome},
	];
}

function reportedLine(test: Case): string {
	let text = '';
	const reporter = createPlainReporter({stdout: chunk => void (text += chunk), stderr: () => undefined});
	for (const event of events(test)) {
		reporter.report(event);
	}

	reporter.flush();
	// The ending is the last line but for the notes a successful import adds after it.
	return text
		.trimEnd()
		.split('\n')
		.filter(line => !line.startsWith('addon-wizard: note: '))
		.at(-1)!;
}

function headline(test: Case): string {
	const state = wizardReducer(initialWizardState({attachPlan: plan}), {type: 'run-events', events: events(test)});
	const view = render(
		<Box flexDirection="column" width={200}>
			{resultRows(state, unicodeGlyphs, {width: 200})}
		</Box>,
	);
	const first = view.lastFrame()!.split('\n')[0]!;
	view.unmount();
	return first;
}

async function attachedLine(record: NonNullable<Case['record']>): Promise<string> {
	let text = '';
	const found = {...record, configPath: '/c.yaml', logPath: '/l/run.log', startedAt: 0, endedAt: 125_000};
	// The finished-run path reads the record and writes; nothing else of the services is used.
	const services = {
		io: {stdout: (chunk: string) => void (text += chunk), stderr: () => undefined},
		findRun: () => found,
	} as unknown as Services;
	await runAttachCommand({json: false} as Options, services);
	return text.split('\n')[0]!;
}

describe('how a run ended, worded once', () => {
	it.each(cases)('$ending: the reporter, the Result screen and attach say it in their words', async test => {
		expect(runEndingOf(test.outcome)).toBe(test.ending);
		expect(reportedLine(test)).toBe(`addon-wizard: ${test.reported} after 2:05`);
		expect(headline(test)).toBe(test.headline);
		if (test.record) {
			expect(recordedEndingOf(test.record.status as 'ok' | 'failed' | 'interrupted', test.record.failure?.kind)).toBe(test.ending);
			expect(await attachedLine(test.record)).toBe(`addon-wizard: the last run against /c.yaml ended: ${test.recorded} after 2:05.`);
		}
	});

	it("words a step's end by its verdict, and a step without a failure as done whatever its status", () => {
		expect(stepEndingOf({status: 'errors', failure: cause('finished-with-errors')})).toBe('with-errors');
		expect(stepEndingOf({status: 'unverified', failure: cause('not-verified')})).toBe('unverified');
		expect(stepEndingOf({status: 'failed', failure: cause('verification-failed')})).toBe('verification-failed');
		expect(stepEndingOf({status: 'failed', failure: cause('unknown')})).toBe('failed');
		expect(stepEndingOf({status: 'errors'})).toBe('done');
	});

	it('keeps a status the record kept over a kind that only a failed run words', () => {
		expect(recordedEndingOf('interrupted', 'finished-with-errors')).toBe('stopped');
		expect(recordedEndingOf('ok', 'not-verified')).toBe('unverified');
	});
});
