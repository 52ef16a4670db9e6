// What the run history keeps of a finished step: what it imported or integrated, with which
// installer, how the installer ended, and what the registry showed afterwards. The plan reads it
// back when the registry cannot be reached, so the wizard never forgets what it ran itself.
import type {FailureCause, StepVerdict, StepVerification, StopReason} from '../../domain/run/run-events.js';
import type {Plan, PlanStep} from '../../domain/plan/plan.js';
import type {HistoryEntry} from '../ports/history-port.js';
import {stepPackages} from './verify-run.js';

export type FinishedStep = {
	plan: Plan;
	step: PlanStep;
	at: number;
	verdict: StepVerdict;
	failure?: FailureCause;
	stoppedBy?: StopReason;
	verification?: StepVerification;
	installerVersion?: string;
	logPath: string;
	/** The step's snapshot file, when one was taken: undo is available for it. */
	snapshotPath?: string;
};

function outcomeOf(finished: FinishedStep): HistoryEntry['outcome'] {
	if (finished.stoppedBy === 'user' || finished.failure?.kind === 'killed') {
		return 'interrupted';
	}

	// How the installer ended: a step it finished cleanly is `ok` whatever the registry showed.
	const installerClean =
		finished.verdict === 'done' ||
		finished.verdict === 'unverified' ||
		finished.failure?.kind === 'verification-failed' ||
		finished.failure?.kind === 'not-verified';
	if (installerClean) {
		return 'ok';
	}

	return finished.verdict === 'errors' ? 'finished-with-errors' : 'failed';
}

function verificationOf(verification: StepVerification | undefined): Pick<HistoryEntry, 'verification' | 'notVerified'> {
	if (!verification) {
		return {};
	}

	if (verification.state === 'skipped') {
		return {notVerified: {kind: 'skipped', message: verification.reason}};
	}

	if (verification.state === 'unreadable') {
		return {notVerified: {kind: verification.error.kind, message: verification.error.message}};
	}

	const {result} = verification;
	return {
		verification: {
			verified: result.verified,
			message: result.message,
			hint: result.hint,
			checkedImages: result.checkedImages,
			lostArch: result.lostArch.count,
			missing: result.missing.count,
			state: verification.state,
			tagArches: verification.tagArches,
			lostArchTags: result.lostArch.first,
			cause: result.cause?.kind,
		},
	};
}

export function historyEntry(finished: FinishedStep): HistoryEntry {
	const {plan, step} = finished;
	return {
		cluster: {configPath: plan.cluster.path, clusterName: plan.cluster.clusterName},
		at: finished.at,
		stepId: step.id,
		stepKind: step.kind,
		packages: stepPackages(plan, step).map(item => ({
			fileName: item.fileName,
			version: item.name?.version,
			kind: item.kind ?? item.name?.kind,
			arch: step.arch ?? item.name?.arch,
			sha512: item.sha512 || undefined,
			path: item.path,
		})),
		installer: {path: step.argv[0] ?? plan.installer.path, version: finished.installerVersion},
		outcome: outcomeOf(finished),
		verdict: finished.verdict,
		...verificationOf(finished.verification),
		logPath: finished.logPath,
		...(finished.snapshotPath ? {snapshotPath: finished.snapshotPath} : {}),
	};
}

const runIdOfLog = (logPath: string) => logPath.slice(logPath.lastIndexOf('/') + 1).replace(/\.log$/, '');

/** The steps whose effect stands: an undo's own entry, and a step a verified undo put back, are left out. */
export function standing(entries: readonly HistoryEntry[]): HistoryEntry[] {
	const undone = new Set(entries.filter(entry => entry.undo?.verified).map(entry => `${entry.undo!.runId}/${entry.stepId}`));
	return entries.filter(entry => !entry.undo && !undone.has(`${runIdOfLog(entry.logPath)}/${entry.stepId}`));
}

/** What the cluster has now by the history: the last cluster-create that ran, and the integrations of its version after it. */
export function whatTheClusterHas(
	entries: readonly HistoryEntry[],
): {entries: HistoryEntry[]; packages: HistoryEntry['packages']} | undefined {
	const sorted = standing(entries).sort((a, b) => a.at - b.at);
	const ran = (entry: HistoryEntry) => entry.outcome === 'ok' || entry.outcome === 'finished-with-errors';
	const lastImport = sorted.reduce((found, entry, index) => (entry.stepKind === 'cluster-create' && ran(entry) ? index : found), -1);
	if (lastImport < 0) {
		return undefined;
	}

	const version = sorted[lastImport]!.packages[0]?.version;
	const chosen = [
		sorted[lastImport]!,
		...sorted
			.slice(lastImport + 1)
			.filter(entry => entry.stepKind === 'import-addon' && ran(entry) && entry.packages.every(item => item.version === version)),
	];
	return {entries: chosen, packages: chosen.flatMap(entry => entry.packages)};
}

/** Every arch the history says the cluster was given (imported, integrated, or seen on its tags after a step). */
export function historyArches(entries: readonly HistoryEntry[]): string[] {
	const ran = standing(entries).filter(entry => entry.outcome === 'ok' || entry.outcome === 'finished-with-errors');
	return [
		...new Set(
			[...ran.flatMap(entry => entry.packages.map(item => item.arch)), ...ran.flatMap(entry => entry.verification?.tagArches ?? [])].filter(
				(arch): arch is string => Boolean(arch),
			),
		),
	].sort();
}
