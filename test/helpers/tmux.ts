// Drives a real terminal: each session runs on its own tmux server socket, so parallel test
// files never see each other's panes, and the screen is read back with capture-pane.
import {execFile} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {readdir, readFile} from 'node:fs/promises';
import {setTimeout as delay} from 'node:timers/promises';
import {promisify} from 'node:util';

const run = promisify(execFile);

export type TmuxSession = {
	/** Sends tmux key names (`Down`, `Enter`, `C-c`) or literal text, all in ONE tmux call. */
	sendKeys(...keys: string[]): Promise<void>;
	/** Types text literally (no key-name lookup). */
	type(text: string): Promise<void>;
	/** The visible screen, plain text (or with its SGR colour codes), trailing blanks trimmed. */
	capture(options?: {escapes?: boolean; history?: boolean}): Promise<string>;
	/** Polls the screen until `expected` appears (or the predicate holds); returns that screen. */
	waitFor(expected: string | RegExp | ((screen: string) => boolean), timeoutMs?: number): Promise<string>;
	/** Exit status of the command once it has ended (the pane stays open to read it). */
	waitForExit(timeoutMs?: number): Promise<number>;
	/** A tmux format for the pane (`#{pane_title}`, `#{cursor_y}`), as tmux reports it. */
	display(format: string): Promise<string>;
	/** Copies every byte the program writes to the pane into `file`, escapes included. */
	pipeTo(file: string): Promise<void>;
	/** Closes the terminal (tmux's server ends; the pane's program gets SIGHUP). */
	kill(): Promise<void>;
	/** Once kill() closed the terminal: until the pane's shell and program have exited (at most `timeoutMs`). */
	ended(timeoutMs?: number): Promise<void>;
};

export type TmuxOptions = {
	argv: string[];
	cwd: string;
	env?: Record<string, string>;
	columns?: number;
	rows?: number;
};

function shellQuote(value: string): string {
	return `'${value.replaceAll("'", String.raw`'\''`)}'`;
}

function matches(screen: string, expected: string | RegExp | ((screen: string) => boolean)): boolean {
	if (typeof expected === 'string') {
		return screen.includes(expected);
	}

	return expected instanceof RegExp ? expected.test(screen) : expected(screen);
}

/** The pane's shell and the program it runs (its direct children): what ends with the terminal. */
async function paneProcesses(panePid: number): Promise<number[]> {
	const children: number[] = [];
	for (const entry of await readdir('/proc').catch(() => [])) {
		const stat = /^\d+$/.test(entry) ? await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '') : '';
		// The parent pid is the second field after the command name, which is in parentheses and may hold spaces.
		if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === panePid) {
			children.push(Number(entry));
		}
	}

	return [panePid, ...children];
}

/** Running, not a zombie (a zombie's work, its exit handlers included, is done). */
async function alive(pid: number): Promise<boolean> {
	const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
	return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

export async function startTmux(options: TmuxOptions): Promise<TmuxSession> {
	const socket = `addon-wizard-test-${randomUUID().slice(0, 8)}`;
	const tmux = async (...args: string[]) =>
		(await run('tmux', ['-L', socket, '-f', '/dev/null', ...args], {env: {...process.env, TMUX: ''}})).stdout;
	const env = {CI: 'false', TERM: 'xterm-256color', LANG: 'C.UTF-8', ...options.env};
	// tmux runs its command through the user's shell; quoting each argument keeps paths intact.
	// The exit status is printed once the program ends, so tests can assert it.
	const command = [
		...Object.entries(env).map(([key, value]) => `export ${key}=${shellQuote(value)};`),
		`cd ${shellQuote(options.cwd)} &&`,
		options.argv.map(arg => shellQuote(arg)).join(' '),
		'; echo "[exit:$?]"; sleep 600',
	].join(' ');
	await tmux('new-session', '-d', '-s', 'test', '-x', String(options.columns ?? 100), '-y', String(options.rows ?? 30), command);
	await tmux('set-option', '-g', 'remain-on-exit', 'on');

	/** The pane's shell and program, as they were when the terminal was closed. */
	let pane: number[] = [];
	const session: TmuxSession = {
		async sendKeys(...keys) {
			await tmux('send-keys', '-t', 'test', ...keys);
		},
		async type(text) {
			await tmux('send-keys', '-t', 'test', '-l', text);
		},
		async capture(options = {}) {
			const screen = await tmux(
				'capture-pane',
				'-p',
				...(options.escapes ? ['-e'] : []),
				...(options.history ? ['-S', '-'] : []),
				'-t',
				'test',
			);
			return screen
				.split('\n')
				.map(line => line.trimEnd())
				.join('\n')
				.trimEnd();
		},
		async waitFor(expected, timeoutMs = 20_000) {
			const deadline = Date.now() + timeoutMs;
			let screen = '';
			while (Date.now() < deadline) {
				screen = await session.capture();
				if (matches(screen, expected)) {
					return screen;
				}

				await delay(100);
			}

			throw new Error(`Timed out waiting for ${String(expected)}. Screen:\n${screen}`);
		},
		async waitForExit(timeoutMs = 20_000) {
			const screen = await session.waitFor(/\[exit:\d+]/, timeoutMs);
			return Number(/\[exit:(\d+)]/.exec(screen)?.[1]);
		},
		async display(format) {
			return (await tmux('display-message', '-p', '-t', 'test', format)).trimEnd();
		},
		async pipeTo(file) {
			await tmux('pipe-pane', '-o', '-t', 'test', `cat >> ${shellQuote(file)}`);
		},
		async kill() {
			const panePid = Number((await tmux('display-message', '-p', '-t', 'test', '#{pane_pid}').catch(() => '')).trim());
			pane = panePid > 0 ? await paneProcesses(panePid) : [];
			await tmux('kill-server').catch(() => undefined);
		},
		// A wizard writes its code cache as it exits, and one whose installer still runs outlives its
		// terminal: a fixture is removed only after this, or its removal fails with ENOTEMPTY.
		async ended(timeoutMs = 30_000) {
			const running = async () => (await Promise.all(pane.map(async pid => alive(pid)))).some(Boolean);
			for (const deadline = Date.now() + timeoutMs; (await running()) && Date.now() < deadline;) {
				await delay(20);
			}
		},
	};
	return session;
}
