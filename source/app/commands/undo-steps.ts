// Which snapshot `undo` uses: the run named by --run, else the last run against this config (its
// record, else the newest history entry with a snapshot); the step named by --step, else the
// run's last step with a snapshot. Each "not available" says why and what to do instead.
import {exitCodes, isWizardError, type WizardError} from '../../domain/shared/wizard-error.js';
import type {StepSnapshot} from '../../domain/registry/tag-snapshot.js';
import {runIdOf} from '../../report/contract/run-id.js';
import type {HistoryEntry} from '../../workflow/ports/history-port.js';
import type {RunRecord} from '../../workflow/ports/run-record-port.js';
import type {SnapshotFiles} from '../../workflow/ports/snapshot-port.js';
import type {Options} from '../options.js';

const unavailable = (message: string, hint: string, exitCode: number = exitCodes.failure): WizardError => ({
	kind: 'undo-unavailable',
	message,
	hint,
	exitCode,
});

/** The run to undo, by id. */
export function runToUndo(
	options: Options,
	record: RunRecord | WizardError | undefined,
	history: HistoryEntry[],
	isAlive: (pid: number) => boolean,
): string | WizardError {
	if (options.undo.run) {
		return options.undo.run;
	}

	if (record && !isWizardError(record)) {
		if (record.status === 'running' && isAlive(record.wizardPid)) {
			return unavailable(
				`A run is still going against ${record.configPath} (wizard pid ${record.wizardPid}); undo waits for it to end.`,
				'Follow it with addon-wizard attach, then undo once it has ended.',
			);
		}

		return runIdOf(record.logPath);
	}

	const newest = [...history].filter(entry => entry.snapshotPath && !entry.undo).sort((a, b) => b.at - a.at)[0];
	return newest
		? runIdOf(newest.logPath)
		: unavailable(
				'No run with a snapshot is recorded for this config, so there is nothing undo can put back.',
				'Name a run with --run ID (addon-wizard history shows them); runs before this wizard saved snapshots cannot be undone.',
			);
}

/** The step to undo from the run's snapshots. */
export function stepToUndo(
	runId: string,
	snapshots: StepSnapshot[],
	stepText: string | undefined,
	files: SnapshotFiles,
): StepSnapshot | WizardError {
	if (stepText !== undefined) {
		const step = Number(stepText);
		if (!Number.isInteger(step) || step < 1) {
			return unavailable(`--step must be a step number from 1, got "${stepText}".`, 'Use e.g. --step 1.', exitCodes.badInput);
		}

		const found = snapshots.find(item => item.stepIndex === step - 1);
		if (!found) {
			return unavailable(
				`Run ${runId} has no snapshot for step ${step} (${files.fileOf(runId, step - 1)} is not there).`,
				`Undo a step that has one: ${snapshots.map(item => item.stepIndex + 1).join(', ') || 'none'}.`,
			);
		}

		return found.error ? noSnapshot(found) : found;
	}

	const last = snapshots.at(-1);
	if (!last) {
		return unavailable(
			`Run ${runId} has no snapshot (nothing under ${files.fileOf(runId, 0).replace(/\/[^/]+$/, '')}): undo is not available for it.`,
			'Check the id with addon-wizard history; a run started before this wizard saved snapshots cannot be undone.',
		);
	}

	return last.error ? noSnapshot(last) : last;
}

function noSnapshot(snapshot: StepSnapshot): WizardError {
	return unavailable(
		`Undo is not available for step ${snapshot.stepIndex + 1} (${snapshot.stepId}) of run ${snapshot.runId}: its tags could not be saved before it (${snapshot.error?.message ?? '?'}).`,
		"Put the tags back the long way: integrate the other arch's package (import -addon) or import again the package that pushed them.",
	);
}
