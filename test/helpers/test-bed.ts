// The parts an import writes to, started together for a test: a real docker-registry (optionally
// Harbor's stand-in in front, which owns the projects), and a chart repository (the ChartMuseum
// stand-in, or Harbor's /chartrepo). It says how clusterConfig.yaml names them (`external`) or how the
// simulator's knobs do (`builtin`: the bootstrap node's registry and ChartMuseum).
import {startChartRepo, type TestChartRepo} from './chart-repo.js';
import {startHarbor, type HarborOptions, type TestHarbor} from './harbor.js';
import {startRegistry, type RegistryOptions, type TestRegistry} from './registry.js';

export type TestBedOptions = {
	/** The registry over HTTPS with a test CA, as the builtin one serves (not with `harbor`). */
	tls?: boolean;
	/** Harbor's stand-in in front of the registry; `true` or its options (projects that exist…). */
	harbor?: boolean | Omit<HarborOptions, 'backend' | 'charts'>;
	/** Where charts go: the ChartMuseum stand-in (default) or Harbor's /chartrepo/library. */
	charts?: 'chartmuseum' | 'harbor';
	registry?: Omit<RegistryOptions, 'tls'>;
};

export type ImagesAndChartsType = 'external' | 'builtin';

export type TestBed = {
	/** The docker-registry itself (behind Harbor when there is one). */
	registry: TestRegistry;
	harbor?: TestHarbor;
	chartRepo?: TestChartRepo;
	/** Where images are pushed: `url` with scheme, `host` as image references start. */
	image: {url: string; host: string; username: string; password: string};
	chart: {url: string; type: 'chartmuseum' | 'harbor'; username?: string; password?: string};
	/** The `imagesAndCharts:` block of clusterConfig.yaml (two-space indented under `spec:`). */
	imagesAndChartsYaml(type: ImagesAndChartsType): string;
	/** The simulator's knobs for that type (builtin: the bootstrap node's addresses). */
	simulatorEnv(type: ImagesAndChartsType): Record<string, string>;
	stop(): Promise<void>;
};

const quoted = (value: string | undefined) => JSON.stringify(value ?? '');

export async function startTestBed(options: TestBedOptions = {}): Promise<TestBed> {
	const started: Array<{stop(): Promise<void>}> = [];
	const stop = async () => {
		for (const part of started.reverse()) {
			await part.stop();
		}
	};

	try {
		const registry = await startRegistry({...options.registry, tls: options.tls && !options.harbor});
		started.push(registry);
		const harborOptions = options.harbor === true ? {} : options.harbor || undefined;
		const harbor =
			harborOptions || options.charts === 'harbor'
				? await startHarbor({...harborOptions, backend: registry, charts: options.charts === 'harbor'})
				: undefined;
		if (harbor) {
			started.push(harbor);
		}

		const chartRepo = options.charts === 'harbor' ? undefined : await startChartRepo();
		if (chartRepo) {
			started.push(chartRepo);
		}

		const image = harbor
			? {url: harbor.url, host: harbor.host, username: harbor.username, password: harbor.password}
			: {url: registry.url, host: registry.host, username: registry.username, password: registry.password};
		const chart = chartRepo
			? {url: chartRepo.url, type: 'chartmuseum' as const, username: chartRepo.username, password: chartRepo.password}
			: {url: `${harbor!.url}/chartrepo/library`, type: 'harbor' as const, username: harbor!.username, password: harbor!.password};
		return {
			registry,
			harbor,
			chartRepo,
			image,
			chart,
			imagesAndChartsYaml(type) {
				if (type === 'builtin') {
					return '  imagesAndCharts:\n    type: builtin\n';
				}

				return [
					'  imagesAndCharts:',
					'    type: external',
					`    externalImageRepo: ${image.url}`,
					`    externalImageRepoUsername: ${quoted(image.username)}`,
					`    externalImageRepoPassword: ${quoted(image.password)}`,
					`    externalChartRepoType: ${chart.type}`,
					`    externalChartRepo: ${chart.url}`,
					`    externalChartRepoUsername: ${quoted(chart.username)}`,
					`    externalChartRepoPassword: ${quoted(chart.password)}`,
					'',
				].join('\n');
			},
			simulatorEnv(type) {
				if (type === 'external') {
					return {};
				}

				return {
					DCE5_SIM_BUILTIN_REGISTRY: image.url,
					DCE5_SIM_BUILTIN_REGISTRY_USERNAME: image.username,
					DCE5_SIM_BUILTIN_REGISTRY_PASSWORD: image.password,
					DCE5_SIM_BUILTIN_CHARTS: chart.url,
					...(chart.username === undefined
						? {}
						: {DCE5_SIM_BUILTIN_CHARTS_USERNAME: chart.username, DCE5_SIM_BUILTIN_CHARTS_PASSWORD: chart.password ?? ''}),
				};
			},
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
