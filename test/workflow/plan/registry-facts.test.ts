import {describe, expect, it} from 'vitest';
import type {WizardError} from '../../../source/domain/shared/wizard-error.js';
import {locateRegistry, type RegistryLocation} from '../../../source/domain/registry/location.js';
import type {StepImages} from '../../../source/domain/plan/registry-review.js';
import type {ReadTarget} from '../../../source/domain/registry/tag-state.js';
import type {HistoryEntry, HistoryPort} from '../../../source/workflow/ports/history-port.js';
import type {RegistryPort, RegistryReadProgress} from '../../../source/workflow/ports/registry-port.js';
import {gatherRegistryFacts} from '../../../source/workflow/plan/registry-facts.js';

function location(): RegistryLocation {
	const located = locateRegistry({
		document: undefined,
		flags: {registry: 'http://10.0.0.5:5000/mirror', chartRepo: 'http://10.0.0.5:8081'},
	});
	if ('exitCode' in located) {
		throw new Error(located.message);
	}

	return located.location;
}

type Recorded = {targets?: ReadTarget[]; signal?: AbortSignal; closed: number};

/** A port that answers at once, reporting progress for every target, and records what it was asked. */
function fakePort(
	recorded: Recorded,
	progressOf: (total: number) => number[] = total => Array.from({length: total}, (_, index) => index + 1),
): RegistryPort {
	return {
		location: location(),
		async readRegistryState(targets, options) {
			recorded.targets = targets;
			recorded.signal = options?.signal;
			for (const done of progressOf(targets.length)) {
				options?.onProgress?.({done, total: targets.length, elapsedMs: done});
			}

			return {
				tags: new Map(),
				spaces: {kind: 'none', reason: 'plain'},
				neighbours: new Map(),
				auth: 'none',
				harbor: false,
				tls: 'plain',
				elapsedMs: 1,
				requests: 1,
			};
		},
		async readChartIndex() {
			return {charts: new Map([['app', ['1.0.0']]]), bytes: 10, url: 'http://10.0.0.5:8081/index.yaml'};
		},
		async createSpaces() {
			return {created: []};
		},
		async close() {
			recorded.closed++;
		},
	};
}

const images = (count: number, arch: string) =>
	Array.from({length: count}, (_, index) => ({
		registry: 'release.daocloud.io',
		repository: `kpanda/app${index}`,
		tag: 'v1',
		architecture: arch,
	}));
const step = (count: number, arch = 'amd64'): StepImages => ({
	stepId: 'cluster-create',
	push: {kind: 'cluster-create', version: 'v0.11.0'},
	arch,
	version: 'v0.11.0',
	images: images(count, arch),
	charts: [],
});
const cluster = {configPath: '/root/offline/sample/clusterConfig.yaml', clusterName: 'my-cluster'};

describe('gathering the registry facts of a plan', () => {
	it("reads each tag once, under the registry's path prefix, with the images every step pushes to it", async () => {
		const recorded: Recorded = {closed: 0};
		const facts = await gatherRegistryFacts(
			{steps: [step(2), {...step(2, 'arm64'), stepId: 'integrate', push: {kind: 'import-addon'}}], cluster},
			{openRegistry: () => fakePort(recorded)},
		);
		expect(recorded.targets?.map(target => [target.repository, target.tag, target.images?.map(image => image.arch)])).toEqual([
			['mirror/release.daocloud.io/kpanda/app0', 'v1', ['amd64', 'arm64']],
			['mirror/release.daocloud.io/kpanda/app1', 'v1', ['amd64', 'arm64']],
		]);
		expect(facts.charts).toMatchObject({url: 'http://10.0.0.5:8081/index.yaml'});
		expect(recorded.closed).toBe(1);
	});

	it("reports a thousand tags' progress a hundred times or so, the last one always, and passes the signal on", async () => {
		const recorded: Recorded = {closed: 0};
		const seen: RegistryReadProgress[] = [];
		const controller = new AbortController();
		await gatherRegistryFacts(
			{steps: [step(1000)], cluster, signal: controller.signal, onProgress: progress => seen.push(progress)},
			{openRegistry: () => fakePort(recorded)},
		);
		expect(seen.length).toBeGreaterThan(50);
		expect(seen.length).toBeLessThanOrEqual(101);
		expect(seen[0]!.done).toBe(1);
		expect(seen.at(-1)).toMatchObject({done: 1000, total: 1000});
		expect(recorded.signal).toBe(controller.signal);
	});

	it('reads the history for the cluster even when there is no registry to ask, and says when the history cannot be read', async () => {
		const asked: unknown[] = [];
		const entry = {at: 1, stepKind: 'import-addon', outcome: 'ok', packages: [{fileName: 'x', arch: 'arm64'}]} as unknown as HistoryEntry;
		const history: HistoryPort = {append: async () => undefined, read: async who => (asked.push(who), [entry])};
		const online: WizardError = {kind: 'registry-not-local', message: 'online', hint: 'Pass --registry URL.', exitCode: 2};
		const facts = await gatherRegistryFacts({steps: [step(1)], cluster}, {openRegistry: () => online, history});
		expect(facts).toEqual({location: online, history: [entry]});
		expect(asked).toEqual([cluster]);

		const broken: HistoryPort = {append: async () => undefined, read: async () => Promise.reject(new Error('EACCES: permission denied'))};
		const recorded: Recorded = {closed: 0};
		const again = await gatherRegistryFacts({steps: [step(1)], cluster}, {openRegistry: () => fakePort(recorded), history: broken});
		expect(again.history).toEqual([]);
		expect(again.historyProblem).toBe("the wizard's history could not be read (EACCES: permission denied)");
	});

	it('closes the port when a read throws', async () => {
		const recorded: Recorded = {closed: 0};
		const port = {...fakePort(recorded), readRegistryState: async () => Promise.reject(new Error('boom'))};
		await expect(gatherRegistryFacts({steps: [step(1)], cluster}, {openRegistry: () => port})).rejects.toThrow('boom');
		expect(recorded.closed).toBe(1);
	});
});
