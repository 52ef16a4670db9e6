// What the wizard needs from clusterConfig.yaml, read from an already-parsed document.
import type {ClusterConfigInfo, ImagesAndCharts, WizardError} from './model.js';

type Mapping = Record<string, unknown>;

const isMapping = (value: unknown): value is Mapping => typeof value === 'object' && value !== null && !Array.isArray(value);

function invalid(path: string, message: string): WizardError {
	return {kind: 'config-invalid', message: `${path}: ${message}`, hint: 'Compare it with offline/sample/clusterConfig.yaml from the installer package.', exitCode: 2};
}

function readAddonPaths(spec: Mapping): Pick<ClusterConfigInfo, 'addonPackagePaths' | 'addonPathShape'> | string {
	const addon = spec['addonPackage'];
	const value = isMapping(addon) ? addon['path'] : undefined;
	if (value === undefined || value === null || value === '') {
		return {addonPackagePaths: [], addonPathShape: 'absent'};
	}

	if (typeof value === 'string') {
		return {addonPackagePaths: [value], addonPathShape: 'string'};
	}

	if (!Array.isArray(value)) {
		return 'spec.addonPackage.path must be a path or a list of paths';
	}

	// Every entry counts (installer >= v0.19 imports each); one that is not a path is named.
	const bad = value.findIndex(item => typeof item !== 'string' || item === '');
	return bad === -1
		? {addonPackagePaths: value as string[], addonPathShape: 'list'}
		: `spec.addonPackage.path entry ${bad + 1} is ${value[bad] === null || value[bad] === '' ? 'empty' : `not a path (${JSON.stringify(value[bad])})`}; every entry must be a package path`;
}

function readImagesAndCharts(spec: Mapping): ImagesAndCharts | undefined {
	const section = spec['imagesAndCharts'];
	if (!isMapping(section)) {
		return undefined;
	}

	const text = (key: string) => (typeof section[key] === 'string' ? section[key] : undefined);
	return {
		type: text('type') ?? 'official-service',
		externalImageRepo: text('externalImageRepo'),
		externalChartRepo: text('externalChartRepo'),
		externalChartRepoType: text('externalChartRepoType'),
	};
}

export function interpretClusterConfig(path: string, document: unknown): ClusterConfigInfo | WizardError {
	if (!isMapping(document)) {
		return invalid(path, 'the file is not a YAML mapping');
	}

	const spec = document['spec'];
	if (!isMapping(spec)) {
		return invalid(path, 'it has no spec: section');
	}

	const addon = readAddonPaths(spec);
	if (typeof addon === 'string') {
		return invalid(path, addon);
	}

	return {
		path,
		apiVersion: typeof document['apiVersion'] === 'string' ? document['apiVersion'] : undefined,
		kind: typeof document['kind'] === 'string' ? document['kind'] : undefined,
		clusterName: typeof spec['clusterName'] === 'string' ? spec['clusterName'] : undefined,
		...addon,
		imagesAndCharts: readImagesAndCharts(spec),
	};
}

/** Values in clusterConfig.yaml that must never reach a log file. */
export function collectSecrets(document: unknown): string[] {
	const secrets = new Set<string>();
	const visit = (value: unknown, key = '') => {
		if (Array.isArray(value)) {
			for (const item of value) {
				visit(item);
			}
		} else if (isMapping(value)) {
			for (const [childKey, child] of Object.entries(value)) {
				visit(child, childKey);
			}
		} else if (typeof value === 'string' && value.length >= 3 && /pass|password|secret|token/i.test(key)) {
			secrets.add(value);
		}
	};

	visit(document);
	return [...secrets];
}
