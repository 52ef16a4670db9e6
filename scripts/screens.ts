// Regenerates the README's screen captures from the real UI: the built CLI in tmux (80×24),
// generated packages and the installer simulator, one capture per screen. `npm run screens`.
// The captures go to docs/screens/*.txt and between the markers in README.md, so a change to
// the UI shows up as a change to both. `--check` (run by the tests) captures again and fails when
// the checked-in captures no longer match the UI, numbers and times aside.
import {execFile} from 'node:child_process';
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {promisify} from 'node:util';
import {defaultCharts, type FixtureChart} from '../test/helpers/build-package.js';
import {cliPath, makeClusterFixture, repoRoot, type ClusterFixture, type ClusterFixtureOptions} from '../test/helpers/cluster-fixture.js';
import {runProgram} from '../test/helpers/run-program.js';
import {startTmux, type TmuxSession} from '../test/helpers/tmux.js';

const run = promisify(execFile);

const screensDir = path.join(repoRoot, 'docs', 'screens');
const readmePath = path.join(repoRoot, 'README.md');
/** The paths the README shows. */
const demoRoot = '/tmp/addon-wizard-demo';
/**
 * Where --check (run by the tests) builds its fixture: a folder of its own, so two runs never
 * collide, with a name exactly as long as demoRoot, so every path wraps where the README's does.
 */
async function checkRoot(): Promise<string> {
	const root = await mkdtemp('/tmp/addon-wizz-');
	if (root.length !== demoRoot.length) {
		throw new Error(`check root ${root} must be as long as ${demoRoot}`);
	}

	checkRoots.push(root);
	return root;
}

const checking = process.argv.includes('--check');
const size = {columns: 80, rows: 24};

/** `timing`: what the screen shows depends on when it was captured; --check skips it. */
type Capture = {name: string; title: string; screen: string; timing?: boolean};

/**
 * Numbers (sizes, free space, times, dates, pids) differ from one capture to the next, and so does
 * their width ("9.9 GB" or "178.9 GB" free): a number of any length, and the padding beside it,
 * count as one. The words and the layout must match.
 */
const checkRoots: string[] = [];
const shape = (screen: string) =>
	checkRoots
		.reduce((text, root) => text.replaceAll(root, demoRoot), screen)
		.replaceAll(/\d+(?:[.,:]\d+)*/g, '#')
		.replaceAll(/ {2,}/g, ' ')
		.split('\n')
		.map(line => line.trimEnd())
		.join('\n')
		.trimEnd();

/** The same charts with every chart version bumped and new images at the same tags, as an upgrade brings. */
const bumped = (arch: string): FixtureChart[] =>
	defaultCharts(arch).map(chart => ({...chart, version: chart.version.replace(/\d+$/, patch => String(Number(patch) + 1))}));

/** v0.13.9 brings newer chart versions than the v0.11.9 the cluster has, with the same image tags. */
const threePackages: ClusterFixtureOptions['packages'] = [
	{version: 'v0.13.9', arch: 'amd64', charts: bumped('amd64')},
	{version: 'v0.13.9', arch: 'arm64', charts: bumped('arm64')},
	{version: 'v0.11.9', arch: 'amd64'},
];

async function freshRoot(): Promise<string> {
	const root = checking ? await checkRoot() : demoRoot;
	if (!checking) {
		await rm(demoRoot, {recursive: true, force: true});
		await mkdir(demoRoot, {recursive: true});
	}

	return root;
}

async function fixture(
	simulatorEnv: Record<string, string>,
	testBed: ClusterFixtureOptions['testBed'],
	packages = threePackages,
	current: number | undefined = 2,
): Promise<ClusterFixture> {
	return makeClusterFixture({root: await freshRoot(), packages, current, simulatorEnv, testBed});
}

/** What the operator did before: the package clusterConfig.yaml names, imported by the installer into the test bed. */
async function installed(made: ClusterFixture, ...integrate: string[]): Promise<ClusterFixture> {
	const installer = path.join(made.home, 'dce5-installer');
	const where = {cwd: made.workdir, env: made.env};
	await run(installer, ['cluster-create', '-c', made.configPath, '-m', made.manifestPath, '-d', '-j13'], where);
	for (const item of integrate) {
		await run(installer, ['import', '-addon', '-c', made.configPath, `--addon-path=${item}`], where);
	}

	return made;
}

async function wizard(made: ClusterFixture, args: string[] = []): Promise<TmuxSession> {
	return startTmux({
		argv: [process.execPath, cliPath, '-c', made.configPath, '--search', made.packagesDir, ...args],
		cwd: made.workdir,
		env: made.env,
		...size,
	});
}

/**
 * The seed's "Architecture Conflict": v0.10.3 imported for amd64 and integrated for arm64 (without
 * the screens), clusterConfig.yaml still naming amd64 alone; the upgrade to v0.11.2 comes next.
 */
async function multiArchCluster(): Promise<{made: ClusterFixture; upgrade: string}> {
	const made = await fixture(
		{DCE5_SIM_DELAY_MS: '5'},
		{},
		[
			{version: 'v0.10.3', arch: 'amd64'},
			{version: 'v0.10.3', arch: 'arm64'},
			{version: 'v0.11.2', arch: 'amd64', charts: bumped('amd64')},
			{version: 'v0.11.2', arch: 'arm64', charts: bumped('arm64')},
		],
		undefined,
	);
	for (const item of made.packages.slice(0, 2)) {
		const result = await runProgram(process.execPath, [cliPath, 'run', '--yes', '-c', made.configPath, '-p', item.path], {
			cwd: made.workdir,
			env: {...made.env, CI: 'true'},
			timeoutMs: 60_000,
		});
		if (result.code !== 0) {
			throw new Error(`setting up the multi-arch cluster failed (exit ${result.code}):\n${result.stdout}${result.stderr}`);
		}
	}

	return {made, upgrade: made.packages[2]!.path};
}

async function toConfirm(session: TmuxSession, captures: Capture[]): Promise<void> {
	captures.push({
		name: 'packages',
		title: 'Packages: three packages found and read (checksums not in the published table)',
		screen: await session.waitFor(screen => (screen.match(/read ok/g) ?? []).length === 3),
	});
	await session.sendKeys('Space', 'Down', 'Space', 'Down');
	captures.push({
		name: 'packages-chosen',
		title: 'Packages: both v0.13.9 packages chosen with space',
		screen: await session.waitFor(screen => (screen.match(/\[✔]/g) ?? []).length === 2),
	});
	await session.sendKeys('Enter');
	captures.push({
		name: 'review',
		title: 'Review: the decision, the pre-flight, the packages and disk gauges (the Registry section and the charts follow)',
		screen: await session.waitFor('Disk space'),
	});
	await session.sendKeys('PageDown', 'PageDown', 'PageDown');
	captures.push({name: 'review-end', title: 'Review, scrolled: the clusterConfig.yaml change', screen: await session.waitFor('(end;')});
	await session.sendKeys('Enter');
	captures.push({name: 'confirm', title: 'Confirm: the exact commands, in order', screen: await session.waitFor('Run now?')});
}

async function main(): Promise<void> {
	const captures: Capture[] = [];

	// A successful multi-arch upgrade, slow enough to catch the Run screen mid-way, into a real
	// registry that holds what clusterConfig.yaml names (v0.11.9 amd64), read back after each step.
	const good = await installed(await fixture({DCE5_SIM_DELAY_MS: '300'}, {}));
	const first = await wizard(good);
	try {
		await toConfirm(first, captures);
		await first.sendKeys('y');
		captures.push({
			name: 'run',
			timing: true,
			title: 'Run: steps, progress against the package, disk, live output',
			screen: await first.waitFor(screen => /images [1-9]/.test(screen), 60_000),
		});
		await first.sendKeys('?');
		captures.push({name: 'help', title: 'Help (?) on the Run screen', screen: await first.waitFor('Keys on this screen')});
		await first.sendKeys('Escape');
		captures.push({name: 'result-ok', title: 'Result: success', screen: await first.waitFor('Done in', 120_000)});
	} finally {
		await first.kill();
		await good.stop();
	}

	// A failure for a registry space the registry lacks, then a leftover directory and `r`.
	// Harbor's stand-in has only docker.m.daocloud.io, so it refuses the push into release.daocloud.io;
	// the plan could not ask Harbor first (--registry names a closed port), or it would block on it.
	const bad = await fixture({DCE5_SIM_DELAY_MS: '5'}, {harbor: {projects: ['docker.m.daocloud.io']}});
	const second = await wizard(bad, ['--registry', 'http://127.0.0.1:1']);
	try {
		await second.waitFor(screen => (screen.match(/read ok/g) ?? []).length === 3);
		await second.sendKeys('Space', 'Enter');
		await second.waitFor('Disk space');
		await second.sendKeys('Enter');
		await second.waitFor('Run now?');
		await second.sendKeys('y');
		captures.push({
			name: 'result-failed',
			title: 'Result: a failure, its cause and the next step',
			screen: await second.waitFor('Failed after', 60_000),
		});
		await second.sendKeys('r');
		captures.push({
			name: 'result-retry',
			title: 'Result: r shows what it will remove before removing it',
			screen: await second.waitFor('y removes it'),
		});
	} finally {
		await second.kill();
	}

	// The failed run's leftover is still there, and Harbor still lacks the project: this plan asks
	// Harbor, c creates the project, and the pre-flight then names the leftover before anything changes.
	const third = await wizard(bad);
	try {
		await third.waitFor(screen => (screen.match(/read ok/g) ?? []).length === 3);
		await third.sendKeys('Space', 'Enter');
		await third.waitFor('The plan is blocked');
		await third.sendKeys('c');
		captures.push({
			name: 'review-spaces',
			title: 'Review: the registry is Harbor and lacks a project the images need; c says what it will create, where and as whom, and asks',
			screen: await third.waitFor('y creates it'),
		});
		await third.sendKeys('y');
		captures.push({
			name: 'review-leftover',
			title:
				'Review: the project created and the plan read again; the pre-flight blocks on a leftover, with its size and the key that removes it as part of the run',
			screen: await third.waitFor(
				screen => screen.includes('The plan is blocked: Leftover') && !screen.includes('Creating') && !screen.includes('more above'),
			),
		});
		await third.sendKeys('x');
		await third.waitFor('Ready, with');
		await third.sendKeys('Enter');
		await third.waitFor('Run now?');
		await third.sendKeys('y', 'e');
		captures.push({
			name: 'confirm-yes',
			title: 'Confirm: a plan with a warning repeats it and takes yes typed out (enter alone never runs)',
			screen: await third.waitFor('> ye_'),
		});
	} finally {
		await third.kill();
		await bad.stop();
	}

	// The seed's worst pitfall: import -addon made the cluster multi-arch, clusterConfig.yaml still
	// names amd64 alone. Review reads the registry and warns; run anyway, the verification names what
	// the amd64-only upgrade below 0.12.0 lost and why, and i integrates the same version's arm64.
	const {made: conversion, upgrade} = await multiArchCluster();
	const fourth = await wizard(conversion);
	try {
		await fourth.waitFor(screen => (screen.match(/read ok/g) ?? []).length === 4);
		await fourth.sendKeys('Space', 'Enter');
		await fourth.waitFor('Ready, with');
		// Scrolled until the section's title is the first row.
		let screen = '';
		for (let step = 0; step < 40 && screen.split('\n')[2] !== 'Registry'; step++) {
			await fourth.sendKeys('j');
			screen = await fourth.waitFor(current => current !== screen);
		}

		captures.push({
			name: 'review-registry',
			title:
				'Review: the Registry section, read from the registry itself: the cluster runs arm64 too (clusterConfig.yaml says amd64), and the v0.11.2 amd64 upgrade alone would overwrite its lists',
			screen: await fourth.waitFor('Cluster arches'),
		});
	} finally {
		await fourth.kill();
	}

	const fifth = await wizard(conversion, ['-p', upgrade]);
	try {
		await fifth.waitFor('Upgrade:', 30_000);
		await fifth.sendKeys('Enter');
		const confirm = await fifth.waitFor('Run now?');
		await (confirm.includes('yes+enter') ? fifth.type('yes').then(async () => fifth.sendKeys('Enter')) : fifth.sendKeys('y'));
		captures.push({
			name: 'result-not-verified',
			title:
				'Result: the registry read back after an amd64-only upgrade below 0.12.0 — the tags that lost arm64, the cause, i for the chained integration and z to undo',
			// Once the snapshot is read: the undo offer is part of the screen, not a moment of it.
			screen: await fifth.waitFor(screen => screen.includes('Not verified after') && screen.includes('z undo'), 60_000),
		});
		await fifth.sendKeys('i');
		captures.push({
			name: 'result-chained',
			title: "Result: after i, the chained integration of the same version's arm64 package, verified with two-arch lists",
			// Step 2 repaired what step 1 changed, so there is no undo to check: the Result is whole once
			// it shows the verification (never the moment an undo check would still be reading).
			screen: await fifth.waitFor(
				screen => screen.includes('Done in') && screen.includes('Verified against') && !screen.includes('Reading the snapshot'),
				60_000,
			),
		});
	} finally {
		await fifth.kill();
		await conversion.stop();
	}

	for (const root of checking ? checkRoots : [demoRoot]) {
		await rm(root, {recursive: true, force: true});
	}

	if (checking) {
		const stale: string[] = [];
		for (const capture of captures.filter(item => !item.timing)) {
			const stored = await readFile(path.join(screensDir, `${capture.name}.txt`), 'utf8').catch(() => '');
			if (shape(stored) !== shape(capture.screen)) {
				stale.push(`${capture.name}:\n--- docs/screens/${capture.name}.txt\n${stored}\n+++ the UI now\n${capture.screen}`);
			}
		}

		const readme = await readFile(readmePath, 'utf8');
		for (const capture of captures) {
			const stored = await readFile(path.join(screensDir, `${capture.name}.txt`), 'utf8').catch(() => '');
			if (!readme.includes(stored.trimEnd())) {
				stale.push(`${capture.name}: README.md does not show docs/screens/${capture.name}.txt`);
			}
		}

		if (stale.length > 0) {
			process.stderr.write(`The README's screen captures are stale; run \`npm run screens\`.\n\n${stale.join('\n\n')}\n`);
			process.exit(1);
		}

		process.stdout.write(`${captures.length} captures match the UI\n`);
		return;
	}

	await mkdir(screensDir, {recursive: true});
	for (const capture of captures) {
		await writeFile(path.join(screensDir, `${capture.name}.txt`), `${capture.screen}\n`);
	}

	const block = captures.map(capture => `**${capture.title}**\n\n\`\`\`text\n${capture.screen}\n\`\`\``).join('\n\n');
	const readme = await readFile(readmePath, 'utf8');
	const start = '<!-- screens:start -->';
	const end = '<!-- screens:end -->';
	const before = readme.includes(start) ? readme.slice(0, readme.indexOf(start)) : readme.slice(0, readme.indexOf('SCREENS_PLACEHOLDER'));
	const after = readme.includes(end)
		? readme.slice(readme.indexOf(end) + end.length)
		: readme.slice(readme.indexOf('SCREENS_PLACEHOLDER') + 'SCREENS_PLACEHOLDER'.length);
	await writeFile(readmePath, `${before}${start}\n${block}\n${end}${after}`);
	process.stdout.write(`wrote ${captures.length} captures to ${path.relative(repoRoot, screensDir)}/ and README.md\n`);
}

await main();
