// What the wizard needs from clusterConfig.yaml, read from an already-parsed document.
import {isSecretKey, isUserKey, urlLogins} from '../shared/mask-secrets.js';
import {exitCodes, type WizardError} from '../shared/wizard-error.js';
import type {ClusterConfigInfo, ImagesAndCharts} from './config-facts.js';

type Mapping = Record<string, unknown>;

const isMapping = (value: unknown): value is Mapping => typeof value === 'object' && value !== null && !Array.isArray(value);

function invalid(path: string, message: string): WizardError {
	return {
		kind: 'config-invalid',
		message: `${path}: ${message}`,
		hint: 'Compare it with offline/sample/clusterConfig.yaml from the installer package.',
		exitCode: exitCodes.badInput,
	};
}

/**
 * dce5-installer reads only `kind: ClusterConfig` ("invalid ClusterConfig: kind must be
 * ClusterConfig"); the manifest.yaml beside it, or any other YAML, must be refused before the
 * wizard edits it, not after the installer fails on it.
 */
function checkKind(path: string, kind: unknown): WizardError | undefined {
	if (kind === 'ClusterConfig') {
		return undefined;
	}

	const found =
		kind === undefined || kind === null
			? 'it has no kind: line'
			: `its kind: ${typeof kind === 'string' ? kind : JSON.stringify(kind)} is not ClusterConfig`;
	return {
		kind: 'config-invalid',
		message: `${path} is not an installer cluster config: ${found}.`,
		hint: "Pass the installer's clusterConfig.yaml with -c (it has kind: ClusterConfig; offline/sample/clusterConfig.yaml is the template).",
		exitCode: exitCodes.badInput,
	};
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

	const wrongKind = checkKind(path, document['kind']);
	if (wrongKind) {
		return wrongKind;
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

const base64 = (text: string) => btoa(String.fromCodePoint(...new TextEncoder().encode(text)));
/** Padded as headers carry it, and unpadded as JWT-style and some URL-safe encoders write it. */
const base64Forms = (text: string) => [base64(text), base64(text).replace(/=+$/, '')];

/** A credential's value as text; a number is a password too (`ansiblePass: 123456`), a boolean or null is not. */
function credentialText(value: unknown): string | undefined {
	if (typeof value === 'string') {
		return value;
	}

	return typeof value === 'number' || typeof value === 'bigint' ? String(value) : undefined;
}

/**
 * Values in clusterConfig.yaml that must never reach a log file or a screen: every value under a
 * password-like key (see `isSecretKey`), that value base64'd, and `user:password` base64'd for each
 * user-name key in the same mapping, as a Basic auth header or a docker config's `auth` carries it,
 * and the password of any `scheme://user:password@host` value.
 */
export function collectSecrets(document: unknown): string[] {
	const secrets = new Set<string>();
	const visitMapping = (mapping: Mapping) => {
		const users = Object.entries(mapping)
			.filter(([key, value]) => isUserKey(key) && typeof value === 'string' && value !== '')
			.map(([, value]) => value as string);
		for (const [key, child] of Object.entries(mapping)) {
			const secret = isSecretKey(key) ? credentialText(child) : undefined;
			if (secret) {
				secrets.add(secret);
				for (const form of [secret, ...users.map(user => `${user}:${secret}`)].flatMap(text => base64Forms(text))) {
					secrets.add(form);
				}
			} else {
				visit(child);
			}
		}
	};

	const visit = (value: unknown) => {
		if (typeof value === 'string') {
			// `externalImageRepo: http://admin:PASS@host` carries its password in the URL.
			for (const {user, password} of urlLogins(value)) {
				for (const form of [password, ...base64Forms(password), ...base64Forms(`${user}:${password}`)]) {
					secrets.add(form);
				}
			}
		} else if (Array.isArray(value)) {
			for (const item of value) {
				visit(item);
			}
		} else if (isMapping(value)) {
			visitMapping(value);
		}
	};

	visit(document);
	return [...secrets];
}
