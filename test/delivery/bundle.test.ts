// Delivery to an air-gapped jump host: dist/addon-wizard.mjs copied ALONE into an empty folder
// (no node_modules there or above) must run with plain `node`, as an operator would after `scp`.
import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {copyFile, mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {flags, flagUsage, parseArgsOptions} from '../../source/app/flags.js';
import {subcommands} from '../../source/app/options.js';
import {planDocumentSchema} from '../../source/report/contract/plan.js';
import {cliPath, makeClusterFixture, repoRoot, simulatorPath, type ClusterFixture} from '../helpers/cluster-fixture.js';
import {runProgram, type ProgramResult} from '../helpers/run-program.js';
import {startTmux} from '../helpers/tmux.js';

type Result = ProgramResult;

/** The seed's two installer commands, as the help's examples must show them. */
const seedClusterCreate =
	'~/dce5-installer cluster-create -c /home/dce5/sample/clusterConfig.yaml -m /home/dce5/sample/manifest.yaml -d -j13';
const seedImportAddon =
	'~/dce5-installer import -addon -c /home/dce5/sample/clusterConfig.yaml --addon-path=/home/addon-offline-full-package-v0.9.0-arm64.tar.gz';

const hasTmux = (() => {
	try {
		execFileSync('tmux', ['-V'], {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
})();

/** Every long flag parseArgs accepts: the options options.ts hands it, generated from the flag table. */
function parsedFlags(): string[] {
	return Object.keys(parseArgsOptions).map(name => `--${name}`);
}

function nodesAbove(dir: string): string[] {
	const found: string[] = [];
	for (let current = dir; ; current = path.dirname(current)) {
		if (existsSync(path.join(current, 'node_modules'))) {
			found.push(path.join(current, 'node_modules'));
		}

		if (current === path.dirname(current)) {
			return found;
		}
	}
}

describe('dist/addon-wizard.mjs copied alone to a jump host', () => {
	let hostDir: string;
	let bundle: string;
	let emptyBin: string;
	let fixture: ClusterFixture;
	let version: string;

	/** Plain `node` on the lone copy; PATH holds nothing, so no tool from the build host can help. */
	async function runBundle(args: string[], env: Record<string, string> = {}): Promise<Result> {
		return runProgram(process.execPath, [bundle, ...args], {cwd: hostDir, env: {...fixture.env, PATH: emptyBin, LANG: 'C.UTF-8', ...env}});
	}

	beforeAll(async () => {
		if (!existsSync(cliPath)) {
			execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs')], {cwd: repoRoot, stdio: 'inherit'});
		}

		version = (JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as {version: string}).version;
		hostDir = await mkdtemp(path.join(tmpdir(), 'addon-wizard-jump-host-'));
		emptyBin = path.join(hostDir, 'empty-bin');
		await mkdir(emptyBin);
		bundle = path.join(hostDir, 'addon-wizard.mjs');
		await copyFile(cliPath, bundle);
		// A v0.9.5 amd64 cluster upgraded to v0.12.5 on both arches: cluster-create, then import -addon.
		fixture = await makeClusterFixture({
			packages: [
				{version: 'v0.9.5', arch: 'amd64'},
				{version: 'v0.12.5', arch: 'amd64'},
				{version: 'v0.12.5', arch: 'arm64'},
			],
			current: 0,
		});
		// The simulator starts with `#!/usr/bin/env node`, which this jump host's empty PATH cannot
		// resolve (the pre-flight says so and blocks); a wrapper names node by its absolute path.
		const installer = path.join(fixture.home, 'dce5-installer');
		await rm(installer);
		await writeFile(installer, `#!/bin/sh\nexec '${process.execPath}' '${simulatorPath}' "$@"\n`, {mode: 0o755});
	});

	afterAll(async () => {
		await rm(hostDir, {recursive: true, force: true});
		if (fixture) {
			await rm(fixture.root, {recursive: true, force: true});
		}
	});

	it('has nothing to lean on: no node_modules beside it or in any folder above, no NODE_PATH', () => {
		expect(nodesAbove(hostDir)).toEqual([]);
		expect(fixture.env['NODE_PATH']).toBeUndefined();
	});

	it('prints the version from package.json with --version', async () => {
		const result = await runBundle(['--version']);
		expect(result).toEqual({code: 0, stdout: `${version}\n`, stderr: ''});
		expect((await runBundle(['-v'])).stdout).toBe(`${version}\n`);
	});

	it('lists every subcommand with a one-line description, and each flag on the page of every command that reads it', async () => {
		const {code, stdout, stderr} = await runBundle(['--help']);
		expect(code).toBe(0);
		expect(stderr).toBe('');
		const lines = stdout.split('\n');
		for (const command of subcommands) {
			expect(
				lines.some(line => new RegExp(`^  ${command}\\s{2,}\\S`).test(line)),
				`subcommand ${command}`,
			).toBe(true);
		}

		const pages = await Promise.all(subcommands.map(async command => runBundle(['help', command])));
		const accepted = parsedFlags();
		expect(accepted.length).toBeGreaterThan(20);
		for (const [index, command] of subcommands.entries()) {
			const page = pages[index]!.stdout;
			const text = page.replace(/\s+/g, ' ');
			for (const flag of flags.filter(item => (item.commands as readonly string[]).includes(command))) {
				expect(page, `${flag.name} on ${command}`).toMatch(new RegExp(`^  ${flagUsage(flag)}( |$)`, 'm'));
				expect(text, `${flag.name} on ${command}`).toContain(flag.help);
			}
		}

		for (const flag of accepted) {
			expect(
				pages.some(page => new RegExp(`^  (-\\w, )?${flag}\\b`, 'm').test(page.stdout)),
				`flag ${flag} on some page`,
			).toBe(true);
		}
	});

	it("shows the seed's two procedures as examples: cluster-create import and multi-arch import -addon", async () => {
		const {stdout} = await runBundle(['--help']);
		// Long commands continue on the next line with a shell `\`, to fit 80 columns.
		const examples = stdout.slice(stdout.indexOf('Examples:')).replace(/ \\\n {2}(?:# {3})?\s*/g, ' ');
		expect(examples).toContain(seedClusterCreate);
		expect(examples).toContain(seedImportAddon);
		expect(examples).toMatch(/^ {2}addon-wizard .*-p \/home\/addon-offline-full-package-v0\.9\.0-amd64\.tar\.gz$/m);
		expect(examples).toMatch(/^ {2}addon-wizard run --yes .*-p \/home\/addon-offline-full-package-v0\.9\.0-arm64\.tar\.gz$/m);
	});

	it('prints the plan as JSON for generated packages: cluster-create then import -addon, each an argv array', async () => {
		const before = await readFile(fixture.configPath, 'utf8');
		const [, amd64, arm64] = fixture.packages.map(item => item.path) as [string, string, string];
		const installer = path.join(fixture.home, 'dce5-installer');
		const result = await runBundle(['plan', '--json', '-c', fixture.configPath, '-p', amd64, '-p', arm64, '--installer', installer]);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const plan = planDocumentSchema.parse(JSON.parse(result.stdout));
		expect(plan.operation).toBe('multi-arch-upgrade');
		expect(plan.blocked).toBe(false);
		expect(plan.steps.map(step => step.argv)).toEqual([
			[installer, 'cluster-create', '-c', fixture.configPath, '-m', fixture.manifestPath, '-d', '-j13'],
			[installer, 'import', '-addon', '-c', fixture.configPath, `--addon-path=${arm64}`],
		]);
		expect(plan.steps[0]!.configEdit?.newPaths).toEqual([amd64]);
		expect(plan.packages.map(item => [item.arch, item.verdict])).toEqual([
			['amd64', 'usable'],
			['arm64', 'usable'],
		]);
		// A plan only plans: clusterConfig.yaml is untouched.
		expect(await readFile(fixture.configPath, 'utf8')).toBe(before);
	});

	it('writes no escape sequence at all under NO_COLOR=1: help, plan text, plan JSON and errors', async () => {
		const [, amd64, arm64] = fixture.packages.map(item => item.path) as [string, string, string];
		const planArgs = ['-c', fixture.configPath, '-p', amd64, '-p', arm64, '--installer', path.join(fixture.home, 'dce5-installer')];
		const outputs = await Promise.all([
			runBundle(['--help'], {NO_COLOR: '1'}),
			runBundle(['plan', ...planArgs], {NO_COLOR: '1'}),
			runBundle(['plan', '--json', ...planArgs], {NO_COLOR: '1'}),
			runBundle(['plan', '-c', path.join(hostDir, 'missing.yaml'), '-p', amd64], {NO_COLOR: '1'}),
		]);
		expect(outputs.map(output => output.code)).toEqual([0, 0, 0, 2]);
		expect(outputs[1]!.stdout).toContain('Plan is ready.');
		for (const output of outputs) {
			expect(output.stdout + output.stderr).not.toContain('\u001B');
		}
	});

	it('exits 2 on an unknown flag, naming it in one line followed by the next step', async () => {
		const result = await runBundle(['plan', '--no-such-flag']);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		const lines = result.stderr.trimEnd().split('\n');
		expect(lines[0]).toBe('addon-wizard: Unknown flag "--no-such-flag".');
		expect(lines.slice(1)).toEqual(['  next: Run `addon-wizard --help` for the flags.']);
	});

	it.skipIf(!hasTmux)(`starts the interactive wizard in a real terminal${hasTmux ? '' : ' (skipped: tmux is not installed)'}`, async () => {
		const session = await startTmux({
			argv: [
				process.execPath,
				bundle,
				'-c',
				fixture.configPath,
				'--search',
				fixture.packagesDir,
				'--installer',
				path.join(fixture.home, 'dce5-installer'),
			],
			cwd: hostDir,
			env: {...fixture.env, PATH: `${emptyBin}:/usr/bin:/bin`},
		});
		try {
			const screen = await session.waitFor(text => text.includes('v0.12.5') && text.includes('arm64'), 30_000);
			expect(screen).toMatch(/v0\.9\.5.*amd64/);
			expect(screen).not.toMatch(/Error|Cannot find (module|package)/);
			await session.sendKeys('q');
			// q on Packages quits before anything ran: exit 1, as --help documents.
			expect(await session.waitForExit(10_000)).toBe(1);
		} finally {
			await session.kill();
		}
	});
});
