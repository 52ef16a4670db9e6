import {describe, expect, it} from 'vitest';
import {clusterArchesNow, summarizeHistory, type RecordedStep} from '../../../source/domain/registry/cluster-arches.js';

const step = (stepKind: RecordedStep['stepKind'], version: string, arch: string, outcome = 'ok', at = 1): RecordedStep => ({
	at,
	stepKind,
	outcome,
	packages: [{fileName: `addon-offline-full-package-${version}-${arch}.tar.gz`, version, arch}],
});

describe("what the wizard's history says about a cluster", () => {
	it('counts the arches of the steps that ended ok, and the release of the last import with what was integrated since', () => {
		const summary = summarizeHistory([
			step('cluster-create', 'v0.10.3', 'amd64', 'ok', 1),
			step('import-addon', 'v0.10.3', 'aarch64', 'ok', 2),
			step('cluster-create', 'v0.11.2', 'amd64', 'failed', 3),
			step('import-addon', 'v0.11.2', 's390x', 'interrupted', 4),
		]);
		expect(summary).toEqual({
			entries: 4,
			arches: ['amd64', 'arm64'],
			current: {versions: ['v0.10.3'], arches: ['amd64', 'arm64'], at: 1},
			lastAt: 4,
		});
	});

	it('says nothing is known for a cluster it never ran for', () => {
		expect(summarizeHistory([])).toEqual({entries: 0, arches: [], current: undefined, lastAt: undefined});
	});
});

describe('the arches the cluster runs, and where that was learned', () => {
	const registry = {
		arches: [
			{arch: 'amd64', tags: 3},
			{arch: 'arm64', tags: 3},
		],
		tagsRead: 3,
	};

	it('takes --cluster-arches over everything, and says what the registry showed beside it', () => {
		expect(clusterArchesNow({flag: ['x86_64'], registry, config: ['amd64']})).toEqual({
			arches: ['amd64'],
			sources: ['flag'],
			checked: true,
			detail: '--cluster-arches amd64 was given; the registry shows amd64 in 3, arm64 in 3 of the 3 tags read',
		});
	});

	it('takes the registry over clusterConfig.yaml, which integration never changes', () => {
		expect(clusterArchesNow({flag: [], registry, config: ['amd64']})).toMatchObject({
			arches: ['amd64', 'arm64'],
			sources: ['registry'],
			checked: true,
		});
	});

	it('adds an arch the wizard integrated that the registry no longer shows (a <0.12.0 upgrade took it)', () => {
		const amd64Only = {arches: [{arch: 'amd64', tags: 3}], tagsRead: 3};
		const history = summarizeHistory([step('cluster-create', 'v0.10.3', 'amd64'), step('import-addon', 'v0.10.3', 'arm64')]);
		expect(clusterArchesNow({flag: [], registry: amd64Only, history, config: ['amd64']})).toEqual({
			arches: ['amd64', 'arm64'],
			sources: ['registry', 'history'],
			checked: true,
			detail:
				"the registry shows amd64 in 3 of the 3 tags read; the wizard's history of this cluster adds arm64 (integrated by an earlier run)",
		});
	});

	it('falls back on the history, then on clusterConfig.yaml, when the registry was not read or holds none of the images', () => {
		const history = summarizeHistory([step('cluster-create', 'v0.10.3', 'amd64'), step('import-addon', 'v0.10.3', 'arm64')]);
		expect(clusterArchesNow({flag: [], history, config: ['amd64']})).toEqual({
			arches: ['amd64', 'arm64'],
			sources: ['history'],
			checked: false,
			detail: "the wizard's history of this cluster shows amd64, arm64",
		});
		expect(clusterArchesNow({flag: [], registry: {arches: [], tagsRead: 0}, config: ['amd64']})).toEqual({
			arches: ['amd64'],
			sources: ['config'],
			checked: true,
			detail: "the registry holds none of these images yet; clusterConfig.yaml's addonPackage.path names amd64",
		});
		expect(clusterArchesNow({flag: [], config: []})).toMatchObject({
			arches: [],
			sources: ['config'],
			detail: 'clusterConfig.yaml names no package yet',
		});
	});
});
