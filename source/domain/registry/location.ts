// Where the cluster's registry and chart repository are, from clusterConfig.yaml's
// `spec.imagesAndCharts` (§2.1), the flags and the environment, with the source of every value
// said in words: the wizard never checks a registry without telling which one and why.
import {exitCodes, type WizardError} from '../shared/wizard-error.js';
import {maskUrlLogins} from '../shared/mask-secrets.js';
import {Secret} from '../shared/secret.js';
import type {TargetTag} from './tag-state.js';

export type EndpointSource = 'config' | 'flag' | 'default-bootstrap';

export type TlsSetting =
	| {mode: 'plain-http'}
	| {mode: 'system-ca'}
	| {mode: 'ca-file'; caFile: string}
	/** Certificates are not checked: recorded so Review shows it. */
	| {mode: 'insecure'};

export type CredentialInfo = {
	username?: string;
	hasPassword: boolean;
	source: 'config' | 'environment' | 'default' | 'none';
};

export type RegistryEndpoint = {
	/** `https://host[:port]`, no trailing slash. */
	url: string;
	/** `host[:port]` as image references start with it. */
	host: string;
	/** A path below the host that every repository sits under (rare; empty for DCE's registries). */
	pathPrefix: string;
	source: EndpointSource;
	/** One sentence: which address was used and why. */
	reason: string;
	tls: TlsSetting;
	credential: CredentialInfo;
	/**
	 * `--registry-insecure` was given: besides not checking certificates, the login may go over
	 * plain HTTP to a token service on another origin than the registry's.
	 */
	insecure?: boolean;
};

export type ChartRepoEndpoint = Omit<RegistryEndpoint, 'host' | 'pathPrefix'> & {
	type: 'chartmuseum' | 'harbor' | 'other';
	/** For Harbor: the project of `…/chartrepo/<project>`. */
	harborProject?: string;
};

export type RegistryLocation = {
	imagesAndChartsType: string;
	/**
	 * `spec.tinderKind.instanceName` when the registry is the builtin one and the config names it:
	 * its kind container, `<name>-control-plane`, holds the registry and ChartMuseum.
	 */
	kindInstanceName?: string;
	registry: RegistryEndpoint;
	chartRepo: ChartRepoEndpoint | WizardError;
};

/** Passwords, kept apart from everything that is displayed. */
export type RegistrySecrets = {registryPassword?: Secret; chartPassword?: Secret};

export type RegistryFlags = {
	/** `--registry URL` */
	registry?: string;
	/** `--chart-repo URL` */
	chartRepo?: string;
	/** `--registry-ca FILE`: used for the registry and an HTTPS chart repository. */
	caFile?: string;
	/** `--registry-insecure` */
	insecure?: boolean;
};

/** Values the composition root read from the environment variables in `registryEnvironment`. */
export type RegistryEnvValues = {registryUser?: string; registryPassword?: string; chartUser?: string; chartPassword?: string};

export const registryEnvironment: Readonly<Record<keyof RegistryEnvValues, string>> = {
	registryUser: 'ADDON_WIZARD_REGISTRY_USER',
	registryPassword: 'ADDON_WIZARD_REGISTRY_PASSWORD',
	chartUser: 'ADDON_WIZARD_CHART_REPO_USER',
	chartPassword: 'ADDON_WIZARD_CHART_REPO_PASSWORD',
};

/**
 * The environment a child of the wizard gets: the wizard's own registry and chart repository
 * logins are for the wizard's reads, not for the installer (which takes clusterConfig.yaml's) nor
 * for anything it starts, so they are left out.
 */
export function withoutWizardSecrets(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
	const secrets = new Set(Object.values(registryEnvironment));
	return Object.fromEntries(Object.entries(env).filter(([name]) => !secrets.has(name)));
}

export type LocateInputs = {
	/** clusterConfig.yaml as parsed (undefined when there is none). */
	document: unknown;
	flags?: RegistryFlags;
	env?: RegistryEnvValues;
	/** This host's addresses, best first (the wizard usually runs on the bootstrap node). */
	candidateHosts?: string[];
};

/** ChartMuseum's default login on the bootstrap node (release notes v0.4.0, §2.1). */
export const builtinChartCredentials: Readonly<Login> = {username: 'rootuser', password: 'rootpass123'};
const defaultPorts = {registryPort: 443, chartmuseumPort: 8081} as const;

type Mapping = Record<string, unknown>;
const isMapping = (value: unknown): value is Mapping => typeof value === 'object' && value !== null && !Array.isArray(value);
const textOf = (section: Mapping, ...keys: string[]) => {
	for (const key of keys) {
		const value = section[key];
		if (typeof value === 'string' && value.trim() !== '') {
			return value.trim();
		}
	}

	return undefined;
};

function badInput(kind: string, message: string, hint: string): WizardError {
	return {kind, message, hint, exitCode: exitCodes.badInput};
}

function parseUrl(value: string, what: string, fix: string): URL | WizardError {
	if (!/^https?:\/\//i.test(value)) {
		return badInput('registry-url-invalid', `${what} "${maskUrlLogins(value)}" has no http:// or https:// scheme.`, fix);
	}

	try {
		return new URL(value);
	} catch {
		return badInput('registry-url-invalid', `${what} "${maskUrlLogins(value)}" is not a URL.`, fix);
	}
}

function tlsFor(url: URL, flags: RegistryFlags): TlsSetting {
	if (url.protocol === 'http:') {
		return {mode: 'plain-http'};
	}

	if (flags.insecure) {
		return {mode: 'insecure'};
	}

	return flags.caFile ? {mode: 'ca-file', caFile: flags.caFile} : {mode: 'system-ca'};
}

type Login = {username?: string; password?: string};

/** The environment overrides the config field by field; a builtin ChartMuseum falls back to its default login. */
function credentialOf(env: Login, config: Login, fallback?: Login): {info: CredentialInfo; secret?: Secret} {
	const fromEnv = env.username !== undefined || env.password !== undefined;
	const fromConfig = config.username !== undefined || config.password !== undefined;
	const source: CredentialInfo['source'] = fromEnv ? 'environment' : fromConfig ? 'config' : fallback ? 'default' : 'none';
	const login: Login =
		source === 'default' ? fallback! : {username: env.username ?? config.username, password: env.password ?? config.password};
	return {
		info: {username: login.username, hasPassword: login.password !== undefined, source},
		secret: login.password === undefined ? undefined : new Secret(login.password),
	};
}

type HostChoice = {host: string; source: EndpointSource; reason: string};

function bootstrapHost(spec: Mapping, candidates: string[]): HostChoice {
	const configured = textOf(spec, 'bootstrapNode');
	if (configured && configured !== 'auto') {
		return {host: configured, source: 'config', reason: `spec.bootstrapNode names ${configured}`};
	}

	const [first] = candidates;
	if (first) {
		const others = candidates.length > 1 ? ` (first of ${candidates.length}: ${candidates.join(', ')})` : '';
		return {
			host: first,
			source: 'default-bootstrap',
			reason: `the registry is builtin and the wizard assumes it runs on the bootstrap node, so it uses this host's address ${first}${others}`,
		};
	}

	return {
		host: '127.0.0.1',
		source: 'default-bootstrap',
		reason: 'the registry is builtin and this host has no other address, so the wizard uses 127.0.0.1',
	};
}

function portOf(spec: Mapping, key: keyof typeof defaultPorts): number {
	const tinder = isMapping(spec['tinderKind']) ? spec['tinderKind'] : {};
	const value = Number(tinder[key]);
	return Number.isInteger(value) && value > 0 && value < 65_536 ? value : defaultPorts[key];
}

const bracketed = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

type Draft = {url: URL; source: EndpointSource; reason: string};

/** A URL typed with `--registry` or `--chart-repo`; the reason names it, its login's password masked. */
function flagDraft(value: string, flag: string, fix: string): Draft | WizardError {
	const url = parseUrl(value, flag, fix);
	return url instanceof URL ? {url, source: 'flag', reason: `${flag} ${maskUrlLogins(value)} was given`} : url;
}

/** An `external` URL from clusterConfig.yaml, refused as `missing` when the key is empty. */
function configDraft(
	section: Mapping,
	key: 'externalImageRepo' | 'externalChartRepo',
	missing: WizardError,
	fix: string,
): Draft | WizardError {
	const value = textOf(section, key);
	if (!value) {
		return missing;
	}

	const url = parseUrl(value, `imagesAndCharts.${key}`, fix);
	return url instanceof URL ? {url, source: 'config', reason: `imagesAndCharts.${key} is ${maskUrlLogins(value)}`} : url;
}

function registryDraft(section: Mapping, spec: Mapping, type: string, inputs: LocateInputs): Draft | WizardError {
	const flag = inputs.flags?.registry;
	if (flag) {
		return flagDraft(flag, '--registry', 'Pass it as https://HOST[:PORT] or http://HOST:PORT.');
	}

	if (type === 'external') {
		return configDraft(
			section,
			'externalImageRepo',
			badInput(
				'registry-not-configured',
				'imagesAndCharts.type is external but externalImageRepo is empty.',
				'Set spec.imagesAndCharts.externalImageRepo in clusterConfig.yaml, or pass --registry URL.',
			),
			'Write it with its scheme in clusterConfig.yaml (the installer needs it too), or pass --registry URL.',
		);
	}

	if (type === 'builtin') {
		const choice = bootstrapHost(spec, inputs.candidateHosts ?? []);
		const port = portOf(spec, 'registryPort');
		const url = new URL(`https://${bracketed(choice.host)}${port === 443 ? '' : `:${port}`}`);
		return {url, source: choice.source, reason: `${choice.reason}, HTTPS on tinderKind.registryPort ${port}`};
	}

	return badInput(
		'registry-not-local',
		`imagesAndCharts.type is ${type}: images come from DaoCloud's online registry, not one the cluster owns.`,
		'Pass --registry URL (and --chart-repo URL) to check a registry anyway.',
	);
}

/** A URL given with --chart-repo is typed by its path alone; the config's type describes the config's URL. */
function chartType(draft: Draft, configured: string | undefined): ChartRepoEndpoint['type'] {
	if (/\/chartrepo\/[^/]+/.test(draft.url.pathname)) {
		return 'harbor';
	}

	const declared = draft.source === 'flag' ? undefined : (configured ?? 'chartmuseum');
	return declared === 'harbor' || declared === 'chartmuseum' ? declared : 'other';
}

function chartDraft(section: Mapping, spec: Mapping, type: string, inputs: LocateInputs, registry: Draft): Draft | WizardError {
	const flag = inputs.flags?.chartRepo;
	if (flag) {
		return flagDraft(flag, '--chart-repo', 'Pass it as http(s)://HOST[:PORT][/chartrepo/PROJECT].');
	}

	if (type === 'external') {
		return configDraft(
			section,
			'externalChartRepo',
			badInput(
				'chart-repo-not-configured',
				'imagesAndCharts.type is external but externalChartRepo is empty.',
				'Set spec.imagesAndCharts.externalChartRepo in clusterConfig.yaml, or pass --chart-repo URL.',
			),
			'Write it with its scheme in clusterConfig.yaml, or pass --chart-repo URL.',
		);
	}

	if (type === 'builtin') {
		const port = portOf(spec, 'chartmuseumPort');
		const url = new URL(`http://${registry.url.hostname}:${port}`);
		return {
			url,
			source: registry.source === 'flag' ? 'default-bootstrap' : registry.source,
			reason: `ChartMuseum runs beside the builtin registry on ${registry.url.hostname}, port tinderKind.chartmuseumPort ${port}`,
		};
	}

	return badInput(
		'chart-repo-not-configured',
		`imagesAndCharts.type is ${type}: there is no chart repository the cluster owns.`,
		'Pass --chart-repo URL to check one anyway.',
	);
}

const trimSlash = (text: string) => text.replace(/\/+$/, '');

function chartEndpoint(
	draft: Draft,
	configuredType: string | undefined,
	inputs: LocateInputs,
	credential: CredentialInfo,
): ChartRepoEndpoint | WizardError {
	const type = chartType(draft, configuredType);
	const project = /\/chartrepo\/([^/]+)/.exec(draft.url.pathname)?.[1];
	if (type === 'harbor' && !project) {
		return badInput(
			'chart-repo-url-invalid',
			`The Harbor chart repository ${maskUrlLogins(draft.url.href)} has no /chartrepo/<project> path, so its index.yaml cannot be found.`,
			'Write the URL as https://HOST/chartrepo/PROJECT (in externalChartRepo or --chart-repo).',
		);
	}

	return {
		url: trimSlash(draft.url.origin + draft.url.pathname),
		source: draft.source,
		reason: draft.reason,
		tls: tlsFor(draft.url, inputs.flags ?? {}),
		credential,
		type,
		harborProject: project ? decodeURIComponent(project) : undefined,
	};
}

export function locateRegistry(inputs: LocateInputs): {location: RegistryLocation; secrets: RegistrySecrets} | WizardError {
	const spec = isMapping(inputs.document) && isMapping(inputs.document['spec']) ? inputs.document['spec'] : {};
	const section = isMapping(spec['imagesAndCharts']) ? spec['imagesAndCharts'] : {};
	const type = textOf(section, 'type') ?? 'official-service';
	const env = inputs.env ?? {};
	const registry = registryDraft(section, spec, type, inputs);
	if (!('url' in registry)) {
		return registry;
	}

	const registryCredential = credentialOf(
		{username: env.registryUser, password: env.registryPassword},
		{username: textOf(section, 'externalImageRepoUsername'), password: textOf(section, 'externalImageRepoPassword')},
	);
	// externalChartUsername / externalChartMuseumPassword: the spellings of the docs' simplified example (§2.1).
	const chartCredential = credentialOf(
		{username: env.chartUser, password: env.chartPassword},
		{
			username: textOf(section, 'externalChartRepoUsername', 'externalChartUsername'),
			password: textOf(section, 'externalChartRepoPassword', 'externalChartMuseumPassword'),
		},
		type === 'builtin' ? builtinChartCredentials : undefined,
	);
	const chart = chartDraft(section, spec, type, inputs, registry);
	const endpoint: RegistryEndpoint = {
		url: registry.url.origin,
		host: registry.url.host,
		pathPrefix: registry.url.pathname.replace(/^\/+|\/+$/g, ''),
		source: registry.source,
		reason: registry.reason,
		tls: tlsFor(registry.url, inputs.flags ?? {}),
		credential: registryCredential.info,
		...(inputs.flags?.insecure ? {insecure: true} : {}),
	};
	const tinder = isMapping(spec['tinderKind']) ? spec['tinderKind'] : {};
	const kindInstanceName = type === 'builtin' ? textOf(tinder, 'instanceName') : undefined;
	return {
		location: {
			imagesAndChartsType: type,
			...(kindInstanceName ? {kindInstanceName} : {}),
			registry: endpoint,
			chartRepo: 'url' in chart ? chartEndpoint(chart, textOf(section, 'externalChartRepoType'), inputs, chartCredential.info) : chart,
		},
		secrets: {registryPassword: registryCredential.secret, chartPassword: chartCredential.secret},
	};
}

/** Where an image from a package lands: `<registry>/<origin-registry>/<repo>:<tag>` (§9.3). */
export function targetOf(
	image: {registry: string; repository: string; tag: string},
	endpoint: Pick<RegistryEndpoint, 'pathPrefix'>,
): TargetTag {
	const repository = [endpoint.pathPrefix, image.registry, image.repository].filter(Boolean).join('/');
	return {repository, tag: image.tag};
}

/** The registry space (Harbor project) a target repository needs: its first path segment. */
export function spaceOfTarget(target: TargetTag): string {
	return target.repository.split('/')[0] ?? target.repository;
}

/** The full reference an operator would type, e.g. for `skopeo inspect`. */
export function targetReference(endpoint: Pick<RegistryEndpoint, 'host'>, target: TargetTag): string {
	return `${endpoint.host}/${target.repository}:${target.tag}`;
}
