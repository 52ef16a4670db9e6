// `addon-wizard history`: what the wizard ran against this cluster (clusterConfig.yaml and its
// clusterName), newest first: the packages each step imported or integrated, when, with which
// installer, how the installer ended and what the registry showed after the step.
import type {Options} from '../options.js';
import {exitCodes} from '../../domain/shared/wizard-error.js';
import {isWizardError} from '../../domain/shared/wizard-error.js';
import {writeError} from '../../report/io.js';
import type {HistoryEntry, HistoryProblem} from '../../workflow/ports/history-port.js';
import type {Services} from './services.js';
import {processControl} from '../../adapters/host/process-control.js';
import {recordLostStep} from '../../workflow/run/lost-step-history.js';
import type {HistoryPort} from '../../workflow/ports/history-port.js';
import {runIdOf} from '../../report/contract/run-id.js';

const when = (at: number) =>
	new Date(at)
		.toISOString()
		.replace('T', ' ')
		.replace(/\.\d+Z$/, ' UTC');

function packagesText(entry: HistoryEntry): string {
	return entry.packages
		.map(
			item =>
				[item.version, item.arch, item.kind && item.kind !== 'full' ? item.kind : undefined].filter(Boolean).join(' ') || item.fileName,
		)
		.join(', ');
}

function verificationText(entry: HistoryEntry): string {
	if (entry.verification) {
		const {verification} = entry;
		const word =
			verification.state === 'deferred' ? 'lost an arch the next step restored' : verification.verified ? 'verified' : 'NOT verified';
		return `${word}: ${verification.message}`;
	}

	return entry.notVerified ? `not verified: ${entry.notVerified.message}` : 'not verified (no record of a check)';
}

/** The later verified import -addon of the same version that brought back every arch the step's tags lost. */
function repairedBy(entry: HistoryEntry, entries: HistoryEntry[]): {at: number; arches: string[]; entry: HistoryEntry} | undefined {
	const arches = [...new Set(entry.verification?.lostArchTags?.flatMap(item => item.lost) ?? [])];
	const version = entry.packages[0]?.version;
	const later = entries.filter(
		item =>
			item.at > entry.at &&
			!item.undo &&
			item.stepKind === 'import-addon' &&
			item.verification?.verified === true &&
			item.packages.some(found => found.version === version),
	);
	const by = arches.map(arch => later.find(item => item.packages.some(found => found.arch === arch)));
	return arches.length > 0 && by.every(Boolean) ? {at: Math.max(...by.map(item => item!.at)), arches, entry: by.at(-1)!} : undefined;
}

/** Whether `undo` can put the step's tags back, and with which command. */
function undoLine(entry: HistoryEntry, entries: HistoryEntry[]): string {
	const runId = runIdOf(entry.logPath);
	const undone = entries.find(item => item.undo?.verified && item.undo.runId === runId && item.stepId === entry.stepId);
	if (undone) {
		return `  undo: done ${when(undone.at)}`;
	}

	// The chained integration put the lost arches back: undo would only find its tags changed since.
	const repaired = repairedBy(entry, entries);
	if (repaired) {
		return `  undo: not needed: ${repaired.arches.join(', ')} integrated again ${when(repaired.at)} (import -addon ${packagesText(repaired.entry)}, verified)`;
	}

	const step = /step-(\d+)\.json$/.exec(entry.snapshotPath ?? '')?.[1];
	return step
		? `  undo: available (addon-wizard undo --run ${runId} --step ${step})`
		: '  undo: not available (no snapshot was saved before this step)';
}

function undoEntryText(entry: HistoryEntry & {undo: NonNullable<HistoryEntry['undo']>}): string {
	return [
		`${when(entry.at)}  undo of ${entry.stepKind === 'cluster-create' ? 'cluster-create' : 'import -addon'} ${packagesText(entry)} (run ${entry.undo.runId})  ${entry.undo.verified ? 'verified' : 'NOT verified'}`,
		`  ${entry.undo.message}`,
		...(entry.undo.leftAlone.length > 0 ? [`  left alone (pushed by someone else): ${entry.undo.leftAlone.join(', ')}`] : []),
	].join('\n');
}

export function renderHistory(entries: HistoryEntry[]): string {
	return (
		entries
			.map(entry => {
				if (entry.undo) {
					return undoEntryText({...entry, undo: entry.undo});
				}

				const verb = entry.stepKind === 'cluster-create' ? 'cluster-create' : 'import -addon';
				return [
					`${when(entry.at)}  ${verb} ${packagesText(entry)}  ${entry.outcome === 'unknown' ? 'outcome unknown' : `installer ${entry.outcome}`}${entry.verdict && entry.verdict !== 'done' ? ` (step ${entry.verdict})` : ''}`,
					`  ${verificationText(entry)}`,
					`  files: ${entry.packages.map(item => item.path ?? item.fileName).join(', ')}`,
					`  installer: ${entry.installer.path}${entry.installer.version ? ` (${entry.installer.version})` : ''}; log: ${entry.logPath}`,
					undoLine(entry, entries),
				].join('\n');
			})
			.join('\n') + (entries.length > 0 ? '\n' : '')
	);
}

/**
 * A run whose wizard died (or left the view) mid-step never recorded its end: its step is recorded
 * now, as outcome unknown, so the history never leaves it out.
 */
async function recordLostRun(services: Services, history: HistoryPort): Promise<void> {
	const record = services.findRun();
	if (!record || isWizardError(record) || record.status !== 'running') {
		return;
	}

	if (record.detachedAt !== undefined || !processControl.isAlive(record.wizardPid)) {
		await recordLostStep(record, history, services.now()).catch(() => undefined);
	}
}

export async function runHistoryCommand(options: Options, services: Services): Promise<number> {
	const {io} = services;
	const context = await services.cluster();
	if (isWizardError(context)) {
		return writeError(io, context, options.json);
	}

	const cluster = {configPath: context.configPath, clusterName: context.cluster.clusterName};
	await recordLostRun(services, context.history);
	const problems: HistoryProblem[] = [];
	const entries = (await context.history.read(cluster, problem => problems.push(problem))).sort((a, b) => b.at - a.at);
	for (const problem of problems) {
		io.stderr(`addon-wizard: ${problem.message}\n  next: ${problem.hint}\n`);
	}

	if (options.json) {
		io.stdout(
			`${JSON.stringify((await import('../../report/contract/history.js')).toPublicHistory(cluster, entries, problems), null, 2)}\n`,
		);
		return exitCodes.ok;
	}

	if (entries.length === 0) {
		io.stdout(
			`addon-wizard: no step recorded for ${context.configPath}${cluster.clusterName ? ` (cluster ${cluster.clusterName})` : ''}: the wizard has not run against it on this host (as this user).\n`,
		);
		return exitCodes.ok;
	}

	io.stdout(
		`addon-wizard: ${entries.length} step(s) run against ${context.configPath}${cluster.clusterName ? ` (cluster ${cluster.clusterName})` : ''}, newest first:\n${renderHistory(entries)}`,
	);
	return exitCodes.ok;
}
