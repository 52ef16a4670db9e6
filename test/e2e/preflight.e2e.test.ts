// The decision point in a real terminal (tmux, the built CLI, the installer simulator): enter
// alone never starts the installer, a plan with a warning takes yes typed out, a leftover is named
// on Review and removed as part of the run with x, and narrow terminals keep what matters in view.
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {promisify} from 'node:util';
import {describe, expect, it} from 'vitest';
import type {ClusterFixture} from '../helpers/cluster-fixture.js';
import {e2eScratch, expectFits, flat, settleKeys} from '../helpers/e2e-scratch.js';
import type {TmuxSession} from '../helpers/tmux.js';

const run = promisify(execFile);
const {fixture, wizard} = e2eScratch();
const version = 'v0.13.9';

async function toReview(session: TmuxSession): Promise<string> {
	await session.waitFor(screen => (screen.match(/read ok/g) ?? []).length === 1);
	await session.sendKeys('Space', 'Enter');
	return session.waitFor('Pre-flight');
}

async function installerRan(made: ClusterFixture): Promise<boolean> {
	const {stdout} = await run('ps', ['-ww', '-eo', 'args=']);
	return (
		stdout.includes(path.join(made.root, 'home', 'dce5-installer')) || existsSync(path.join(made.workdir, 'addon-offline-target-package'))
	);
}

describe('the decision point in a real terminal', () => {
	it('stops Enter Enter, typed at once on Review, at Confirm: nothing runs until y', async () => {
		const made = await fixture({packages: [{version, arch: 'amd64'}], simulatorEnv: {DCE5_SIM_DELAY_MS: '5'}});
		const before = await readFile(made.configPath, 'utf8');
		const session = await wizard(made);
		await toReview(session);

		await session.sendKeys('Enter', 'Enter');
		const confirm = await session.waitFor('Enter alone does not start the installer: press y to run it.');
		expect(confirm).toContain('CONFIRM');
		// Still Confirm once later keys are handled: neither enter started a run.
		expect(await settleKeys(session)).toContain('CONFIRM');
		expect(await installerRan(made)).toBe(false);
		expect(await readFile(made.configPath, 'utf8')).toBe(before);

		await session.sendKeys('y');
		await session.waitFor('Done in', 30_000);
		await session.sendKeys('q');
		expect(await session.waitForExit()).toBe(0);
	});

	it('takes yes typed out for a plan with a warning: shown as typed, y alone does nothing, yes and enter run', async () => {
		// The cluster already has this very package: a re-import, which the plan warns about.
		const made = await fixture({packages: [{version, arch: 'amd64'}], current: 0, simulatorEnv: {DCE5_SIM_DELAY_MS: '5'}});
		const session = await wizard(made);
		const review = flat(await toReview(session));
		expect(review).toContain(`⚠ Ready, with 1 warning: Re-import: the cluster already has ${version} (amd64).`);

		await session.sendKeys('Enter');
		const confirm = flat(await session.waitFor('Run now?'));
		expect(confirm).toContain(`⚠ Re-import: the cluster already has ${version} (amd64).`);
		expect(confirm).toContain('type yes and press enter');

		await session.sendKeys('y', 'Enter');
		await session.waitFor('That was not yes, so nothing runs.');
		await session.type('yeq');
		await session.waitFor('> yeq_');
		await session.sendKeys('BSpace');
		await session.waitFor('> ye_');
		expect(await installerRan(made)).toBe(false);
		await session.type('s');
		await session.sendKeys('Enter');
		await session.waitFor('Done in', 30_000);
		await session.sendKeys('q');
		expect(await session.waitForExit()).toBe(0);
	});

	it('names a leftover with its size on Review; x removes it as part of the run, and the import succeeds', async () => {
		const made = await fixture({packages: [{version, arch: 'amd64'}], simulatorEnv: {DCE5_SIM_DELAY_MS: '5'}});
		const leftover = path.join(made.workdir, 'addon-offline-target-package');
		await mkdir(path.join(leftover, 'addon-offline-package'), {recursive: true});
		await writeFile(path.join(leftover, 'addon-offline-package', 'metadata.yaml'), 'x'.repeat(5000));
		const before = await readFile(made.configPath, 'utf8');
		const session = await wizard(made);
		const review = flat(await toReview(session));
		expect(review).toContain(`✘ The plan is blocked: Leftover ${leftover} (5.00 KB) from an earlier run`);
		expect(review).toContain('press x to remove it as part of the run');
		expect(review).not.toContain('enter continue');

		await session.sendKeys('x');
		await session.waitFor('Ready, with 1 warning');
		await session.sendKeys('Enter');
		const confirm = flat(await session.waitFor('Run now?'));
		expect(confirm).toContain(`first removes the leftover ${leftover} (5.00 KB)`);
		expect(await readFile(made.configPath, 'utf8')).toBe(before);
		await session.type('yes');
		await session.sendKeys('Enter');
		const done = flat(await session.waitFor('Done in', 30_000));
		expect(done).toMatch(/removed \S*addon-offline-target-package \(5\.00 KB freed\)/);
		await session.sendKeys('q');
		expect(await session.waitForExit()).toBe(0);
		expect(await readFile(made.configPath, 'utf8')).toContain(made.packages[0]!.path);
	});
});

describe('narrow terminals', () => {
	it('keeps the verdict, the question and whole footers in 60×16', async () => {
		const made = await fixture({packages: [{version, arch: 'amd64'}], current: 0});
		const session = await wizard(made, {columns: 60, rows: 16});
		// The row has no room for "· in cluster": it is left out whole, and the detail says it.
		const packages = await session.waitFor(screen => (screen.match(/read ok/g) ?? []).length === 1);
		expectFits(packages, 60, 16);
		expect(packages).not.toMatch(/·\s*(i|in|in c\S*)$/m);
		expect(packages).toContain('In the cluster now: clusterConfig.yaml names this package.');
		const review = await toReview(session);
		expectFits(review, 60, 16);
		expect(flat(review)).toContain('⚠ Ready, with 1 warning: Re-import');
		expect(review.split('\n').at(-1)).toBe('enter continue · b/esc back · ? help · q quit');

		await session.sendKeys('Enter');
		const confirm = await session.waitFor('Run now?');
		expectFits(confirm, 60, 16);
		expect(flat(confirm)).toContain('type yes and press enter');
		expect(confirm).toContain('> _');
		expect(confirm.split('\n').at(-1)).toBe('yes+enter run · esc back · ? help · ctrl+c quit');
	});
});
