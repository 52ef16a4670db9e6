// The entry flow, decided once from the flags, the terminal and the run recorded on this host:
// which command runs and from which config the ports are then composed (once).
import {describe, expect, it} from 'vitest';
import type {TerminalFacts} from '../../source/app/environment.js';
import {decideEntry, type ActiveRun} from '../../source/app/entry-decision.js';
import {parseOptions, type Options} from '../../source/app/options.js';
import type {Plan} from '../../source/domain/plan/plan.js';
import type {RunRecord} from '../../source/workflow/ports/run-record-port.js';

const terminal: TerminalFacts = {interactive: true, stdoutIsTTY: true, dumb: false, ascii: false, color: true};
const pipe: TerminalFacts = {interactive: false, stdoutIsTTY: false, dumb: false, ascii: true, color: false};

function options(...argv: string[]): Options {
	const parsed = parseOptions(argv);
	if ('exitCode' in parsed) {
		throw new Error(parsed.message);
	}

	return parsed;
}

function recorded(status: RunRecord['status'], wizardAlive: boolean): ActiveRun {
	const record: RunRecord = {
		wizardPid: 4242,
		configPath: '/home/dce5/sample/clusterConfig.yaml',
		logPath: '/tmp/run.log',
		startedAt: 0,
		stepIndex: 0,
		stepId: 'step-1',
		packagePath: '/home/addon-offline-full-package-v0.9.0-amd64.tar.gz',
		status,
		plan: {steps: []} as unknown as Plan,
	};
	return {record, wizardAlive};
}

const going = recorded('running', true);
const orphaned = recorded('running', false);
const ended = recorded('ok', false);

describe('decideEntry: the commands that never show the screens', () => {
	it.each(['plan', 'list', 'inspect', 'verify', 'history'])(
		'%s runs as asked, with the flags as given, whatever run is recorded',
		command => {
			const given = options(command);
			expect(decideEntry(given, terminal, () => going)).toEqual({command, options: given});
		},
	);
});

describe('decideEntry: attach', () => {
	it("on a terminal, shows the run still going in the screens, from the run's own config", () => {
		const entry = decideEntry(options('attach'), terminal, () => going);
		expect(entry).toEqual({command: 'wizard', options: {...options('attach'), config: going.record.configPath}, attachTo: going.record});
	});

	it("keeps the -c it was given, and does not ask whether the run's wizard lives (its installer may)", () => {
		const given = options('attach', '-c', 'other.yaml');
		expect(decideEntry(given, terminal, () => orphaned)).toEqual({command: 'wizard', options: given, attachTo: orphaned.record});
	});

	it.each([
		['the run ended', terminal, ended, []],
		['no run is recorded', terminal, undefined, []],
		['--json', terminal, going, ['--json']],
		['there is no terminal', pipe, going, []],
	] as const)('follows as text when %s', (_, facts, active, flags) => {
		const given = options('attach', ...flags);
		expect(decideEntry(given, facts, () => active)).toEqual({command: 'attach', options: given});
	});
});

describe('decideEntry: the wizard and run', () => {
	it.each([
		['run --yes on a terminal', ['run', '--yes'], terminal],
		['the wizard with --yes and no terminal', ['--yes'], pipe],
		['the wizard with --yes --json on a terminal', ['--yes', '--json'], terminal],
	] as const)('runs the plan without the screens for %s', (_, argv, facts) => {
		const given = options(...argv);
		expect(decideEntry(given, facts, () => going)).toEqual({command: 'run', options: given});
	});

	it.each([
		['run without --yes and no terminal', ['run'], pipe],
		['the wizard without a terminal', [], pipe],
		['the wizard with --json', ['--json'], terminal],
	] as const)('says which flags to pass for %s', (_, argv, facts) => {
		const given = options(...argv);
		expect(decideEntry(given, facts, () => going)).toEqual({command: 'no-terminal', options: given});
	});

	it.each([['wizard'], ['run']])("%s on a terminal shows the run another wizard still has going, from that run's config", command => {
		expect(decideEntry(options(command), terminal, () => going)).toEqual({
			command: 'wizard',
			options: {...options(command), config: going.record.configPath},
			attachTo: going.record,
		});
		const given = options(command, '-c', 'mine.yaml');
		expect(decideEntry(given, terminal, () => going)).toEqual({command: 'wizard', options: given, attachTo: going.record});
	});

	it.each([
		['no run is recorded', undefined],
		['the recorded run ended', ended],
		['the wizard that started the run is gone', orphaned],
	] as const)('starts a new wizard with the flags as given when %s', (_, active) => {
		const given = options('-p', 'a.tar.gz', '--yes');
		expect(decideEntry(given, terminal, () => active)).toEqual({command: 'wizard', options: given});
	});
});
