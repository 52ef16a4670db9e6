// Confirm: the plan's warnings again, then the exact commands, in order, before anything runs.
// The question is pinned above the footer: `y` runs a plan without warnings; one with warnings
// asks for `yes` typed out. Enter alone never starts the installer.
import type {ReactNode} from 'react';
import {displayCommand} from '../../domain/run/build-installer-command.js';
import {formatBytes} from '../../domain/shared/format-bytes.js';
import {confirmWarnings, startStepIndex} from '../../domain/plan/preflight.js';
import {showControls} from '../../domain/shared/sanitize-output.js';
import {confirmNeedsYes} from '../../workflow/wizard/plan-slice.js';
import {currentPlan, type WizardState} from '../../workflow/wizard/wizard-reducer.js';
import {Row} from '../components/Styled.js';
import {wrapped} from '../components/Rows.js';
import type {Glyphs} from '../glyphs.js';
import {shellLines} from '../text.js';
import {marked} from './ReviewScreen.js';

function warningRows(state: WizardState, glyphs: Glyphs, width: number): ReactNode[] {
	const plan = currentPlan(state);
	const warnings = plan ? confirmWarnings(plan) : [];
	if (warnings.length === 0) {
		return [];
	}

	return [
		<Row key="wt" tone="warn">
			{warnings.length === 1 ? 'Before it runs, one warning:' : `Before it runs, ${warnings.length} warnings:`}
		</Row>,
		...warnings.flatMap((warning, index) => [
			...marked(`w${index}`, glyphs.warning, showControls(warning.message), width, 'warn', '  '),
			...(warning.hint ? wrapped(`wh${index}`, `next: ${warning.hint}`, width, undefined, '    ') : []),
		]),
		<Row key="wg" />,
	];
}

export function confirmRows(state: WizardState, size: {width: number}, glyphs: Glyphs): ReactNode[] {
	const plan = currentPlan(state);
	if (!plan) {
		return [];
	}

	const first = startStepIndex(plan);
	const running = plan.steps.length - first;
	const rows: ReactNode[] = [
		...warningRows(state, glyphs, size.width),
		<Row key="intro" tone="title">
			{running === 1 ? 'This command runs:' : `These ${running} commands run, in this order:`}
		</Row>,
		<Row key="g" />,
	];
	for (const [index, step] of plan.steps.entries()) {
		if (index < first) {
			rows.push(<Row key={`t${index}`} tone="dim">{`${index + 1}. ${step.title} (skipped: --from-step ${first + 1})`}</Row>);
			continue;
		}

		rows.push(<Row key={`t${index}`} tone="title">{`${index + 1}. ${step.title}`}</Row>);
		if (index === first && plan.removeLeftover) {
			rows.push(
				...wrapped(
					`l${index}`,
					`first removes the leftover ${showControls(plan.removeLeftover.path)} (${formatBytes(plan.removeLeftover.bytes)})`,
					size.width,
					'warn',
					'   ',
				),
			);
		}

		if (step.configEdit) {
			const {path, realPath, newPaths} = step.configEdit;
			const file = realPath && realPath !== path ? `${path} (a link: the real file ${realPath})` : path;
			rows.push(
				...wrapped(
					`e${index}`,
					`first sets spec.addonPackage.path in ${showControls(file)} to ${showControls(newPaths.join(', '))} (backup kept)`,
					size.width,
					'warn',
					'   ',
				),
			);
		}

		rows.push(
			...shellLines(['$', ...step.argv.map(arg => displayCommand([arg]))], size.width - 3).map((line, part) => (
				<Row key={`c${index}-${part}`} tone="accent">{`   ${line}`}</Row>
			)),
		);
		rows.push(...wrapped(`d${index}`, `in ${showControls(step.cwd)}`, size.width, 'dim', '   '));
	}

	return rows;
}

/** The question, pinned above the footer so no scroll position hides it, with what was typed. */
export function confirmPinned(state: WizardState, _glyphs: Glyphs, size: {width: number; height: number}): ReactNode[] {
	const plan = currentPlan(state);
	if (!plan) {
		return [];
	}

	const gap = size.height >= 16 ? [<Row key="pin-gap" />] : [];
	if (!confirmNeedsYes(state)) {
		return [
			...gap,
			...wrapped('ask', 'Run now? y runs, b goes back, q quits without changing anything.', size.width),
			...(state.confirm.refused === 'enter'
				? wrapped('nudge', 'Enter alone does not start the installer: press y to run it.', size.width, 'warn')
				: []),
		];
	}

	const count = confirmWarnings(plan).length;
	return [
		...gap,
		...wrapped(
			'ask',
			`Run now? Despite ${count === 1 ? 'the warning' : `the ${count} warnings`} above: type yes and press enter (esc goes back, ctrl+c quits).`,
			size.width,
		),
		<Row key="typed" tone="accent">{`  > ${showControls(state.confirm.typed)}_`}</Row>,
		...(state.confirm.refused
			? wrapped(
					'nudge',
					state.confirm.refused === 'enter'
						? 'Enter alone does not start the installer: type yes first.'
						: 'That was not yes, so nothing runs. Type yes and press enter.',
					size.width,
					'warn',
				)
			: []),
	];
}
