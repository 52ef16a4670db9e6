// The pre-flight checklist: every fact that decides whether a run can start, checked before
// anything changes, one row each, pass / warn / block with its next step. Facts in, rows out: the
// adapters gather the facts (preflight-facts.ts), the plan carries both, and a choice on Review
// (remove the leftover) or a retry builds the rows again from the same or fresher facts.
import {diskFindings} from './estimate-disk-needs.js';
import {formatBytes} from '../shared/format-bytes.js';
import {plural} from '../shared/plural.js';
import {targetDirName} from '../packages/target-dir-name.js';
import type {DiskNeed, Plan, PreflightCheck, PreflightFacts} from './plan.js';
import type {Finding, FindingCode} from '../shared/findings.js';
import type {NextAction} from '../shared/next-step.js';
import {cleanupRefused, unexplainedLeftoverRow} from './leftover-unexplained-row.js';
import {downloadRows} from './download-rows.js';
import {installerFindings, installerRow} from './installer-rows.js';

/** What `x` on Review and `--cleanup` without screens do about a leftover. */
export const removeLeftoverAction: NextAction = {key: 'x', flag: '--cleanup', text: 'remove it as part of the run'};

/** What `c` on Review and `--create-spaces` without screens do about Harbor projects a registry lacks. */
export const createSpacesAction: NextAction = {
	key: 'c',
	flag: '--create-spaces',
	text: 'create them as public Harbor projects (shown first)',
};

/** Findings the checklist builds from facts itself (so they are rebuilt with the facts), not passed through. */
const derivedCodes = new Set<FindingCode>(['installer-missing', 'installer-cannot-run', 'disk-short']);
/** Findings a dedicated row already says, so they get no `hazard` row of their own. */
const rowCodes = new Set<FindingCode>([...derivedCodes, 'registry-space-missing']);

const row = (check: PreflightCheck): PreflightCheck => check;

function configRow(plan: Plan): PreflightCheck {
	const {path, kind, apiVersion} = plan.cluster;
	const edit = plan.steps.find(step => step.configEdit)?.configEdit;
	const real = edit?.realPath && edit.realPath !== edit.path ? `; it is a link, the edit goes to ${edit.realPath}` : '';
	return kind === 'ClusterConfig'
		? row({id: 'config', status: 'pass', message: `${path}: kind ClusterConfig${apiVersion ? ` (${apiVersion})` : ''}${real}`})
		: row({
				id: 'config',
				status: 'block',
				message: `${path} is not a ClusterConfig (kind: ${kind ?? 'none'}).`,
				hint: "Pass the installer's clusterConfig.yaml with -c.",
			});
}

function workdirRow({workdir}: PreflightFacts): PreflightCheck {
	const fix = 'Run from a writable folder or pass --workdir DIR on a filesystem with room for the unpack.';
	if (!workdir.exists) {
		return row({
			id: 'workdir',
			status: 'block',
			message: `Working directory ${workdir.path} does not exist.`,
			hint: `Create it (mkdir -p ${workdir.path}) or pass --workdir DIR.`,
		});
	}

	if (!workdir.isDirectory) {
		return row({id: 'workdir', status: 'block', message: `Working directory ${workdir.path} is not a directory.`, hint: fix});
	}

	return workdir.writable
		? row({id: 'workdir', status: 'pass', message: `Working directory ${workdir.path} is writable`})
		: row({
				id: 'workdir',
				status: 'block',
				message: `Working directory ${workdir.path} is not writable: the installer cannot unpack there.`,
				hint: fix,
			});
}

function leftoverRow(facts: PreflightFacts, removing: boolean, firstStep: number): PreflightCheck {
	const {leftover, workdir} = facts;
	if (!leftover) {
		return row({id: 'leftover', status: 'pass', message: `No leftover ${targetDirName} in ${workdir.path}`});
	}

	if (leftover.type !== 'directory') {
		return row({
			id: 'leftover',
			status: 'block',
			message: `${leftover.path} is a ${leftover.type}, not the installer's directory, and the installer stops on it.`,
			hint: "Move it aside by hand (the wizard removes only the installer's own directory), then plan again.",
		});
	}

	const unexplained = unexplainedLeftoverRow(facts, removing, firstStep);
	if (unexplained) {
		return unexplained;
	}

	const size = formatBytes(leftover.bytes);
	return removing
		? row({
				id: 'leftover',
				status: 'warn',
				message: `Removes the leftover ${leftover.path} (${size}) just before step ${firstStep}.`,
				hint: 'It is checked again just before, and kept if an installer is still writing there.',
			})
		: row({
				id: 'leftover',
				status: 'block',
				message: `Leftover ${leftover.path} (${size}) from an earlier run: the installer stops on it, after clusterConfig.yaml was changed.`,
				hint: 'Look inside if unsure (an interrupted import leaves it)',
				then: removeLeftoverAction,
			});
}

function fromStepRow(plan: Plan, facts: PreflightFacts): PreflightCheck[] {
	const count = plan.steps.length;
	if (count === 0) {
		return [];
	}

	if (facts.fromStep < 1 || facts.fromStep > count) {
		return [
			row({
				id: 'from-step',
				status: 'block',
				message: `--from-step ${facts.fromStep} is outside the plan's ${count} step${count === 1 ? '' : 's'}.`,
				hint: `Use a step number from 1 to ${count}.`,
			}),
		];
	}

	return [
		row({
			id: 'from-step',
			status: 'pass',
			message:
				facts.fromStep === 1
					? `Runs ${count === 1 ? 'its one step' : `all ${count} steps`}`
					: `Starts at step ${facts.fromStep} of ${count} (--from-step); the steps before it count as done`,
		}),
	];
}

function diskRows(disk: DiskNeed[], removing: boolean, hasSteps: boolean): PreflightCheck[] {
	const rows = disk
		.filter(need => need.neededBytes > 0)
		.map(need => {
			const where = need.paths.map(item => item.path).join(', ');
			const credit = removing && need.reclaimableBytes ? ` + ${formatBytes(need.reclaimableBytes)} the leftover frees` : '';
			const measured = `needs ${formatBytes(need.neededBytes)}, ${formatBytes(need.freeBytes)} free${credit}`;
			return need.shortBytes > 0
				? row({
						id: 'disk',
						status: 'block',
						message: `Disk ${where}: ${measured}, short by ${formatBytes(need.shortBytes)}.`,
						hint: 'Free that much space, or run from a larger filesystem with --workdir DIR.',
						code: 'disk-short',
					})
				: row({id: 'disk', status: 'pass', message: `Disk ${where}: ${measured}`});
		});
	if (rows.length === 0 && hasSteps) {
		return [
			row({
				id: 'disk',
				status: 'warn',
				message: 'Free space on the working directory could not be measured.',
				hint: 'Check with df -h that it holds the unpacked package twice over.',
			}),
		];
	}

	return rows;
}

function registryRow(plan: Plan, facts: PreflightFacts): PreflightCheck {
	const {mustExist, alreadyUsed} = plan.diffs.registrySpaces;
	const spaces = facts.registrySpaces ?? {required: [...alreadyUsed, ...mustExist], missing: mustExist};
	const create = 'Create each as a project in the registry (Harbor: Projects > New Project) before the import.';
	if (spaces.noneNeeded) {
		return row({id: 'registry-spaces', status: 'pass', message: `Registry spaces: none needed (${spaces.noneNeeded.replace(/\.$/, '')})`});
	}

	if (spaces.missing.length === 0) {
		const where = spaces.checkedAgainst ? `, all present in ${spaces.checkedAgainst}` : ', none new';
		return row({id: 'registry-spaces', status: 'pass', message: `Registry spaces: ${spaces.required.length} needed${where}`});
	}

	return spaces.checkedAgainst
		? row({
				id: 'registry-spaces',
				status: 'block',
				message: `Registry spaces missing in ${spaces.checkedAgainst}: ${spaces.missing.join(', ')}: pushing into them fails.`,
				hint: '',
				then: createSpacesAction,
				otherwise: 'if this login may not create projects, have a Harbor administrator create them (Projects > New Project)',
				code: 'registry-space-missing',
			})
		: row({
				id: 'registry-spaces',
				status: 'warn',
				message: `Registry spaces the cluster's package never used, which must exist before the import: ${spaces.missing.join(', ')}.`,
				hint: create,
				code: 'registry-space-missing',
			});
}

/**
 * `unread`: why the registry could not tell, when the plan has a registry it could not read whole
 * (not at all, or some of the plan's tags). The worst hazard (multi-arch lost below 0.12.0) is seen
 * in the registry, so "none" then only covers what the wizard knows, and says what it did not read.
 */
function hazardRows(findings: Finding[], unread: string | undefined): PreflightCheck[] {
	const hazards = findings.filter(finding => finding.severity !== 'info' && !rowCodes.has(finding.code));
	if (hazards.length === 0) {
		return [
			unread === undefined
				? row({id: 'hazard', status: 'pass', message: 'No version or package-set hazards'})
				: row({
						id: 'hazard',
						status: 'pass',
						message: `No version or package-set hazards in what the wizard knows (clusterConfig.yaml, its history, the flags${unread === notRead ? '' : ', the tags it read'}): ${unread}`,
						passedAs: `no version hazards known (${unread === notRead ? 'registry not read' : unread})`,
					}),
		];
	}

	return hazards.map(finding =>
		row({
			id: 'hazard',
			status: finding.severity === 'error' ? 'block' : 'warn',
			message: finding.message,
			hint: finding.hint,
			code: finding.code,
		}),
	);
}

/** The first step the run starts at: `--from-step` when it is in range. */
export function startStepIndex(plan: Pick<Plan, 'steps' | 'preflightFacts'>): number {
	const index = (plan.preflightFacts?.fromStep ?? 1) - 1;
	return index >= 0 && index < plan.steps.length ? index : 0;
}

/** The leftover's bytes counted on the working directory's filesystem when the run removes it first. */
function creditLeftover(disk: DiskNeed[], facts: PreflightFacts, removing: boolean): DiskNeed[] {
	const reclaimable = facts.leftover?.type === 'directory' ? facts.leftover.bytes : 0;
	return disk.map(need => {
		const holdsLeftover = reclaimable > 0 && need.paths.some(item => item.role === 'workdir');
		const credit = holdsLeftover && removing ? reclaimable : 0;
		const {reclaimableBytes: _, ...rest} = need;
		return {
			...rest,
			...(holdsLeftover ? {reclaimableBytes: reclaimable} : {}),
			shortBytes: Math.max(0, need.neededBytes - need.freeBytes - credit),
		};
	});
}

const notRead = 'the registry was not read';

/** What the registry could not tell the plan: nothing (not read), some tags, or undefined when all was read. */
function registryUnread(plan: Plan): string | undefined {
	if (plan.registry?.checked === false) {
		return notRead;
	}

	const unreadable = plan.registry?.tags.filter(tag => tag.unreadable).length ?? 0;
	return unreadable > 0 ? `${plural(unreadable, 'tag')} could not be read` : undefined;
}

export function preflightChecklist(plan: Plan, facts: PreflightFacts, removing: boolean): PreflightCheck[] {
	const firstStep = startStepIndex({steps: plan.steps, preflightFacts: facts}) + 1;
	return [
		configRow(plan),
		workdirRow(facts),
		leftoverRow(facts, removing, firstStep),
		installerRow(facts),
		...fromStepRow(plan, facts),
		...diskRows(plan.disk, removing, plan.steps.length > 0),
		registryRow(plan, facts),
		...hazardRows(plan.findings, registryUnread(plan)),
		...downloadRows(plan, facts),
	];
}

/**
 * The plan with its checklist built from `facts`: the installer and disk findings rebuilt from
 * them, the leftover's bytes credited when the run removes it, and `blocked` = any block row.
 */
export function settlePreflight(plan: Plan, facts: PreflightFacts, removeLeftover: boolean): Plan {
	// A clean-up that would be refused frees nothing: the disk is counted without it.
	const removing = removeLeftover && facts.leftover?.type === 'directory' && !cleanupRefused(facts);
	const disk = creditLeftover(plan.disk, facts, removing);
	const passedThrough = plan.findings.filter(finding => !derivedCodes.has(finding.code));
	const findings = [...installerFindings(facts.installer), ...passedThrough, ...diskFindings(disk)];
	const settled: Plan = {...plan, disk, findings};
	const preflight = preflightChecklist(settled, facts, removing);
	const {removeLeftover: _, ...rest} = settled;
	return {
		...rest,
		preflight,
		preflightFacts: facts,
		...(removing && facts.leftover ? {removeLeftover: {path: facts.leftover.path, bytes: facts.leftover.bytes}} : {}),
		blocked: preflight.some(check => check.status === 'block') || findings.some(finding => finding.severity === 'error'),
	};
}

/** Whether `x` can choose to remove a leftover: there is one, and it is a directory the cleanup would consider. */
export function leftoverRemovable(plan: Plan): boolean {
	return plan.preflightFacts?.leftover?.type === 'directory' && !cleanupRefused(plan.preflightFacts);
}

/** The plan with the leftover's removal chosen or not; a plan without facts stays as it is. */
export function chooseLeftoverRemoval(plan: Plan, remove: boolean): Plan {
	return plan.preflightFacts && leftoverRemovable(plan) ? settlePreflight(plan, plan.preflightFacts, remove) : plan;
}

/** What Confirm repeats before it asks for `yes`: every warn row (every warning finding on a plan without a checklist). */
export function confirmWarnings(plan: Plan): Array<{message: string; hint?: string}> {
	if (plan.preflight) {
		return plan.preflight.filter(check => check.status === 'warn');
	}

	return plan.findings.filter(finding => finding.severity === 'warning');
}

/**
 * What stops a retry before it re-runs the step: the block rows of a rechecked plan, except the
 * leftover (the retry asks about that one itself).
 */
export function retryBlocks(plan: Plan): PreflightCheck[] {
	return (plan.preflight ?? []).filter(check => check.status === 'block' && check.id !== 'leftover');
}

/** The same disk needs with free and total space as measured now (what is needed does not change). */
export function refreshDiskNeeds(disk: DiskNeed[], filesystems: Array<{path: string; freeBytes: number; totalBytes: number}>): DiskNeed[] {
	return disk.map(need => {
		const now = filesystems.find(fs => need.paths.some(item => item.path === fs.path));
		return now
			? {...need, freeBytes: now.freeBytes, totalBytes: now.totalBytes, shortBytes: Math.max(0, need.neededBytes - now.freeBytes)}
			: need;
	});
}
