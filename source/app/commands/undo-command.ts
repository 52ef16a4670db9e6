// `addon-wizard undo`: puts a step's tags back from the snapshot saved before it. Shows what it
// will do first, asks on a terminal unless --yes, then PUTs and reads every tag back; exits 0
// only when verified, and records the undo in the history.
import {exitCodes, isWizardError, type WizardError} from '../../domain/shared/wizard-error.js';
import {undoCounts} from '../../domain/registry/undo-plan.js';
import {writeError} from '../../report/io.js';
import {toPublicUndo} from '../../report/contract/undo.js';
import {undoDoneText, undoPreviewText} from '../../report/run/undo-text.js';
import type {HistoryEntry, HistoryPort} from '../../workflow/ports/history-port.js';
import {applyUndo, previewUndo, type UndoDone, type UndoPreview} from '../../workflow/run/undo/undo-step.js';
import type {Options} from '../options.js';
import type {Services} from './services.js';
import {runToUndo, stepToUndo} from './undo-steps.js';
import {runIdOf} from '../../report/contract/run-id.js';

const declined: WizardError = {
	kind: 'undo-declined',
	message: 'Nothing was changed: the undo was not confirmed.',
	hint: 'Run addon-wizard undo again and answer y, or pass --yes.',
	exitCode: exitCodes.failure,
};

const noTerminal: WizardError = {
	kind: 'undo-needs-yes',
	message: 'Undo asks before it changes the registry, and there is no terminal to ask on. Nothing was changed.',
	hint: 'Read what it would do above, then run it again with --yes.',
	exitCode: exitCodes.badInput,
};

/** The undo's own history line: the undone step's entry, marked, with what undo did. */
export async function recordUndo(
	history: HistoryPort,
	entries: HistoryEntry[],
	preview: UndoPreview,
	done: UndoDone,
	now: number,
): Promise<void> {
	const {snapshot} = preview;
	const undone = entries.find(entry => entry.stepId === snapshot.stepId && runIdOf(entry.logPath) === snapshot.runId && !entry.undo);
	if (!undone) {
		return;
	}

	const counts = undoCounts(done.tags);
	const {verification: _verification, notVerified: _notVerified, snapshotPath: _snapshot, ...rest} = undone;
	await history
		.append({
			...rest,
			at: now,
			outcome: done.verified ? 'ok' : 'failed',
			undo: {
				runId: snapshot.runId,
				restored: done.tags.filter(tag => tag.result === 'restored').length,
				alreadyRestored: counts['already-restored'],
				leftAlone: done.tags.filter(tag => tag.action === 'changed-by-someone-else').map(tag => tag.key),
				removed: done.tags.filter(tag => tag.result === 'removed').length,
				added: counts['added-by-step'] + counts['remove-added'],
				verified: done.verified,
				message: undoDoneText(done).trim().split('\n').at(-1) ?? '',
			},
		})
		.catch(() => undefined);
}

export async function runUndoCommand(options: Options, services: Services): Promise<number> {
	const {io} = services;
	const context = await services.cluster();
	if (isWizardError(context)) {
		return writeError(io, context, options.json);
	}

	const undo = services.undo;
	if (!undo) {
		return writeError(
			io,
			{kind: 'undo-unwired', message: 'undo is not available in this build.', hint: 'Report it.', exitCode: exitCodes.failure},
			options.json,
		);
	}

	const cluster = {configPath: context.configPath, clusterName: context.cluster.clusterName};
	const entries = await context.history.read(cluster);
	const runId = runToUndo(options, services.findRun(), entries, undo.isAlive);
	const snapshots = isWizardError(runId) ? runId : await undo.files.read(runId);
	const snapshot = isWizardError(snapshots) ? snapshots : stepToUndo(runId as string, snapshots, options.undo.step, undo.files);
	if (isWizardError(snapshot)) {
		return writeError(io, snapshot, options.json);
	}

	const port = await undo.open(context.configPath);
	if (isWizardError(port)) {
		return writeError(io, port, options.json);
	}

	try {
		return await undoWith(options, services, {
			preview: await previewUndo(snapshot, port, options.undo),
			port,
			entries,
			history: context.history,
		});
	} finally {
		await port.close();
	}
}

async function undoWith(
	options: Options,
	services: Services,
	run: {preview: UndoPreview | WizardError; port: Parameters<typeof applyUndo>[1]; entries: HistoryEntry[]; history: HistoryPort},
): Promise<number> {
	const {io} = services;
	const {preview} = run;
	if (isWizardError(preview)) {
		return writeError(io, preview, options.json);
	}

	const say = (text: string) => (options.json ? io.stderr(text) : io.stdout(text));
	say(undoPreviewText(preview));
	if (preview.refusal) {
		if (options.json) {
			io.stdout(`${JSON.stringify(toPublicUndo(preview, undefined, preview.refusal), null, 2)}\n`);
		}

		return writeError(io, preview.refusal, false);
	}

	const counts = undoCounts(preview.tags);
	const chartsToRemove = preview.options.removeAdded ? preview.charts.length : 0;
	if (counts.restore + counts['remove-added'] + chartsToRemove === 0) {
		say('Nothing to undo: no tag needs putting back.\n');
		if (options.json) {
			io.stdout(`${JSON.stringify(toPublicUndo(preview, {tags: [], charts: [], verified: true, failed: 0}), null, 2)}\n`);
		}

		return exitCodes.ok;
	}

	const refusal = options.yes
		? undefined
		: !services.terminal.interactive || options.json
			? noTerminal
			: (await services.undo!.confirm(
						`Put ${counts.restore} tag(s) back${counts['remove-added'] > 0 ? ` and delete ${counts['remove-added']}` : ''}? [y/N] `,
				  ))
				? undefined
				: declined;
	if (refusal) {
		return writeError(io, refusal, options.json);
	}

	const done = await applyUndo(preview, run.port);
	if (isWizardError(done)) {
		return writeError(io, done, options.json);
	}

	say(undoDoneText(done));
	await recordUndo(run.history, run.entries, preview, done, services.now());
	if (options.json) {
		io.stdout(`${JSON.stringify(toPublicUndo(preview, done), null, 2)}\n`);
	}

	const notRemoved = done.tags.some(tag => tag.result === 'not-removed');
	return done.verified ? (notRemoved ? exitCodes.failure : exitCodes.ok) : exitCodes.verificationFailed;
}
