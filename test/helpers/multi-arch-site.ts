// The site of the seed's "Architecture Conflict": v0.10.3 amd64 imported and its arm64 integrated
// (the cluster made multi-arch last month, without the screens), v0.11.2 packages beside it.
// The tests of the verification, `undo` and `z` start from it.
import process from 'node:process';
import {expect} from 'vitest';
import {seedUpgradePackages} from './build-package.js';
import {cliPath, makeClusterFixture, type ClusterFixture} from './cluster-fixture.js';
import {tagManifest} from './registry.js';
import {runProgram} from './run-program.js';

/** The tags a <0.12.0 upgrade turns from amd64+arm64 lists into amd64-only images. */
export const clobberedRefs = [
	'release.daocloud.io/daocloud/dao-2048:v1.4.1',
	'docker.m.daocloud.io/metrics-server/metrics-server:v0.6.2',
	'docker.m.daocloud.io/bitnami/nginx:1.25.1',
];

export type MultiArchSite = {
	f: ClusterFixture;
	/** The path of a seed package by version and arch. */
	pkg: (version: string, arch: string) => string;
	/** A tag's manifest as skopeo reads it: its arches, raw bytes and digest (every tag read exists). */
	manifestOf: (ref: string) => Promise<{arches: string; raw: string; digest: string}>;
};

export async function multiArchSite(timeoutMs = 90_000): Promise<MultiArchSite> {
	const f = await makeClusterFixture({packages: seedUpgradePackages(), testBed: {}, simulatorEnv: {DCE5_SIM_DELAY_MS: '0'}});
	const pkg = (version: string, arch: string) =>
		f.packages.find(item => item.fileName === `addon-offline-full-package-${version}-${arch}.tar.gz`)!.path;
	for (const file of [pkg('v0.10.3', 'amd64'), pkg('v0.10.3', 'arm64')]) {
		const result = await runProgram(process.execPath, [cliPath, 'run', '--yes', '-c', f.configPath, '-p', file], {
			cwd: f.workdir,
			env: {...f.env, CI: 'true'},
			timeoutMs,
		});
		expect(result.code, result.stdout + result.stderr).toBe(0);
	}

	return {f, pkg, manifestOf: async ref => (await tagManifest(f.testBed!.image, ref))!};
}
