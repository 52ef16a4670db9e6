// `addon-wizard attach`: back to a run after the SSH session dropped, or its result if it ended;
// also another operator's run, found through the lock in the working directory or beside the config.
import type {Options} from '../options.js';
import {exitCodes, isWizardError} from '../../domain/shared/wizard-error.js';
import {describeHolder} from '../../domain/run/lock-holder.js';
import {holderAlive} from '../../adapters/run/lock-holder-file.js';
import {writeError} from '../../report/io.js';
import type {RunLookup} from '../../workflow/ports/run-record-port.js';
import {formatDuration} from '../../domain/shared/format-bytes.js';
import {wordNextStep} from '../../domain/shared/next-step.js';
import {recordedEndingOf, runEndingWords} from '../../report/run/outcome-words.js';
import {createJsonReporter, createPlainReporter} from '../../report/run/run-reporter.js';
import {recordedExitCode} from '../../workflow/run/outcome-exit-code.js';
import {reportStream, watchSignals} from './run-command.js';
import type {Services} from './services.js';

/**
 * A run another operator's wizard holds the lock for, whose record this user may not read: who
 * runs it and where its log is can be shown, its steps and progress cannot.
 */
function sayUnreadable(found: Extract<RunLookup, {found: 'unreadable'}>, io: Services['io'], now: number): number {
	const {holder} = found;
	const log = holder.logPath
		? found.logReadable
			? `  can show: its log ${holder.logPath} (\`tail -f ${holder.logPath}\` follows it).\n`
			: `  cannot show either: its log ${holder.logPath}, not readable by this user.\n`
		: '';
	io.stderr(
		`addon-wizard: a run against ${holder.configPath} holds the lock ${found.lockFile}: ${describeHolder(holder, now)}.\n` +
			`  cannot show: its steps and progress; its record ${holder.recordPath} is not readable by this user (${found.cause}).\n${log}` +
			`  next: follow it as user ${holder.user} (\`sudo -u ${holder.user} addon-wizard attach -c ${holder.configPath}\`), or wait for it to end.\n`,
	);
	return exitCodes.blocked;
}

const when = (at: number) =>
	new Date(at)
		.toISOString()
		.replace('T', ' ')
		.replace(/\.\d+Z$/, ' UTC');

/**
 * A run whose record is damaged (truncated, corrupt): the lock names the run and /proc its
 * installer, so what still runs and where its log is can be said; its steps and progress cannot.
 */
function sayDamaged(found: Extract<RunLookup, {found: 'unreadable'}>, io: Services['io']): number {
	const {holder} = found;
	const installers = found.installers ?? [];
	const wizard = holderAlive(holder)
		? `its wizard (pid ${holder.pid}, ${holder.user}) still runs`
		: `its wizard (pid ${holder.pid}) has stopped`;
	const running =
		installers.length > 0
			? installers.map(item => `installer pid ${item.pid} (${item.user}, ${item.why}) is still running: ${item.command}`).join('\n  ')
			: 'no installer of it is running any more';
	const log = holder.logPath ? `  can show: its log ${holder.logPath} (\`tail -f ${holder.logPath}\` follows it).\n` : '';
	const verify = `addon-wizard verify -c ${holder.configPath}`;
	const next =
		installers.length > 0
			? `wait for it to end (\`addon-wizard status -c ${holder.configPath}\` tells), then \`${verify}\` shows what it left`
			: `\`${verify}\` shows what it left; move ${holder.recordPath} aside, and the next run writes a new one`;
	io.stderr(
		`addon-wizard: the run against ${holder.configPath} started ${when(holder.since)} by ${holder.user}: ${running}; ${wizard}.\n` +
			`  cannot show: its steps and progress; its run record ${holder.recordPath} is unreadable (${found.cause}).\n${log}` +
			`  next: ${next}.\n`,
	);
	return exitCodes.blocked;
}

function sayNone(services: Services): number {
	const found = services.lookUpRun();
	if (found.found === 'unreadable') {
		return found.damaged ? sayDamaged(found, services.io) : sayUnreadable(found, services.io, services.now());
	}

	services.io.stderr(
		'addon-wizard: no run to attach to (none recorded on this host for this user, and no lock in this working directory or beside the config names one).\n  next: start one with `addon-wizard` or `addon-wizard run --yes ...`; for a run in another folder, pass its -c or run attach from its working directory.\n',
	);
	return exitCodes.badInput;
}

export async function runAttachCommand(options: Options, services: Services): Promise<number> {
	const {io} = services;
	const record = services.findRun();
	if (isWizardError(record)) {
		return writeError(io, record, options.json);
	}

	if (!record) {
		return sayNone(services);
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
