// `addon-wizard run --yes`: the whole wizard without a terminal, for scripted jump hosts.
import type {Environment} from '../cli/context.js';
import {isWizardError, type Options} from '../cli/options.js';
import {exitCodes, type Plan} from '../domain/model.js';
import {renderPlanText} from '../report/plan-text.js';
import {createJsonReporter, createPlainReporter, type Reporter} from '../report/run-reporter.js';
import type {WizardPorts} from '../workflow/ports.js';
import {writeError, type Io} from './io.js';
import {preparePlan} from './plan-command.js';
import {outcomeExitCode} from '../workflow/outcome-exit-code.js';

const terminalLinesPerSecond = 100;

/** The non-interactive `r`: removes a leftover target directory before the step runs. */
async function cleanupFirst(plan: Plan, fromStep: number, ports: WizardPorts, reporter: Reporter): Promise<number | undefined> {
	const step = plan.steps[fromStep];
	if (!step || !await ports.measureLeftover(step)) {
		return undefined;
	}

	const cleaned = await ports.cleanupLeftover(step);
	if (isWizardError(cleaned)) {
		reporter.report({type: 'run-error', at: Date.now(), error: cleaned});
		return cleaned.exitCode;
	}

	reporter.report({type: 'cleanup', at: Date.now(), path: cleaned.path, freedBytes: cleaned.freedBytes});
	return undefined;
}

/** Ctrl+C asks first (a second press within 5 s stops); a hang-up is ignored so the run goes on. */
function watchSignals(io: Io, stop: (reason: 'user') => Promise<void>): () => void {
	let armedUntil = 0;
	const onInt = () => {
		if (Date.now() < armedUntil) {
			io.stderr('addon-wizard: stopping the installer (SIGINT, then SIGTERM, then SIGKILL)...\n');
			void stop('user');
			return;
		}

		armedUntil = Date.now() + 5000;
		io.stderr('\naddon-wizard: press Ctrl+C again within 5 s to stop the installer; it keeps running otherwise.\n');
	};

	const onTerm = () => void stop('user');
	const onHup = () => undefined;
	process.on('SIGINT', onInt);
	process.on('SIGTERM', onTerm);
	process.on('SIGHUP', onHup);
	return () => {
		process.off('SIGINT', onInt);
		process.off('SIGTERM', onTerm);
		process.off('SIGHUP', onHup);
	};
}

export async function runRunCommand(options: Options, io: Io, environment: Environment): Promise<number> {
	const prepared = await preparePlan(options, io, environment);
	if (isWizardError(prepared)) {
		return writeError(io, prepared, options.json);
	}

	const {plan, context} = prepared;
	// A terminal cannot usefully show a flood of installer lines (and drawing them costs the run);
	// a script capturing the output gets every line.
	const reporter = options.json ? createJsonReporter(io) : createPlainReporter(io, {linesPerSecond: process.stdout.isTTY ? terminalLinesPerSecond : undefined});
	if (options.json) {
		io.stdout(`${JSON.stringify({type: 'plan', plan})}\n`);
	} else {
		io.stdout(renderPlanText(plan));
	}

	if (plan.blocked) {
		io.stderr('addon-wizard: the plan is blocked (see the errors above); nothing was run.\n');
		return exitCodes.blocked;
	}

	const fromStep = options.fromStep - 1;
	if (fromStep < 0 || fromStep >= plan.steps.length) {
		return writeError(io, {kind: 'bad-input', message: `--from-step ${options.fromStep} is outside the plan's ${plan.steps.length} step(s).`, hint: 'Use a step number from the plan above.', exitCode: exitCodes.badInput}, options.json);
	}

	if (options.cleanup) {
		const failed = await cleanupFirst(plan, fromStep, context.ports, reporter);
		if (failed !== undefined) {
			reporter.flush();
			return failed;
		}
	}

	const handle = context.ports.startRun(plan, fromStep, event => reporter.report(event));
	const unwatch = watchSignals(io, async reason => handle.stop(reason));
	const outcome = await handle.done;
	unwatch();
	reporter.flush();
	if (!options.json && !outcome.ok) {
		io.stderr(`addon-wizard: log: ${handle.logPath}\n`);
		if (outcome.failedStepIndex !== undefined && !outcome.error) {
			io.stderr(`addon-wizard: to clean up and retry: addon-wizard run --yes --cleanup --from-step ${outcome.failedStepIndex + 1} (with the same -c/-p flags)\n`);
		}
	}

	return outcomeExitCode(outcome);
}
