// A step whose wizard died (kill -9, a crash) or left the view never had its end recorded: the
// installer's exit status went with the wizard. The history keeps it all the same, as outcome
// `unknown`, so it is never missing; whoever finds the run so (attach, `history`) records it once.
import type {Plan} from '../../domain/plan/plan.js';
import type {HistoryEntry, HistoryPort} from '../ports/history-port.js';
import type {RunRecord} from '../ports/run-record-port.js';
import {historyEntry} from './step-history.js';
import {stepPackages} from './verify-run.js';

/** `addon-wizard verify` for what the step was to leave: the same cluster, the step's packages. */
export function verifyCommandFor(plan: Plan, stepIndex: number): string {
	const step = plan.steps[stepIndex];
	const packages = step ? stepPackages(plan, step).map(item => ` -p ${item.path}`) : [];
	return `addon-wizard verify -c ${plan.cluster.path}${packages.join('')}`;
}

/** Why the outcome is unknown, in the record's own terms. */
function whyUnknown(record: RunRecord): string {
	return record.detachedAt === undefined
		? `the wizard (pid ${record.wizardPid}) that ran it stopped before the installer (pid ${record.installerPid ?? '-'}) ended: its exit status went with the wizard`
		: `the view was left (d) while the installer (pid ${record.installerPid ?? '-'}) ran, so nobody waited for its exit status`;
}

/** The history's entry for the step a lost run was in: outcome unknown, and how to find out. */
export function lostStepEntry(record: RunRecord, at: number): HistoryEntry | undefined {
	const step = record.plan.steps[record.stepIndex];
	if (!step) {
		return undefined;
	}

	return {
		...historyEntry({plan: record.plan, step, at, verdict: 'failed', logPath: record.logPath}),
		outcome: 'unknown',
		verdict: undefined,
		notVerified: {
			kind: 'outcome-unknown',
			message: `${whyUnknown(record)}; ${verifyCommandFor(record.plan, record.stepIndex)} shows what the step left`,
		},
	};
}

/** Records a lost run's step once (a second finder sees the entry for its log and step and adds none). */
export async function recordLostStep(
	record: RunRecord,
	history: Pick<HistoryPort, 'read' | 'append'>,
	at: number,
): Promise<HistoryEntry | undefined> {
	const entry = lostStepEntry(record, at);
	if (!entry) {
		return undefined;
	}

	const known = await history.read(entry.cluster).catch(() => []);
	if (known.some(item => item.logPath === entry.logPath && item.stepId === entry.stepId)) {
		return undefined;
	}

	await history.append(entry);
	return entry;
}
