// A plan as small as a run record may hold and still pass the record's schema: for tests that
// write records themselves (locks, cleanup guards, attach) without building a real plan.
import type {Plan, PlanStep} from '../../source/domain/plan/plan.js';

export function storedStep(extra: Partial<PlanStep> = {}): PlanStep {
	return {
		id: 'step-1',
		kind: 'import-addon',
		title: 'Import addon v0.11.0 (arm64)',
		packagePath: '/srv/addon-offline-full-package-v0.11.0-arm64.tar.gz',
		argv: ['/root/dce5-installer', 'import', '-addon', '-c', '/root/clusterConfig.yaml', '--addon-path=/srv/p.tar.gz'],
		cwd: '/root/work',
		expectedBytes: 1000,
		expectedCharts: 1,
		expectedImages: 1,
		...extra,
	};
}

export function storedPlan(steps: Array<Partial<PlanStep>> = [{}], extra: Partial<Plan> = {}): Plan {
	return {
		operation: 'multi-arch-integration',
		reason: 'test',
		packages: [],
		cluster: {path: '/root/clusterConfig.yaml', addonPackagePaths: [], addonPathShape: 'absent'},
		installer: {path: '/root/dce5-installer', found: true},
		manifestPath: '/root/manifest.yaml',
		steps: steps.map(step => storedStep(step)),
		disk: [],
		diffs: {registrySpaces: {mustExist: [], alreadyUsed: []}, charts: [], multiArchImages: []},
		findings: [],
		blocked: false,
		preflight: [],
		...extra,
	};
}
