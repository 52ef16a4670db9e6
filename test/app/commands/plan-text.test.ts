import {describe, expect, it} from 'vitest';
import type {ConfigEdit} from '../../../source/domain/config/config-facts.js';
import type {Plan} from '../../../source/domain/plan/plan.js';
import type {WizardError} from '../../../source/domain/shared/wizard-error.js';
import {renderFinding, renderPlanText} from '../../../source/report/plan/plan-text.js';
import {buildPlan, type PlanDeps, type PlanInput} from '../../../source/workflow/plan/build-plan.js';
import {full} from '../../domain/packages/make-inspection.js';

const GB = 1_000_000_000;

async function makePlan(overrides: Partial<PlanInput>, freeBytes = 100 * GB): Promise<Plan> {
	const deps: PlanDeps = {
		diskInfo: async paths => paths.map(item => ({path: item, device: 'dev-1', freeBytes, totalBytes: 200 * GB})),
		planConfigEdit: async (file, newPaths): Promise<ConfigEdit> => ({
			path: file,
			newPaths,
			originalText: '',
			newText: '',
			diff: `--- clusterConfig.yaml\n+++ clusterConfig.yaml\n@@ -1,1 +1,1 @@\n-    path: "/home/old.tar.gz"\n+    path: "${newPaths[0]}"\n`,
		}),
		preflightFacts: async query => ({workdir: {path: query.workdir, exists: true, isDirectory: true, writable: true}, packages: []}),
	};
	const result = await buildPlan(
		{
			packages: [],
			cluster: {path: '/root/clusterConfig.yaml', kind: 'ClusterConfig', addonPackagePaths: [], addonPathShape: 'absent'},
			configPath: '/root/clusterConfig.yaml',
			manifestPath: '/root/manifest.yaml',
			installer: {path: '/root/dce5-installer', found: true, executable: true},
			workdir: '/root',
			watchPaths: [],
			importCommand: ['import', '-addon'],
			diskMargin: 0.1,
			registrySpaces: [],
			clusterArches: [],
			...overrides,
		},
		deps,
	);
	if ('exitCode' in result && !('steps' in result)) {
		throw new Error((result as WizardError).message);
	}

	return result as Plan;
}

describe('renderPlanText', () => {
	it('starts with the decision and lists packages, disk, steps with the exact command, and the config change', async () => {
		const amd64 = full('v0.12.0', 'amd64', {dir: '/home', charts: ['a@1.0.0', 'b@1.0.0'], images: ['r.io/a:1']});
		const arm64 = full('v0.12.0', 'arm64', {dir: '/home/my packages', agreed: null});
		const plan = await makePlan({
			packages: [amd64, arm64],
			cluster: {
				path: '/root/clusterConfig.yaml',
				kind: 'ClusterConfig',
				addonPackagePaths: ['/home/addon-offline-full-package-v0.11.0-amd64.tar.gz'],
				addonPathShape: 'string',
			},
		});
		const text = renderPlanText(plan);
		const lines = text.split('\n');
		expect(lines[0]).toBe(plan.reason);
		expect(text).toContain(
			'  addon-offline-full-package-v0.12.0-amd64.tar.gz  10.0 KB  amd64 (confirmed by contents)  integrity: unknown  charts: 2  images: 1',
		);
		expect(text).toContain('  addon-offline-full-package-v0.12.0-arm64.tar.gz  10.0 KB  arm64 (NOT confirmed)');
		expect(text).toMatch(/\/root \(workdir\), \/home \(package\), \/home\/my packages \(package\): needs .* — ok/);
		expect(text).toContain(
			[
				'  1. Upgrade addon to v0.12.0 (amd64) with cluster-create -j13',
				'     /root/dce5-installer cluster-create -c /root/clusterConfig.yaml -m /root/manifest.yaml -d -j13',
				'     (in /root)',
				'     sets spec.addonPackage.path in /root/clusterConfig.yaml:',
			].join('\n'),
		);
		expect(text).toContain('       +    path: "/home/addon-offline-full-package-v0.12.0-amd64.tar.gz"');
		expect(text).toContain(
			[
				'  2. Integrate arm64 images of v0.12.0 with import -addon',
				`     /root/dce5-installer import -addon -c /root/clusterConfig.yaml '--addon-path=/home/my packages/addon-offline-full-package-v0.12.0-arm64.tar.gz'`,
				'     (in /root)',
				'',
			].join('\n'),
		);
		expect(text.endsWith('Plan is ready.\n')).toBe(true);
	});

	it('counts chart changes and names the registry spaces to create', async () => {
		const baseline = full('v0.9.0', 'amd64', {
			charts: [
				{name: 'a', version: '1.0.0', spaces: ['release.daocloud.io']},
				{name: 'b', version: '1.0.0'},
			],
		});
		const arm64 = full('v0.9.0', 'arm64', {
			charts: [
				{name: 'a', version: '1.0.0', spaces: ['localhost']},
				{name: 'c', version: '1.0.0'},
			],
			images: ['release.daocloud.io/a:1'],
		});
		const plan = await makePlan({
			packages: [arm64],
			baseline: {...baseline, images: [{...arm64.images[0]!, architecture: 'amd64'}]},
			cluster: {path: '/root/clusterConfig.yaml', kind: 'ClusterConfig', addonPackagePaths: [baseline.path], addonPathShape: 'string'},
		});
		const text = renderPlanText(plan);
		expect(text).toMatch(/Charts: 1 added, 0 upgraded, 0 downgraded, \d removed, 1 unchanged/);
		expect(text).toContain('Registry spaces that must exist before integration: localhost');
		expect(text).toContain('Images that will carry several architectures: 1');
		expect(text).toContain("  [WARN]  Registry spaces the cluster's package never used, which must exist before the import: localhost.");
		expect(text).toContain('          next: Create each as a project in the registry (Harbor: Projects > New Project) before the import.');
		expect(text.trimEnd().split('\n').at(-1)).toBe('Plan is ready. 1 warning above: read it before running.');
	});

	it('ends with BLOCKED and shows each error with its next step when disk is short', async () => {
		const plan = await makePlan({packages: [full('v0.9.0', 'amd64', {uncompressedBytes: 10 * GB})]}, 1 * GB);
		const text = renderPlanText(plan);
		expect(text).toMatch(/\/root \(workdir\), \/srv\/packages \(package\): needs 11\.0 GB, free 1\.00 GB — SHORT by 10\.0 GB/);
		expect(text).toContain('  [BLOCK] Disk /root, /srv/packages: needs 11.0 GB, 1.00 GB free, short by 10.0 GB.');
		expect(text).toContain('          next: Free that much space, or run from a larger filesystem with --workdir DIR.');
		expect(text.endsWith('Plan is BLOCKED: fix the errors above first.\n')).toBe(true);
	});
});

describe('renderFinding', () => {
	it('marks the severity and puts the next step on its own line', () => {
		expect(renderFinding({code: 'downgrade', severity: 'warning', message: 'Downgrade.', hint: 'Check.'})).toEqual([
			'  [WARN] Downgrade.',
			'          next: Check.',
		]);
		expect(renderFinding({code: 'arch-unconfirmed', severity: 'info', message: 'From the name only.'})).toEqual([
			'  [info] From the name only.',
		]);
	});
});
