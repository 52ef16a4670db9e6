// `addon-wizard run --yes`: the whole wizard without a terminal, for scripted jump hosts.
import type {Options} from '../options.js';
import type {Plan} from '../../domain/plan/plan.js';
import {wordNextStep} from '../../domain/shared/next-step.js';
import {foldRunFacts, noRunFacts, type RunFacts} from '../../report/contract/run-facts.js';
import {buildRunResult, type RunResultInput} from '../../report/contract/run-result.js';
import {
	acceptedLines,
	nothingToDoLine,
	refusalLines,
	refusalNextStep,
	reimportHint,
	reimportLine,
	unknownAcceptLines,
} from '../../report/run/unattended-gate-lines.js';
import {decideUnattendedRun, type GateVerdict} from '../../workflow/plan/unattended-gate.js';
import {describeSuggestion, matchChainPackages} from '../../domain/run/chain-step.js';
import {exitCodes, type WizardError} from '../../domain/shared/wizard-error.js';
import {resultFileRefused} from '../../adapters/shared/result-file.js';
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
import {chainCommand} from './chain-command.js';
import {verifyCommandAfter} from './verify-advice.js';
import type {ClusterContext, Services} from './services.js';

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

/** What every RunResult of this run shares, known once the plan is. */
type ResultBase = Pick<RunResultInput, 'config' | 'steps' | 'fromStep' | 'pending' | 'hazards'>;

/**
 * The end of every path once the options are valid: the RunResult as the last `--json` line and
 * in `--result-file`. Returns the exit code it carries.
 */
async function finish(services: Services, options: Options, input: RunResultInput, toFile = true): Promise<number> {
	const text = `${JSON.stringify(buildRunResult(input))}\n`;
	if (options.json) {
		services.io.stdout(text);
	}

	const unwritten = toFile ? await services.writeResultFile(text) : undefined;
	if (unwritten) {
		services.io.stderr(`addon-wizard: ${unwritten.message}\n  next: ${wordNextStep(unwritten, 'plain')}\n`);
	}

	return input.exitCode;
}

/**
 * A run that never got a plan (bad input, a held lock, a config that cannot be read): the error,
 * then the RunResult that closes every `run`, so a script's last line is always one. Not written
 * to --result-file when that path is what was refused.
 */
export async function refuseRun(error: WizardError, options: Options, services: Services): Promise<number> {
	const exitCode = writeError(services.io, error, options.json);
	const notStarted = {outcome: 'blocked' as const, summary: error.message};
	const input = {config: options.config ?? '', steps: [], fromStep: 0, hazards: [], exitCode, notStarted};
	return finish(services, options, {...input, nextStep: wordNextStep(error, 'plain')}, error.kind !== resultFileRefused);
}

/** The plan's first blocking row, as the RunResult words it. */
function blockedResult(plan: Plan, base: ResultBase): RunResultInput {
	const row = plan.preflight?.find(check => check.status === 'block');
	const finding = plan.findings.find(item => item.severity === 'error');
	const cause = row ?? finding;
	return {
		...base,
		exitCode: exitCodes.blocked,
		notStarted: {outcome: 'blocked', summary: `the plan is blocked: ${cause?.message ?? 'see the plan'}`},
		...(row
			? {nextStep: wordNextStep({hint: row.hint ?? '', then: row.then, otherwise: row.otherwise}, 'plain')}
			: cause?.hint
				? {nextStep: cause.hint}
				: {}),
	};
}

/**
 * What the unattended gate decided, said and turned into a result; undefined when the run goes
 * ahead (the hazards it goes ahead despite are said first).
 */
function gateResult(verdict: GateVerdict, options: Options, services: Services, base: ResultBase): RunResultInput | undefined {
	const {io} = services;
	const plain = (text: string) => (options.json ? undefined : io.stdout(text));
	switch (verdict.decision) {
		case 'blocked': {
			return undefined;
		}

		case 'nothing-to-do': {
			plain(nothingToDoLine(verdict.pending));
			return {
				...base,
				exitCode: exitCodes.ok,
				notStarted: {outcome: 'nothing-to-do', summary: verdict.pending.summary},
				nextStep: reimportHint,
			};
		}

		case 'refused': {
			io.stderr(refusalLines(verdict.refusedBy));
			const ids = verdict.refusedBy.map(hazard => hazard.id).join(', ');
			return {
				...base,
				exitCode: exitCodes.blocked,
				notStarted: {outcome: 'refused', summary: `refused: hazard${verdict.refusedBy.length === 1 ? '' : 's'} not accepted: ${ids}`},
				nextStep: refusalNextStep(verdict.refusedBy),
			};
		}

		case 'go': {
			io.stderr(acceptedLines(verdict.hazards));
			if (verdict.reimport) {
				plain(reimportLine(verdict.pending));
			}

			return undefined;
		}
	}
}

export async function runRunCommand(options: Options, services: Services): Promise<number> {
	const {io} = services;
	// Another operator's run is named before any plan: its unpacking would show as a leftover.
	// Another operator's run: refused before a plan is made, and still closed with a RunResult.
	const held = await services.runHeld();
	if (held) {
		return refuseRun(held, options, services);
	}

	const prepared = await preparePlan(options, services);
	if (isWizardError(prepared)) {
		return refuseRun(prepared, options, services);
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
	const verdict = decideUnattendedRun(plan, {accept: options.accept, reimport: options.reimport});
	io.stderr(unknownAcceptLines(verdict.unknownAccepts));
	const fromStep = options.fromStep - 1;
	const base: ResultBase = {config: context.configPath, steps: plan.steps, fromStep, pending: verdict.pending, hazards: verdict.hazards};
	if (plan.blocked) {
		io.stderr('addon-wizard: the plan is blocked (see the errors above); nothing was run.\n');
		return finish(services, options, blockedResult(plan, base));
	}

	if (fromStep < 0 || fromStep >= plan.steps.length) {
		const error = {
			kind: 'bad-input',
			message: `--from-step ${options.fromStep} is outside the plan's ${plan.steps.length} step(s).`,
			hint: 'Use a step number from the plan above.',
			exitCode: exitCodes.badInput,
		};
		const exitCode = writeError(io, error, options.json);
		return finish(services, options, {...base, exitCode, notStarted: {outcome: 'blocked', summary: error.message}, nextStep: error.hint});
	}

	const stopped = gateResult(verdict, options, services, base);
	return stopped ? finish(services, options, stopped) : runPlan({plan, options, services, context, reporter, base});
}

type RunPlanInput = {
	plan: Plan;
	options: Options;
	services: Services;
	context: ClusterContext;
	reporter: Reporter;
	base: ResultBase;
};

/** The run itself, its events folded into the facts its RunResult is built from. */
async function runPlan({plan, options, services, context, reporter, base}: RunPlanInput): Promise<number> {
	const {io} = services;
	const controller = new AbortController();
	const unwatch = watchSignals(services, services.terminal.interactive, reason => controller.abort(reason));
	let facts: RunFacts = noRunFacts;
	const code = await reportStream(
		(async function* () {
			// --cleanup runs inside the run, once its locks are held: a leftover is never removed under another wizard or a live installer.
			for await (const event of context.ports.startRun(plan, base.fromStep, controller.signal, {
				cleanup: options.cleanup,
				restoreConfigOnFailure: options.restoreConfigOnFailure,
			})) {
				facts = foldRunFacts(facts, event);
				yield event;
			}
		})(),
		reporter,
		io,
		options.json,
	);
	unwatch();
	const result: RunResultInput = {...base, exitCode: code, run: facts};
	if (facts.chain && !controller.signal.aborted) {
		// Running the same step again would lose the arch again: the chained integration is the next step.
		const next = await nextStepAfter(facts.chain, options, services, context.configPath);
		if (next.follow) {
			// The chained run ends with its own RunResult: the output ends with exactly one.
			return next.follow();
		}

		return finish(services, options, {...result, nextStep: next.command});
	}

	// Finished, not verified: running the step again would re-run a good import; verify is the next step.
	if (facts.outcome?.unverified) {
		const failure = facts.steps.find(step => step.end?.failure)?.end?.failure;
		const verify = verifyCommandAfter(failure, options, context.configPath);
		if (!options.json) {
			io.stderr(`addon-wizard: to check what the step left: ${verify}\n`);
		}

		return finish(services, options, {...result, nextStep: `Check what the step left: ${verify}.`});
	}

	const retry = retryAdvice(facts);
	if (!options.json && retry) {
		io.stderr(`addon-wizard: to clean up and retry: ${retry}\n`);
	}

	return finish(services, options, {...result, ...runNextStep(facts, retry)});
}

/** The command that cleans up and retries a failed step; none after a verification failure (running it again loses the arch again). */
function retryAdvice(facts: RunFacts): string | undefined {
	const outcome = facts.outcome;
	const failedStep = outcome?.error ? undefined : outcome?.failedStepIndex;
	if (failedStep === undefined || outcome?.verificationFailed === true) {
		return undefined;
	}

	return `addon-wizard run --yes --cleanup --from-step ${failedStep + 1} (with the same -c/-p flags)`;
}

/** The RunResult's next step after a run that ended short: the failure's own hint, then the retry. */
function runNextStep(facts: RunFacts, retry: string | undefined): Pick<RunResultInput, 'nextStep'> {
	const outcome = facts.outcome;
	if (!outcome || outcome.ok) {
		return {};
	}

	if (outcome.error) {
		return {nextStep: wordNextStep(outcome.error, 'plain')};
	}

	const failure = facts.steps.find(step => step.end?.failure)?.end?.failure;
	const words = [failure ? wordNextStep(failure, 'plain') : undefined, retry ? `To clean up and retry: ${retry}.` : undefined];
	const nextStep = words.filter(Boolean).join(' ');
	return nextStep ? {nextStep} : {};
}

/**
 * After a run whose verification asks for the other arch's integration: the command that does it
 * (or the file to download first), and with --chain, that run itself through the same path.
 */
async function nextStepAfter(
	suggestion: ChainSuggestion,
	options: Options,
	services: Services,
	configPath: string,
): Promise<{command: string; follow?: () => Promise<number>}> {
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
		return {command};
	}

	return {
		command,
		follow: async () => {
			if (!options.json) {
				io.stdout(`addon-wizard: --chain: integrating ${what} now\n`);
			}

			return runRunCommand({...options, packages: match.found.map(item => item.path), fromStep: 1, cleanup: false, chain: false}, services);
		},
	};
}
