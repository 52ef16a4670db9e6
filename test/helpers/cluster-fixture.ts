// A jump host in a temp folder: a HOME with `dce5-installer` (the simulator), a
// clusterConfig.yaml and manifest.yaml, and real offline packages beside them. With `testBed`, a real
// registry and chart repository (optionally Harbor's stand-in in front) stand behind it and
// clusterConfig.yaml's `imagesAndCharts` points at them; without, the simulator pushes nowhere
// (DCE5_SIM_NO_REGISTRY=1) and only prints what it would push.
import {mkdir, mkdtemp, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {buildPackage, type BuiltPackage, type FixturePackageOptions} from './build-package.js';
import {startTestBed, type ImagesAndChartsType, type TestBed, type TestBedOptions} from './test-bed.js';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const simulatorPath = path.join(repoRoot, 'tools', 'dce5-installer-sim.mjs');
export const cliPath = path.join(repoRoot, 'dist', 'addon-wizard.mjs');

export type ClusterFixture = {
	root: string;
	home: string;
	/** Where the wizard runs and the installer creates addon-offline-target-package. */
	workdir: string;
	packagesDir: string;
	configPath: string;
	manifestPath: string;
	packages: BuiltPackage[];
	/** Environment for the wizard: isolated HOME, cache and state. */
	env: Record<string, string>;
	/** The registry and chart repository behind the fixture, when it has them. */
	testBed?: TestBed;
	/** Stops the test bed if the fixture started it (not one passed in); the folder is the caller's. */
	stop(): Promise<void>;
};

export type ClusterFixtureOptions = {
	packages: Array<Omit<FixturePackageOptions, 'dir'>>;
	/** Index into packages of the one clusterConfig.yaml already points at. */
	current?: number;
	/** Extra text appended under `spec:`. */
	specExtra?: string;
	simulatorEnv?: Record<string, string>;
	/** A fixed, empty folder instead of a fresh temp one (stable paths for the README captures). */
	root?: string;
	/**
	 * Real parts under the fixture: a started TestBed (the caller stops it) or options to start one
	 * (the fixture's stop() stops it).
	 */
	testBed?: TestBed | TestBedOptions;
	/**
	 * How clusterConfig.yaml names the test bed: `external` (default) or `builtin` with the simulator's knobs.
	 * Without a test bed the registry is `builtin`, which the wizard reads at this host's own address
	 * (port 443): whatever answers there, or nothing, is part of the test's world. `official-service`
	 * names no registry the cluster owns, so no plan reads one.
	 */
	imagesAndCharts?: ImagesAndChartsType | 'official-service';
};

const builtinBlock = '  imagesAndCharts:\n    type: builtin\n';
export const officialServiceBlock = '  imagesAndCharts:\n    type: official-service\n';

export function clusterConfigText(addonPath: string | undefined, specExtra = '', imagesAndCharts = builtinBlock): string {
	const addon =
		addonPath === undefined
			? '  addonPackage:\n    # path: "/root/addon-offline-full-package-v0.4.8-amd64.tar.gz"\n'
			: `  addonPackage:\n    path: "${addonPath}"   # set by hand last time\n`;
	return [
		'apiVersion: provision.daocloud.io/v1alpha3',
		'kind: ClusterConfig',
		'metadata:',
		'spec:',
		'  clusterName: my-cluster',
		'  # Offline resources',
		'  fullPackagePath: "/root/offline"',
		imagesAndCharts + addon + specExtra,
	].join('\n');
}

export async function makeClusterFixture(options: ClusterFixtureOptions): Promise<ClusterFixture> {
	const root = options.root ?? (await mkdtemp(path.join(tmpdir(), 'addon-wizard-e2e-')));
	const home = path.join(root, 'home');
	const workdir = path.join(root, 'work');
	const packagesDir = path.join(root, 'packages');
	const sampleDir = path.join(workdir, 'offline', 'sample');
	await Promise.all([home, packagesDir, sampleDir].map(async dir => mkdir(dir, {recursive: true})));
	await symlink(simulatorPath, path.join(home, 'dce5-installer'));
	const packages: BuiltPackage[] = [];
	for (const packageOptions of options.packages) {
		packages.push(await buildPackage({...packageOptions, dir: packagesDir}));
	}

	const ownsTestBed = options.testBed !== undefined && !('stop' in options.testBed);
	const testBed =
		options.testBed === undefined ? undefined : 'stop' in options.testBed ? options.testBed : await startTestBed(options.testBed);
	const type = options.imagesAndCharts ?? 'external';
	if (testBed && type === 'official-service') {
		throw new Error('imagesAndCharts: official-service names no registry, so a test bed would stand behind nothing');
	}

	const configPath = path.join(sampleDir, 'clusterConfig.yaml');
	const manifestPath = path.join(sampleDir, 'manifest.yaml');
	const current = options.current === undefined ? undefined : packages[options.current]?.path;
	const block = type === 'official-service' ? officialServiceBlock : (testBed?.imagesAndChartsYaml(type) ?? builtinBlock);
	await writeFile(configPath, clusterConfigText(current, options.specExtra, block));
	await writeFile(manifestPath, 'apiVersion: manifest.daocloud.io/v1alpha1\nkind: DCEManifest\n');
	const env = {
		HOME: home,
		XDG_CACHE_HOME: path.join(root, 'cache'),
		XDG_STATE_HOME: path.join(root, 'state'),
		PATH: process.env['PATH'] ?? '/usr/bin:/bin',
		NO_UPDATE_NOTIFIER: '1',
		...(testBed && type !== 'official-service' ? testBed.simulatorEnv(type) : {DCE5_SIM_NO_REGISTRY: '1'}),
		...options.simulatorEnv,
	};
	const stop = async () => {
		if (ownsTestBed) {
			await testBed?.stop();
		}
	};

	return {root, home, workdir, packagesDir, configPath, manifestPath, packages, env, testBed, stop};
}
