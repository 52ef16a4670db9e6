import {inspect} from 'node:util';
import {describe, expect, it} from 'vitest';
import type {WizardError} from '../../../source/domain/shared/wizard-error.js';
import {locateRegistry, spaceOfTarget, targetOf, targetReference, type LocateInputs} from '../../../source/domain/registry/location.js';
import {isWizardError} from '../../../source/domain/shared/wizard-error.js';

const configWith = (imagesAndCharts: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
	apiVersion: 'provision.daocloud.io/v1alpha3',
	kind: 'ClusterConfig',
	spec: {clusterName: 'c1', imagesAndCharts, ...extra},
});

function locate(inputs: LocateInputs) {
	const result = locateRegistry(inputs);
	if (isWizardError(result)) {
		throw new Error(`unexpected error: ${result.message}`);
	}

	return result;
}

function locateError(inputs: LocateInputs): WizardError {
	const result = locateRegistry(inputs);
	if (!isWizardError(result)) {
		throw new Error('expected an error');
	}

	return result;
}

const external = {
	type: 'external',
	externalImageRepo: 'https://harbor.example.com',
	externalImageRepoUsername: 'admin',
	externalImageRepoPassword: 'Harbor12345',
	externalChartRepoType: 'harbor',
	externalChartRepo: 'https://harbor.example.com/chartrepo/addon',
	externalChartRepoUsername: 'chartuser',
	externalChartRepoPassword: 'chartpass',
};

describe('where the registry and chart repository are', () => {
	it("external: the config's URLs and logins, passwords kept out of everything displayed", () => {
		const {location, secrets} = locate({document: configWith(external)});
		expect(location.registry).toEqual({
			url: 'https://harbor.example.com',
			host: 'harbor.example.com',
			pathPrefix: '',
			source: 'config',
			reason: 'imagesAndCharts.externalImageRepo is https://harbor.example.com',
			tls: {mode: 'system-ca'},
			credential: {username: 'admin', hasPassword: true, source: 'config'},
		});
		expect(location.chartRepo).toMatchObject({
			url: 'https://harbor.example.com/chartrepo/addon',
			type: 'harbor',
			harborProject: 'addon',
			credential: {username: 'chartuser', hasPassword: true},
		});
		expect(secrets.registryPassword?.reveal()).toBe('Harbor12345');
		expect(secrets.chartPassword?.reveal()).toBe('chartpass');
		const printed = [JSON.stringify({location, secrets}), inspect({location, secrets}, {depth: 9}), String(secrets.registryPassword)].join(
			'\n',
		);
		expect(printed).not.toContain('Harbor12345');
		expect(printed).not.toContain('chartpass');
	});

	it("reads the chart credential keys as the docs' simplified example spells them", () => {
		const {location, secrets} = locate({
			document: configWith({
				type: 'external',
				externalImageRepo: 'http://10.0.0.9:5000',
				externalChartRepoType: 'chartmuseum',
				externalChartRepo: 'http://10.0.0.9:8081/',
				externalChartUsername: 'rootuser',
				externalChartMuseumPassword: 'museum-pass',
			}),
		});
		expect(location.chartRepo).toMatchObject({
			url: 'http://10.0.0.9:8081',
			type: 'chartmuseum',
			tls: {mode: 'plain-http'},
			credential: {username: 'rootuser', hasPassword: true, source: 'config'},
		});
		expect(secrets.chartPassword?.reveal()).toBe('museum-pass');
		expect(location.registry).toMatchObject({
			host: '10.0.0.9:5000',
			tls: {mode: 'plain-http'},
			credential: {hasPassword: false, source: 'none'},
		});
	});

	it("builtin: this host's first address, HTTPS on registryPort, ChartMuseum with its default login, and says so", () => {
		const {location, secrets} = locate({document: configWith({type: 'builtin'}), candidateHosts: ['10.6.135.222', '192.168.1.5']});
		expect(location.registry).toMatchObject({
			url: 'https://10.6.135.222',
			host: '10.6.135.222',
			source: 'default-bootstrap',
			credential: {hasPassword: false, source: 'none'},
		});
		expect(location.registry.reason).toBe(
			"the registry is builtin and the wizard assumes it runs on the bootstrap node, so it uses this host's address 10.6.135.222 (first of 2: 10.6.135.222, 192.168.1.5), HTTPS on tinderKind.registryPort 443",
		);
		expect(location.chartRepo).toMatchObject({
			url: 'http://10.6.135.222:8081',
			type: 'chartmuseum',
			source: 'default-bootstrap',
			credential: {username: 'rootuser', hasPassword: true, source: 'default'},
		});
		expect(secrets.chartPassword?.reveal()).toBe('rootpass123');
	});

	it('builtin: tinderKind ports and a named bootstrapNode win over the defaults', () => {
		const {location} = locate({
			document: configWith({type: 'builtin'}, {bootstrapNode: '10.0.0.2', tinderKind: {registryPort: 5443, chartmuseumPort: 18081}}),
			candidateHosts: ['10.6.135.222'],
		});
		expect(location.registry).toMatchObject({
			url: 'https://10.0.0.2:5443',
			host: '10.0.0.2:5443',
			source: 'config',
			reason: 'spec.bootstrapNode names 10.0.0.2, HTTPS on tinderKind.registryPort 5443',
		});
		expect(location.chartRepo).toMatchObject({url: 'http://10.0.0.2:18081'});
	});

	it('flags override the config, the environment overrides logins, and TLS choices are recorded', () => {
		const {location, secrets} = locate({
			document: configWith(external),
			flags: {registry: 'https://127.0.0.1:5000', chartRepo: 'https://charts.local/', caFile: '/etc/ca.pem'},
			env: {registryUser: 'ops', registryPassword: 'from-env'},
		});
		expect(location.registry).toMatchObject({
			url: 'https://127.0.0.1:5000',
			source: 'flag',
			reason: '--registry https://127.0.0.1:5000 was given',
			tls: {mode: 'ca-file', caFile: '/etc/ca.pem'},
			credential: {username: 'ops', source: 'environment'},
		});
		expect(secrets.registryPassword?.reveal()).toBe('from-env');
		expect(location.chartRepo).toMatchObject({url: 'https://charts.local', source: 'flag', type: 'other', tls: {mode: 'ca-file'}});
		const insecure = locate({document: configWith(external), flags: {insecure: true}});
		expect(insecure.location.registry.tls).toEqual({mode: 'insecure'});
	});

	it('refuses to guess: no local registry, a missing scheme, a Harbor chart URL without its project', () => {
		expect(locateError({document: configWith({type: 'official-service'})})).toMatchObject({
			kind: 'registry-not-local',
			exitCode: 2,
			hint: 'Pass --registry URL (and --chart-repo URL) to check a registry anyway.',
		});
		expect(locateError({document: undefined}).kind).toBe('registry-not-local');
		expect(locateError({document: configWith({...external, externalImageRepo: 'harbor.example.com'})})).toMatchObject({
			kind: 'registry-url-invalid',
			message: 'imagesAndCharts.externalImageRepo "harbor.example.com" has no http:// or https:// scheme.',
		});
		expect(locateError({document: configWith(external), flags: {registry: '10.0.0.1:5000'}}).message).toBe(
			'--registry "10.0.0.1:5000" has no http:// or https:// scheme.',
		);
		const {location} = locate({document: configWith({...external, externalChartRepo: 'https://harbor.example.com'})});
		expect(location.chartRepo).toMatchObject({
			kind: 'chart-repo-url-invalid',
			hint: 'Write the URL as https://HOST/chartrepo/PROJECT (in externalChartRepo or --chart-repo).',
		});
	});

	it('maps an image to <registry>/<origin-registry>/<repo>:<tag> and names its space', () => {
		const image = {registry: 'release.daocloud.io', repository: 'kpanda/foo', tag: 'v1'};
		const target = targetOf(image, {pathPrefix: ''});
		expect(target).toEqual({repository: 'release.daocloud.io/kpanda/foo', tag: 'v1'});
		expect(spaceOfTarget(target)).toBe('release.daocloud.io');
		expect(targetReference({host: '10.6.135.222'}, target)).toBe('10.6.135.222/release.daocloud.io/kpanda/foo:v1');
		expect(targetOf(image, {pathPrefix: 'mirror'}).repository).toBe('mirror/release.daocloud.io/kpanda/foo');
	});
});
