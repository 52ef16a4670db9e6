// Confirm: the exact commands, in order, before anything runs.
import type {ReactNode} from 'react';
import {displayCommand} from '../../domain/build-installer-command.js';
import {currentPlan, type WizardState} from '../../workflow/wizard-reducer.js';
import {Row} from '../components/Styled.js';
import {wrapped} from '../components/Rows.js';
import {shellLines} from '../text.js';

export function confirmRows(state: WizardState, size: {width: number}): ReactNode[] {
	const plan = currentPlan(state);
	if (!plan) {
		return [];
	}

	const rows: ReactNode[] = [<Row key="intro" tone="title">{plan.steps.length === 1 ? 'This command runs:' : `These ${plan.steps.length} commands run, in this order:`}</Row>, <Row key="g" />];
	for (const [index, step] of plan.steps.entries()) {
		rows.push(<Row key={`t${index}`} tone="title">{`${index + 1}. ${step.title}`}</Row>);
		if (step.configEdit) {
			rows.push(...wrapped(`e${index}`, `first sets spec.addonPackage.path in ${step.configEdit.path} to ${step.configEdit.newPaths.join(', ')} (backup kept)`, size.width, 'warn', '   '));
		}

		rows.push(...shellLines(['$', ...step.argv.map(arg => displayCommand([arg]))], size.width - 3).map((line, part) => <Row key={`c${index}-${part}`} tone="accent">{`   ${line}`}</Row>));
		rows.push(...wrapped(`d${index}`, `in ${step.cwd}`, size.width, 'dim', '   '));
	}

	rows.push(<Row key="g2" />, <Row key="ask">Run now? y or enter runs, b goes back, q quits without changing anything.</Row>);
	return rows;
}
