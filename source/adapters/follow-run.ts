// Re-opens a run from its log and run record, for `addon-wizard attach` after an SSH drop:
// replays what the log holds, then follows it until the record says the run ended.
import {open, stat} from 'node:fs/promises';
import {StringDecoder} from 'node:string_decoder';
import {parseOutputLine} from '../domain/installer-output.js';
import {exitCodes, type RunEvent, type RunProgress} from '../domain/model.js';
import {advanceProgress, initialProgress} from '../domain/run-progress.js';
import type {RunHandle, RunOutcome} from '../workflow/ports.js';
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

export function followRun(initial: RunRecord, options: FollowOptions) {
	return (onEvent: (event: RunEvent) => void): RunHandle => {
		const file = recordPath(options.stateDir, initial.configPath);
		const progress = new Map<string, RunProgress>();
		let offset = 0;
		let partial = '';
		// A read may end inside a multi-byte character (Chinese installer messages); keep it whole.
		const decoder = new StringDecoder('utf8');
		let stopped = false;

		function consume(text: string, replay: boolean) {
			const lines = (partial + text).split('\n');
			partial = lines.pop() ?? '';
			const recent: RunEvent[] = [];
			for (const raw of lines) {
				const parsed = parseLogLine(raw);
				if (!parsed || 'note' in parsed) {
					continue;
				}

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

		async function follow(): Promise<RunOutcome> {
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

				if (!isAlive(record.wizardPid) && !(record.installerPid && isAlive(record.installerPid))) {
					const error = {kind: 'run-lost', message: `The run (wizard pid ${record.wizardPid}) ended without recording a result.`, hint: `Read the log ${record.logPath}; if addon-offline-target-package is left over, run again with --cleanup.`, exitCode: exitCodes.runFailed};
					onEvent({type: 'run-error', at: Date.now(), error});
					onEvent({type: 'run-end', at: Date.now(), ok: false});
					return {ok: false, failedStepIndex: record.stepIndex, error};
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
