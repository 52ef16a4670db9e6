// The pre-flight checklist from facts: one row per check, pass / warn / block with its next step,
// `blocked` = any block, and the leftover's removal (c on Review, --cleanup) rebuilding it.
import {describe, expect, it} from 'vitest';
import type {DiskNeed, Plan, PreflightCheck, PreflightFacts} from '../../../source/domain/plan/plan.js';
import {wordNextStep} from '../../../source/domain/shared/next-step.js';
import {
	chooseLeftoverRemoval,
	confirmWarnings,
	refreshDiskNeeds,
	retryBlocks,
	settlePreflight,
	startStepIndex,
} from '../../../source/domain/plan/preflight.js';
import {full} from '../packages/make-inspection.js';
import {passingFacts} from '../../helpers/preflight-facts.js';

const GB = 1_000_000_000;
const pkg = full('v0.12.0', 'amd64');

const workdirNeed = (freeBytes: number, neededBytes = 10 * GB): DiskNeed => ({
	device: '8:1',
	paths: [
		{path: '/root/work', role: 'workdir'},
		{path: '/srv/packages', role: 'package'},
	],
	neededBytes,
	freeBytes,
	totalBytes: 200 * GB,
	shortBytes: Math.max(0, neededBytes - freeBytes),
	basis: '',
});

function basePlan(extra: Partial<Plan> = {}): Plan {
	return {
		operation: 'single-arch-import',
		reason: 'One amd64 package and no addon in the cluster yet: a single-architecture import.',
		packages: [pkg],
		cluster: {
			path: '/root/offline/sample/clusterConfig.yaml',
			kind: 'ClusterConfig',
			apiVersion: 'provision.daocloud.io/v1alpha3',
			addonPackagePaths: [],
			addonPathShape: 'absent',
		},
		installer: {path: '/root/dce5-installer', found: true},
		manifestPath: '/root/offline/sample/manifest.yaml',
		steps: [
			{
				id: 'cluster-create',
				kind: 'cluster-create',
				title: 'Import addon v0.12.0 (amd64)',
				packagePath: pkg.path,
				argv: ['/root/dce5-installer', 'cluster-create'],
				cwd: '/root/work',
				expectedBytes: 1,
				expectedCharts: 0,
				expectedImages: 0,
			},
		],
		disk: [workdirNeed(100 * GB)],
		diffs: {registrySpaces: {mustExist: [], alreadyUsed: ['release.daocloud.io']}, charts: [], multiArchImages: []},
		findings: [],
		blocked: false,
		...extra,
	};
}

function facts(extra: Partial<PreflightFacts> = {}): PreflightFacts {
	return passingFacts({packages: [{path: pkg.path, fileName: pkg.fileName, sizeNow: pkg.size, mtimeNow: pkg.mtimeMs}], ...extra});
}

const rows = (plan: Plan, id: PreflightCheck['id']) => plan.preflight!.filter(check => check.id === id);
const only = (plan: Plan, id: PreflightCheck['id']) => {
	const found = rows(plan, id);
	expect(found, id).toHaveLength(1);
	return found[0]!;
};

describe('the checklist of a plan that can run', () => {
	const plan = settlePreflight(basePlan(), facts(), false);

	it('has one passing row per check, in the order they matter, and is not blocked', () => {
		expect(plan.preflight!.map(check => [check.id, check.status])).toEqual([
			['config', 'pass'],
			['workdir', 'pass'],
			['leftover', 'pass'],
			['installer', 'pass'],
			['from-step', 'pass'],
			['disk', 'pass'],
			['registry-spaces', 'pass'],
			['hazard', 'pass'],
			['download', 'pass'],
		]);
		expect(plan.blocked).toBe(false);
		expect(confirmWarnings(plan)).toEqual([]);
	});

	it('says what each check found', () => {
		expect(plan.preflight!.map(check => check.message)).toEqual([
			'/root/offline/sample/clusterConfig.yaml: kind ClusterConfig (provision.daocloud.io/v1alpha3)',
			'Working directory /root/work is writable',
			'No leftover addon-offline-target-package in /root/work',
			'dce5-installer /root/dce5-installer can start',
			'Runs its one step',
			'Disk /root/work, /srv/packages: needs 10.0 GB, 100.0 GB free',
			'Registry spaces: 1 needed, none new',
			'No version or package-set hazards',
			'The package is as read; none is still downloading',
		]);
	});
});

describe('a leftover addon-offline-target-package', () => {
	const leftover = {path: '/root/work/addon-offline-target-package', bytes: 42_700, type: 'directory' as const};

	it('blocks, with its size, and the next step is x on the screens and --cleanup without them', () => {
		const plan = settlePreflight(basePlan(), facts({leftover}), false);
		const row = only(plan, 'leftover');
		expect(row).toMatchObject({
			status: 'block',
			message:
				'Leftover /root/work/addon-offline-target-package (42.7 KB) from an earlier run: the installer stops on it, after clusterConfig.yaml was changed.',
		});
		expect(wordNextStep({hint: row.hint!, then: row.then}, 'screen')).toBe(
			'Look inside if unsure (an interrupted import leaves it), then press x to remove it as part of the run.',
		);
		expect(wordNextStep({hint: row.hint!, then: row.then}, 'plain')).toBe(
			'Look inside if unsure (an interrupted import leaves it), then run again with --cleanup to remove it as part of the run.',
		);
		expect(plan.blocked).toBe(true);
		expect(plan.removeLeftover).toBeUndefined();
	});

	it('is a warning once its removal is chosen, which sets the plan option the run honours, and can be unchosen', () => {
		const blocked = settlePreflight(basePlan(), facts({leftover}), false);
		const chosen = chooseLeftoverRemoval(blocked, true);
		expect(only(chosen, 'leftover')).toMatchObject({
			status: 'warn',
			message: 'Removes the leftover /root/work/addon-offline-target-package (42.7 KB) just before step 1.',
		});
		expect(chosen.removeLeftover).toEqual({path: leftover.path, bytes: 42_700});
		expect(chosen.blocked).toBe(false);
		// Removing something is a warning Confirm repeats before it asks for yes.
		expect(confirmWarnings(chosen).map(warning => warning.message)).toEqual([
			'Removes the leftover /root/work/addon-offline-target-package (42.7 KB) just before step 1.',
		]);

		const unchosen = chooseLeftoverRemoval(chosen, false);
		expect(unchosen.removeLeftover).toBeUndefined();
		expect(unchosen.blocked).toBe(true);
	});

	it("counts the bytes it frees on the working directory's filesystem once it is to be removed", () => {
		const big = {...leftover, bytes: 8 * GB};
		const tight = basePlan({disk: [workdirNeed(5 * GB)]});
		const keeping = settlePreflight(tight, facts({leftover: big}), false);
		expect(rows(keeping, 'disk').map(check => check.status)).toEqual(['block']);
		expect(keeping.findings.map(finding => finding.code)).toEqual(['disk-short']);

		const removing = chooseLeftoverRemoval(keeping, true);
		expect(only(removing, 'disk')).toMatchObject({
			status: 'pass',
			message: 'Disk /root/work, /srv/packages: needs 10.0 GB, 5.00 GB free + 8.00 GB the leftover frees',
		});
		expect(removing.disk[0]).toMatchObject({reclaimableBytes: 8 * GB, shortBytes: 0});
		expect(removing.findings).toEqual([]);
		expect(removing.blocked).toBe(false);
	});

	it('blocks without the c offer when it is a file or a symlink: the clean-up would refuse it', () => {
		for (const type of ['file', 'symlink'] as const) {
			const plan = settlePreflight(basePlan(), facts({leftover: {...leftover, type}}), true);
			expect(only(plan, 'leftover')).toMatchObject({
				status: 'block',
				message: `/root/work/addon-offline-target-package is a ${type}, not the installer's directory, and the installer stops on it.`,
			});
			expect(only(plan, 'leftover').then).toBeUndefined();
			expect(plan.removeLeftover).toBeUndefined();
			expect(chooseLeftoverRemoval(plan, true).blocked).toBe(true);
		}
	});
});

describe('the working directory and the installer', () => {
	it('blocks a working directory that is missing, not a directory or not writable', () => {
		const cases: Array<[PreflightFacts['workdir'], string]> = [
			[{path: '/root/gone', exists: false, isDirectory: false, writable: false}, 'Working directory /root/gone does not exist.'],
			[{path: '/root/file', exists: true, isDirectory: false, writable: false}, 'Working directory /root/file is not a directory.'],
			[
				{path: '/root/ro', exists: true, isDirectory: true, writable: false},
				'Working directory /root/ro is not writable: the installer cannot unpack there.',
			],
		];
		for (const [workdir, message] of cases) {
			const plan = settlePreflight(basePlan(), facts({workdir}), false);
			expect(only(plan, 'workdir')).toMatchObject({status: 'block', message});
			expect(plan.blocked).toBe(true);
		}
	});

	it('blocks an installer that is a directory, saying so instead of "not found"', () => {
		const plan = settlePreflight(
			basePlan(),
			facts({installer: {path: '/root/dce5-installer', found: true, isDirectory: true, executable: false}}),
			false,
		);
		expect(only(plan, 'installer')).toMatchObject({
			status: 'block',
			code: 'installer-missing',
			message: '/root/dce5-installer is a directory, not the dce5-installer program.',
		});
		expect(only(plan, 'installer').hint).toContain('--installer /root/dce5-installer/dce5-installer');
		expect(plan.findings.map(finding => finding.code)).toEqual(['installer-missing']);
	});

	it('blocks a script whose #! interpreter is missing, and a binary for another CPU', () => {
		const script = settlePreflight(
			basePlan(),
			facts({installer: {path: '/root/dce5-installer', found: true, executable: true, missingInterpreter: '/usr/bin/python9'}}),
			false,
		);
		expect(only(script, 'installer')).toMatchObject({
			status: 'block',
			code: 'installer-cannot-run',
			message: '/root/dce5-installer is a script for /usr/bin/python9, which is not on this machine.',
		});
		const foreign = settlePreflight(
			basePlan(),
			facts({installer: {path: '/root/dce5-installer', found: true, executable: true, cannotRun: 'an aarch64 binary on this x64 machine'}}),
			false,
		);
		expect(only(foreign, 'installer')).toMatchObject({
			status: 'block',
			message: '/root/dce5-installer cannot run on this machine: an aarch64 binary on this x64 machine.',
		});
	});

	it('rebuilds the installer findings from the facts, so a fixed installer no longer blocks', () => {
		const missing = settlePreflight(basePlan(), facts({installer: {path: '/root/dce5-installer', found: false}}), false);
		expect(missing.blocked).toBe(true);
		const fixed = settlePreflight(missing, facts(), false);
		expect(fixed.findings).toEqual([]);
		expect(fixed.blocked).toBe(false);
	});
});

describe('--from-step', () => {
	it('blocks a step number outside the plan', () => {
		const plan = settlePreflight(basePlan(), facts({fromStep: 99}), false);
		expect(only(plan, 'from-step')).toMatchObject({
			status: 'block',
			message: "--from-step 99 is outside the plan's 1 step.",
			hint: 'Use a step number from 1 to 1.',
		});
		expect(plan.blocked).toBe(true);
		expect(startStepIndex(plan)).toBe(0);
	});

	it('starts at the step given when it is in range', () => {
		const two = basePlan({steps: [basePlan().steps[0]!, {...basePlan().steps[0]!, id: 'integrate-arm64-1'}]});
		const plan = settlePreflight(two, facts({fromStep: 2}), false);
		expect(only(plan, 'from-step')).toMatchObject({
			status: 'pass',
			message: 'Starts at step 2 of 2 (--from-step); the steps before it count as done',
		});
		expect(startStepIndex(plan)).toBe(1);
	});
});

describe('registry spaces, hazards and downloads', () => {
	it('warns about registry spaces the package diff says are new, and blocks those a registry said are missing', () => {
		const diff = basePlan({
			diffs: {registrySpaces: {mustExist: ['localhost'], alreadyUsed: ['release.daocloud.io']}, charts: [], multiArchImages: []},
		});
		expect(only(settlePreflight(diff, facts(), false), 'registry-spaces')).toMatchObject({
			status: 'warn',
			code: 'registry-space-missing',
			message: "Registry spaces the cluster's package never used, which must exist before the import: localhost.",
		});
		const live = settlePreflight(
			diff,
			facts({
				registrySpaces: {required: ['release.daocloud.io', 'localhost'], missing: ['localhost'], checkedAgainst: 'harbor.example:443'},
			}),
			false,
		);
		const missing = only(live, 'registry-spaces');
		expect(missing).toMatchObject({
			status: 'block',
			message: 'Registry spaces missing in harbor.example:443: localhost: pushing into them fails.',
		});
		expect(wordNextStep({hint: missing.hint ?? '', then: missing.then, otherwise: missing.otherwise}, 'screen')).toBe(
			'Press c to create them as public Harbor projects (shown first); if this login may not create projects, have a Harbor administrator create them (Projects > New Project).',
		);
		expect(wordNextStep({hint: missing.hint ?? '', then: missing.then, otherwise: missing.otherwise}, 'plain')).toBe(
			'Run again with --create-spaces to create them as public Harbor projects (shown first); if this login may not create projects, have a Harbor administrator create them (Projects > New Project).',
		);
		expect(live.blocked).toBe(true);
		const present = settlePreflight(
			diff,
			facts({registrySpaces: {required: ['release.daocloud.io', 'localhost'], missing: [], checkedAgainst: 'harbor.example:443'}}),
			false,
		);
		expect(only(present, 'registry-spaces')).toMatchObject({
			status: 'pass',
			message: 'Registry spaces: 2 needed, all present in harbor.example:443',
		});
		const plain = settlePreflight(
			diff,
			facts({
				registrySpaces: {
					required: [],
					missing: [],
					checkedAgainst: 'http://127.0.0.1:5000',
					noneNeeded:
						"http://127.0.0.1:5000 answers the registry API but not Harbor's (/api/v2.0/ping), so it has no projects and none need to exist.",
				},
			}),
			false,
		);
		expect(only(plain, 'registry-spaces')).toMatchObject({
			status: 'pass',
			message:
				"Registry spaces: none needed (http://127.0.0.1:5000 answers the registry API but not Harbor's (/api/v2.0/ping), so it has no projects and none need to exist)",
		});
	});

	it('turns each version hazard into a row: warnings warn, errors block, notes stay notes', () => {
		const plan = settlePreflight(
			basePlan({
				findings: [
					{
						code: 'arch-conflict-below-0.12',
						severity: 'warning',
						message: 'Upgrading to v0.11.0 (below 0.12.0) rewrites the multi-arch images as amd64-only.',
						hint: 'Choose the arm64 package too.',
					},
					{code: 'duplicate-arch', severity: 'error', message: 'a and b are both amd64/full packages.', hint: 'Choose one.'},
					{code: 'arch-unconfirmed', severity: 'info', message: 'busybox carries no architecture.'},
				],
			}),
			facts(),
			false,
		);
		expect(rows(plan, 'hazard').map(check => [check.status, check.code])).toEqual([
			['warn', 'arch-conflict-below-0.12'],
			['block', 'duplicate-arch'],
		]);
		expect(plan.blocked).toBe(true);
		expect(confirmWarnings(plan).map(warning => warning.message)).toEqual([
			'Upgrading to v0.11.0 (below 0.12.0) rewrites the multi-arch images as amd64-only.',
		]);
	});

	it('blocks a package that grew since it was read, changed, went away, or has a partial download beside it', () => {
		const now = (extra: Partial<PreflightFacts['packages'][number]>) =>
			settlePreflight(
				basePlan(),
				facts({packages: [{path: pkg.path, fileName: pkg.fileName, sizeNow: pkg.size, mtimeNow: pkg.mtimeMs, ...extra}]}),
				false,
			);
		expect(only(now({sizeNow: 25_000}), 'download')).toMatchObject({
			status: 'block',
			message: `${pkg.fileName} grew from 10.0 KB to 25.0 KB since it was read: it is still being downloaded.`,
		});
		expect(only(now({mtimeNow: pkg.mtimeMs + 5000}), 'download')).toMatchObject({
			status: 'block',
			message: `${pkg.fileName} changed since it was read (size or time differs).`,
		});
		expect(only(now({sizeNow: undefined}), 'download')).toMatchObject({
			status: 'block',
			message: `${pkg.fileName} is gone since it was read.`,
		});
		const partial = now({partial: `${pkg.fileName}.part`});
		expect(only(partial, 'download')).toMatchObject({
			status: 'block',
			message: `${pkg.fileName}.part lies beside ${pkg.fileName}: a download may still be writing it.`,
		});
		expect(partial.blocked).toBe(true);
	});

	it('only warns about a stale partial file beside a package that matches its published checksum', () => {
		const verified = basePlan({packages: [{...pkg, integrity: {state: 'verified'}}]});
		const plan = settlePreflight(
			verified,
			facts({
				packages: [
					{path: pkg.path, fileName: pkg.fileName, sizeNow: pkg.size, mtimeNow: pkg.mtimeMs, partial: `${pkg.fileName}.crdownload`},
				],
			}),
			false,
		);
		expect(only(plan, 'download')).toMatchObject({status: 'warn'});
		expect(plan.blocked).toBe(false);
	});

	it('blocks a config that is not a ClusterConfig, and names the real file behind a linked one', () => {
		expect(only(settlePreflight(basePlan({cluster: {...basePlan().cluster, kind: 'Cluster'}}), facts(), false), 'config')).toMatchObject({
			status: 'block',
		});
		const linked = basePlan({
			steps: [
				{
					...basePlan().steps[0]!,
					configEdit: {
						path: '/root/offline/sample/clusterConfig.yaml',
						realPath: '/etc/dce/real.yaml',
						newPaths: [pkg.path],
						diff: '',
						originalText: '',
						newText: '',
					},
				},
			],
		});
		expect(only(settlePreflight(linked, facts(), false), 'config').message).toBe(
			'/root/offline/sample/clusterConfig.yaml: kind ClusterConfig (provision.daocloud.io/v1alpha3); it is a link, the edit goes to /etc/dce/real.yaml',
		);
	});
});

describe("a retry's recheck", () => {
	it('refreshes free space and keeps what is needed, so a disk that is still full blocks', () => {
		const plan = settlePreflight(basePlan(), facts(), false);
		const full = refreshDiskNeeds(plan.disk, [{path: '/root/work', freeBytes: 0, totalBytes: 200 * GB}]);
		const rechecked = settlePreflight({...plan, disk: full}, facts({fromStep: 1}), true);
		expect(retryBlocks(rechecked).map(check => check.message)).toEqual([
			'Disk /root/work, /srv/packages: needs 10.0 GB, 0 B free, short by 10.0 GB.',
		]);
	});

	it("leaves the leftover to the retry's own question", () => {
		const rechecked = settlePreflight(
			basePlan(),
			facts({leftover: {path: '/root/work/addon-offline-target-package', bytes: 1, type: 'directory'}}),
			false,
		);
		expect(rechecked.blocked).toBe(true);
		expect(retryBlocks(rechecked)).toEqual([]);
	});
});
