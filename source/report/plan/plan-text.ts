// The plan as plain text, for `plan` without --json and for non-interactive runs (the JSON is the
// contract's Plan document, report/contract/plan.ts). What is printed never carries a password from clusterConfig.yaml, and a
// file name's control characters are shown escaped, never sent to the terminal.
import {pendingChanges} from '../../domain/plan/pending-changes.js';
import {planHazards} from '../../domain/plan/plan-hazards.js';
import {displayCommand} from '../../domain/run/build-installer-command.js';
import {formatBytes} from '../../domain/shared/format-bytes.js';
import {plural} from '../../domain/shared/plural.js';
import type {Finding} from '../../domain/shared/findings.js';
import type {Plan, PreflightCheck, PreflightStatus} from '../../domain/plan/plan.js';
import {packageArch} from '../../domain/plan/decide-operation.js';
import {wordNextStep} from '../../domain/shared/next-step.js';
import {startStepIndex} from '../../domain/plan/preflight.js';
import {showControls} from '../../domain/shared/sanitize-output.js';
import {renderRegistryText} from '../registry/registry-text.js';

const severityMark: Record<Finding['severity'], string> = {info: 'info', warning: 'WARN', error: 'ERROR'};

const statusMark: Record<PreflightStatus, string> = {pass: '[pass] ', warn: '[WARN] ', block: '[BLOCK]'};

/** Masks the passwords a config's own text held (and any value under a password-like key). */
export type Mask = (line: string) => string;

const unmasked: Mask = line => line;

export function renderFinding(finding: Finding): string[] {
	const lines = [`  [${severityMark[finding.severity]}] ${finding.message}`];
	if (finding.hint) {
		lines.push(`          next: ${finding.hint}`);
	}

	return lines;
}

export function renderCheck(check: PreflightCheck): string[] {
	const lines = [`  ${statusMark[check.status]} ${check.message}`];
	if (check.status !== 'pass' && (check.hint || check.then)) {
		lines.push(`          next: ${wordNextStep({hint: check.hint ?? '', then: check.then, otherwise: check.otherwise}, 'plain')}`);
	}

	return lines;
}

function stepLines(plan: Plan): string[] {
	const first = startStepIndex(plan);
	return plan.steps.flatMap((step, index) => {
		const lines = [
			`  ${index + 1}. ${step.title}${index < first ? ` (skipped: --from-step ${first + 1})` : ''}`,
			`     ${displayCommand(step.argv)}`,
			`     (in ${step.cwd})`,
		];
		if (index === first && plan.removeLeftover) {
			lines.push(`     first removes the leftover ${plan.removeLeftover.path} (${formatBytes(plan.removeLeftover.bytes)})`);
		}

		const edit = step.configEdit;
		if (edit) {
			const real = edit.realPath && edit.realPath !== edit.path ? ` (a link: the real file ${edit.realPath} is changed)` : '';
			lines.push(
				`     sets spec.addonPackage.path in ${edit.path}${real}:`,
				...edit.diff
					.trimEnd()
					.split('\n')
					.map(line => `       ${line}`),
			);
		}

		return lines;
	});
}

function verdict(plan: Plan): string {
	if (plan.blocked) {
		return 'Plan is BLOCKED: fix the errors above first.';
	}

	const warnings = plan.preflight
		? plan.preflight.filter(check => check.status === 'warn').length
		: plan.findings.filter(finding => finding.severity === 'warning').length;
	return warnings === 0
		? 'Plan is ready.'
		: `Plan is ready. ${warnings === 1 ? '1 warning' : `${warnings} warnings`} above: read ${warnings === 1 ? 'it' : 'them'} before running.`;
}

const upperFirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Above the verdict: whether running the plan changes anything (what `--detailed-exitcode` and
 * `run --yes` go by), and the hazards an unattended run refuses until `--accept` names them.
 */
function changeLines(plan: Plan): string[] {
	const hazards = planHazards(plan, []);
	const lines = plan.blocked ? [] : [upperFirst(pendingChanges(plan).summary)];
	if (hazards.length === 0) {
		return lines;
	}

	return [
		...lines,
		hazards.length === 1
			? 'Hazard (run --yes refuses it until --accept names its id):'
			: 'Hazards (run --yes refuses them until --accept names each id):',
		...hazards.flatMap(hazard => [`  ${hazard.id}: ${hazard.message}`, `          accept: --accept ${hazard.id}`]),
	];
}

/**
 * The chart counts, and what they were counted against: with the chart repository unread, they are
 * against the cluster's packages or nothing, so "added" must not read as "the repository lacks it".
 */
function chartsLine(plan: Plan): string {
	const {charts, chartsAgainst} = plan.diffs;
	const count = (change: string) => charts.filter(chart => chart.change === change).length;
	const counts = `${count('added')} added, ${count('upgraded')} upgraded, ${count('downgraded')} downgraded, ${count('removed')} removed, ${count('unchanged')} unchanged`;
	if (chartsAgainst?.source !== 'packages' || !plan.registry) {
		return `Charts: ${counts}`;
	}

	return chartsAgainst.files.length > 0
		? `Charts: ${counts} against ${chartsAgainst.files.join(', ')}; the chart repository could not be read, so what it holds is unknown`
		: `Charts: ${plural(charts.length, 'chart')} in the plan, unknown in the chart repository (it could not be read)`;
}

export function renderPlanText(plan: Plan, mask: Mask = unmasked): string {
	const lines: string[] = [plan.reason, ''];
	if (plan.preflight) {
		lines.push('Pre-flight:', ...plan.preflight.flatMap(check => renderCheck(check)), '');
	}

	lines.push('Packages:');
	for (const item of plan.packages) {
		const arch = packageArch(item) ?? '?';
		const confirmed = item.arch.agreed ? 'confirmed by contents' : 'NOT confirmed';
		lines.push(
			`  ${item.fileName}  ${formatBytes(item.size)}  ${arch} (${confirmed})  integrity: ${item.integrity.state}  charts: ${item.charts.length}  images: ${item.images.length}`,
		);
	}

	lines.push('', 'Disk:');
	for (const need of plan.disk) {
		const where = need.paths.map(item => `${item.path} (${item.role})`).join(', ');
		const verdict = need.shortBytes > 0 ? `SHORT by ${formatBytes(need.shortBytes)}` : 'ok';
		lines.push(`  ${where}: needs ${formatBytes(need.neededBytes)}, free ${formatBytes(need.freeBytes)} — ${verdict}`);
	}

	if (plan.registry) {
		const baselineFiles = plan.diffs.chartsAgainst?.source === 'packages' ? plan.diffs.chartsAgainst.files : [];
		lines.push('', ...renderRegistryText(plan.registry, baselineFiles));
	}

	const {registrySpaces, multiArchImages} = plan.diffs;
	lines.push('', chartsLine(plan));
	if (registrySpaces.mustExist.length > 0 && !plan.registry?.checked) {
		lines.push(`Registry spaces that must exist before integration: ${registrySpaces.mustExist.join(', ')}`);
	}

	if (multiArchImages.length > 0) {
		lines.push(`Images that will carry several architectures: ${multiArchImages.length}`);
	}

	// With a checklist, every warning and error is one of its rows; what is left are notes.
	const notes = plan.preflight ? plan.findings.filter(finding => finding.severity === 'info') : plan.findings;
	if (notes.length > 0) {
		lines.push('', plan.preflight ? 'Notes:' : 'Findings:', ...notes.flatMap(finding => renderFinding(finding)));
	}

	lines.push('', 'Steps:', ...stepLines(plan), '', ...changeLines(plan), verdict(plan));
	// Each element is one line: a line break inside a file name is shown as \n, not obeyed.
	return `${lines.map(line => mask(showControls(line))).join('\n')}\n`;
}
