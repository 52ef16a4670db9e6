// Review: what the wizard decided and why, the pre-flight checklist (each check pass / warn /
// block with its next step), whether the disks can take it, what the registry holds and what the
// plan does to it (or why it could not be read), what changes in the charts and clusterConfig.yaml.
// The verdict, and the question `c` asks, are pinned above the footer.
import type {ReactNode} from 'react';
import {packageArch} from '../../domain/plan/decide-operation.js';
import {formatBytes} from '../../domain/shared/format-bytes.js';
import {wordNextStep} from '../../domain/shared/next-step.js';
import type {ChartChange} from '../../domain/registry/chart-diff.js';
import type {DiskNeed, Plan, PreflightCheck, PreflightCheckId, PreflightStatus} from '../../domain/plan/plan.js';
import type {Finding} from '../../domain/shared/findings.js';
import {showControls} from '../../domain/shared/sanitize-output.js';
import {chosenPackages, type WizardState} from '../../workflow/wizard/wizard-reducer.js';
import {Row, Styled, type Tone} from '../components/Styled.js';
import type {Glyphs} from '../glyphs.js';
import {bar, percent, wrapText} from '../text.js';
import {findingRows, wrapped} from '../components/Rows.js';
import {registryRows, spacesQuestionRows} from '../components/RegistryRows.js';

/** A long diff line wraps under its own text, each part keeping the line's +/- sign and colour. */
function diffRows(key: string, line: string, width: number): ReactNode[] {
	const sign = /^[-+ @]/.test(line) && !/^(---|\+\+\+|@@)/.test(line) ? line[0]! : '';
	const tone: Tone = sign === '+' || line.startsWith('+++') ? 'ok' : sign === '-' || line.startsWith('---') ? 'error' : 'dim';
	return wrapText(line.slice(sign.length), width - 2 - sign.length).map((part, index) => (
		<Row key={`${key}${index}`} tone={tone}>{`  ${sign}${part}`}</Row>
	));
}

function diskRows(needs: DiskNeed[], glyphs: Glyphs, width: number): ReactNode[] {
	return needs.flatMap((need, index) => {
		const where = need.paths.map(item => `${showControls(item.path)} (${item.role})`).join(', ');
		const fraction = need.freeBytes > 0 ? need.neededBytes / need.freeBytes : 1;
		const short = need.shortBytes > 0;
		const credited = need.neededBytes - need.freeBytes - need.shortBytes > 0;
		const verdict = short
			? `SHORT by ${formatBytes(need.shortBytes)}`
			: credited
				? `fits once the leftover is removed`
				: `${percent(fraction)} of free space`;
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
			const versions =
				change.from && change.to && change.from !== change.to ? `${change.from} -> ${change.to}` : (change.to ?? change.from ?? '');
			rows.push(
				<Row
					key={`c${change.name}`}
					tone={change.change === 'removed' || change.change === 'downgraded' ? 'warn' : undefined}
				>{`    ${change.change.padEnd(10)} ${change.name} ${versions}`}</Row>,
			);
		}
	}

	return rows;
}

const statusTone: Record<PreflightStatus, Tone> = {pass: 'ok', warn: 'warn', block: 'error'};

function statusMark(status: PreflightStatus, glyphs: Glyphs): string {
	return status === 'pass' ? glyphs.done : status === 'warn' ? glyphs.warning : glyphs.error;
}

/** Text after a mark, its wrapped lines hanging under the text rather than the mark. */
export function marked(key: string, mark: string, text: string, width: number, tone: Tone | undefined, indent: string): ReactNode[] {
	const hang = `${indent}${' '.repeat(mark.length + 1)}`;
	return wrapText(text, width - hang.length).map((line, index) => (
		<Row key={`${key}${index}`} tone={tone}>{`${index === 0 ? `${indent}${mark} ` : hang}${line}`}</Row>
	));
}

/** What a passed check is called in the one line that sums the passes up (plan prints each in full). */
const passedName: Record<PreflightCheckId, string> = {
	config: 'kind ClusterConfig',
	workdir: 'working directory writable',
	leftover: 'no leftover',
	installer: 'installer can start',
	'from-step': 'steps',
	disk: 'disk space',
	'registry-spaces': 'registry spaces',
	hazard: 'no version hazards',
	download: 'packages complete',
};

/**
 * What stops the plan first, then what it warns about, each in full with its next step; what
 * passed in one line after them: the section stays short, and what needs the operator comes first.
 */
function checklistRows(checks: PreflightCheck[], glyphs: Glyphs, width: number): ReactNode[] {
	const needing = [...checks.filter(check => check.status === 'block'), ...checks.filter(check => check.status === 'warn')];
	const passed = [...new Set(checks.filter(check => check.status === 'pass').map(check => check.passedAs ?? passedName[check.id]))];
	return [
		...needing.flatMap((check, index) => [
			...marked(`pf${index}`, statusMark(check.status, glyphs), showControls(check.message), width, statusTone[check.status], '  '),
			...(check.hint || check.then
				? wrapped(
						`pn${index}`,
						`next: ${wordNextStep({hint: check.hint ?? '', then: check.then, otherwise: check.otherwise}, 'screen')}`,
						width,
						undefined,
						'    ',
					)
				: []),
		]),
		...(passed.length > 0
			? marked('pass', glyphs.done, `${needing.length > 0 ? 'Passed' : 'All checks passed'}: ${passed.join(', ')}`, width, undefined, '  ')
			: []),
	];
}

function configEditRows(plan: Plan, width: number): ReactNode[] {
	const edit = plan.steps.find(step => step.configEdit)?.configEdit;
	if (!edit) {
		return [];
	}

	const real =
		edit.realPath && edit.realPath !== edit.path
			? `Change to ${showControls(edit.path)}, a link: the real file ${showControls(edit.realPath)} is changed (a backup is kept beside it)`
			: `Change to ${showControls(edit.path)} (a backup is kept beside it)`;
	return [
		<Row key="g5" />,
		...wrapped('edit', real, width, 'title'),
		...edit.diff
			.trimEnd()
			.split('\n')
			.flatMap((line, index) => diffRows(`e${index}-`, showControls(line), width)),
	];
}

function planRows(plan: Plan, state: WizardState, glyphs: Glyphs, width: number): ReactNode[] {
	const rows: ReactNode[] = [...wrapped('reason', plan.reason, width, 'title')];
	// On a small terminal the lower sections are below the fold: the checks come first.
	if (plan.preflight) {
		rows.push(
			<Row key="gp" />,
			<Row key="preflight" tone="title">
				Pre-flight
			</Row>,
			...checklistRows(plan.preflight, glyphs, width),
		);
	}

	rows.push(<Row key="g0" />);
	for (const item of plan.packages) {
		const confirmed = item.arch.agreed ? `${glyphs.done} confirmed` : 'not confirmed';
		// Package names alone take ~50 columns: what was learned about one goes on the row below.
		rows.push(
			<Row key={item.path}>{`  ${showControls(item.fileName)}`}</Row>,
			<Row
				key={`${item.path}-facts`}
			>{`    ${formatBytes(item.size)}  ${packageArch(item) ?? '?'} ${confirmed}  checksum ${item.integrity.state}`}</Row>,
		);
	}

	// Every package spec.addonPackage.path names (a list may name one per kind and arch).
	for (const [index, baseline] of (plan.baselines ?? []).entries()) {
		rows.push(<Row key={`baseline${index}`} tone="dim">{`  now in the cluster: ${showControls(baseline.fileName)}`}</Row>);
	}

	rows.push(
		<Row key="g1" />,
		<Row key="disk" tone="title">
			Disk space
		</Row>,
		...diskRows(plan.disk, glyphs, width),
	);
	const {registrySpaces, multiArchImages, charts, chartsAgainst} = plan.diffs;
	if (plan.registry) {
		const baselineFiles = chartsAgainst?.source === 'packages' ? chartsAgainst.files : [];
		rows.push(
			<Row key="g2" />,
			...registryRows(plan.registry, {showTags: state.showRegistryTags, spaces: state.spaces, baselineFiles}, glyphs, width),
		);
	} else {
		rows.push(
			<Row key="g2" />,
			<Row key="spaces" tone="title">
				Registry spaces
			</Row>,
		);
		if (registrySpaces.mustExist.length > 0) {
			rows.push(...wrapped('must', `Must exist before the import: ${registrySpaces.mustExist.join(', ')}`, width, 'warn', '  '));
			rows.push(
				...wrapped(
					'remedy',
					'Create each as a project in the registry (Harbor: Projects > New Project), then continue.',
					width,
					undefined,
					'    ',
				),
			);
		} else {
			rows.push(<Row key="nospace">{`  No new spaces needed (${registrySpaces.alreadyUsed.length} already in use).`}</Row>);
		}
	}

	rows.push(<Row key="g3" />, ...chartRows(charts, state.showChartDetails));
	if (multiArchImages.length > 0) {
		rows.push(<Row key="multi">{`Images that will carry several architectures: ${multiArchImages.length}`}</Row>);
	}

	// With a checklist, every warning and error is a row of it; what is left are notes.
	const notes: Finding[] = plan.preflight ? plan.findings.filter(finding => finding.severity === 'info') : plan.findings;
	if (notes.length > 0) {
		rows.push(
			<Row key="g4" />,
			<Row key="findings" tone="title">
				{plan.preflight ? 'Notes' : 'Warnings'}
			</Row>,
			...findingRows(notes, glyphs, width),
		);
	}

	rows.push(...configEditRows(plan, width));
	return rows;
}

/** Which warning the verdict names when there are several: what the import does to the cluster first, what the run does last. */
const warningWeight: PreflightCheckId[] = [
	'hazard',
	'registry-spaces',
	'disk',
	'download',
	'installer',
	'workdir',
	'config',
	'from-step',
	'leftover',
];

function importantFirst(checks: PreflightCheck[]): PreflightCheck[] {
	return [...checks].sort((a, b) => warningWeight.indexOf(a.id) - warningWeight.indexOf(b.id));
}

/** What blocks the plan, or what it warns about, or that it is ready: never scrolled away. */
function verdictRows(plan: Plan, glyphs: Glyphs, width: number): ReactNode[] {
	if (plan.blocked) {
		const blocks =
			plan.preflight?.filter(check => check.status === 'block') ?? plan.findings.filter(finding => finding.severity === 'error');
		const [first] = blocks;
		const more = blocks.length > 1 ? ` (+${blocks.length - 1} more above)` : '';
		const next = wordNextStep(
			{hint: first?.hint ?? 'Fix the errors above, then run the wizard again', then: first && 'then' in first ? first.then : undefined},
			'screen',
		);
		return [
			...marked(
				'verdict',
				glyphs.error,
				`The plan is blocked: ${first ? showControls(first.message) : 'see above.'}${more}`,
				width,
				'error',
				'',
			),
			...wrapped('verdict-next', `next: ${next}`, width, undefined, '  '),
		];
	}

	const warnings = plan.preflight
		? importantFirst(plan.preflight.filter(check => check.status === 'warn'))
		: plan.findings.filter(finding => finding.severity === 'warning');
	if (warnings.length > 0) {
		const count = warnings.length === 1 ? '1 warning' : `${warnings.length} warnings`;
		return [
			...marked(
				'verdict',
				glyphs.warning,
				`Ready, with ${count}${warnings.length > 1 ? ', the first' : ''}: ${showControls(warnings[0]!.message)}`,
				width,
				'warn',
				'',
			),
			...wrapped('verdict-next', 'Press enter to see the exact commands; Confirm asks you to type yes.', width, undefined, '  '),
		];
	}

	// Ready, but the operator should know when it moves nothing, or what it was not checked against.
	const held = plan.findings.find(finding => finding.code === 'already-in-registry');
	const unchecked =
		plan.registry && !plan.registry.checked
			? `Not checked against the registry${plan.registry.problem ? `: ${showControls(plan.registry.problem.message)}` : ''}`
			: undefined;
	return [
		<Row key="verdict" tone="ok">{`${glyphs.done} Ready. Press enter to see the exact commands.`}</Row>,
		...(held ? wrapped('verdict-held', held.message, width, undefined, '  ') : []),
		...(unchecked ? wrapped('verdict-unchecked', unchecked, width, 'warn', '  ') : []),
	];
}

/** The rows pinned above the footer: the verdict, once there is a plan; a gap above it where there is room. */
export function reviewPinned(state: WizardState, glyphs: Glyphs, size: {width: number; height: number}): ReactNode[] {
	if (state.plan.state !== 'ready') {
		return [];
	}

	const verdict = [...spacesQuestionRows(state.spaces, glyphs, size.width), ...verdictRows(state.plan.plan, glyphs, size.width)];
	return size.height >= 16 ? [<Row key="pin-gap" />, ...verdict] : verdict;
}
export function reviewRows(state: WizardState, glyphs: Glyphs, size: {width: number}): ReactNode[] {
	switch (state.plan.state) {
		case 'waiting': {
			return [
				<Row key="wait">Reading the chosen packages before the plan can be made…</Row>,
				...chosenPackages(state).map(item => {
					const status = state.inspections[item.path];
					const fraction =
						status?.state === 'progress' && status.totalBytes > 0 ? status.bytesRead / status.totalBytes : status?.state === 'done' ? 1 : 0;
					return (
						<Row
							key={item.path}
						>{`  ${bar(fraction, 20, glyphs.barFull, glyphs.barEmpty)} ${percent(fraction).padStart(4)}  ${item.fileName}`}</Row>
					);
				}),
			];
		}

		case 'building': {
			// Reading the baseline (the package in addonPackage.path) can take a minute for 25 GB.
			const reading = state.baselineReading;
			const fraction = reading && reading.totalBytes > 0 ? reading.bytesRead / reading.totalBytes : 0;
			const registry = state.registryReading;
			const tags = registry && registry.total > 0 ? registry.done / registry.total : 0;
			return [
				<Row key="build">Reading clusterConfig.yaml and what the cluster has now, building the plan…</Row>,
				...(reading
					? [
							<Row key="bar">{`  ${bar(fraction, 20, glyphs.barFull, glyphs.barEmpty)} ${percent(fraction).padStart(4)}  reading the package in the cluster:`}</Row>,
							...wrapped('file', reading.path, size.width, 'dim', '    '),
						]
					: []),
				...(registry?.connectingTo
					? wrapped('registry', `connecting to the registry at ${registry.connectingTo}…`, size.width, 'dim', '  ')
					: []),
				...(registry && !registry.connectingTo
					? [
							<Row key="registry">{`  ${bar(tags, 20, glyphs.barFull, glyphs.barEmpty)} ${percent(tags).padStart(4)}  reading the registry: ${registry.done} of ${registry.total} tags`}</Row>,
						]
					: []),
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
