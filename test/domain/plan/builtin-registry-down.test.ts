import {describe, expect, it} from 'vitest';
import {explainRegistryProblem} from '../../../source/domain/plan/builtin-registry-down.js';
import type {WizardError} from '../../../source/domain/shared/wizard-error.js';
import {locateRegistry, type RegistryLocation} from '../../../source/domain/registry/location.js';

function located(spec: Record<string, unknown>, flags = {}): RegistryLocation {
	const result = locateRegistry({document: {kind: 'ClusterConfig', spec}, flags, candidateHosts: ['10.0.0.5']});
	if (!('location' in result)) {
		throw new Error(result.message);
	}

	return result.location;
}

const refused: WizardError & {cause: string} = {
	kind: 'registry-unreachable',
	message: 'Cannot reach the registry at https://10.0.0.5: connection refused (ECONNREFUSED).',
	hint: 'Check that the registry runs and listens there.',
	exitCode: 3,
	cause: 'ECONNREFUSED',
};

describe('explainRegistryProblem', () => {
	it('names the kind container of a builtin registry that refuses connections, and podman restart', () => {
		const location = located({imagesAndCharts: {type: 'builtin'}, tinderKind: {instanceName: 'dce-installer'}});
		const problem = explainRegistryProblem(refused, location);
		expect(problem.message).toContain('kind container dce-installer-control-plane, which does not start by itself after a reboot');
		expect(problem.hint).toBe('On the bootstrap node (10.0.0.5) run podman restart dce-installer-control-plane, then plan again.');
	});

	it('leaves other causes, external registries and a --registry flag as they were', () => {
		const builtin = located({imagesAndCharts: {type: 'builtin'}});
		expect(explainRegistryProblem({...refused, cause: 'EHOSTUNREACH'}, builtin).hint).toBe(refused.hint);
		const external = located({
			imagesAndCharts: {type: 'external', externalImageRepo: 'https://r.example', externalChartRepo: 'http://c.example'},
		});
		expect(explainRegistryProblem(refused, external).hint).toBe(refused.hint);
		const flagged = located({imagesAndCharts: {type: 'builtin'}}, {registry: 'https://10.0.0.9'});
		expect(explainRegistryProblem(refused, flagged).hint).toBe(refused.hint);
		expect(explainRegistryProblem(refused, undefined).hint).toBe(refused.hint);
	});
});
