// The wizard mounted on ports that do not exist yet (the composition root still loading): the
// first frame is drawn at once and tells the truth ("Looking for offline packages…"), the ports are
// built once, on the first call, and everything the screens asked for in between is answered by them.
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {deferredPorts} from '../../source/app/deferred-ports.js';
import type {RunEvent} from '../../source/domain/run/run-events.js';
import type {WizardPorts} from '../../source/workflow/ports/ports.js';
import {amd64, arm64, createFakePorts, discoveredFrom, makePlan, renderWizard} from '../helpers/fake-ports.js';

afterEach(() => {
	cleanup();
});

function gate<T>(): {promise: Promise<T>; open(value: T): void; fail(error: Error): void} {
	let open!: (value: T) => void;
	let fail!: (error: Error) => void;
	const promise = new Promise<T>((resolve, reject) => {
		open = resolve;
		fail = reject;
	});
	return {promise, open, fail};
}

describe('deferred ports', () => {
	it('draws the first frame before the ports exist, builds them once, and the list follows', async () => {
		const fake = createFakePorts({packages: [discoveredFrom(amd64), discoveredFrom(arm64)], inspections: [amd64, arm64]});
		const built = gate<WizardPorts>();
		let loads = 0;
		const ports = deferredPorts(async () => {
			loads++;
			return built.promise;
		});
		const harness = renderWizard({ports: {...fake, ...ports}});

		await harness.waitForFrame('Looking for offline packages…');
		expect(loads).toBe(1);
		expect(fake.discover.count).toBe(0);

		built.open(fake);
		await harness.waitForFrame(frame => frame.includes('Offline packages (2 found)') && !frame.includes('still being read'));
		expect(loads).toBe(1);
		expect(fake.discover.count).toBe(1);
		expect(fake.inspect.count).toBe(2);
	});

	it('starts a run on the real port the moment it is asked, once the ports exist', async () => {
		const fake = createFakePorts();
		const ports = deferredPorts(async () => fake);
		await ports.recheck(makePlan(), {fromStep: 1});

		ports.startRun(makePlan(), 1, new AbortController().signal);
		// No await in between: the installer's run begins with the call, as it would without the wrapper.
		expect(fake.runs).toHaveLength(1);
	});

	it('hands the run-event stream over once the ports exist, and says why when they cannot be built', async () => {
		const fake = createFakePorts();
		const built = gate<WizardPorts>();
		const started = deferredPorts(async () => built.promise).startRun(makePlan(), 1, new AbortController().signal);
		const events: RunEvent[] = [];
		const reading = (async () => {
			for await (const event of started) {
				events.push(event);
			}
		})();
		built.open(fake);
		(await fake.run(0)).finish({ok: true});
		await reading;
		expect(events.map(event => event.type)).toEqual(['run-start', 'run-end']);

		const broken = gate<WizardPorts>();
		const failing = deferredPorts(async () => broken.promise).discoverPackages();
		broken.fail(new Error('clusterConfig.yaml changed while the wizard started'));
		await expect(failing).rejects.toThrow('clusterConfig.yaml changed while the wizard started');
	});
});
