// `addon-wizard attach`: back to a run after the SSH session dropped, or its result if it ended.
import type {Options} from '../options.js';
import {exitCodes, isWizardError} from '../../domain/shared/wizard-error.js';
import {writeError} from '../../report/io.js';
import {formatDuration} from '../../domain/shared/format-bytes.js';
import {wordNextStep} from '../../domain/shared/next-step.js';
import {recordedEndingOf, runEndingWords} from '../../report/run/outcome-words.js';
import {createJsonReporter, createPlainReporter} from '../../report/run/run-reporter.js';
import {recordedExitCode} from '../../workflow/run/outcome-exit-code.js';
import {reportStream, watchSignals} from './run-command.js';
import type {Services} from './services.js';

export async function runAttachCommand(options: Options, services: Services): Promise<number> {
	const {io} = services;
	const record = services.findRun();
	if (isWizardError(record)) {
		return writeError(io, record, options.json);
	}

	if (!record) {
		io.stderr(
			'addon-wizard: no run to attach to (none recorded on this host for this user).\n  next: start one with `addon-wizard` or `addon-wizard run --yes ...`.\n',
		);
		return exitCodes.badInput;
	}

	if (record.status !== 'running' && !options.json) {
		const took = formatDuration((record.endedAt ?? record.startedAt) - record.startedAt);
		const how = runEndingWords[recordedEndingOf(record.status, record.failure?.kind)].recorded;
		io.stdout(`addon-wizard: the last run against ${record.configPath} ended: ${how} after ${took}.\n`);
		if (record.failure) {
			io.stdout(`  cause: ${record.failure.message}\n  next: ${wordNextStep(record.failure, 'plain')}\n`);
		}

		io.stdout(`  log: ${record.logPath}\n`);
		// The same codes the run itself ended with: 5 when its installer exited 0 but printed errors,
		// 6 and 7 when the registry did not hold what the step should have left, or could not be read.
		return recordedExitCode(record.status, record.failure?.kind);
	}

	const reporter = options.json ? createJsonReporter(io) : createPlainReporter(io);
	const controller = new AbortController();
	// Following a run is watching it: Ctrl+C here stops the watching after asking, never the import.
	const unwatch = watchSignals(services, services.terminal.interactive, reason => controller.abort(reason));
	const code = await reportStream(services.attachStream(record, controller.signal), reporter, io, options.json);
	unwatch();
	return code;
}
