// clusterConfig.yaml as the installer reads it: `kind`, `spec.addonPackage.path` (a value or a list)
// and `spec.imagesAndCharts`, where images and charts go. `external` names them in the file; `builtin`
// means the bootstrap node's registry and ChartMuseum, whose addresses the simulator takes from its
// environment (DCE5_SIM_BUILTIN_*), since no bootstrap node stands behind a test.
import {readFileSync} from 'node:fs';
import YAML from 'yaml';
import {fail} from './log.mjs';

/** The bootstrap node the docs use; shown (never contacted) when DCE5_SIM_NO_REGISTRY=1 and no address is set. */
const docsBootstrapNode = '10.6.135.222';

function readText(file) {
	if (!file) fail('invalid ClusterConfig: -c is required');
	try {
		return readFileSync(file, 'utf8');
	} catch (error) {
		fail(`read ClusterConfig ${file}: ${error.code === 'ENOENT' ? 'no such file or directory' : error.message}`);
	}
}

function parse(text) {
	const doc = YAML.parseDocument(text, {uniqueKeys: false});
	if (doc.errors.length > 0) fail(`invalid ClusterConfig: ${doc.errors[0].message.split('\n')[0]}`);
	return doc.toJS() ?? {};
}

const asList = value => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);
const text = value => (value === undefined || value === null ? undefined : String(value));

/** `https://host:port[/path]` → its parts; a value without a scheme is taken as https, as the installer's default. */
export function endpoint(value) {
	if (!value) return undefined;
	const url = new URL(/^[a-z]+:\/\//i.test(value) ? value : `https://${value}`);
	return {
		url: `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`,
		host: url.host,
		pathPrefix: url.pathname.replace(/^\/+|\/+$/g, ''),
	};
}

function targets(imagesAndCharts, env) {
	if (imagesAndCharts?.type === 'external') {
		return {
			registry: {
				...endpoint(text(imagesAndCharts.externalImageRepo)),
				username: text(imagesAndCharts.externalImageRepoUsername),
				password: text(imagesAndCharts.externalImageRepoPassword),
			},
			charts: {
				...endpoint(text(imagesAndCharts.externalChartRepo)),
				type: text(imagesAndCharts.externalChartRepoType) ?? 'chartmuseum',
				// The simplified "external" example in the docs spells these two differently.
				username: text(imagesAndCharts.externalChartRepoUsername ?? imagesAndCharts.externalChartUsername),
				password: text(imagesAndCharts.externalChartRepoPassword ?? imagesAndCharts.externalChartMuseumPassword),
			},
			source: 'imagesAndCharts.externalImageRepo',
			chartSource: 'imagesAndCharts.externalChartRepo',
		};
	}
	return {
		registry: {
			...endpoint(env.DCE5_SIM_BUILTIN_REGISTRY),
			username: env.DCE5_SIM_BUILTIN_REGISTRY_USERNAME,
			password: env.DCE5_SIM_BUILTIN_REGISTRY_PASSWORD,
		},
		charts: {
			...endpoint(env.DCE5_SIM_BUILTIN_CHARTS),
			type: 'chartmuseum',
			username: env.DCE5_SIM_BUILTIN_CHARTS_USERNAME,
			password: env.DCE5_SIM_BUILTIN_CHARTS_PASSWORD,
		},
		source: "DCE5_SIM_BUILTIN_REGISTRY (the bootstrap node's registry)",
		chartSource: "DCE5_SIM_BUILTIN_CHARTS (the bootstrap node's ChartMuseum)",
	};
}

export function readConfig(file, env, {dryRun}) {
	const config = parse(readText(file));
	if (config.kind !== 'ClusterConfig') fail('invalid ClusterConfig: kind must be ClusterConfig');
	const spec = config.spec ?? {};
	const paths = asList(spec.addonPackage?.path)
		.map(text)
		.filter(value => value !== undefined && value !== '');
	const where = targets(spec.imagesAndCharts, env);
	if (dryRun) {
		where.registry.host ??= docsBootstrapNode;
		where.registry.pathPrefix ??= '';
	}
	return {paths, ...where};
}

/** Fails, naming the setting, when a real run has nowhere to push. */
export function requireTargets(config) {
	if (!config.registry.url) fail(`invalid ClusterConfig: no image registry: set ${config.source}`);
	if (!config.charts.url) fail(`invalid ClusterConfig: no chart repository: set ${config.chartSource}`);
	if (!['chartmuseum', 'harbor'].includes(config.charts.type))
		fail(`invalid ClusterConfig: externalChartRepoType ${config.charts.type} is not supported (chartmuseum, harbor)`);
}
