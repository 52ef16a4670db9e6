// Result: what was done, or why it failed and the one key that fixes the usual cause.
import type {ReactNode} from 'react';
import {formatBytes, formatDuration} from '../../domain/format-bytes.js';
import {wordNextStep} from '../../domain/next-step.js';
import {currentPlan, retryStepIndex, type WizardState} from '../../workflow/wizard-reducer.js';
import {Row, Styled} from '../components/Styled.js';
import type {Glyphs} from '../glyphs.js';
import {stepMarks} from './RunScreen.js';
import {wrapped} from '../components/Rows.js';

function retryRows(state: WizardState, width: number): ReactNode[] {
	const retry = state.retry;
	switch (retry.state) {
		case 'measuring': {
			return [<Row key="r">Looking for the installer's leftover addon-offline-target-package…</Row>];
		}

		case 'ask': {
			return wrapped('r', `Remove ${retry.leftover.path} (${formatBytes(retry.leftover.bytes)}) and re-run the step? y removes it, n keeps it.`, width, 'warn');
		}

		case 'cleaning': {
			return [<Row key="r">{`Removing ${retry.leftover.path}…`}</Row>];
		}

		case 'error': {
			return [...wrapped('r', retry.error.message, width, 'error'), ...wrapped('rh', `next: ${wordNextStep(retry.error, 'screen')}`, width, undefined, '  ')];
		}

		case 'idle': {
			return [];
		}
	}
}

export function resultRows(state: WizardState, glyphs: Glyphs, size: {width: number}): ReactNode[] {
	const plan = currentPlan(state);
	const run = state.run;
	if (!plan || !run?.outcome) {
		return [];
	}

	const {outcome} = run;
	const took = run.startedAt && run.endedAt ? formatDuration(run.endedAt - run.startedAt) : '?';
	const marks = stepMarks(run, glyphs);
	const rows: ReactNode[] = [];
	if (outcome.ok) {
		const charts = plan.packages.reduce((sum, item) => sum + item.charts.length, 0);
		const images = plan.packages.reduce((sum, item) => sum + item.images.length, 0);
		rows.push(<Row key="head" tone="ok">{`${glyphs.done} Done in ${took}: ${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'}, ${charts} charts and ${images} images from ${plan.packages.length} package${plan.packages.length === 1 ? '' : 's'}.`}</Row>);
	} else if (outcome.interrupted) {
		rows.push(<Row key="head" tone="warn">{`${glyphs.warning} Stopped after ${took}. The installer was stopped before it finished.`}</Row>);
	} else {
		const index = retryStepIndex(state);
		rows.push(<Row key="head" tone="error">{`${glyphs.failed} Failed after ${took}${index === undefined ? '' : ` at step ${index + 1} of ${plan.steps.length}`}.`}</Row>);
	}

	if (run.cleaned) {
		rows.push(...wrapped('cleaned', `Attempt ${run.attempt}: removed ${run.cleaned.path} (${formatBytes(run.cleaned.freedBytes)} freed) before re-running.`, size.width, 'dim'));
	}

	rows.push(<Row key="g0" />);
	for (const [index, step] of plan.steps.entries()) {
		rows.push(
			<Row key={step.id}>
				<Styled tone={marks[index]!.tone}>{`${marks[index]!.mark} `}</Styled>
				{`${index + 1}. ${step.title}`}
			</Row>,
		);
	}

	const cause = run.failure ?? outcome.error;
	if (!outcome.ok && cause) {
		rows.push(<Row key="g1" />, ...wrapped('cause', `Cause: ${cause.message}`, size.width, 'error'), ...wrapped('hint', `Next: ${wordNextStep(cause, 'screen')}`, size.width));
		if (run.failure?.kind === 'unknown' && run.failure.lastErrors.length > 0) {
			rows.push(<Row key="last" tone="dim">Last error lines:</Row>, ...run.failure.lastErrors.slice(-5).map((line, index) => <Row key={`l${index}`}>{`  ${line}`}</Row>));
		}
	}

	if (run.config) {
		rows.push(<Row key="g2" />, <Row key="config" tone="dim">clusterConfig.yaml updated; the previous version is kept as</Row>, ...wrapped('backup', run.config.backupPath, size.width, 'dim', '  '));
	}

	if (run.logPath) {
		rows.push(<Row key="log" tone="dim">Full log (attach it to a ticket):</Row>, ...wrapped('logpath', run.logPath, size.width, 'dim', '  '));
	}

	const retry = retryRows(state, size.width);
	if (retry.length > 0) {
		rows.push(<Row key="g3" />, ...retry);
	} else if (retryStepIndex(state) !== undefined) {
		// A run stopped before its installer started (config not writable, package changed) left nothing to clean.
		const offer = outcome.error
			? 'Once the cause above is fixed, r runs the step again (a leftover addon-offline-target-package, if any, is shown and removed first).'
			: 'r removes the installer\'s leftover addon-offline-target-package (after showing its size) and re-runs the failed step.';
		rows.push(<Row key="g3" />, ...wrapped('offer', offer, size.width));
	}

	return rows;
}
