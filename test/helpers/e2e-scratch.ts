// What every tmux end-to-end file with a fixture per test shares: the built CLI must be there,
// and after each test its tmux sessions are killed first (so no wizard still holds a fixture),
// then each fixture is stopped (a test bed it started included) and its folder removed.
import {existsSync} from 'node:fs';
import {rm} from 'node:fs/promises';
import process from 'node:process';
import {afterEach, beforeAll, expect} from 'vitest';
import {cliPath, makeClusterFixture, type ClusterFixture, type ClusterFixtureOptions} from './cluster-fixture.js';
import {startTmux, type TmuxOptions, type TmuxSession} from './tmux.js';

export type E2eScratch = {
	/** A fixture that is stopped and removed after the test. */
	fixture(options: ClusterFixtureOptions): Promise<ClusterFixture>;
	/** A tmux session that is killed after the test. */
	tmux(options: TmuxOptions): Promise<TmuxSession>;
	/**
	 * The built wizard in such a session, on the fixture's clusterConfig.yaml and packages folder;
	 * --no-verify, for fixtures with no registry behind them (nothing to read back after a step).
	 */
	wizard(made: ClusterFixture, size?: {columns: number; rows: number}): Promise<TmuxSession>;
};

/** `beforeStop`: what a file must end per fixture first (installers its tests left running). */
export function e2eScratch(options: {beforeStop?: (made: ClusterFixture) => Promise<void>} = {}): E2eScratch {
	const sessions: TmuxSession[] = [];
	const fixtures: ClusterFixture[] = [];

	beforeAll(() => {
		expect(existsSync(cliPath), 'run `npm run build` first (npm test does)').toBe(true);
	});

	afterEach(async () => {
		const closed = sessions.splice(0);
		await Promise.all(closed.map(async session => session.kill()));
		const made = fixtures.splice(0);
		for (const each of made) {
			await options.beforeStop?.(each);
		}

		// A wizard may outlive its terminal while its installer runs, and writes its code cache as it exits.
		await Promise.all(closed.map(async session => session.ended()));
		for (const each of made) {
			await each.stop();
			await rm(each.root, {recursive: true, force: true});
		}
	});

	const tmux = async (tmuxOptions: TmuxOptions) => {
		const session = await startTmux(tmuxOptions);
		sessions.push(session);
		return session;
	};

	return {
		async fixture(fixtureOptions) {
			const made = await makeClusterFixture(fixtureOptions);
			fixtures.push(made);
			return made;
		},
		tmux,
		async wizard(made, size = {columns: 80, rows: 24}) {
			return tmux({
				argv: [process.execPath, cliPath, '-c', made.configPath, '--search', made.packagesDir, '--no-verify'],
				cwd: made.workdir,
				env: made.env,
				...size,
			});
		},
	};
}

/** The screen with wrapped rows joined, for messages longer than one row. */
export const flat = (screen: string) => screen.replaceAll(/\n\s*/g, ' ');

/** Every row of a captured screen within the terminal's size. */
export function expectFits(screen: string, columns: number, rows: number): void {
	const lines = screen.split('\n');
	expect(lines.length).toBeLessThanOrEqual(rows);
	for (const line of lines) {
		expect([...line].length).toBeLessThanOrEqual(columns);
	}
}

const help = 'Keys on this screen';

/**
 * Opens and closes the wizard's help after the keys sent before, and returns the screen with help
 * closed. Keys are handled in order and a frame's effects run before the next frame is drawn, so by
 * then the earlier keys were handled and whatever they set off was set off: a key that must do
 * nothing is shown to have done nothing without waiting a while.
 */
export async function settleKeys(session: TmuxSession): Promise<string> {
	await session.sendKeys('?');
	await session.waitFor(help);
	await session.sendKeys('?');
	return session.waitFor(screen => !screen.includes(help));
}
