// Installer output never drives the operator's terminal (issue 11): an installer that prints a
// title change, a reset, a clear screen, a cursor-position request and an OSC 52 clipboard write
// leaves the pane's title, its earlier lines and the input alone, and the log shows the escapes as
// text. TERM=dumb gets plain lines only. The built CLI in a real tmux pane; raw bytes via pipe-pane.
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {describe, expect, it} from 'vitest';
import {cliPath, type ClusterFixture} from '../helpers/cluster-fixture.js';
import {e2eScratch} from '../helpers/e2e-scratch.js';
import type {TmuxSession} from '../helpers/tmux.js';

const hostile = '\u001B]0;pwned-title\u0007\u001Bc\u001B[2J\u001B[6n\u001B]52;c;aGVsbG8=\u0007after-the-escapes';
const {fixture, tmux} = e2eScratch();

async function runYes(extraEnv: Record<string, string>): Promise<{session: TmuxSession; made: ClusterFixture; raw: string}> {
	const made = await fixture({
		packages: [{version: 'v0.13.9', arch: 'amd64'}],
		simulatorEnv: {DCE5_SIM_DELAY_MS: '0', DCE5_SIM_ECHO: hostile},
	});
	const raw = path.join(made.root, 'pane.raw');
	// A line printed before the wizard starts: a clear screen or a reset would wipe it.
	const session = await tmux({
		argv: [
			'sh',
			'-c',
			'echo BEFORE-THE-WIZARD; exec "$@"',
			'sh',
			process.execPath,
			cliPath,
			'run',
			'--yes',
			'--no-verify',
			'-c',
			made.configPath,
			'-p',
			made.packages[0]!.path,
		],
		cwd: made.workdir,
		env: {...made.env, ...extraEnv},
	});
	await session.pipeTo(raw);
	return {session, made, raw};
}

describe('installer output on a terminal', () => {
	it('is shown as text: the pane keeps its title and its earlier lines, nothing is typed, the log shows the escapes', async () => {
		const {session, made, raw} = await runYes({});
		const titleBefore = await session.display('#{pane_title}');
		expect(await session.waitForExit(60_000)).toBe(0);
		// With the scrollback: what scrolled up is still there (a reset or a clear would have wiped it).
		const screen = await session.capture({history: true});
		expect(screen).toContain('BEFORE-THE-WIZARD');
		expect(screen).toContain(String.raw`\e]0;pwned-title\a\ec\e[2J\e[6n\e]52;c;aGVsbG8=\aafter-the-escapes`);
		expect(await session.display('#{pane_title}')).toBe(titleBefore);
		expect(await session.display('#{pane_title}')).not.toContain('pwned');
		// The bytes the wizard wrote to the terminal hold none of the installer's escapes.
		const bytes = await readFile(raw, 'utf8');
		expect(bytes).not.toContain('\u001B]0;pwned');
		expect(bytes).not.toContain('\u001B]52;');
		expect(bytes).not.toContain('\u001B[6n');
		expect(bytes).not.toContain('\u001Bc');
		const logs = path.join(made.env['XDG_STATE_HOME']!, 'addon-wizard', 'logs');
		const [log] = await readdir(logs);
		const logText = await readFile(path.join(logs, log!), 'utf8');
		expect(logText).toContain(String.raw`out| \e]0;pwned-title\a\ec\e[2J`);
		expect(logText).not.toContain('\u001B');
	}, 90_000);

	it('TERM=dumb gets plain lines only: no screen clearing, no synchronized-update or cursor sequences', async () => {
		const {session, raw} = await runYes({TERM: 'dumb'});
		expect(await session.waitForExit(60_000)).toBe(0);
		const bytes = await readFile(raw, 'utf8');
		expect(bytes).toContain('addon-wizard: running 1 step(s)');
		expect(bytes).not.toMatch(/\u001B\[(2J|\?2026[hl]|\?25[lh]|\d*[ABCDGK])/);
	}, 90_000);
});
