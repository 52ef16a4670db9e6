// Result: what was done, counted from what the registry and chart repository showed before and
// after each step (the installer's own account beside it, as its own; never what the plan held),
// what the registry showed after each step, or why it failed, in full, and the one key that
// fixes the usual cause (the chained integration after the <0.12.0 conversion, the retry after a
// leftover); after a failure that changed clusterConfig.yaml, the key that puts it back.
import path from 'node:path';
import type {ReactNode} from 'react';
import {describeSuggestion, matchChainPackages} from '../../domain/run/chain-step.js';
import {formatBytes, formatDuration} from '../../domain/shared/format-bytes.js';
import type {FailureCause, RunOutcome, StepVerification} from '../../domain/run/run-events.js';
import type {Plan} from '../../domain/plan/plan.js';
import {wordNextStep} from '../../domain/shared/next-step.js';
import {countLines} from '../../report/run/count-lines.js';
import {notesAfterRun} from '../../domain/run/after-import-notes.js';
import type {VerifyResult} from '../../domain/registry/verify-step.js';
import {describeVerification} from '../../report/registry/verification-text.js';
import {runEndingOf, runEndingWords, type RunEnding} from '../../report/run/outcome-words.js';
import {
	chainInsteadOfRetry,
	chainOffer,
	currentPlan,
	retryStepIndex,
	type RunState,
	type WizardState,
} from '../../workflow/wizard/wizard-reducer.js';
import {Row, Styled, type Tone} from '../components/Styled.js';
import type {Glyphs} from '../glyphs.js';
import {stepMarks} from './RunScreen.js';
import {wrapped} from '../components/Rows.js';
import {leftoverQuestionRows} from './LeftoverQuestion.js';
import {undoGap, undoHeadlineRows, undoRows} from './UndoRows.js';
import {coveredBy} from '../../workflow/wizard/step-repair.js';
import {undoPutBack} from '../../workflow/wizard/undo-target.js';

function retryRows(state: WizardState, width: number): ReactNode[] {
	const retry = state.retry;
	switch (retry.state) {
		case 'rechecking': {
			return [<Row key="r">Checking the pre-flight again before the retry (disk, installer, working directory, packages)…</Row>];
		}

		case 'blocked': {
			return [
				...wrapped('rb', 'The retry would fail the same way: fix this first, then press r again.', width, 'error'),
				...retry.checks.flatMap((check, index) => [
					...wrapped(`rc${index}`, `✘ ${check.message}`, width, 'error', '  '),
					...(check.hint
						? wrapped(
								`rh${index}`,
								`next: ${wordNextStep({hint: check.hint, then: check.then, otherwise: check.otherwise}, 'screen')}`,
								width,
								undefined,
								'    ',
							)
						: []),
				]),
			];
		}

		case 'measuring': {
			return [<Row key="r">Looking for the installer's leftover addon-offline-target-package…</Row>];
		}

		case 'ask': {
			return leftoverQuestionRows(retry, width);
		}

		case 'cleaning': {
			return [<Row key="r">{`Removing ${retry.leftover.path}…`}</Row>];
		}

		case 'error': {
			return [
				...wrapped('r', retry.error.message, width, 'error'),
				...wrapped('rh', `next: ${wordNextStep(retry.error, 'screen')}`, width, undefined, '  '),
			];
		}

		case 'idle': {
			return [];
		}
	}
}

/** The installer's own lines behind a cause, wrapped (the line that says why is often the longest). */
function evidenceRows(failure: FailureCause | undefined, width: number): ReactNode[] {
	if (!failure || !('lastErrors' in failure)) {
		return [];
	}

	const lines = failure.lastErrors.length > 0 ? failure.lastErrors : failure.kind === 'unknown' ? (failure.lastLines ?? []) : [];
	if (lines.length === 0) {
		return [];
	}

	const label = failure.lastErrors.length > 0 ? 'Last error lines:' : 'Last lines of output; none looked like an error:';
	const first = failure.firstError;
	return [
		...(first
			? [
					<Row key="first" tone="dim">
						{`First error line (of ${first.ofLines}; the later ones may only be retries):`}
					</Row>,
					...wrapped('f0', first.line, width, undefined, '  '),
				]
			: []),
		<Row key="last" tone="dim">
			{label}
		</Row>,
		...lines.slice(-5).flatMap((line, index) => wrapped(`l${index}`, line, width, undefined, '  ')),
	];
}

/** Step marks, with a step a later step restored shown as a warning rather than a failure. */
function resultMarks(plan: Plan, run: RunState, glyphs: Glyphs): Array<{mark: string; tone: Tone}> {
	return stepMarks(run, glyphs).map((mark, index) =>
		run.status[index] === 'failed' && run.verifications[index]?.state === 'failed' && coveredBy(plan, run, index)
			? {mark: glyphs.warning, tone: 'warn'}
			: mark,
	);
}

function countsOf(result: VerifyResult): string {
	const parts = [
		`${result.checkedImages - result.missing.count} of ${result.checkedImages} images at their tag`,
		result.lostArch.count > 0 ? `${result.lostArch.count} tag(s) lost an arch` : '',
		result.different.count > 0 ? `${result.different.count} tag(s) hold another image` : '',
	];
	return parts.filter(Boolean).join(', ');
}

/** What the registry showed after one step, under its line; the failed step's message is the Cause below. */
function verificationRows(plan: Plan, run: RunState, index: number, glyphs: Glyphs, width: number): ReactNode[] {
	const verification: StepVerification | undefined = run.verifications[index];
	if (!verification) {
		return [];
	}

	// A step the installer itself failed: its Cause says why; the registry read is a count, not a second cause.
	const installerFailed =
		index === run.failedStepIndex &&
		run.failure !== undefined &&
		run.failure.kind !== 'verification-failed' &&
		run.failure.kind !== 'not-verified';
	if (installerFailed) {
		return 'result' in verification
			? wrapped(`v${index}`, `Registry after the step: ${countsOf(verification.result)}.`, width, 'dim', '   ')
			: [];
	}

	const covered = coveredBy(plan, run, index);
	if (covered && 'result' in verification) {
		// Settled within the plan: one line, what happened and which step put it right.
		const {result} = verification;
		const arches = covered.arches.join(', ');
		const lost = verification.state !== 'verified';
		const line = lost
			? `${glyphs.warning} ${result.lostArch.count} tag(s) lost ${arches}${result.cause ? ` (${verification.result.cause?.message.split(':')[0]})` : ''}; step ${covered.step + 1} integrated ${arches} again.`
			: `${glyphs.done} Verified against ${verification.registry}: all ${result.checkedImages} images of the step's packages are in the registry; step ${covered.step + 1} added ${arches}.`;
		return wrapped(`v${index}`, line, width, lost ? 'warn' : 'ok', '   ');
	}

	const laterIndex = verification.state === 'deferred' ? plan.steps.findIndex(step => step.id === verification.laterStepId) : -1;
	const text = describeVerification(verification, laterIndex >= 0 ? `step ${laterIndex + 1}` : undefined);
	const isCause = index === run.failedStepIndex && (run.failure?.kind === 'verification-failed' || run.failure?.kind === 'not-verified');
	const mark = {ok: glyphs.done, warn: glyphs.warning, error: glyphs.failed, dim: glyphs.info}[text.tone];
	return [
		...(isCause ? [] : wrapped(`v${index}`, `${mark} ${text.summary}`, width, text.tone, '   ')),
		...text.details.slice(0, 4).flatMap((line, at) => wrapped(`v${index}d${at}`, line, width, 'dim', '     ')),
	];
}

/**
 * The failed step's rows already list the tags a verification found; its Cause then says why,
 * when that is known (the <0.12.0 conversion), so the key that fixes it stays above the fold.
 */
function causeText(run: RunState, cause: NonNullable<RunState['failure']> | {message: string}): string {
	const verification = run.failedStepIndex === undefined ? undefined : run.verifications[run.failedStepIndex];
	if ('kind' in cause && cause.kind === 'verification-failed' && verification?.state === 'failed' && verification.result.cause) {
		const lost = verification.result.lostArch;
		return `${lost.count} tag(s) lost ${[...new Set(lost.first.flatMap(item => item.lost))].join(', ')}: ${verification.result.cause.message}`;
	}

	return cause.message;
}

/** The chained step: where its file is, or which to download, and what `i` does. */
function chainRows(state: WizardState, width: number): ReactNode[] {
	const suggestion = chainOffer(state);
	if (!suggestion) {
		return [];
	}

	const what = describeSuggestion(suggestion);
	const {chain} = state;
	switch (chain.state) {
		case 'idle': {
			const match = matchChainPackages(suggestion, state.packages);
			return match.found.length > 0 && match.missing.length === 0
				? wrapped(
						'chain',
						`i integrates ${what} now (import -addon, pre-flight first): ${match.found.map(item => item.path).join(', ')}`,
						width,
						'accent',
					)
				: wrapped(
						'chain',
						`${what.charAt(0).toUpperCase()}${what.slice(1)} is not on this host: download ${suggestion.fileNames.join(' and ')} from the Download Center, then press i.`,
						width,
						'warn',
					);
		}

		case 'looking': {
			return wrapped('chain', `Looking for ${suggestion.fileNames.join(' and ')} on this host…`, width);
		}

		case 'reading': {
			const next = chain.paths.find(file => !chain.read.some(item => item.path === file));
			return wrapped(
				'chain',
				`Reading ${next ? path.basename(next) : 'the package'} (checksum and contents) before integrating it…`,
				width,
			);
		}

		case 'planning': {
			return wrapped('chain', `Planning the integration of ${what} and checking its pre-flight…`, width);
		}

		case 'missing': {
			return wrapped(
				'chain',
				`Not found on this host: ${chain.fileNames.join(', ')}. Download it from the Download Center (beside the other packages or in a folder given with --search), then press i.`,
				width,
				'warn',
			);
		}

		case 'error': {
			return [
				...wrapped('chain', chain.error.message, width, 'error'),
				...wrapped('chainh', `next: ${wordNextStep(chain.error, 'screen')}`, width, undefined, '  '),
			];
		}
	}
}

function restoreRows(run: RunState, width: number): ReactNode[] {
	const {restore, config} = run;
	if (!config) {
		return [];
	}

	switch (restore.state) {
		case 'idle': {
			return run.outcome?.ok
				? []
				: wrapped('u', `u puts clusterConfig.yaml back as it was before this run (from ${config.backupPath}).`, width);
		}

		case 'restoring': {
			return [<Row key="u">Putting clusterConfig.yaml back…</Row>];
		}

		case 'done': {
			return wrapped(
				'u',
				`clusterConfig.yaml is back as it was before this run; what the run had written is kept as ${restore.replacedCopyPath}.`,
				width,
				'ok',
			);
		}

		case 'error': {
			return [
				...wrapped('u', restore.error.message, width, 'error'),
				...wrapped('uh', `next: ${wordNextStep(restore.error, 'screen')}`, width, undefined, '  '),
				...wrapped('ua', 'Once that is sorted out, u puts clusterConfig.yaml back (it checks again first).', width),
			];
		}
	}
}

/**
 * The reads after the steps that ended this run, in order. A step marked done without one was
 * done before `--from-step`: not this run's to count.
 */
function endedVerifications(run: RunState): Array<StepVerification | undefined> {
	return run.status.flatMap((status, index) => {
		const verification = run.verifications[index];
		return verification || status === 'errors' || status === 'failed' || status === 'unverified' ? [verification] : [];
	});
}

/** Headlines that have always been one row (they are short): cut at the edge rather than wrapped. */
const oneRowEndings: ReadonlySet<RunEnding> = new Set(['stopped', 'failed']);

/** How the step the run ended at ended, said after z put its tags back (`Step 1 itself was not verified after 0:03`). */
const stepEnded: Record<RunEnding, string> = {
	done: 'was done',
	'with-errors': 'finished with errors',
	'verification-failed': 'was not verified',
	unverified: 'finished, not verified',
	'run-lost': 'ended, how is not recorded,',
	stopped: 'was stopped',
	failed: 'failed',
};

/** How the run ended, in the words the plain reporter and attach share, with what it did when done. */
function headlineRows(state: WizardState, plan: Plan, run: RunState & {outcome: RunOutcome}, glyphs: Glyphs, width: number): ReactNode[] {
	const ending = runEndingOf(run.outcome);
	const words = runEndingWords[ending];
	const index = retryStepIndex(state);
	const took = run.startedAt && run.endedAt ? formatDuration(run.endedAt - run.startedAt) : '?';
	const marks = {ok: glyphs.done, warn: glyphs.warning, error: glyphs.failed};
	// After z put back the tags of the step the run ended at, the registry as it is now leads.
	const undone = index === undefined ? undefined : undoHeadlineRows(state, index, `${stepEnded[ending]} after ${took}`, marks, width);
	if (undone) {
		return undone;
	}

	const mark = marks[words.tone];
	// A run refused before its start (the state folder, the lock, the log) has no duration to say.
	const text =
		!run.startedAt && ending === 'failed'
			? `${mark} Failed before it started: nothing was run.`
			: `${mark} ${words.headline({took, at: index === undefined ? undefined : {step: index + 1, of: plan.steps.length}, steps: plan.steps.length, packages: plan.packages.length})}`;
	const head = oneRowEndings.has(ending)
		? [
				<Row key="head" tone={words.tone}>
					{text}
				</Row>,
			]
		: wrapped('head', text, width, words.tone);
	return ending === 'done'
		? [
				...head,
				...countLines(endedVerifications(run), run.tallies).flatMap((line, at) =>
					wrapped(`sum${at}`, line, width, line.startsWith('(') ? 'dim' : undefined),
				),
				...notesAfterRun(run.outcome).flatMap(note => wrapped(note.id, `Note: ${note.message}`, width, 'accent')),
			]
		: head;
}

function stepRows(plan: Plan, run: RunState, glyphs: Glyphs, width: number): ReactNode[] {
	const marks = resultMarks(plan, run, glyphs);
	return plan.steps.flatMap((step, index) => [
		<Row key={step.id}>
			<Styled tone={marks[index]!.tone}>{`${marks[index]!.mark} `}</Styled>
			{`${index + 1}. ${step.title}`}
		</Row>,
		...verificationRows(plan, run, index, glyphs, width),
	]);
}

function causeRows(state: WizardState, run: RunState & {outcome: RunOutcome}, width: number): ReactNode[] {
	const cause = run.failure ?? run.outcome.error;
	if (run.outcome.ok || !cause) {
		return [];
	}

	// Once z put the step's tags back, what to do next is said under the undo, not here.
	const at = retryStepIndex(state);
	const undone = at !== undefined && undoPutBack(state, at);
	return [
		<Row key="g1" />,
		...wrapped('cause', `Cause: ${causeText(run, cause)}`, width, 'error'),
		...(undone ? [] : wrapped('hint', `Next: ${wordNextStep(cause, 'screen')}`, width)),
		...evidenceRows(run.failure, width),
	];
}

/** r: the retry under way, or what r would do. */
function retryOfferRows(state: WizardState, outcome: RunOutcome, width: number): ReactNode[] {
	const retry = retryRows(state, width);
	if (retry.length > 0) {
		return [<Row key="g3" />, ...retry];
	}

	if (retryStepIndex(state) === undefined || chainInsteadOfRetry(state)) {
		return [];
	}

	// Finished, not verified: the import itself went through; re-running it is not how to check it.
	if (outcome.unverified) {
		return [
			<Row key="g3" />,
			...wrapped(
				'offer',
				'The step finished: to check what it left, quit and run addon-wizard verify with the flag named above; r would run the import again.',
				width,
			),
		];
	}

	// A run stopped before its installer started (config not writable, package changed) left nothing to clean.
	const offer = outcome.error
		? 'Once the cause above is fixed, r runs the step again (a leftover addon-offline-target-package, if any, is shown and removed first).'
		: "r removes the installer's leftover addon-offline-target-package (after showing its size) and re-runs the failed step.";
	return [<Row key="g3" />, ...wrapped('offer', offer, width)];
}

/** What the output showed before a failure, the clusterConfig.yaml backup and the log. */
function recordRows(run: RunState & {outcome: RunOutcome}, width: number): ReactNode[] {
	const rows: ReactNode[] = [];
	const ended = endedVerifications(run);
	if (!run.outcome.ok && (ended.length > 0 || run.tallies.length > 0)) {
		rows.push(...countLines(ended, run.tallies).flatMap((line, index) => wrapped(`sofar${index}`, line, width, 'dim')));
	}

	if (run.config) {
		rows.push(
			<Row key="g2" />,
			<Row key="config" tone="dim">
				clusterConfig.yaml updated; the previous version is kept as
			</Row>,
			...wrapped('backup', run.config.backupPath, width, 'dim', '  '),
		);
	}

	if (run.logPath) {
		rows.push(
			<Row key="log" tone="dim">
				Full log (attach it to a ticket):
			</Row>,
			...wrapped('logpath', run.logPath, width, 'dim', '  '),
		);
	}

	return rows;
}

export function resultRows(state: WizardState, glyphs: Glyphs, size: {width: number}): ReactNode[] {
	const plan = currentPlan(state);
	const run = state.run;
	if (!plan || !run?.outcome) {
		return [];
	}

	const ended = {...run, outcome: run.outcome};
	const cleaned = run.cleaned
		? wrapped(
				'cleaned',
				`Attempt ${run.attempt}: removed ${run.cleaned.path} (${formatBytes(run.cleaned.freedBytes)} freed) before re-running.`,
				size.width,
				'dim',
			)
		: [];
	// The one key that fixes the usual cause, right under the cause: never below the fold.
	const chain = chainRows(state, size.width);
	return [
		...headlineRows(state, plan, ended, glyphs, size.width),
		...cleaned,
		<Row key="g0" />,
		...stepRows(plan, run, glyphs, size.width),
		...causeRows(state, ended, size.width),
		...(chain.length > 0 ? [<Row key="gc" />, ...chain] : []),
		// z puts back what the step overwrote: said beside i, the other way to mend lost arches.
		...undoGap(undoRows(state, size.width)),
		...retryOfferRows(state, run.outcome, size.width),
		// Putting clusterConfig.yaml back is the other thing to decide after a failure: said beside r.
		...restoreRows(run, size.width),
		...recordRows(ended, size.width),
	];
}
