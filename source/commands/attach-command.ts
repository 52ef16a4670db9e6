// `addon-wizard attach`: back to a run after the SSH session dropped, or its result if it ended.
import path from 'node:path';
import {findRecord} from '../adapters/run-record.js';
import {followRun} from '../adapters/follow-run.js';
import {stateDir} from '../adapters/xdg-paths.js';
import type {Environment} from '../cli/context.js';
import type {Options} from '../cli/options.js';
import {exitCodes} from '../domain/model.js';
import {formatDuration} from '../domain/format-bytes.js';
import {createJsonReporter, createPlainReporter} from '../report/run-reporter.js';
import type {Io} from './io.js';
import {outcomeExitCode} from '../workflow/outcome-exit-code.js';

export type AttachTarget = {record: NonNullable<ReturnType<typeof findRecord>>; start: ReturnType<typeof followRun>};

export function findAttachTarget(options: Options, environment: Environment): AttachTarget | undefined {
	const state = stateDir(environment.env);
	const record = findRecord(state, options.config ? path.resolve(environment.cwd, options.config) : undefined);
	return record ? {record, start: followRun(record, {stateDir: state, graceMs: options.stopGrace * 1000})} : undefined;
}

export async function runAttachCommand(options: Options, io: Io, environment: Environment): Promise<number> {
	const target = findAttachTarget(options, environment);
	if (!target) {
		io.stderr('addon-wizard: no run to attach to (none recorded on this host for this user).\n  next: start one with `addon-wizard` or `addon-wizard run --yes ...`.\n');
		return exitCodes.badInput;
	}

	const {record} = target;
	if (record.status !== 'running' && !options.json) {
		const took = formatDuration((record.endedAt ?? record.startedAt) - record.startedAt);
		io.stdout(`addon-wizard: the last run against ${record.configPath} ended: ${record.status} after ${took}.\n`);
		if (record.failure) {
			io.stdout(`  cause: ${record.failure.message}\n  next: ${record.failure.hint}\n`);
		}

		io.stdout(`  log: ${record.logPath}\n`);
		return record.status === 'ok' ? exitCodes.ok : exitCodes.runFailed;
	}

	const reporter = options.json ? createJsonReporter(io) : createPlainReporter(io);
	const handle = target.start(event => reporter.report(event));
	const outcome = await handle.done;
	reporter.flush();
	return outcomeExitCode(outcome);
}
