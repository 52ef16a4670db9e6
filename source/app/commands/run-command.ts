// `addon-wizard run --yes`: the whole wizard without a terminal, for scripted jump hosts.
import type {Options} from '../options.js';
import {describeSuggestion, matchChainPackages} from '../../domain/run/chain-step.js';
import {exitCodes} from '../../domain/shared/wizard-error.js';
import type {ChainSuggestion, RunEvent, StopReason} from '../../domain/run/run-events.js';
import {isWizardError} from '../../domain/shared/wizard-error.js';
import {writeError, type Io} from '../../report/io.js';
import {secretMasker} from '../../domain/shared/mask-secrets.js';
import {toPublicNextStep} from '../../report/contract/run-event.js';
import {toPublicPlan} from '../../report/contract/plan.js';
import {renderPlanText} from '../../report/plan/plan-text.js';
import {createJsonReporter, createPlainReporter, type Reporter} from '../../report/run/run-reporter.js';
import {outcomeExitCode} from '../../workflow/run/outcome-exit-code.js';
import type {RunStream} from '../../workflow/ports/ports.js';
import {preparePlan} from './plan-command.js';
import type {Services} from './services.js';

const terminalLinesPerSecond = 100;

/**
 * On a terminal, Ctrl+C asks first (a second press within 5 s stops). Without one (CI cancel, a
 * script's kill -INT) one SIGINT stops, as such callers expect. A hang-up never stops the run.
 */
export function watchSignals(
	services: Pick<Services, 'onSignal' | 'now' | 'io'>,
	askFirst: boolean,
	stop: (reason: StopReason) => void,
): () => void {
	let armedUntil = 0;
	const onInt = () => {
		if (!askFirst || services.now() < armedUntil) {
			services.io.stderr('addon-wizard: stopping the installer (SIGINT, then SIGTERM, then SIGKILL)...\n');
			stop('user');
			return;
		}

		armedUntil = services.now() + 5000;
		services.io.stderr('\naddon-wizard: press Ctrl+C again within 5 s to stop the installer; it keeps running otherwise.\n');
	};

	const off = [
		services.onSignal('SIGINT', onInt),
		services.onSignal('SIGTERM', () => stop('user')),
		services.onSignal('SIGHUP', () => undefined),
	];
	return () => {
		for (const unsubscribe of off) {
			unsubscribe();
		}
	};
}

/** Renders a run stream without screens; resolves with the run-end event's outcome exit code. */
export async function reportStream(stream: RunStream, reporter: Reporter, io: Io, json: boolean): Promise<number> {
	let end: Extract<RunEvent, {type: 'run-end'}> | undefined;
	let logPath: string | undefined;
	for await (const event of stream) {
		reporter.report(event);
		if (event.type === 'run-start') {
			logPath = event.logPath;
		}

		if (event.type === 'run-end') {
			end = event;
		}
	}

	reporter.flush();
	const outcome = end?.outcome ?? {ok: false};
	if (!json && !outcome.ok && logPath) {
		io.stderr(`addon-wizard: log: ${logPath}\n`);
	}

	return outcomeExitCode(outcome);
}

export async function runRunCommand(options: Options, services: Services): Promise<number> {
	const {io} = services;
	const prepared = await preparePlan(options, services);
	if (isWizardError(prepared)) {
		return writeError(io, prepared, options.json);
	}

	const {plan, context} = prepared;
	// A terminal cannot usefully show a flood of installer lines (and drawing them costs the run);
	// a script capturing the output gets every line.
	const reporter = options.json
		? createJsonReporter(io)
		: createPlainReporter(io, {linesPerSecond: services.terminal.stdoutIsTTY ? terminalLinesPerSecond : undefined});
	// clusterConfig.yaml's passwords are the operator's: the printed plan shows them masked.
	const mask = secretMasker(context.cluster.secrets ?? []);
	io.stdout(options.json ? `${JSON.stringify(toPublicPlan(plan, mask, options.accept))}\n` : renderPlanText(plan, mask));
	if (plan.blocked) {
		io.stderr('addon-wizard: the plan is blocked (see the errors above); nothing was run.\n');
		return exitCodes.blocked;
	}

	const fromStep = options.fromStep - 1;
	if (fromStep < 0 || fromStep >= plan.steps.length) {
		return writeError(
			io,
			{
				kind: 'bad-input',
				message: `--from-step ${options.fromStep} is outside the plan's ${plan.steps.length} step(s).`,
				hint: 'Use a step number from the plan above.',
				exitCode: exitCodes.badInput,
			},
			options.json,
		);
	}

	const controller = new AbortController();
	const unwatch = watchSignals(services, services.terminal.interactive, reason => controller.abort(reason));
	let failedStep: number | undefined;
	let chain: ChainSuggestion | undefined;
	let lostArchFailure = false;
	const code = await reportStream(
		(async function* () {
			// --cleanup runs inside the run, once its locks are held: a leftover is never removed under another wizard or a live installer.
			for await (const event of context.ports.startRun(plan, fromStep, controller.signal, {
				cleanup: options.cleanup,
				restoreConfigOnFailure: options.restoreConfigOnFailure,
			})) {
				if (event.type === 'run-end') {
					failedStep = event.outcome.error ? undefined : event.outcome.failedStepIndex;
					lostArchFailure = event.outcome.verificationFailed === true;
				}

				if (event.type === 'step-verified' && (event.verification.state === 'verified' || event.verification.state === 'failed')) {
					chain = event.verification.chain[0];
				}

				yield event;
			}
		})(),
		reporter,
		io,
		options.json,
	);
	unwatch();
	if (chain && !controller.signal.aborted) {
		// Running the same step again would lose the arch again: the chained integration is the next step.
		return nextStepAfter(chain, code, options, services, context.configPath);
	}

	if (!options.json && failedStep !== undefined && !lostArchFailure) {
		io.stderr(
			`addon-wizard: to clean up and retry: addon-wizard run --yes --cleanup --from-step ${failedStep + 1} (with the same -c/-p flags)\n`,
		);
	}

	return code;
}

const quoted = (value: string) => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", String.raw`'\''`)}'`);

/** The command that runs the chained step: the same config and the flags that say where and how, the new package. */
export function chainCommand(options: Options, configPath: string, packages: string[]): string {
	const carried: Array<[string, string | undefined]> = [
		['--installer', options.installer],
		['--workdir', options.workdir],
		['--registry', options.registry],
		['--chart-repo', options.chartRepo],
		['--registry-ca', options.registryCa],
	];
	const flags = [
		...carried.flatMap(([flag, value]) => (value === undefined ? [] : [flag, value])),
		...(options.registryInsecure ? ['--registry-insecure'] : []),
		...(options.importCommand.join(' ') === 'import -addon' ? [] : ['--import-command', options.importCommand.join(' ')]),
	];
	return ['addon-wizard', 'run', '--yes', '-c', configPath, ...flags, ...packages.flatMap(file => ['-p', file])]
		.map(arg => quoted(arg))
		.join(' ');
}

/**
 * After a run whose verification asks for the other arch's integration: the command that does it
 * (or the file to download first), and with --chain, that run itself through the same path.
 */
async function nextStepAfter(
	suggestion: ChainSuggestion,
	code: number,
	options: Options,
	services: Services,
	configPath: string,
): Promise<number> {
	const {io} = services;
	const match = matchChainPackages(suggestion, await services.discover());
	const what = describeSuggestion(suggestion);
	const found = match.found.length > 0 && match.missing.length === 0;
	const command = chainCommand(
		options,
		configPath,
		found ? match.found.map(item => item.path) : suggestion.fileNames.map(name => `<folder>/${name}`),
	);
	if (options.json) {
		io.stdout(
			`${JSON.stringify(
				toPublicNextStep(
					services.now(),
					suggestion,
					match.found.map(item => item.path),
					match.missing,
					command,
				),
			)}\n`,
		);
	} else if (found) {
		io.stdout(`addon-wizard: next: integrate ${what} (${suggestion.reason}):\n  ${command}\n`);
	} else {
		io.stdout(
			`addon-wizard: next: integrate ${what} (${suggestion.reason}); it is not on this host: download ${match.missing.join(' and ')} from the Download Center, then run:\n  ${command}\n`,
		);
	}

	if (!options.chain || !found) {
		return code;
	}

	if (!options.json) {
		io.stdout(`addon-wizard: --chain: integrating ${what} now\n`);
	}

	return runRunCommand({...options, packages: match.found.map(item => item.path), fromStep: 1, cleanup: false, chain: false}, services);
}
