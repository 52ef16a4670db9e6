import {mkdir, readFile, readdir, rm, symlink, writeFile} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runPlanCommand} from '../../../source/app/commands/plan-command.js';
import {planDocumentSchema} from '../../../source/report/contract/plan.js';
import {formatBytes} from '../../../source/domain/shared/format-bytes.js';
import {retryBlocks} from '../../../source/domain/plan/preflight.js';
import {buildPackage} from '../../helpers/build-package.js';
import {makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';
import {servicesFor} from '../../helpers/services.js';

type Captured = {code: number; stdout: string; stderr: string};

describe('addon-wizard plan', () => {
	let fixture: ClusterFixture;
	let environment: {cwd: string; env: Record<string, string>};
	let amd64Old: string;
	let amd64New: string;
	let arm64Old: string;

	async function plan(argv: string[], cwd = environment.cwd): Promise<Captured> {
		const {options, services, output} = servicesFor(['plan', ...argv], {...environment, cwd});
		const code = await runPlanCommand(options, services);
		return {code, ...output};
	}

	const jsonPlan = (result: Captured) => planDocumentSchema.parse(JSON.parse(result.stdout));

	beforeAll(async () => {
		fixture = await makeClusterFixture({
			packages: [
				{version: 'v0.9.5', arch: 'amd64'},
				{version: 'v0.9.5', arch: 'arm64'},
				{version: 'v0.12.5', arch: 'amd64'},
			],
			current: 0,
		});
		[amd64Old, arm64Old, amd64New] = fixture.packages.map(item => item.path) as [string, string, string];
		environment = {cwd: fixture.workdir, env: fixture.env};
	});

	afterAll(async () => {
		await rm(fixture.root, {recursive: true, force: true});
	});

	it('prints the plan as JSON and exits 0: integrating arm64 into the amd64 cluster', async () => {
		const before = await readFile(fixture.configPath, 'utf8');
		const result = await plan(['--json', '-c', fixture.configPath, '-p', arm64Old]);
		expect(result.code).toBe(0);
		const parsed = jsonPlan(result);
		expect(parsed.operation).toBe('multi-arch-integration');
		expect(parsed.blocked).toBe(false);
		expect(parsed.reason).toContain('v0.9.5 (amd64)');
		expect(parsed.steps.map(step => step.argv)).toEqual([
			[path.join(fixture.home, 'dce5-installer'), 'import', '-addon', '-c', fixture.configPath, `--addon-path=${arm64Old}`],
		]);
		expect(parsed.steps[0]!.cwd).toBe(fixture.workdir);
		expect(parsed.current).toEqual([amd64Old]);
		expect(parsed.installer).toEqual({path: path.join(fixture.home, 'dce5-installer'), found: true});
		// A plan changes nothing.
		expect(await readFile(fixture.configPath, 'utf8')).toBe(before);
		expect(await readdir(path.dirname(fixture.configPath))).toEqual(['clusterConfig.yaml', 'manifest.yaml']);
	});

	it('plans an upgrade with the clusterConfig.yaml change, found from the working directory', async () => {
		const result = await plan(['--json', '-p', path.relative(fixture.workdir, amd64New)]);
		expect(result.code).toBe(0);
		const parsed = jsonPlan(result);
		expect(parsed.operation).toBe('single-arch-upgrade');
		const [step] = parsed.steps;
		expect(step!.argv).toEqual([
			path.join(fixture.home, 'dce5-installer'),
			'cluster-create',
			'-c',
			fixture.configPath,
			'-m',
			fixture.manifestPath,
			'-d',
			'-j13',
		]);
		expect(step!.package).toBe(amd64New);
		expect(step!.configEdit?.newPaths).toEqual([amd64New]);
		expect(step!.configEdit?.diff).toContain(`+    path: "${amd64New}"   # set by hand last time`);
	});

	it('prints readable text without --json', async () => {
		const result = await plan(['-c', fixture.configPath, '-p', arm64Old, '--import-command', 'import-addon']);
		expect(result.code).toBe(0);
		expect(result.stdout.split('\n')[0]).toMatch(/^Multi-arch integration/);
		expect(result.stdout).toContain(`dce5-installer import-addon -c ${fixture.configPath} --addon-path=${arm64Old}`);
		expect(result.stdout).toContain('Plan is ready.');
		expect(() => JSON.parse(result.stdout)).toThrow();
	});

	it('exits 3 when the installer is missing, and says so in the plan', async () => {
		const missing = path.join(fixture.root, 'no-such-dir', 'dce5-installer');
		const result = await plan(['--json', '-c', fixture.configPath, '-p', arm64Old, '--installer', missing]);
		expect(result.code).toBe(3);
		const parsed = jsonPlan(result);
		expect(parsed.blocked).toBe(true);
		expect(parsed.installer).toEqual({path: missing, found: false});
		expect(parsed.findings.find(finding => finding.id === 'installer-missing')).toMatchObject({
			severity: 'error',
			hint: expect.stringContaining('--installer'),
		});
	});

	it('exits 3 when the installer is a binary for another CPU, naming that CPU, before anything runs', async () => {
		// An ELF header for the CPU this host is not: a wrong-arch download of dce5-installer.
		const foreign = process.arch === 'arm64' ? {machine: 62, name: 'x86_64'} : {machine: 183, name: 'aarch64'};
		const installer = path.join(fixture.root, 'foreign', 'dce5-installer');
		const header = Buffer.alloc(64);
		header.write('\u007FELF', 0, 'latin1');
		header.set([2, 1, 1], 4);
		header.writeUInt16LE(foreign.machine, 18);
		await mkdir(path.dirname(installer), {recursive: true});
		await writeFile(installer, header, {mode: 0o755});
		const result = await plan(['-c', fixture.configPath, '-p', arm64Old, '--installer', installer]);
		expect(result.code).toBe(3);
		expect(result.stdout).toContain(
			`[BLOCK] ${installer} cannot run on this machine: an ${foreign.name} binary on this ${process.arch} machine.`,
		);
		expect(result.stdout).toContain('uname -m');
	});

	it('exits 3 in text mode too, ending with the BLOCKED line', async () => {
		const result = await plan(['-c', fixture.configPath, '-p', arm64Old, '--installer', path.join(fixture.root, 'nope')]);
		expect(result.code).toBe(3);
		expect(result.stdout).toContain('[BLOCK] dce5-installer not found');
		expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('Plan is BLOCKED: fix the errors above first.');
	});

	it('exits 2 for a missing config file, with the next step; as JSON on stdout with --json', async () => {
		const nowhere = path.join(fixture.root, 'nowhere', 'clusterConfig.yaml');
		const text = await plan(['-c', nowhere, '-p', arm64Old]);
		expect(text.code).toBe(2);
		expect(text.stdout).toBe('');
		expect(text.stderr).toBe(
			`addon-wizard: clusterConfig.yaml not found at ${nowhere}.\n  next: Pass -c PATH, or run from the folder that holds it.\n`,
		);
		const json = await plan(['--json', '-c', nowhere, '-p', arm64Old]);
		expect(json.code).toBe(2);
		expect(JSON.parse(json.stdout)).toEqual({
			apiVersion: 'addon-wizard/v1',
			kind: 'Error',
			error: {
				id: 'config-missing',
				message: `clusterConfig.yaml not found at ${nowhere}.`,
				hint: 'Pass -c PATH, or run from the folder that holds it.',
			},
			exitCode: 2,
		});
	});

	it('exits 2 when no config can be found from the working directory', async () => {
		const empty = path.join(fixture.root, 'empty');
		await mkdir(empty, {recursive: true});
		const result = await plan(['-p', arm64Old], empty);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('next: Pass -c /path/to/clusterConfig.yaml.');
	});

	it('exits 2 for malformed clusterConfig.yaml and names the line', async () => {
		const bad = path.join(fixture.root, 'bad', 'clusterConfig.yaml');
		await mkdir(path.dirname(bad), {recursive: true});
		await writeFile(
			bad,
			'apiVersion: provision.daocloud.io/v1alpha3\nkind: ClusterConfig\nspec:\n  clusterName: my-cluster\n  addonPackage:\n    path: "/root/unterminated.tar.gz\n  imagesAndCharts: [\n',
		);
		const result = await plan(['--json', '-c', bad, '-p', arm64Old]);
		expect(result.code).toBe(2);
		const {error} = JSON.parse(result.stdout) as {error: {id: string; message: string; hint: string}};
		expect(error.id).toBe('config-malformed');
		expect(error.message).toMatch(/^clusterConfig\.yaml line [67], column \d+: /);
		expect(error.hint).toContain(bad);
		expect(result.stderr).toMatch(/line [67], column \d+/);
	});

	it('exits 2 when no package is given', async () => {
		const result = await plan(['-c', fixture.configPath]);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('next: Pass --package PATH');
	});

	describe('the pre-flight', () => {
		const leftover = () => path.join(fixture.workdir, 'addon-offline-target-package');

		it('blocks on a leftover addon-offline-target-package, with its size and the flag that removes it as part of the run', async () => {
			await mkdir(path.join(leftover(), 'addon-offline-package'), {recursive: true});
			await writeFile(path.join(leftover(), 'addon-offline-package', 'metadata.yaml'), 'x'.repeat(3000));
			try {
				const before = await readFile(fixture.configPath, 'utf8');
				const blocked = await plan(['-c', fixture.configPath, '-p', amd64New]);
				expect(blocked.code).toBe(3);
				expect(blocked.stdout).toContain(
					`  [BLOCK] Leftover ${leftover()} (3.00 KB) from an earlier run: the installer stops on it, after clusterConfig.yaml was changed.`,
				);
				expect(blocked.stdout).toContain(
					'          next: Look inside if unsure (an interrupted import leaves it), then run again with --cleanup to remove it as part of the run.',
				);
				expect(blocked.stdout.trimEnd().split('\n').at(-1)).toBe('Plan is BLOCKED: fix the errors above first.');

				const cleaning = await plan(['-c', fixture.configPath, '-p', amd64New, '--cleanup']);
				expect(cleaning.code).toBe(0);
				expect(cleaning.stdout).toContain(`  [WARN]  Removes the leftover ${leftover()} (3.00 KB) just before step 1.`);
				expect(cleaning.stdout).toContain(`     first removes the leftover ${leftover()} (3.00 KB)`);
				// A plan removes nothing and edits nothing: the run does, just before its first step.
				expect(await readFile(path.join(leftover(), 'addon-offline-package', 'metadata.yaml'), 'utf8')).toHaveLength(3000);
				expect(await readFile(fixture.configPath, 'utf8')).toBe(before);
			} finally {
				await rm(leftover(), {recursive: true, force: true});
			}
		});

		it('prints the checklist with --json too, each row pass, warn or block', async () => {
			const parsed = jsonPlan(await plan(['--json', '-c', fixture.configPath, '-p', arm64Old]));
			expect(parsed.preflight!.map(check => check.id)).toEqual([
				'config',
				'workdir',
				'leftover',
				'installer',
				'from-step',
				'disk',
				'registry-spaces',
				'hazard',
				'download',
			]);
			expect(parsed.preflight!.every(check => check.status === 'pass')).toBe(true);
			expect(parsed.preflight![0]!.message).toBe(`${fixture.configPath}: kind ClusterConfig (provision.daocloud.io/v1alpha3)`);
		});

		it('exits 3 for --from-step outside the plan', async () => {
			const result = await plan(['-c', fixture.configPath, '-p', arm64Old, '--from-step', '99']);
			expect(result.code).toBe(3);
			expect(result.stdout).toContain("  [BLOCK] --from-step 99 is outside the plan's 1 step.");
		});

		it("says an installer that is a directory is a directory, and that a script's interpreter is missing", async () => {
			const folder = path.join(fixture.root, 'unpacked', 'dce5-installer');
			await mkdir(folder, {recursive: true});
			const inDir = await plan(['-c', fixture.configPath, '-p', arm64Old, '--installer', folder]);
			expect(inDir.code).toBe(3);
			expect(inDir.stdout).toContain(`  [BLOCK] ${folder} is a directory, not the dce5-installer program.`);
			expect(inDir.stdout).not.toContain('not found');

			const script = path.join(fixture.root, 'scripted', 'dce5-installer');
			await mkdir(path.dirname(script), {recursive: true});
			await writeFile(script, '#!/opt/nowhere/bin/python9\nprint("installing")\n', {mode: 0o755});
			const scripted = await plan(['-c', fixture.configPath, '-p', amd64New, '--installer', script]);
			expect(scripted.code).toBe(3);
			expect(scripted.stdout).toContain(`  [BLOCK] ${script} is a script for /opt/nowhere/bin/python9, which is not on this machine.`);
		});

		it('blocks a package that a download tool is still writing', async () => {
			await writeFile(`${arm64Old}.part`, '');
			try {
				const result = await plan(['-c', fixture.configPath, '-p', arm64Old]);
				expect(result.code).toBe(3);
				expect(result.stdout).toContain(
					`  [BLOCK] ${path.basename(arm64Old)}.part lies beside ${path.basename(arm64Old)}: a download may still be writing it.`,
				);
			} finally {
				await rm(`${arm64Old}.part`);
			}
		});
	});

	describe('what it prints', () => {
		it('never prints a password from clusterConfig.yaml, in text or --json, and the run still writes them', async () => {
			const dir = path.join(fixture.root, 'secret');
			await mkdir(dir, {recursive: true});
			const config = path.join(dir, 'clusterConfig.yaml');
			const text = (await readFile(fixture.configPath, 'utf8'))
				.replace(
					'  imagesAndCharts:\n    type: builtin\n',
					'  imagesAndCharts:\n    type: external\n    externalImageRepo: https://admin:S3cretPass@harbor.example\n    externalImageRepoUsername: admin\n    externalImageRepoPassword: S3cretPass\n    # externalChartRepoPassword: OldChartPass1\n',
				)
				.concat('  masterNodes:\n    - nodeName: "g-master1"\n      ansiblePass: "NodePass42"\n');
			await writeFile(config, text);
			await writeFile(path.join(dir, 'manifest.yaml'), 'kind: DCEManifest\n');
			const shown = await plan(['-c', config, '-p', amd64New]);
			expect(shown.code).toBe(0);
			const json = await plan(['--json', '-c', config, '-p', amd64New]);
			for (const output of [shown.stdout, json.stdout]) {
				for (const secret of ['S3cretPass', 'OldChartPass1', 'NodePass42']) {
					expect(output).not.toContain(secret);
				}
			}

			expect(shown.stdout).toContain('externalImageRepoPassword: ********');
			// The document carries the edit's diff, masked, never the config's texts.
			const edit = jsonPlan(json).steps[0]!.configEdit!;
			expect(edit.newPaths).toEqual([amd64New]);
			expect(edit.diff).toContain(amd64New);
			expect(json.stdout).not.toContain('originalText');
		});

		it('names the real file a linked clusterConfig.yaml changes', async () => {
			const dir = path.join(fixture.root, 'linked');
			const real = path.join(fixture.root, 'etc-dce', 'real-cluster.yaml');
			await mkdir(dir, {recursive: true});
			await mkdir(path.dirname(real), {recursive: true});
			await writeFile(real, await readFile(fixture.configPath, 'utf8'));
			await writeFile(path.join(dir, 'manifest.yaml'), 'kind: DCEManifest\n');
			await symlink(real, path.join(dir, 'clusterConfig.yaml'));
			const result = await plan(['-c', path.join(dir, 'clusterConfig.yaml'), '-p', amd64New]);
			expect(result.code).toBe(0);
			expect(result.stdout).toContain(
				`     sets spec.addonPackage.path in ${path.join(dir, 'clusterConfig.yaml')} (a link: the real file ${real} is changed):`,
			);
			expect(result.stdout).toContain(
				`  [pass]  ${path.join(dir, 'clusterConfig.yaml')}: kind ClusterConfig (provision.daocloud.io/v1alpha3); it is a link, the edit goes to ${real}`,
			);
		});

		it('shows control characters in file names escaped, never raw', async () => {
			const odd = path.join(fixture.root, 'pack\u001B]0;pwned\u0007ages');
			await mkdir(odd, {recursive: true});
			const built = await buildPackage({dir: odd, version: 'v0.9.5', arch: 'arm64'});
			const result = await plan(['-c', fixture.configPath, '-p', built.path]);
			expect(result.code).toBe(0);
			expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F]/);
			expect(result.stdout).toContain(String.raw`pack\e]0;pwned\aages`);
		});
	});

	describe("the retry's recheck, through the composed ports", () => {
		it('checks the whole pre-flight again against the world as it is now', async () => {
			const {options, services} = servicesFor(['plan', '-c', fixture.configPath, '-p', amd64New], environment);
			const context = await services.cluster();
			if ('exitCode' in context) {
				throw new Error(context.message);
			}

			const inspection = await context.ports.inspectPackage(options.packages[0]!);
			const built = await context.ports.buildPlan([inspection]);
			if ('exitCode' in built) {
				throw new Error(built.message);
			}

			expect(built.blocked).toBe(false);
			// Since the plan was made: a failed step left its unpack, and the package is being rewritten.
			const leftover = path.join(fixture.workdir, 'addon-offline-target-package');
			await mkdir(path.join(leftover, 'addon-offline-package'), {recursive: true});
			await writeFile(path.join(leftover, 'addon-offline-package', 'metadata.yaml'), 'x'.repeat(1500));
			const original = await readFile(amd64New);
			await writeFile(amd64New, Buffer.concat([original, Buffer.alloc(10)]));
			try {
				const rechecked = await context.ports.recheck(built, {fromStep: 1, removeLeftover: true});
				expect(rechecked.preflight!.find(check => check.id === 'leftover')).toMatchObject({
					status: 'warn',
					message: expect.stringContaining('(1.50 KB)') as string,
				});
				expect(retryBlocks(rechecked).map(check => check.message)).toEqual([
					`${path.basename(amd64New)} grew from ${formatBytes(original.length)} to ${formatBytes(original.length + 10)} since it was read: it is still being downloaded.`,
				]);
				expect(rechecked.blocked).toBe(true);
			} finally {
				await writeFile(amd64New, original);
				await rm(leftover, {recursive: true, force: true});
			}
		});
	});
});
