import {describe, expect, it} from 'vitest';
import {diffCharts, diffPackages} from '../../../source/domain/plan/diff-packages.js';
import {full, gpu, jenkins, metax, standard} from '../packages/make-inspection.js';

const chart = (name: string, version: string, spaces: string[]) => ({name, version, spaces});

describe('registry spaces', () => {
	const baseline = full('v0.9.0', 'amd64', {
		charts: [chart('dao-2048', '1.4.1', ['release.daocloud.io']), chart('nginx', '15.1.0', ['docker.m.daocloud.io'])],
	});
	const arm64 = full('v0.9.0', 'arm64', {
		charts: [chart('dao-2048', '1.4.1', ['release.daocloud.io']), chart('egressgateway', '0.4.0', ['localhost', 'ghcr.m.daocloud.io'])],
	});

	it('lists spaces that only the integrated package uses as ones that must exist first', () => {
		const diffs = diffPackages({baseline, clusterCreate: [], integrations: [arm64], knownSpaces: []});
		expect(diffs.registrySpaces).toEqual({mustExist: ['ghcr.m.daocloud.io', 'localhost'], alreadyUsed: ['release.daocloud.io']});
	});

	it('does not ask for spaces the operator says already exist', () => {
		const diffs = diffPackages({baseline, clusterCreate: [], integrations: [arm64], knownSpaces: ['localhost']});
		expect(diffs.registrySpaces.mustExist).toEqual(['ghcr.m.daocloud.io']);
		expect(diffs.registrySpaces.alreadyUsed).toEqual(['localhost', 'release.daocloud.io']);
	});

	it('counts spaces created by the cluster-create step of the same plan as existing', () => {
		const amd64 = full('v0.11.0', 'amd64', {charts: [chart('egressgateway', '0.4.0', ['localhost'])]});
		const diffs = diffPackages({baseline, clusterCreate: [amd64], integrations: [arm64], knownSpaces: []});
		expect(diffs.registrySpaces.mustExist).toEqual(['ghcr.m.daocloud.io']);
	});

	it('asks for nothing when there is no integration step', () => {
		const diffs = diffPackages({
			baseline,
			clusterCreate: [full('v0.11.0', 'amd64', {charts: [chart('x', '1.0.0', ['localhost'])]})],
			integrations: [],
			knownSpaces: [],
		});
		expect(diffs.registrySpaces).toEqual({mustExist: [], alreadyUsed: []});
	});
});

describe('chart changes', () => {
	it('names charts added, removed, upgraded, downgraded and unchanged, in name order', () => {
		const before = full('v0.9.0', 'amd64', {charts: ['nginx@15.1.0', 'metrics-server@3.8.3', 'velero@5.0.0', 'insight-agent@0.20.0']});
		const after = full('v0.11.0', 'amd64', {charts: ['nginx@15.1.0', 'metrics-server@3.10.0', 'insight-agent@0.19.1', 'kubeview@0.1.31']});
		expect(diffCharts(before, after)).toEqual([
			{name: 'insight-agent', from: '0.20.0', to: '0.19.1', change: 'downgraded'},
			{name: 'kubeview', to: '0.1.31', change: 'added'},
			{name: 'metrics-server', from: '3.8.3', to: '3.10.0', change: 'upgraded'},
			{name: 'nginx', from: '15.1.0', to: '15.1.0', change: 'unchanged'},
			{name: 'velero', from: '5.0.0', change: 'removed'},
		]);
	});

	it('orders versions numerically, with a v prefix and build metadata', () => {
		const before = full('v0.9.0', 'amd64', {charts: ['gpu-operator@v23.9.0', 'sonarqube@9.9.0+500', 'a@1.9.0']});
		const after = full('v0.11.0', 'amd64', {charts: ['gpu-operator@v23.10.0', 'sonarqube@10.2.0+738', 'a@1.10.0']});
		expect(diffCharts(before, after).map(change => change.change)).toEqual(['upgraded', 'upgraded', 'upgraded']);
	});

	// Was: only cluster-create's package was compared, so the arm64-only chart the integration
	// pushes in the same plan went unmentioned.
	it('diffs the baseline against everything the plan imports: cluster-create and the integrations it runs after', () => {
		const baseline = full('v0.9.0', 'amd64', {charts: ['nginx@15.1.0']});
		const amd64 = full('v0.11.0', 'amd64', {charts: ['nginx@15.2.0']});
		const arm64 = full('v0.11.0', 'arm64', {charts: ['nginx@15.2.0', 'egressgateway@0.4.0']});
		const diffs = diffPackages({baseline, clusterCreate: [amd64], integrations: [arm64], knownSpaces: []});
		expect(diffs.charts).toEqual([
			{name: 'egressgateway', to: '0.4.0', change: 'added'},
			{name: 'nginx', from: '15.1.0', to: '15.2.0', change: 'upgraded'},
		]);
	});

	it('diffs a set against a set: every kind of the cluster-create step, against every baseline entry', () => {
		const baselines = [
			standard('v0.43.0', 'amd64', {charts: ['nginx@15.1.0', 'velero@5.3.0']}),
			gpu('v0.43.0', 'amd64', {charts: ['gpu-operator@v26.3.2']}),
		];
		const set = [
			standard('v0.44.0', 'amd64', {charts: ['nginx@15.1.0', 'velero@5.4.0']}),
			gpu('v0.44.0', 'amd64', {charts: ['gpu-operator@v26.3.3+3']}),
			jenkins('v0.44.0', 'amd64', {charts: ['jenkins-full@0.7.0']}),
		];
		expect(diffPackages({baselines, clusterCreate: set, integrations: [], knownSpaces: []}).charts).toEqual([
			{name: 'gpu-operator', from: 'v26.3.2', to: 'v26.3.3+3', change: 'upgraded'},
			{name: 'jenkins-full', to: '0.7.0', change: 'added'},
			{name: 'nginx', from: '15.1.0', to: '15.1.0', change: 'unchanged'},
			{name: 'velero', from: '5.3.0', to: '5.4.0', change: 'upgraded'},
		]);
	});

	it('shows the chart-version skew between kinds of one release as information, comparing the highest', () => {
		const set = [
			standard('v0.44.0', 'amd64', {charts: ['metax-operator@0.14.2', 'metax-gpu-extensions@0.14.2']}),
			metax('v0.44.0', 'amd64', {charts: ['metax-operator@0.9.0', 'metax-gpu-extensions@0.9.0', 'metax-exporter@0.4.3']}),
		];
		const baseline = standard('v0.43.0', 'amd64', {charts: ['metax-operator@0.14.1']});
		const diffs = diffPackages({baseline, clusterCreate: set, integrations: [], knownSpaces: []});
		expect(diffs.charts.find(change => change.name === 'metax-operator')).toEqual({
			name: 'metax-operator',
			from: '0.14.1',
			to: '0.14.2',
			change: 'upgraded',
		});
		expect(diffs.chartVersionSkew).toEqual([
			{
				name: 'metax-gpu-extensions',
				versions: [
					{version: '0.14.2', kinds: ['standard']},
					{version: '0.9.0', kinds: ['metax']},
				],
			},
			{
				name: 'metax-operator',
				versions: [
					{version: '0.14.2', kinds: ['standard']},
					{version: '0.9.0', kinds: ['metax']},
				],
			},
		]);
	});

	it('shows every chart as added on a first import', () => {
		const diffs = diffPackages({
			clusterCreate: [full('v0.9.0', 'amd64', {charts: ['nginx@15.1.0', 'dao-2048@1.4.1']})],
			integrations: [],
			knownSpaces: [],
		});
		expect(diffs.charts.map(change => [change.name, change.change])).toEqual([
			['dao-2048', 'added'],
			['nginx', 'added'],
		]);
	});

	// Integration only pushes: charts-syncer skips chart versions already in the repo and deletes
	// nothing, so charts missing from the (smaller) arm64 package stay where they are.
	it('does not report charts as removed when integrating a package of another arch', () => {
		const baseline = full('v0.16.0', 'amd64', {charts: ['nginx@15.1.0', 'velero@5.0.0', 'gpu-operator@v23.9.0']});
		const arm64 = full('v0.16.0', 'arm64', {charts: ['nginx@15.1.0', 'egressgateway@0.4.0']});
		const diffs = diffPackages({baseline, clusterCreate: [], integrations: [arm64], knownSpaces: []});
		expect(diffs.charts.filter(change => change.change === 'added').map(change => change.name)).toEqual(['egressgateway']);
		expect(diffs.charts.filter(change => change.change === 'removed')).toEqual([]);
	});
});

describe('multi-arch images', () => {
	it('lists the tags that will carry two arches after integration', () => {
		const baseline = full('v0.9.0', 'amd64', {
			images: [
				'release.daocloud.io/daocloud/dao-2048:v1.4.1',
				'docker.m.daocloud.io/bitnami/nginx:1.25.1',
				'release.daocloud.io/x/amd-only:1',
			],
		});
		const arm64 = full('v0.9.0', 'arm64', {
			images: [
				'release.daocloud.io/daocloud/dao-2048:v1.4.1',
				'docker.m.daocloud.io/bitnami/nginx:1.25.1',
				'localhost/egressgateway:v0.4.0',
			],
		});
		const diffs = diffPackages({baseline, clusterCreate: [], integrations: [arm64], knownSpaces: []});
		expect(diffs.multiArchImages).toEqual([
			{ref: 'docker.m.daocloud.io/bitnami/nginx:1.25.1', arches: ['amd64', 'arm64']},
			{ref: 'release.daocloud.io/daocloud/dao-2048:v1.4.1', arches: ['amd64', 'arm64']},
		]);
	});

	it('uses the image config arch, not just the package name', () => {
		const amd64 = full('v0.11.0', 'amd64', {images: ['release.daocloud.io/a:1']});
		const arm64 = full('v0.11.0', 'arm64', {images: [{ref: 'release.daocloud.io/a:1', architecture: 'amd64'}]});
		const diffs = diffPackages({clusterCreate: [amd64], integrations: [arm64], knownSpaces: []});
		expect(diffs.multiArchImages).toEqual([]);
	});

	it('finds none in a single-arch upgrade', () => {
		const baseline = full('v0.9.0', 'amd64', {images: ['release.daocloud.io/a:1']});
		const amd64 = full('v0.11.0', 'amd64', {images: ['release.daocloud.io/a:1']});
		expect(diffPackages({baseline, clusterCreate: [amd64], integrations: [], knownSpaces: []}).multiArchImages).toEqual([]);
	});
});
