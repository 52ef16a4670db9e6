// The plan as plain text, for `plan` without --json and for non-interactive runs.
import {displayCommand} from '../domain/build-installer-command.js';
import {formatBytes} from '../domain/format-bytes.js';
import type {Finding, Plan} from '../domain/model.js';
import {packageArch} from '../domain/decide-operation.js';

const severityMark: Record<Finding['severity'], string> = {info: 'info', warning: 'WARN', error: 'ERROR'};

export function renderFinding(finding: Finding): string[] {
	const lines = [`  [${severityMark[finding.severity]}] ${finding.message}`];
	if (finding.hint) {
		lines.push(`          next: ${finding.hint}`);
	}

	return lines;
}

export function renderPlanText(plan: Plan): string {
	const lines: string[] = [plan.reason, ''];
	lines.push('Packages:');
	for (const item of plan.packages) {
		const arch = packageArch(item) ?? '?';
		const confirmed = item.arch.agreed ? 'confirmed by contents' : 'NOT confirmed';
		lines.push(`  ${item.fileName}  ${formatBytes(item.size)}  ${arch} (${confirmed})  integrity: ${item.integrity.state}  charts: ${item.charts.length}  images: ${item.images.length}`);
	}

	lines.push('', 'Disk:');
	for (const need of plan.disk) {
		const where = need.paths.map(item => `${item.path} (${item.role})`).join(', ');
		const verdict = need.shortBytes > 0 ? `SHORT by ${formatBytes(need.shortBytes)}` : 'ok';
		lines.push(`  ${where}: needs ${formatBytes(need.neededBytes)}, free ${formatBytes(need.freeBytes)} — ${verdict}`);
	}

	const {registrySpaces, charts, multiArchImages} = plan.diffs;
	const count = (change: string) => charts.filter(chart => chart.change === change).length;
	lines.push('', `Charts: ${count('added')} added, ${count('upgraded')} upgraded, ${count('downgraded')} downgraded, ${count('removed')} removed, ${count('unchanged')} unchanged`);
	if (registrySpaces.mustExist.length > 0) {
		lines.push(`Registry spaces that must exist before integration: ${registrySpaces.mustExist.join(', ')}`);
	}

	if (multiArchImages.length > 0) {
		lines.push(`Images that will carry several architectures: ${multiArchImages.length}`);
	}

	if (plan.findings.length > 0) {
		lines.push('', 'Findings:', ...plan.findings.flatMap(finding => renderFinding(finding)));
	}

	lines.push('', 'Steps:');
	for (const [index, step] of plan.steps.entries()) {
		lines.push(`  ${index + 1}. ${step.title}`, `     ${displayCommand(step.argv)}`, `     (in ${step.cwd})`);
		if (step.configEdit) {
			lines.push(`     sets spec.addonPackage.path in ${step.configEdit.path}:`, ...step.configEdit.diff.trimEnd().split('\n').map(line => `       ${line}`));
		}
	}

	lines.push('', plan.blocked ? 'Plan is BLOCKED: fix the errors above first.' : 'Plan is ready.');
	return `${lines.join('\n')}\n`;
}
