// Review: what the wizard decided and why, whether the disks can take it, what the registry
// must already have, what changes in the charts and clusterConfig.yaml, and what is hazardous.
import type {ReactNode} from 'react';
import {packageArch} from '../../domain/decide-operation.js';
import {formatBytes} from '../../domain/format-bytes.js';
import {wordNextStep} from '../../domain/next-step.js';
import type {ChartChange, DiskNeed, Plan} from '../../domain/model.js';
import {chosenPackages, type WizardState} from '../../workflow/wizard-reducer.js';
import {Row, Styled, type Tone} from '../components/Styled.js';
import type {Glyphs} from '../glyphs.js';
import {bar, percent, wrapText} from '../text.js';
import {findingRows, wrapped} from '../components/Rows.js';

/** A long diff line wraps under its own text, each part keeping the line's +/- sign and colour. */
function diffRows(key: string, line: string, width: number): ReactNode[] {
	const sign = /^[-+ @]/.test(line) && !/^(---|\+\+\+|@@)/.test(line) ? line[0]! : '';
	const tone: Tone = sign === '+' || line.startsWith('+++') ? 'ok' : sign === '-' || line.startsWith('---') ? 'error' : 'dim';
	return wrapText(line.slice(sign.length), width - 2 - sign.length).map((part, index) => <Row key={`${key}${index}`} tone={tone}>{`  ${sign}${part}`}</Row>);
}

function diskRows(needs: DiskNeed[], glyphs: Glyphs, width: number): ReactNode[] {
	return needs.flatMap((need, index) => {
		const where = need.paths.map(item => `${item.path} (${item.role})`).join(', ');
		const fraction = need.freeBytes > 0 ? need.neededBytes / need.freeBytes : 1;
		const short = need.shortBytes > 0;
		const verdict = short ? `SHORT by ${formatBytes(need.shortBytes)}` : `${percent(fraction)} of free space`;
		return [
			...wrapped(`dw${index}`, where, width, undefined, '  '),
			<Row key={`db${index}`}>
				{'    '}
				<Styled tone={short ? 'error' : fraction > 0.8 ? 'warn' : 'ok'}>{bar(fraction, 20, glyphs.barFull, glyphs.barEmpty)}</Styled>
				{` needs ${formatBytes(need.neededBytes)} of ${formatBytes(need.freeBytes)} free  `}
				<Styled tone={short ? 'error' : 'ok'}>{verdict}</Styled>
			</Row>,
		];
	});
}

function chartRows(changes: ChartChange[], showDetails: boolean): ReactNode[] {
	const count = (change: ChartChange['change']) => changes.filter(chart => chart.change === change).length;
	const summary = `Charts: ${count('added')} added, ${count('upgraded')} upgraded, ${count('downgraded')} downgraded, ${count('removed')} removed, ${count('unchanged')} unchanged`;
	const rows: ReactNode[] = [<Row key="charts">{`${summary} (d: ${showDetails ? 'hide' : 'list'})`}</Row>];
	if (showDetails) {
		const order: Array<ChartChange['change']> = ['added', 'upgraded', 'downgraded', 'removed', 'unchanged'];
		for (const change of [...changes].sort((a, b) => order.indexOf(a.change) - order.indexOf(b.change) || a.name.localeCompare(b.name))) {
			const versions = change.from && change.to && change.from !== change.to ? `${change.from} -> ${change.to}` : change.to ?? change.from ?? '';
			rows.push(<Row key={`c${change.name}`} tone={change.change === 'removed' || change.change === 'downgraded' ? 'warn' : undefined}>{`    ${change.change.padEnd(10)} ${change.name} ${versions}`}</Row>);
		}
	}

	return rows;
}

function planRows(plan: Plan, state: WizardState, glyphs: Glyphs, width: number): ReactNode[] {
	const rows: ReactNode[] = [...wrapped('reason', plan.reason, width, 'title')];
	// On a small terminal the Warnings section is below the fold: what blocks the plan shows first.
	const errors = plan.findings.filter(finding => finding.severity === 'error');
	if (errors.length > 0) {
		const more = errors.length > 1 ? ` (and ${errors.length - 1} more under Warnings)` : ' (see Warnings)';
		rows.push(...wrapped('blocker', `${glyphs.error} Blocked: ${errors[0]!.message}${more}`, width, 'error'));
	}

	rows.push(<Row key="g0" />);
	for (const item of plan.packages) {
		const confirmed = item.arch.agreed ? `${glyphs.done} confirmed` : 'not confirmed';
		// Package names alone take ~50 columns: what was learned about one goes on the row below.
		rows.push(<Row key={item.path}>{`  ${item.fileName}`}</Row>, <Row key={`${item.path}-facts`}>{`    ${formatBytes(item.size)}  ${packageArch(item) ?? '?'} ${confirmed}  checksum ${item.integrity.state}`}</Row>);
	}

	if (plan.baseline) {
		rows.push(<Row key="baseline" tone="dim">{`  now in the cluster: ${plan.baseline.fileName}`}</Row>);
	}

	rows.push(<Row key="g1" />, <Row key="disk" tone="title">Disk space</Row>, ...diskRows(plan.disk, glyphs, width));
	const {registrySpaces, multiArchImages, charts} = plan.diffs;
	rows.push(<Row key="g2" />, <Row key="spaces" tone="title">Registry spaces</Row>);
	if (registrySpaces.mustExist.length > 0) {
		rows.push(...wrapped('must', `Must exist before the import: ${registrySpaces.mustExist.join(', ')}`, width, 'warn', '  '));
		rows.push(...wrapped('remedy', 'Create each as a project in the registry (Harbor: Projects > New Project), then continue.', width, undefined, '    '));
	} else {
		rows.push(<Row key="nospace">{`  No new spaces needed (${registrySpaces.alreadyUsed.length} already in use).`}</Row>);
	}

	rows.push(<Row key="g3" />, ...chartRows(charts, state.showChartDetails));
	if (multiArchImages.length > 0) {
		rows.push(<Row key="multi">{`Images that will carry several architectures: ${multiArchImages.length}`}</Row>);
	}

	if (plan.findings.length > 0) {
		rows.push(<Row key="g4" />, <Row key="findings" tone="title">Warnings</Row>, ...findingRows(plan.findings, glyphs, width));
	}

	const edit = plan.steps.find(step => step.configEdit)?.configEdit;
	if (edit) {
		rows.push(<Row key="g5" />, ...wrapped('edit', `Change to ${edit.path} (a backup is kept beside it)`, width, 'title'));
		for (const [index, line] of edit.diff.trimEnd().split('\n').entries()) {
			rows.push(...diffRows(`e${index}-`, line, width));
		}
	}

	rows.push(<Row key="g6" />);
	rows.push(...(plan.blocked
		? wrapped('verdict', `${glyphs.error} The plan is blocked: fix the errors above, then run the wizard again (b back, q quit).`, width, 'error')
		: [<Row key="verdict" tone="ok">{`${glyphs.done} Ready. Press enter to see the exact commands.`}</Row>]));
	return rows;
}

export function reviewRows(state: WizardState, glyphs: Glyphs, size: {width: number}): ReactNode[] {
	switch (state.plan.state) {
		case 'waiting': {
			return [
				<Row key="wait">Reading the chosen packages before the plan can be made…</Row>,
				...chosenPackages(state).map(item => {
					const status = state.inspections[item.path];
					const fraction = status?.state === 'progress' && status.totalBytes > 0 ? status.bytesRead / status.totalBytes : status?.state === 'done' ? 1 : 0;
					return <Row key={item.path}>{`  ${bar(fraction, 20, glyphs.barFull, glyphs.barEmpty)} ${percent(fraction).padStart(4)}  ${item.fileName}`}</Row>;
				}),
			];
		}

		case 'building': {
			// Reading the baseline (the package in addonPackage.path) can take a minute for 25 GB.
			const reading = state.baselineReading;
			const fraction = reading && reading.totalBytes > 0 ? reading.bytesRead / reading.totalBytes : 0;
			return [
				<Row key="build">Reading clusterConfig.yaml and what the cluster has now, building the plan…</Row>,
				...(reading ? [
					<Row key="bar">{`  ${bar(fraction, 20, glyphs.barFull, glyphs.barEmpty)} ${percent(fraction).padStart(4)}  reading the package in the cluster:`}</Row>,
					...wrapped('file', reading.path, size.width, 'dim', '    '),
				] : []),
			];
		}

		case 'error': {
			return [
				...wrapped('err', `${glyphs.error} ${state.plan.error.message}`, size.width, 'error'),
				...wrapped('hint', `next: ${wordNextStep(state.plan.error, 'screen')}`, size.width, undefined, '  '),
			];
		}

		case 'ready': {
			return planRows(state.plan.plan, state, glyphs, size.width);
		}

		case 'none': {
			return [];
		}
	}
}
