import {describe, expect, it} from 'vitest';
import {droppedEntryFindings} from '../../../source/domain/plan/addon-path-changes.js';
import {currentFrom, decideOperation} from '../../../source/domain/plan/decide-operation.js';
import type {PackageInspection} from '../../../source/domain/packages/inspection.js';
import {full, gpu, standard} from '../packages/make-inspection.js';

function dropped(configured: string[], chosen: PackageInspection[]) {
	const decision = decideOperation(chosen, currentFrom(configured, undefined));
	return droppedEntryFindings(
		decision,
		decision.clusterCreate.map(item => item.path),
	);
}

describe('droppedEntryFindings', () => {
	// Was silent: an amd64 upgrade replaced `[v0.11.4-amd64, v0.11.4-arm64]` with one line.
	it('names the arm64 entry an amd64 upgrade drops, and asks for the arm64 file when the plan has none', () => {
		const configured = ['/home/addon-offline-full-package-v0.11.4-amd64.tar.gz', '/home/addon-offline-full-package-v0.11.4-arm64.tar.gz'];
		expect(dropped(configured, [full('v0.12.0', 'amd64')])).toEqual([
			{
				code: 'config-entry-dropped',
				severity: 'warning',
				message:
					'spec.addonPackage.path no longer names /home/addon-offline-full-package-v0.11.4-arm64.tar.gz: cluster-create imports the amd64 files only and this plan has no arm64 step; the arm64 images already in the registry stay at v0.11.4.',
				hint: 'Choose the v0.12.0 arm64 files too, so the plan integrates them after the upgrade.',
				details: {path: '/home/addon-offline-full-package-v0.11.4-arm64.tar.gz'},
			},
		]);
	});

	it('says the arm64 entry is integrated instead when the plan has an arm64 step', () => {
		const configured = ['/home/addon-offline-full-package-v0.11.4-amd64.tar.gz', '/home/addon-offline-full-package-v0.11.4-arm64.tar.gz'];
		const [finding] = dropped(configured, [full('v0.12.0', 'amd64'), full('v0.12.0', 'arm64')]);
		expect(finding!.message).toContain("arm64 is integrated by this plan's import -addon steps instead");
	});

	it('names a kind the new set does not choose, and keeps quiet about kinds it replaces', () => {
		const configured = ['/p/standard-addon-offline-package-v0.43.0-amd64.tar.gz', '/p/gpu-addon-offline-package-v0.43.0-amd64.tar.gz'];
		const findings = dropped(configured, [standard('v0.44.0', 'amd64')]);
		expect(findings.map(finding => finding.message)).toEqual([
			'spec.addonPackage.path no longer names /p/gpu-addon-offline-package-v0.43.0-amd64.tar.gz: no gpu package is chosen; the gpu charts already imported stay at v0.43.0, but clusterConfig.yaml no longer names them.',
		]);
		expect(findings[0]!.hint).toBe('Choose gpu-addon-offline-package-v0.44.0-amd64.tar.gz too to keep gpu in addonPackage.path.');
		expect(dropped(configured, [standard('v0.44.0', 'amd64'), gpu('v0.44.0', 'amd64')])).toEqual([]);
	});

	it('names an entry whose file name says nothing', () => {
		const findings = dropped(
			['/p/standard-addon-offline-package-v0.43.0-amd64.tar.gz', '/p/renamed.tar.gz'],
			[standard('v0.44.0', 'amd64')],
		);
		expect(findings.map(finding => finding.details)).toEqual([{path: '/p/renamed.tar.gz'}]);
	});

	it("says nothing for the seed's scalar upgrade", () => {
		expect(dropped(['/home/addon-offline-full-package-v0.9.0-amd64.tar.gz'], [full('v0.11.0', 'amd64')])).toEqual([]);
	});
});
