// Everything the program takes from the process it runs in, read once, here: the environment
// variables, paths, clock, terminal facts and signals. Every command gets this value; nothing
// below the composition root reads `process` for these.
import os from 'node:os';
import process from 'node:process';
import {listHostAddresses} from '../adapters/host/host-addresses.js';
import {wizardPaths, type WizardPaths} from '../adapters/host/xdg-paths.js';

/** What the terminal can do, read once from the process: whether the screens can be drawn, and how. */
export type TerminalFacts = {interactive: boolean; stdoutIsTTY: boolean; dumb: boolean; ascii: boolean; color: boolean};

export type SignalName = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/** Subscribe to a signal; the returned function unsubscribes. */
export type Signals = {on(signal: SignalName, handler: () => void): () => void};

export type Environment = {
	cwd: string;
	home: string;
	env: Readonly<Record<string, string | undefined>>;
	paths: WizardPaths;
	pid: number;
	now(): number;
	terminal: TerminalFacts;
	signals: Signals;
	/** This host's addresses, for the bootstrap node's registry when the wizard runs on it. */
	hostAddresses(): string[];
};

type Env = Readonly<Record<string, string | undefined>>;

/** The Linux console and non-UTF-8 locales cannot draw box characters or check marks. */
export function shouldUseAscii(env: Env): boolean {
	if (env['ADDON_WIZARD_ASCII'] === '1' || env['TERM'] === 'linux' || env['TERM'] === 'dumb') {
		return true;
	}

	const locale = env['LC_ALL'] || env['LC_CTYPE'] || env['LANG'] || '';
	return !/utf-?8/i.test(locale);
}

/** NO_COLOR (https://no-color.org) wins unless FORCE_COLOR asks for colour explicitly. */
export function shouldUseColor(env: Env): boolean {
	const force = env['FORCE_COLOR'];
	if (force !== undefined && force !== '') {
		return force !== '0' && force !== 'false';
	}

	return !env['NO_COLOR'] && env['TERM'] !== 'dumb';
}

/** `interactive`: the screens can run; `dumb` (TERM=dumb): plain lines only, no cursor or screen control at all. */
export function terminalFacts(env: Env, streams: {stdinIsTTY: boolean; stdoutIsTTY: boolean}): TerminalFacts {
	const dumb = env['TERM'] === 'dumb';
	return {
		// A dumb terminal cannot take the screens' cursor movement: it gets the plain path.
		interactive: streams.stdinIsTTY && streams.stdoutIsTTY && !dumb,
		stdoutIsTTY: streams.stdoutIsTTY,
		dumb,
		ascii: shouldUseAscii(env),
		color: shouldUseColor(env),
	};
}

export function environmentFromProcess(): Environment {
	const env = process.env;
	const home = env['HOME'] ?? os.homedir();
	return {
		cwd: process.cwd(),
		home,
		env,
		paths: wizardPaths(env, home),
		pid: process.pid,
		now: () => Date.now(),
		terminal: terminalFacts(env, {stdinIsTTY: Boolean(process.stdin.isTTY), stdoutIsTTY: Boolean(process.stdout.isTTY)}),
		signals: {
			on(signal, handler) {
				process.on(signal, handler);
				return () => {
					process.off(signal, handler);
				};
			},
		},
		hostAddresses: listHostAddresses,
	};
}

/** An environment for tests and scripts: the given variables and folder, no real signals. */
export function environmentFor(options: {cwd: string; env: Record<string, string | undefined>; interactive?: boolean}): Environment {
	const home = options.env['HOME'] ?? os.homedir();
	return {
		cwd: options.cwd,
		home,
		env: options.env,
		paths: wizardPaths(options.env, home),
		pid: process.pid,
		now: () => Date.now(),
		terminal: terminalFacts(options.env, {stdinIsTTY: options.interactive ?? false, stdoutIsTTY: options.interactive ?? false}),
		signals: {on: () => () => undefined},
		hostAddresses: () => [],
	};
}
