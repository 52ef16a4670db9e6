// The Result's `z` wired to the undo command's own parts: the snapshot files, the step chosen as
// `undo --step` chooses it (undo-steps.ts), the registry opened as the command opens it, and the
// undo recorded in the history as the command records it. The registry is opened per call and
// closed after: the screen may wait minutes between the preview and the operator's y. The undo's
// code (and the public schemas it records with) loads when `z` is pressed, not with every command.
import {isWizardError, type WizardError} from '../domain/shared/wizard-error.js';
import type {HistoryPort} from '../workflow/ports/history-port.js';
import type {RestorePort} from '../workflow/ports/snapshot-port.js';
import type {WizardUndoPort} from '../workflow/ports/undo-port.js';
import type {UndoServices} from './commands/services.js';

type Cluster = Parameters<HistoryPort['read']>[0];

async function withPort<T>(services: UndoServices, configPath: string, work: (port: RestorePort) => Promise<T | WizardError>) {
	const port = await services.open(configPath);
	if (isWizardError(port)) {
		return port;
	}

	try {
		return await work(port);
	} finally {
		await port.close();
	}
}

export function wizardUndo(services: UndoServices, cluster: Cluster, history: HistoryPort, now: () => number): WizardUndoPort {
	return {
		async preview(logPath, stepIndex) {
			const [{runIdOf}, {stepToUndo}, {previewUndo}] = await Promise.all([
				import('../report/contract/run-id.js'),
				import('./commands/undo-steps.js'),
				import('../workflow/run/undo/undo-step.js'),
			]);
			const runId = runIdOf(logPath);
			const snapshots = await services.files.read(runId);
			const snapshot = isWizardError(snapshots) ? snapshots : stepToUndo(runId, snapshots, String(stepIndex + 1), services.files);
			if (isWizardError(snapshot)) {
				return snapshot;
			}

			return withPort(services, cluster.configPath, async port => previewUndo(snapshot, port, {force: false, removeAdded: false}));
		},
		async apply(preview) {
			const [{applyUndo}, {recordUndo}] = await Promise.all([
				import('../workflow/run/undo/undo-step.js'),
				import('./commands/undo-command.js'),
			]);
			return withPort(services, cluster.configPath, async port => {
				const done = await applyUndo(preview, port);
				if (!isWizardError(done)) {
					await recordUndo(history, await history.read(cluster), preview, done, now());
				}

				return done;
			});
		},
	};
}
