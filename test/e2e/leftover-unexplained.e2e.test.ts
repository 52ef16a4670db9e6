// A leftover addon-offline-target-package holding an operator's note, in a real terminal: Review
// says before anything asks that the clean-up will not take it, and the Result's r names it and
// removes it only once `delete` is typed under its name; y alone removes nothing.
import {existsSync} from 'node:fs';
import {mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {ClusterFixture} from '../helpers/cluster-fixture.js';
import {e2eScratch, flat} from '../helpers/e2e-scratch.js';
import type {TmuxSession} from '../helpers/tmux.js';

const {fixture, wizard: scratchWizard} = e2eScratch();
const wizard = async (made: ClusterFixture) => scratchWizard(made, {columns: 100, rows: 30});
const version = 'v0.13.9';

async function note(made: ClusterFixture): Promise<string> {
	const precious = path.join(made.workdir, 'addon-offline-target-package', 'my-notes', 'precious.txt');
	await mkdir(path.dirname(precious), {recursive: true});
	await writeFile(precious, 'the only copy');
	return precious;
}

async function review(session: TmuxSession): Promise<string> {
	await session.waitFor(screen => screen.includes('read ok, no checksum'));
	await session.sendKeys('Space', 'Enter');
	return session.waitFor('Pre-flight');
}

describe('a leftover with files the package does not explain', () => {
	it('r names the file, refuses y, keeps it on esc, and removes it after delete is typed', async () => {
		// The installer's disk fills while it unpacks: a real leftover, then the operator's note in it.
		const made = await fixture({
			packages: [{version, arch: 'amd64'}],
			simulatorEnv: {DCE5_SIM_DELAY_MS: '5', DCE5_SIM_DISK_BUDGET: '40000'},
		});
		const session = await wizard(made);
		await review(session);
		await session.sendKeys('Enter');
		await session.waitFor('Run now?');
		await session.sendKeys('y');
		await session.waitFor('Failed after', 60_000);
		const precious = await note(made);

		await session.sendKeys('r');
		const asked = flat(await session.waitFor('does not explain', 30_000));
		expect(asked).toMatch(/addon-offline-target-package \([\d.]+ KB\) holds 1 file the package does not explain: my-notes\/precious\.txt/);
		// Before any answer: y will not do it, and what will.
		expect(asked).toContain('y alone will not remove it. Type delete and press enter');
		expect(asked).toContain('delete+enter remove all');

		await session.sendKeys('y', 'Enter');
		expect(flat(await session.waitFor('Nothing was removed'))).toContain('> y_');
		expect(await readFile(precious, 'utf8')).toBe('the only copy');

		await session.sendKeys('Escape');
		await session.waitFor(screen => !screen.includes('does not explain') && screen.includes('r clean up and retry'));
		expect(existsSync(precious)).toBe(true);

		await session.sendKeys('r');
		await session.waitFor('does not explain', 30_000);
		await session.sendKeys('d', 'e', 'l', 'e', 't', 'e', 'Enter');
		// The retry runs (and fails on the same full disk), after the directory went with the note.
		expect(flat(await session.waitFor('Attempt 2: removed', 60_000))).toMatch(/Attempt 2: removed \S*addon-offline-target-package/);
		expect(existsSync(precious)).toBe(false);
	}, 180_000);

	it('Review says the clean-up will not take it before anything is asked, and offers no x', async () => {
		const made = await fixture({packages: [{version, arch: 'amd64'}], simulatorEnv: {DCE5_SIM_DELAY_MS: '5'}});
		const precious = await note(made);
		const session = await wizard(made);
		const screen = flat(await review(session));
		expect(screen).toContain('holds 1 file the package does not explain: my-notes/precious.txt');
		expect(screen).toContain('The clean-up will not delete it');
		expect(screen).toContain('--cleanup --cleanup-unexplained');
		expect(screen).not.toMatch(/x (leftover|remove or keep)/);
		await session.sendKeys('q');
		// Quitting a blocked plan says so in its exit code.
		expect(await session.waitForExit()).toBe(3);
		expect(existsSync(precious)).toBe(true);
	}, 120_000);
});
