// The Result screen after a fake run: the summary, each failure's cause and next step, the
// clean-up-and-retry conversation, the log pager and the exit codes.
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import type {ConfigEdit} from '../../source/domain/config/config-facts.js';
import type {FailureCause, RunEvent, StepTally} from '../../source/domain/run/run-events.js';
import type {RunOutcome} from '../../source/workflow/ports/ports.js';
import type {createFakePorts} from '../helpers/fake-ports.js';
import {amd64, frameLines, makePlan, makeStep, onRun, unwrap, type FakeRun, type WizardHarness} from '../helpers/fake-ports.js';
import {settleKeys} from '../helpers/settle-keys.js';

afterEach(() => {
	cleanup();
});

const plan = makePlan({packages: [amd64]});
const tall = {rows: 40};
const leftover = {path: '/root/work/addon-offline-target-package', bytes: 12_340_000_000};

const at = (secondsAgo: number) => Date.now() - secondsAgo * 1000;
const stepStart = (index: number): RunEvent => ({
	type: 'step-start',
	at: at(0),
	stepId: `step-${index + 1}`,
	argv: plan.steps[index]!.argv,
	cwd: '/root/work',
});
const stepEnd = (
	index: number,
	exitCode: number,
	failure?: FailureCause,
	extra: {status?: 'done' | 'errors' | 'failed'; tally?: StepTally} = {},
): RunEvent => ({type: 'step-end', at: at(0), stepId: `step-${index + 1}`, exitCode, failure, ...extra});
const tally = (arch: string, charts: string[], images: string[], skipped: string[] = []): StepTally => ({
	arch,
	charts: {synced: charts, skipped: []},
	images: {pushed: images, skipped},
	overflow: 0,
});

/** The read after a step, as verify-run.ts emits it: verified, with what the reads before and after it counted. */
function verified(
	index: number,
	arch: string,
	counts: {pushed: number; alreadyThere: number},
	charts: {uploaded: string[]; alreadyThere: string[]},
): RunEvent {
	const images = {...counts, missing: 0, notToldApart: 0, unread: 0};
	const none = {count: 0, first: []};
	return {
		type: 'step-verified',
		at: at(0),
		stepId: `step-${index + 1}`,
		verification: {
			state: 'verified',
			registry: 'https://10.6.135.222',
			chain: [],
			tagArches: ['amd64', 'arm64'],
			result: {
				verified: true,
				checkedImages: 3,
				checkedTags: 3,
				missing: none,
				different: none,
				lostArch: none,
				lostArchChecked: true,
				lackingClusterArch: none,
				unreadable: none,
				nextSteps: [],
				message: `All 3 images of the v0.11.0 ${arch} package are in the registry.`,
				hint: '',
			},
			counts: {images: {...images, byArch: [{arch, ...images}]}, charts: {...charts, missing: [], notToldApart: []}},
		},
	};
}

function started(run: FakeRun): RunEvent {
	return {type: 'run-start', at: at(125), logPath: run.logPath, steps: plan.steps.map(({id, title, argv}) => ({id, title, argv}))};
}

/** Runs the plan to its end: `events` between the start and the end, then `outcome`. */
async function finished(
	events: RunEvent[],
	outcome: RunOutcome,
	options: {plan?: typeof plan; fake?: Parameters<typeof createFakePorts>[0]} = {},
): Promise<{harness: WizardHarness; run: FakeRun}> {
	const {harness, run} = await onRun(options.plan ?? plan, {...tall, fake: options.fake});
	run.emit(started(run), ...events, {type: 'run-end', at: at(0), ok: outcome.ok, outcome});
	run.finish(outcome);
	await harness.waitForFrame('RESULT');
	return {harness, run};
}

const noSpace: FailureCause = {
	kind: 'no-space',
	path: '/root/work/addon-offline-target-package/images.tar',
	message: 'No space left on device while writing /root/work/addon-offline-target-package/images.tar.',
	hint: 'Free space on that filesystem (or use --workdir on a bigger one), then press r to clean up and retry.',
};

/** Fails at step 2 after step 1 succeeded. */
async function failedAtStep2(): Promise<{harness: WizardHarness; run: FakeRun}> {
	return finished([stepStart(0), stepEnd(0, 0), stepStart(1), stepEnd(1, 1, noSpace)], {ok: false, failedStepIndex: 1});
}

const asking = (frame: string) => unwrap(frame).includes('y removes it, n keeps it');
const footer = (frame: string) => frameLines(frame).filter(Boolean).at(-1) ?? '';

describe('Result: success', () => {
	it("sums up what the registry showed was imported (the installer's account beside it), how long it took, the backup and the log path", async () => {
		const images = [
			'10.6.135.222/release.daocloud.io/kpanda/kpanda:v0.28.0',
			'10.6.135.222/release.daocloud.io/insight/insight:v0.30.0',
			'10.6.135.222/docker.io/library/busybox:1.36',
		];
		const charts = ['insight_0.30.0', 'kpanda_0.28.0'];
		const {harness, run} = await finished(
			[
				{type: 'config-written', at: at(120), path: plan.cluster.path, backupPath: '/root/offline/sample/clusterConfig.yaml.bak-20260101'},
				stepStart(0),
				verified(0, 'amd64', {pushed: 2, alreadyThere: 1}, {uploaded: ['insight@0.30.0', 'kpanda@0.28.0'], alreadyThere: []}),
				stepEnd(0, 0, undefined, {status: 'done', tally: tally('amd64', charts, images)}),
				// The second arch: the same tags merged, the same charts already there.
				stepStart(1),
				verified(1, 'arm64', {pushed: 3, alreadyThere: 0}, {uploaded: [], alreadyThere: ['insight@0.30.0', 'kpanda@0.28.0']}),
				stepEnd(1, 0, undefined, {status: 'done', tally: {...tally('arm64', [], images), charts: {synced: [], skipped: charts}}}),
			],
			{ok: true},
		);
		const frame = harness.frame();
		const lines = frameLines(frame);

		expect(frame).toMatch(/✔ Done in 2:0[4-6]: 2 steps from 1 package\./);
		// What the reads showed: one amd64 image was there before the run, the charts this run uploaded
		// are not "already there" because its second step found them; the installer's claim is its own.
		expect(unwrap(frame)).toContain(
			'Images: 5 pushed (2 amd64, 3 arm64), 1 already there (1 amd64), 0 missing. Charts: 2 uploaded, 0 already there, 0 missing.',
		);
		expect(unwrap(frame)).toContain('(installer reported: 2 charts synced, 3 images pushed (3 for amd64, 3 for arm64))');
		expect(unwrap(frame)).not.toContain('Charts: 2 charts synced');
		// Container Management lists the charts only after its repository is synced: said where the import is done.
		expect(unwrap(frame)).toContain(
			'Note: Container Management shows the imported charts (Helm templates) only once its addon Helm repository is synced: choose "sync repository" on that repository\'s row.',
		);
		expect(lines).toContain(`✔ 1. ${plan.steps[0]!.title}`);
		expect(lines).toContain(`✔ 2. ${plan.steps[1]!.title}`);
		expect(unwrap(frame)).toContain('/root/offline/sample/clusterConfig.yaml.bak-20260101');
		expect(unwrap(frame)).toContain(run.logPath);
		expect(frame).not.toContain('Cause:');
		expect(footer(frame)).not.toContain('r clean up');
		expect(footer(frame)).toContain('l open the log');
	});

	it('claims no image when the installer printed no Pushing line, whatever the plan held', async () => {
		const {harness} = await finished(
			[
				stepStart(0),
				stepEnd(0, 0, undefined, {status: 'done', tally: tally('amd64', [], [])}),
				stepStart(1),
				stepEnd(1, 0, undefined, {status: 'done', tally: tally('arm64', [], [])}),
			],
			{ok: true},
		);
		const text = unwrap(harness.frame());
		expect(text).not.toMatch(/\d+ images/);
		// Nothing was read back either: nothing is claimed, and that is said.
		expect(text).toContain('Images and charts: not counted, no step was read back.');
		expect(text).toContain('(installer reported: no chart and no image by name)');
	});

	it('exits with 0 on q', async () => {
		const {harness} = await finished([stepStart(0), stepEnd(0, 0), stepStart(1), stepEnd(1, 0)], {ok: true});
		harness.press('q');

		await expect.poll(() => harness.exitCodes).toEqual([0]);
	});
});

const causes: FailureCause[] = [
	noSpace,
	{
		kind: 'registry-space-missing',
		space: 'kpanda-addon',
		message: 'Registry space "kpanda-addon" does not exist in the target registry.',
		hint: 'Create the project "kpanda-addon" in the registry (Harbor: Projects > New Project), then press r to retry.',
	},
	{
		kind: 'leftover-target',
		path: '/root/work/addon-offline-target-package',
		message: 'A failed earlier run left addon-offline-target-package behind.',
		hint: 'Press r to remove it and retry (same as rm -rf addon-offline-target-package).',
	},
	{
		kind: 'installer-missing',
		path: '/root/dce5-installer',
		message: 'Installer not found: /root/dce5-installer.',
		hint: 'Copy dce5-installer to the jump host or pass --installer PATH.',
	},
	{
		kind: 'installer-not-executable',
		path: '/root/dce5-installer',
		message: 'Installer is not executable: /root/dce5-installer.',
		hint: 'Run chmod +x /root/dce5-installer, then retry.',
	},
	{
		kind: 'killed',
		signal: 'SIGKILL',
		message: 'Installer ended by SIGKILL (something outside the wizard killed it).',
		hint: 'It left addon-offline-target-package behind: press r to clean up and retry.',
	},
	{
		kind: 'unknown',
		message: 'Installer exited with status 2.',
		hint: 'Read the last error lines below and the full log (press l), fix the cause, then press r.',
		lastErrors: ['[Error]: sync chart insight failed', 'panic: runtime error: index out of range'],
	},
];

describe('Result: failure', () => {
	it.each(causes.map(cause => [cause.kind, cause] as const))('names the cause and the next step for %s', async (_kind, cause) => {
		const {harness} = await finished([stepStart(0), stepEnd(0, 1, cause)], {ok: false, failedStepIndex: 0});
		const frame = harness.frame();
		const text = unwrap(frame);

		expect(frame).toMatch(/✘ Failed after 2:0[4-6] at step 1 of 2\./);
		expect(frameLines(frame)).toContain(`✘ 1. ${plan.steps[0]!.title}`);
		expect(frameLines(frame)).toContain(`· 2. ${plan.steps[1]!.title}`);
		expect(text).toContain(`Cause: ${cause.message}`);
		expect(text).toContain(`Next: ${cause.hint}`);
		expect(footer(frame)).toContain('r clean up and retry');
		if (cause.kind === 'unknown') {
			const lines = frameLines(frame);
			const heading = lines.indexOf('Last error lines:');
			expect(lines.slice(heading + 1, heading + 3)).toEqual(cause.lastErrors.map(line => `  ${line}`));
		} else {
			expect(frame).not.toContain('Last error lines:');
		}
	});

	it('shows an error that stopped the run before the installer, and exits with its code', async () => {
		const error = {
			kind: 'package-changed',
			message: 'The package changed since it was read (size differs).',
			hint: 'Run the wizard again so it reads the package afresh.',
			exitCode: 2,
		};
		const {harness} = await finished([{type: 'run-error', at: at(0), error}], {ok: false, failedStepIndex: 0, error});

		const text = unwrap(harness.frame());
		expect(text).toContain('Cause: The package changed since it was read (size differs).');
		expect(text).toContain('Next: Run the wizard again so it reads the package afresh.');
		// No installer ran: r is offered as "run it again once fixed", not as a clean-up of its leftovers.
		expect(text).toContain('Once the cause above is fixed, r runs the step again');
		expect(text).not.toContain("r removes the installer's leftover");
		harness.press('q');
		await expect.poll(() => harness.exitCodes).toEqual([2]);
	});

	it('says the run could not continue when the run itself crashed', async () => {
		const {harness, run} = await onRun(plan, tall);
		run.emit(started(run), stepStart(0));
		run.crash(new Error('EPIPE: broken pipe, write'));

		const frame = await harness.waitForFrame('RESULT');
		expect(unwrap(frame)).toContain('Cause: The run could not continue: EPIPE: broken pipe, write');
		expect(frameLines(frame)).toContain(`✘ 1. ${plan.steps[0]!.title}`);
	});

	it('exits with 4 on q after a failure', async () => {
		const {harness} = await failedAtStep2();
		harness.press('q');

		await expect.poll(() => harness.exitCodes).toEqual([4]);
	});

	it('says the installer was stopped, and exits with 130 on q after an interrupt', async () => {
		const killed: FailureCause = {
			kind: 'killed',
			signal: 'SIGINT',
			message: 'Installer ended by SIGINT (you stopped it).',
			hint: 'It left addon-offline-target-package behind: press r to clean up and retry.',
		};
		const {harness} = await finished([stepStart(0), stepEnd(0, 130, killed)], {ok: false, failedStepIndex: 0, interrupted: true});

		expect(harness.frame()).toMatch(/⚠ Stopped after 2:0[4-6]\. The installer was stopped before it finished\./);
		harness.press('q');
		await expect.poll(() => harness.exitCodes).toEqual([130]);
	});
});

describe('Result: a retry loop', () => {
	it('quotes the first error line above the last ones when they no longer hold it', async () => {
		const retried: FailureCause = {
			kind: 'unknown',
			message: 'Installer exited with status 1.',
			hint: 'Read the last error lines and the full log, fix the cause',
			lastErrors: ['Error: push r/x:1 (attempt 8/8): context deadline exceeded', '[Error]:[Error] import addon failed'],
			firstError: {line: 'Error: push r/x:1 (attempt 1/8): Patch "https://r/v2/x/blobs/uploads/": EOF', ofLines: 9},
		};
		const {harness} = await finished([stepStart(0), stepEnd(0, 1, retried)], {ok: false, failedStepIndex: 0});
		const lines = frameLines(harness.frame());
		const first = lines.indexOf('First error line (of 9; the later ones may only be retries):');
		expect(first).toBeGreaterThan(0);
		expect(lines[first + 1]).toBe('  Error: push r/x:1 (attempt 1/8): Patch "https://r/v2/x/blobs/uploads/": EOF');
		expect(lines.indexOf('Last error lines:')).toBeGreaterThan(first);
	});
});

describe('Result: a step that finished with errors', () => {
	const errors: FailureCause = {
		kind: 'finished-with-errors',
		message: 'The installer exited with status 0 but printed 1 error line. The import may be incomplete.',
		hint: 'Read the error lines below and the full log, check the cluster',
		lastErrors: ['[Error]:[Error] sync chart insight failed'],
	};

	it('is never "Done": its own heading and mark, the lines, and exit 5', async () => {
		const {harness} = await finished([stepStart(0), stepEnd(0, 0, errors, {status: 'errors'})], {
			ok: false,
			failedStepIndex: 0,
			withErrors: true,
		});
		const frame = harness.frame();
		expect(frame).not.toContain('Done in');
		expect(unwrap(frame)).toMatch(/⚠ Finished with errors after 2:0[4-6] at step 1 of 2: the installer exited 0 but printed errors\./);
		expect(frameLines(frame)).toContain(`⚠ 1. ${plan.steps[0]!.title}`);
		expect(unwrap(frame)).toContain('Last error lines: [Error]:[Error] sync chart insight failed');
		harness.press('q');
		await expect.poll(() => harness.exitCodes).toEqual([5]);
	});
});

describe('Result: the line that says why is shown whole', () => {
	it('wraps a long error line instead of cutting it', async () => {
		const line =
			'[Error]:[Error] failed to unpack addon package: mkdir /root/very/long/working/directory/for/the/jump/host/import/run/addon-offline-target-package: permission denied';
		const cause: FailureCause = {
			kind: 'unknown',
			message: 'Installer exited with status 1.',
			hint: 'Read the last error lines and the full log, fix the cause, then press r to retry.',
			lastErrors: [line],
		};
		const {harness} = await finished([stepStart(0), stepEnd(0, 1, cause)], {ok: false, failedStepIndex: 0});
		const lines = frameLines(harness.frame());
		const heading = lines.indexOf('Last error lines:');
		// Every character is on screen, over as many rows as it takes (a path is broken where the row ends).
		const shown = lines.slice(heading + 1, heading + 4).map(item => item.trim());
		expect(shown.join('').replaceAll(' ', '')).toBe(line.replaceAll(' ', ''));
		expect(shown.at(-1)).toMatch(/permission denied$/);
		expect(lines.every(item => !item.endsWith('…'))).toBe(true);
	});

	it('labels plain output honestly when no line looked like an error', async () => {
		const cause: FailureCause = {
			kind: 'unknown',
			message: 'Installer exited with status 3.',
			hint: 'Read the last error lines and the full log, fix the cause, then press r to retry.',
			lastErrors: [],
			lastLines: ['[Info]: pushing images', 'giving up'],
		};
		const {harness} = await finished([stepStart(0), stepEnd(0, 3, cause)], {ok: false, failedStepIndex: 0});
		const frame = harness.frame();
		expect(frame).not.toContain('Last error lines:');
		const lines = frameLines(frame);
		const heading = lines.indexOf('Last lines of output; none looked like an error:');
		expect(lines.slice(heading + 1, heading + 3)).toEqual(['  [Info]: pushing images', '  giving up']);
	});
});

describe('Result: putting clusterConfig.yaml back (u)', () => {
	const edit: ConfigEdit = {
		path: '/root/offline/sample/clusterConfig.yaml',
		newPaths: ['/srv/p1.tar.gz'],
		diff: '',
		originalText: 'old\n',
		newText: 'new\n',
	};
	const withEdit = makePlan({packages: [amd64], steps: [makeStep(0, {kind: 'cluster-create', configEdit: edit}), makeStep(1)]});
	const backupPath = '/root/offline/sample/clusterConfig.yaml.bak-20260101-120000';
	const wrote: RunEvent = {type: 'config-written', at: at(120), path: edit.path, backupPath, stepId: 'step-1'};

	it("offers u after a failure that changed the file, restores on u with the step's edit and its backup, and says where the replaced text went", async () => {
		const {harness} = await finished([wrote, stepStart(0), stepEnd(0, 1, noSpace)], {ok: false, failedStepIndex: 0}, {plan: withEdit});
		let frame = harness.frame();
		expect(unwrap(frame)).toContain(`u puts clusterConfig.yaml back as it was before this run (from ${backupPath}).`);

		harness.press('u');
		const call = await harness.ports.restores.nth(0);
		expect(call.args).toEqual({edit, backupPath});
		call.resolve({restoredPath: edit.path, replacedCopyPath: `${edit.path}.bak-20260101-120500`});
		frame = await harness.waitForFrame('is back');
		expect(unwrap(frame)).toContain(
			`clusterConfig.yaml is back as it was before this run; what the run had written is kept as ${edit.path}.bak-20260101-120500.`,
		);
		expect(unwrap(frame)).not.toContain('u puts');
		harness.press('u');
		await settleKeys(harness);
		expect(harness.ports.restores.count).toBe(1);
	});

	it('shows why it was refused (the file changed since) and offers u again', async () => {
		const {harness} = await finished([wrote, stepStart(0), stepEnd(0, 1, noSpace)], {ok: false, failedStepIndex: 0}, {plan: withEdit});
		harness.press('u');
		(await harness.ports.restores.nth(0)).resolve({
			kind: 'config-changed-since-write',
			message: `${edit.path} was edited after addon-wizard wrote it. The backup was not put back.`,
			hint: `Nothing was changed. Compare them (diff ${backupPath} ${edit.path}) and copy back by hand what you need.`,
			exitCode: 2,
		});
		const frame = await harness.waitForFrame('was not put back');
		expect(unwrap(frame)).toContain(`next: Nothing was changed. Compare them (diff ${backupPath} ${edit.path})`);
		expect(unwrap(frame)).toContain('u puts clusterConfig.yaml back');
	});

	it('is not offered after a success, nor when the run did not write the file', async () => {
		const ok = await finished([wrote, stepStart(0), stepEnd(0, 0, undefined, {status: 'done'})], {ok: true}, {plan: withEdit});
		expect(unwrap(ok.harness.frame())).not.toContain('u puts');
		ok.harness.unmount();
		const untouched = await finished([stepStart(0), stepEnd(0, 1, noSpace)], {ok: false, failedStepIndex: 0}, {plan: withEdit});
		expect(unwrap(untouched.harness.frame())).not.toContain('u puts');
	});
});

describe('Result: clean up and retry', () => {
	it('re-runs the whole pre-flight before retrying: a disk still full stops the retry there, saying what to free', async () => {
		const stillFull = (current: typeof plan) => ({
			...current,
			preflight: [
				{
					id: 'disk' as const,
					status: 'block' as const,
					message: 'Not enough space on /root/work: needs 12.3 GB, 1.1 GB free.',
					hint: 'Free 11.2 GB on /root/work',
				},
			],
		});
		const {harness} = await finished(
			[stepStart(0), stepEnd(0, 0), stepStart(1), stepEnd(1, 1, noSpace)],
			{ok: false, failedStepIndex: 1},
			{fake: {recheck: stillFull}},
		);
		const frame = await harness.pressAndWait('r', 'The retry would fail the same way');
		expect(unwrap(frame)).toContain('Not enough space on /root/work: needs 12.3 GB, 1.1 GB free.');
		expect(unwrap(frame)).toContain('next: Free 11.2 GB on /root/work');
		// Nothing was measured, removed or started.
		await settleKeys(harness);
		expect((await harness.ports.rechecks.nth(0)).args.request).toMatchObject({fromStep: 2, removeLeftover: true});
		expect(harness.ports.measures.count).toBe(0);
		expect(harness.ports.runs).toHaveLength(1);
		expect(footer(frame)).toContain('r ');
	});

	it('measures the leftover, asks with its size, removes it on y and re-runs from the failed step', async () => {
		const {harness, run: first} = await failedAtStep2();
		const {ports} = harness;
		expect(unwrap(harness.frame())).toContain(
			"r removes the installer's leftover addon-offline-target-package (after showing its size) and re-runs the failed step.",
		);

		await harness.pressAndWait('r', "Looking for the installer's leftover addon-offline-target-package");
		const measuring = await ports.measures.nth(0);
		expect(measuring.args).toBe(plan.steps[1]);

		measuring.resolve(leftover);
		let frame = await harness.waitForFrame(asking);
		expect(unwrap(frame)).toContain(
			'Remove /root/work/addon-offline-target-package (12.3 GB) and re-run the step? y removes it, n keeps it.',
		);
		expect(footer(frame)).toContain('y remove it');
		expect(footer(frame)).toContain('n keep it');
		expect(ports.cleanups.count).toBe(0);

		await harness.pressAndWait('y', 'Removing /root/work/addon-offline-target-package');
		const cleaning = await ports.cleanups.nth(0);
		expect(cleaning.args).toBe(plan.steps[1]);
		expect(ports.runs).toHaveLength(1);

		cleaning.resolve({path: leftover.path, freedBytes: leftover.bytes});
		const second = await ports.run(1);
		expect(second.fromStep).toBe(1);
		expect(second.plan).toBe(first.plan);
		frame = await harness.waitForFrame(current => current.includes('RUN') && current.includes('freed'));
		expect(unwrap(frame)).toContain('Removed /root/work/addon-offline-target-package (12.3 GB freed) before this retry.');
		expect(frameLines(frame)).toContain(`✔ 1. ${plan.steps[0]!.title}`);

		second.emit(started(second), stepStart(1), stepEnd(1, 0));
		second.finish({ok: true});
		frame = await harness.waitForFrame('Done in');
		expect(unwrap(frame)).toContain('Attempt 2: removed /root/work/addon-offline-target-package (12.3 GB freed) before re-running.');
	});

	it('keeps the leftover on n, and runs nothing', async () => {
		const {harness} = await failedAtStep2();
		await harness.pressAndWait('r', 'Looking for');
		(await harness.ports.measures.nth(0)).resolve(leftover);
		await harness.waitForFrame(asking);

		const frame = await harness.pressAndWait('n', current => !asking(current));
		expect(unwrap(frame)).toContain("r removes the installer's leftover");
		expect(footer(frame)).toContain('r clean up and retry');
		expect(harness.ports.cleanups.count).toBe(0);
		expect(harness.ports.runs).toHaveLength(1);
	});

	it('re-runs the failed step at once when nothing was left over', async () => {
		const {harness} = await failedAtStep2();
		harness.press('r');
		(await harness.ports.measures.nth(0)).resolve(undefined);

		expect((await harness.ports.run(1)).fromStep).toBe(1);
		await harness.waitForFrame('RUN');
		expect(harness.ports.cleanups.count).toBe(0);
	});

	it('shows why the clean-up failed and offers r again', async () => {
		const {harness} = await failedAtStep2();
		harness.press('r');
		(await harness.ports.measures.nth(0)).resolve(leftover);
		await harness.waitForFrame(asking);
		await harness.pressAndWait('y', 'Removing');
		(await harness.ports.cleanups.nth(0)).resolve({
			kind: 'cleanup-refused',
			message: 'Refused to remove /root/work/addon-offline-target-package: it is a symlink.',
			hint: 'Remove it by hand, then press r.',
			exitCode: 4,
		});

		const frame = await harness.waitForFrame('Refused to remove');
		expect(unwrap(frame)).toContain('next: Remove it by hand, then press r.');
		expect(footer(frame)).toContain('r clean up and retry');
		expect(harness.ports.runs).toHaveLength(1);
	});
});

describe('Result: the log', () => {
	it('opens the log in the pager on l, ignores keys while it is open, and listens again after', async () => {
		const {harness, run} = await failedAtStep2();
		harness.press('l');

		const opened = await harness.ports.logs.nth(0);
		expect(opened.args).toBe(run.logPath);
		harness.press('q');
		harness.press('l');
		opened.resolve();
		// The pager hands the terminal back only after the wizard has seen it close; l then opens it
		// again, which a wizard that had taken the q above would not do (its keys are off once it quits).
		await expect
			.poll(() => {
				harness.press('l');
				return harness.ports.logs.count;
			})
			.toBe(2);
		expect(harness.exitCodes).toEqual([]);

		(await harness.ports.logs.nth(1)).resolve();
		await expect
			.poll(async () => {
				harness.press('q');
				return harness.exitCodes;
			})
			.toEqual([4]);
		// Quit and unmounted, every call is in: the l typed while the first pager was open opened none.
		harness.unmount();
		expect(harness.ports.logs.count).toBe(2);
	});
});
