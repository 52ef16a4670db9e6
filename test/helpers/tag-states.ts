// Registry tag states for domain tests, built from an arch and a short config name.
import type {TagState} from '../../source/domain/registry/tag-state.js';
import {locateRegistry, type RegistryLocation} from '../../source/domain/registry/location.js';

/** A config digest from a short name: `cfg('a')` is sha256:a000…. */
export const cfg = (name: string) => `sha256:${name.padEnd(64, '0')}`;

/** A single-arch image at a tag. */
export const single = (arch: string, config: string): TagState => ({
	kind: 'image',
	manifestDigest: 'sha256:m',
	mediaType: 'x',
	image: {arch, os: 'linux', configDigest: cfg(config)},
});

/** A manifest list of [arch, config name] pairs at a tag. */
export const list = (...images: Array<[string, string]>): TagState => ({
	kind: 'list',
	manifestDigest: 'sha256:l',
	mediaType: 'x',
	images: images.map(([arch, config]) => ({arch, os: 'linux', configDigest: cfg(config)})),
});

/** A Harbor registry and a chart repository, logged in as admin: the plan tests' site. */
export function harborLocation(): RegistryLocation {
	const located = locateRegistry({
		document: undefined,
		flags: {registry: 'https://harbor.example', chartRepo: 'http://charts.example:8081'},
		env: {registryUser: 'admin', registryPassword: 'secret'},
	});
	if ('exitCode' in located) {
		throw new Error(located.message);
	}

	return located.location;
}
