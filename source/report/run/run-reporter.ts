// Renders run events without Ink: plain lines for people reading a scripted run, or one JSON
// object per line for machines. Output is batched so a flood of installer lines stays cheap.
import {formatBytes, formatDuration} from '../../domain/shared/format-bytes.js';
import type {RunEvent, StepTally} from '../../domain/run/run-events.js';
import {wordNextStep} from '../../domain/shared/next-step.js';
import {emptyRate, trackRate, type RateTracker} from '../../domain/run/rate-estimate.js';
import {countsText, paceText, unpackText} from '../../domain/run/run-progress.js';
import {summarizeTallies, wordSummary} from '../../domain/run/run-tally.js';
import {lingerGraceMs} from '../../domain/run/step-verdict.js';
import type {Io} from '../io.js';
import {describeVerification} from '../registry/verification-text.js';

export type Reporter = {
	report(event: RunEvent): void;
	/** Writes what is buffered; call before printing anything else. */
	flush(): void;
};

function batched(io: Io): {write(text: string): void; flush(): void} {
	let buffer = '';
	let timer: NodeJS.Timeout | undefined;
	const flush = () => {
		if (timer) {
			clearTimeout(timer);
			timer = undefined;
		}

		if (buffer) {
			const text = buffer;
			buffer = '';
			io.stdout(text);
		}
	};

	return {
		write(text) {
			buffer += text;
			if (buffer.length > 1 << 16) {
				flush();
			} else {
				timer ??= setTimeout(flush, 50);
			}
		},
		flush,
	};
}

export function createJsonReporter(io: Io): Reporter {
	const out = batched(io);
	return {report: event => out.write(`${JSON.stringify(event)}\n`), flush: out.flush};
}

export type PlainReporterOptions = {
	progressEveryMs?: number;
	/**
	 * Installer lines shown per second at most (a person's terminal); the rest are counted and named,
	 * they are all in the log. Unset: every line (a script capturing the output).
	 */
	linesPerSecond?: number;
};

export function createPlainReporter(io: Io, options: PlainReporterOptions = {}): Reporter {
	const out = batched(io);
	const every = options.progressEveryMs ?? 5000;
	let startedAt = 0;
	let lastProgress = 0;
	let lastDiskLevel = 'ok';
	let rates: {unpack: RateTracker; import: RateTracker} = {unpack: emptyRate, import: emptyRate};
	const tallies: StepTally[] = [];
	let lingering: {since: number; offered: boolean; pid: number} | undefined;
	let lastVerifyProgress = 0;
	const stepIds: string[] = [];
	/** Steps whose read-back was said in full: their end need not repeat it. */
	const saidVerification = new Set<string>();
	const line = (text: string) => out.write(`${text}\n`);
	let windowStart = 0;
	let shownInWindow = 0;
	let held = 0;
	const sayHeld = () => {
		if (held > 0) {
			line(`addon-wizard: … ${held} more installer line${held === 1 ? '' : 's'} (all in the log)`);
			held = 0;
		}
	};

	const output = (text: string, at: number) => {
		const limit = options.linesPerSecond;
		if (limit === undefined) {
			line(text);
			return;
		}

		if (at - windowStart >= 1000) {
			sayHeld();
			windowStart = at;
			shownInWindow = 0;
		}

		if (shownInWindow < limit) {
			shownInWindow++;
			line(text);
		} else {
			held++;
		}
	};

	return {
		flush: out.flush,
		report(event) {
			switch (event.type) {
				case 'run-start': {
					startedAt = event.at;
					stepIds.splice(0, stepIds.length, ...event.steps.map(step => step.id));
					line(`addon-wizard: running ${event.steps.length} step(s); log: ${event.logPath}`);
					break;
				}

				case 'config-written': {
					line(`addon-wizard: wrote ${event.path} (backup: ${event.backupPath})`);
					break;
				}

				case 'step-start': {
					rates = {unpack: emptyRate, import: emptyRate};
					line(`addon-wizard: step ${event.stepId}: ${JSON.stringify(event.argv)} (in ${event.cwd}, pid ${event.pid ?? '?'})`);
					break;
				}

				case 'output': {
					output(event.line, event.at);
					break;
				}

				case 'output-skipped': {
					line(`addon-wizard: … ${event.count} earlier installer line${event.count === 1 ? '' : 's'} not repeated (all in the log)`);
					break;
				}

				case 'progress': {
					const p = event.progress;
					rates = {unpack: trackRate(rates.unpack, event.at, p.unpackedBytes), import: trackRate(rates.import, event.at, p.chartsSeen + p.imagesSeen)};
					if (event.at - lastProgress >= every) {
						lastProgress = event.at;
						const pace = paceText(p, rates, event.at);
						line(`addon-wizard: progress: ${unpackText(p)} · ${countsText(p)}${pace ? ` · ${pace}` : ''} · ${formatDuration(event.at - startedAt)} elapsed`);
					}

					if (lingering && !lingering.offered && event.at - lingering.since >= lingerGraceMs) {
						lingering.offered = true;
						line(`addon-wizard: the installer's processes still run ${formatDuration(event.at - lingering.since)} after it exited; Ctrl+C (or kill -INT ${lingering.pid === 0 ? 'the wizard' : `-${lingering.pid}`}) stops them and ends the step.`);
					}

					break;
				}

				case 'silent': {
					line(`addon-wizard: no output from the installer for ${formatDuration(event.at - event.since)}; it may still be working (a large image, a slow registry). Ctrl+C stops it.`);
					break;
				}

				case 'lingering': {
					if (event.processes.length === 0) {
						lingering = undefined;
						line('addon-wizard: the installer\'s remaining processes have exited.');
						break;
					}

					lingering ??= {since: event.at, offered: false, pid: event.leaderPid};
					line(`addon-wizard: the installer (pid ${event.leaderPid}) exited with status ${event.exitCode ?? '?'}, but its process group still runs: ${event.processes.map(item => `${item.command} (pid ${item.pid})`).join(', ')}; following their output until they exit.`);
					break;
				}

				case 'config-restored': {
					line(`addon-wizard: put ${event.path} back from ${event.backupPath}; what the run had written is kept as ${event.replacedCopyPath}`);
					break;
				}

				case 'config-restore-refused': {
					line(`addon-wizard: did not put ${event.path} back: ${event.error.message}\n  next: ${wordNextStep(event.error, 'plain')}`);
					break;
				}

				case 'disk': {
					const worst = event.samples.find(sample => sample.level === 'critical') ?? event.samples.find(sample => sample.level === 'low');
					const level = worst?.level ?? 'ok';
					if (worst && level !== lastDiskLevel) {
						line(`addon-wizard: WARNING: only ${formatBytes(worst.freeBytes)} free on ${worst.path}${level === 'critical' ? ' (below the floor; Ctrl+C twice stops the installer)' : ''}`);
					}

					lastDiskLevel = level;
					break;
				}

				case 'step-end': {
					sayHeld();
					lingering = undefined;
					if (event.tally) {
						tallies.push(event.tally);
					}

					const verb = event.status === 'errors' ? 'finished with errors' : event.status === 'unverified' ? 'finished, not verified' : event.failure?.kind === 'verification-failed' ? 'is not verified' : 'failed';
					const byRegistry = event.failure?.kind === 'verification-failed' || event.failure?.kind === 'not-verified';
					if (event.failure && byRegistry && saidVerification.has(event.stepId)) {
						line(`addon-wizard: step ${event.stepId} ${verb} (the installer exited ${event.exitCode ?? '?'}; what the registry showed is above)`);
					} else {
						line(event.failure
							? `addon-wizard: step ${event.stepId} ${verb}: ${event.failure.message}\n  next: ${wordNextStep(event.failure, 'plain')}`
							: `addon-wizard: step ${event.stepId} done`);
					}
					break;
				}

				case 'verify-start': {
					lastVerifyProgress = event.at;
					line(`addon-wizard: step ${event.stepId}: ${event.phase === 'before' ? 'reading what' : 'verifying against'} the registry ${event.registry}${event.phase === 'before' ? ' holds before the step' : ''} (${event.tags} tag${event.tags === 1 ? '' : 's'})…`);
					break;
				}

				case 'verify-progress': {
					// A second or two for a thousand tags: a line a second, and the last.
					if (event.done >= event.total || event.at - lastVerifyProgress >= 1000) {
						lastVerifyProgress = event.at;
						line(`addon-wizard: ${event.phase === 'before' ? 'read' : 'verifying'} ${event.done} of ${event.total} tags`);
					}

					break;
				}

				case 'step-verified': {
					const {verification} = event;
					const later = verification.state === 'deferred' && verification.laterStepId ? `step ${stepIds.indexOf(verification.laterStepId) + 1} (${verification.laterStepId})` : undefined;
					const text = describeVerification(verification, later);
					saidVerification.add(event.stepId);
					line(`addon-wizard: step ${event.stepId}: ${text.summary}`);
					for (const detail of text.details) {
						line(`  ${detail}`);
					}

					if (text.cause) {
						line(`  cause: ${text.cause}`);
					}

					if (text.hint) {
						line(`  next: ${text.hint}`);
					}

					break;
				}

				case 'cleanup': {
					line(`addon-wizard: removed ${event.path} (${formatBytes(event.freedBytes)} freed)`);
					break;
				}

				case 'run-error': {
					line(`addon-wizard: ${event.error.message}\n  next: ${wordNextStep(event.error, 'plain')}`);
					break;
				}

				case 'run-end': {
					const {outcome} = event;
					const how = event.ok ? 'import finished' : outcome.withErrors ? 'import finished with errors' : outcome.unverified ? 'import finished, not verified' : outcome.verificationFailed ? 'import finished, but the registry does not hold what it should' : 'import failed';
					line(`addon-wizard: ${how} after ${formatDuration(event.at - startedAt)}`);
					if (tallies.length > 0) {
						for (const text of wordSummary(summarizeTallies(tallies))) {
							line(`addon-wizard: ${text}`);
						}
					}

					break;
				}
			}
		},
	};
}
