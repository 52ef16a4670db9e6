// Re-opens a run from its log and run record, for `addon-wizard attach` after an SSH drop:
// replays what the log holds, then follows it until the record says the run ended. When the
// wizard that ran it died and its installer still runs, it follows the installer's capture files.
import {existsSync} from 'node:fs';
import {open, stat} from 'node:fs/promises';
import path from 'node:path';
import {StringDecoder} from 'node:string_decoder';
import {parseOutputLine} from '../domain/installer-output.js';
import {secretMasker} from '../domain/mask-secrets.js';
import {exitCodes, targetDirName, type RunEvent, type RunProgress, type WizardError} from '../domain/model.js';
import {advanceProgress, initialProgress} from '../domain/run-progress.js';
import type {RunHandle, RunOutcome} from '../workflow/ports.js';
import {readClusterConfig} from './cluster-config.js';
import {parseLogLine} from './run-log.js';
import {isAlive} from './process-alive.js';
import {readRecord, recordPath, type RunRecord} from './run-record.js';

export type FollowOptions = {stateDir: string; pollMs?: number; graceMs: number; replayLines?: number};

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): boolean {
	if (!pid) {
		return false;
	}

	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

async function readRange(file: string, start: number, end: number): Promise<Buffer> {
	const handle = await open(file, 'r');
	try {
		const buffer = Buffer.alloc(end - start);
		await handle.read(buffer, 0, buffer.length, start);
		return buffer;
	} finally {
		await handle.close();
	}
}

export function followRun(initial: RunRecord, options: FollowOptions) {
	return (onEvent: (event: RunEvent) => void): RunHandle => {
		const file = recordPath(options.stateDir, initial.configPath);
		const progress = new Map<string, RunProgress>();
		let offset = 0;
		let partial = '';
		// A read may end inside a multi-byte character (Chinese installer messages); keep it whole.
		const decoder = new StringDecoder('utf8');
		let stopped = false;

		// Lines of each step and stream already read from the log: the capture files hold them too.
		const seen = new Map<string, number>();
		const seenKey = (stepId: string, stream: string) => `${stepId} ${stream}`;
		type Tail = {file: string; stream: 'stdout' | 'stderr'; offset: number; partial: string; skip: number; decoder: StringDecoder};
		let orphan: Tail[] | undefined;
		let mask = (line: string) => line;

		function consume(text: string, replay: boolean) {
			const lines = (partial + text).split('\n');
			partial = lines.pop() ?? '';
			const recent: RunEvent[] = [];
			for (const raw of lines) {
				const parsed = parseLogLine(raw);
				if (!parsed || 'note' in parsed) {
					continue;
				}

				seen.set(seenKey(parsed.stepId, parsed.stream), (seen.get(seenKey(parsed.stepId, parsed.stream)) ?? 0) + 1);
				const step = initial.plan.steps.find(item => item.id === parsed.stepId);
				if (step) {
					progress.set(step.id, advanceProgress(progress.get(step.id) ?? initialProgress(step), parseOutputLine(parsed.text)));
				}

				recent.push({type: 'output', at: Date.now(), stepId: parsed.stepId, stream: parsed.stream, line: parsed.text});
			}

			const limit = replay ? options.replayLines ?? 200 : Number.POSITIVE_INFINITY;
			for (const event of recent.slice(-limit)) {
				onEvent(event);
			}

			for (const [stepId, value] of progress) {
				onEvent({type: 'progress', at: Date.now(), stepId, progress: value});
			}
		}

		async function readMore(replay: boolean) {
			const info = await stat(initial.logPath).catch(() => undefined);
			if (!info || info.size <= offset) {
				return;
			}

			const handle = await open(initial.logPath, 'r');
			try {
				const length = info.size - offset;
				const buffer = Buffer.alloc(length);
				await handle.read(buffer, 0, length, offset);
				offset = info.size;
				consume(decoder.write(buffer), replay);
			} finally {
				await handle.close();
			}
		}

		/** New output of an installer whose wizard died, straight from its capture files, masked. */
		async function readOrphan(stepId: string, final: boolean) {
			const step = initial.plan.steps.find(item => item.id === stepId);
			for (const tail of orphan ?? []) {
				const info = await stat(tail.file).catch(() => undefined);
				const bytes = info && info.size > tail.offset ? await readRange(tail.file, tail.offset, info.size) : Buffer.alloc(0);
				tail.offset = Math.max(tail.offset, info?.size ?? 0);
				const lines = (tail.partial + tail.decoder.write(bytes)).split('\n');
				tail.partial = lines.pop() ?? '';
				if (final && tail.partial !== '') {
					lines.push(tail.partial);
					tail.partial = '';
				}

				for (const raw of lines) {
					if (tail.skip > 0) {
						tail.skip--;
						continue;
					}

					const line = mask(raw.replace(/\r$/, ''));
					if (step) {
						progress.set(step.id, advanceProgress(progress.get(step.id) ?? initialProgress(step), parseOutputLine(line)));
					}

					onEvent({type: 'output', at: Date.now(), stepId, stream: tail.stream, line});
				}
			}

			for (const [id, value] of progress) {
				onEvent({type: 'progress', at: Date.now(), stepId: id, progress: value});
			}
		}

		function orphanEnded(record: RunRecord): WizardError {
			const cwd = initial.plan.steps[record.stepIndex]?.cwd;
			const leftover = cwd !== undefined && existsSync(path.join(cwd, targetDirName));
			return {
				kind: 'run-lost',
				message: `The installer (pid ${record.installerPid}) has ended; its exit status went with the wizard (pid ${record.wizardPid}) that started it. ${leftover ? `${targetDirName} is still in ${cwd}, which is what a failed step leaves.` : `${targetDirName} is gone, which is what a successful step leaves.`}`,
				hint: leftover ? 'Read the output above, then run the step again with --cleanup (in the wizard: r on the Result screen).' : `Check the cluster and the installer output above; the log ${record.logPath} holds the rest.`,
				exitCode: exitCodes.runFailed,
			};
		}

		async function follow(): Promise<RunOutcome> {
			const cluster = await readClusterConfig(initial.configPath).catch(() => undefined);
			if (cluster && 'secrets' in cluster) {
				mask = secretMasker(cluster.secrets ?? []);
			}

			onEvent({type: 'run-start', at: initial.startedAt, logPath: initial.logPath, steps: initial.plan.steps.map(({id, title, argv}) => ({id, title, argv}))});
			const first = initial.plan.steps[initial.stepIndex];
			if (first) {
				onEvent({type: 'step-start', at: initial.startedAt, stepId: first.id, argv: first.argv, cwd: first.cwd, pid: initial.installerPid});
			}

			await readMore(true);
			let shownStep = initial.stepId;
			for (;;) {
				const record = readRecord(file) ?? initial;
				await readMore(false);
				if (record.stepId !== shownStep) {
					const step = initial.plan.steps[record.stepIndex];
					onEvent({type: 'step-end', at: Date.now(), stepId: shownStep});
					if (step) {
						onEvent({type: 'step-start', at: Date.now(), stepId: step.id, argv: step.argv, cwd: step.cwd, pid: record.installerPid});
					}

					shownStep = record.stepId;
				}

				if (record.status !== 'running') {
					onEvent({type: 'step-end', at: record.endedAt ?? Date.now(), stepId: record.stepId, failure: record.failure});
					onEvent({type: 'run-end', at: record.endedAt ?? Date.now(), ok: record.status === 'ok'});
					return {ok: record.status === 'ok', failedStepIndex: record.failedStepIndex, interrupted: record.status === 'interrupted'};
				}

				if (!isAlive(record.wizardPid)) {
					const installerRuns = record.installerPid !== undefined && isAlive(record.installerPid);
					if (installerRuns && record.capture && !orphan) {
						onEvent({type: 'output', at: Date.now(), stepId: record.stepId, stream: 'stderr', line: `addon-wizard: the wizard that ran this step (pid ${record.wizardPid}) has stopped; following the installer's own output.`});
						orphan = (['stdout', 'stderr'] as const).map(stream => ({file: record.capture![stream], stream, offset: 0, partial: '', skip: seen.get(seenKey(record.stepId, stream)) ?? 0, decoder: new StringDecoder('utf8')}));
					}

					if (orphan) {
						await readOrphan(record.stepId, !installerRuns);
					}

					if (!installerRuns) {
						const error: WizardError = orphan ? orphanEnded(record) : {kind: 'run-lost', message: `The run (wizard pid ${record.wizardPid}) ended without recording a result.`, hint: `Read the log ${record.logPath}; if addon-offline-target-package is left over, run again with --cleanup.`, exitCode: exitCodes.runFailed};
						onEvent({type: 'run-error', at: Date.now(), error});
						onEvent({type: 'run-end', at: Date.now(), ok: false});
						return {ok: false, failedStepIndex: record.stepIndex, error};
					}
				}

				await new Promise(resolve => {
					setTimeout(resolve, options.pollMs ?? 500);
				});
			}
		}

		return {
			logPath: initial.logPath,
			done: follow(),
			async stop() {
				if (stopped) {
					return;
				}

				stopped = true;
				const pid = readRecord(file)?.installerPid ?? initial.installerPid;
				for (const signal of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
					if (!signalGroup(pid, signal)) {
						return;
					}

					await new Promise(resolve => {
						setTimeout(resolve, options.graceMs);
					});
				}
			},
		};
	};
}
