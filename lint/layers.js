// The layer diagram (docs/architecture.md) as data: what each layer's files may import. An
// allowlist, so a new npm package or Node module in a pure layer fails the lint until someone
// decides here that the layer may have it.

/** Node modules that compute without touching the outside world. */
const pureNode = ['path', 'crypto', 'util'];

/**
 * Every layer: the layers (or layer/capability prefixes) it may import from source/, the npm
 * packages it may import, and the Node modules (`true`: any).
 */
export const layers = {
	domain: {source: ['domain'], npm: ['yaml', 'semver'], node: pureNode},
	workflow: {source: ['domain', 'workflow'], npm: [], node: ['path']},
	adapters: {source: ['domain', 'workflow/ports', 'adapters'], npm: ['undici', 'yaml', 'execa', 'zod'], node: true},
	report: {source: ['domain', 'workflow', 'report'], npm: ['zod'], node: []},
	ui: {source: ['domain', 'workflow', 'report', 'ui'], npm: ['ink', 'react', 'string-width'], node: ['util', 'path']},
	app: {source: ['domain', 'workflow', 'adapters', 'report', 'ui', 'app'], npm: [], node: true},
};

/**
 * Inside domain/, capabilities depend one way: a later one may use an earlier one, never the
 * reverse, so no import circle can form between them.
 */
export const domainCapabilityOrder = ['shared', 'packages', 'config', 'registry', 'plan', 'run'];

/** Outside source/: the entry may reach the application layer only. */
export const entries = {'cli.tsx': {source: ['app'], npm: [], node: ['process']}};
