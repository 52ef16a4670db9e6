// The standalone executable (Node single executable application) for hosts without Node: built
// by scripts/build-sea.mjs for this machine's architecture, copied ALONE into an empty folder and
// run with a PATH that holds no node, as on a jump host.
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync, statSync} from 'node:fs';
import {copyFile, mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {subcommands} from '../../source/app/options.js';
import {planDocumentSchema} from '../../source/report/contract/plan.js';
import {cliPath, makeClusterFixture, repoRoot, simulatorPath, type ClusterFixture} from '../helpers/cluster-fixture.js';
import {runProgram, type ProgramResult} from '../helpers/run-program.js';

type Result = ProgramResult;

const executable = path.join(repoRoot, 'dist', `addon-wizard-linux-${process.arch}`);
/** The sentinel postject flips; a node built without SEA support does not carry it. */
const fuse = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** Why this platform cannot build the executable the way scripts/build-sea.mjs does, if it cannot. */
function seaUnsupported(): string | undefined {
	if (process.platform !== 'linux') {
		return `build-sea.mjs builds Linux executables only; ${process.platform} needs codesign or an .exe`;
	}

	const sea = (() => {
		try {
			return createRequire(import.meta.url)('node:sea') as {getAsset?: unknown};
		} catch {
			return undefined;
		}
	})();
	if (typeof sea?.getAsset !== 'function') {
		return `node ${process.version} has no SEA assets (node:sea getAsset needs 20.12 or later)`;
	}

	if (!readFileSync(process.execPath).includes(fuse)) {
		return `${process.execPath} was built without single executable support (no ${fuse.slice(0, 14)} sentinel)`;
	}

	if (!existsSync(path.join(repoRoot, 'node_modules', '.bin', 'postject'))) {
		return 'postject (a devDependency) is not installed: run npm ci';
	}

	return undefined;
}

const unsupported = seaUnsupported();
const title = `standalone executable addon-wizard-linux-${process.arch}${unsupported ? ` (skipped: ${unsupported})` : ''}`;

/** Reuses an executable built from the current bundle; otherwise builds the bundle (if needed) and the executable. */
function ensureExecutable(): void {
	if (!existsSync(cliPath)) {
		execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs')], {cwd: repoRoot, stdio: 'inherit'});
	}

	if (existsSync(executable) && statSync(executable).mtimeMs >= statSync(cliPath).mtimeMs) {
		return;
	}

	execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'build-sea.mjs')], {
		cwd: repoRoot,
		stdio: ['ignore', 'ignore', 'pipe'],
		timeout: 120_000,
	});
}

describe.skipIf(unsupported !== undefined)(title, () => {
	let hostDir: string;
	let lone: string;
	let fixture: ClusterFixture;
	let version: string;

	async function runExecutable(args: string[], env: Record<string, string> = {}): Promise<Result> {
		// No node on PATH and a private cache, where the executable unpacks its bundle.
		return runProgram(lone, args, {
			cwd: hostDir,
			env: {...fixture.env, PATH: path.join(hostDir, 'empty-bin'), XDG_CACHE_HOME: path.join(hostDir, 'cache'), ...env},
		});
	}

	beforeAll(async () => {
		ensureExecutable();
		version = (JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as {version: string}).version;
		hostDir = await mkdtemp(path.join(tmpdir(), 'addon-wizard-sea-host-'));
		await mkdir(path.join(hostDir, 'empty-bin'));
		lone = path.join(hostDir, path.basename(executable));
		await copyFile(executable, lone);
		fixture = await makeClusterFixture({
			packages: [
				{version: 'v0.9.5', arch: 'amd64'},
				{version: 'v0.9.5', arch: 'arm64'},
			],
			current: 0,
		});
		// The simulator starts with `#!/usr/bin/env node`, which this host's node-less PATH cannot
		// resolve (the pre-flight says so and blocks); a wrapper names node by its absolute path.
		const installer = path.join(fixture.home, 'dce5-installer');
		await rm(installer);
		await writeFile(installer, `#!/bin/sh\nexec '${process.execPath}' '${simulatorPath}' "$@"\n`, {mode: 0o755});
	}, 180_000);

	afterAll(async () => {
		if (hostDir) {
			await rm(hostDir, {recursive: true, force: true});
		}

		if (fixture) {
			await rm(fixture.root, {recursive: true, force: true});
		}
	});

	it('prints the version from package.json with --version, without the experimental-feature warning', async () => {
		expect(await runExecutable(['--version'])).toEqual({code: 0, stdout: `${version}\n`, stderr: ''});
	});

	it("prints the help with every subcommand and the seed's two procedures", async () => {
		const {code, stdout: page} = await runExecutable(['--help']);
		expect(code).toBe(0);
		// Long commands continue on the next line with a shell `\`, to fit 80 columns.
		const stdout = page.replace(/ \\\n {2}(?:# {3})?\s*/g, ' ');
		for (const command of subcommands) {
			expect(stdout).toMatch(new RegExp(`^ {2}${command}\\s{2,}\\S`, 'm'));
		}

		expect(stdout).toContain(
			'~/dce5-installer cluster-create -c /home/dce5/sample/clusterConfig.yaml -m /home/dce5/sample/manifest.yaml -d -j13',
		);
		expect(stdout).toContain(
			'~/dce5-installer import -addon -c /home/dce5/sample/clusterConfig.yaml --addon-path=/home/addon-offline-full-package-v0.9.0-arm64.tar.gz',
		);
	});

	it('prints the plan as JSON for a generated package: the multi-arch integration argv', async () => {
		const arm64 = fixture.packages[1]!.path;
		const installer = path.join(fixture.home, 'dce5-installer');
		const result = await runExecutable(['plan', '--json', '-c', fixture.configPath, '-p', arm64, '--installer', installer]);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const plan = planDocumentSchema.parse(JSON.parse(result.stdout));
		expect(plan.operation).toBe('multi-arch-integration');
		expect(plan.steps.map(step => step.argv)).toEqual([[installer, 'import', '-addon', '-c', fixture.configPath, `--addon-path=${arm64}`]]);
		expect(plan.packages[0]!.arch).toBe('arm64');
	});

	it('exits 2 on an unknown flag with the cause in one line', async () => {
		const result = await runExecutable(['--no-such-flag']);
		expect(result.code).toBe(2);
		expect(result.stderr.split('\n')[0]).toBe('addon-wizard: Unknown flag "--no-such-flag".');
	});
});
