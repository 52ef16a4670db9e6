// The wizard's ports before they exist: the screens mount with this, draw their first frame, and
// each call waits for the real ports, which `load` builds once, on the first call (compose.ts and
// everything behind it load then, after the first frame). Once they are built, calls go straight
// through, so a run started from the Confirm screen is the real port's from its first instant.
import type {RunStream, WizardPorts} from '../workflow/ports/ports.js';
import type {WizardUndoPort} from '../workflow/ports/undo-port.js';

type AsyncMethods = Exclude<keyof WizardPorts, 'startRun' | 'attachRun' | 'undo'>;

/** A run-event stream whose source is opened now, or as soon as the ports exist. */
function streamFrom(opened: Promise<RunStream>): RunStream {
	return {
		async *[Symbol.asyncIterator]() {
			yield* await opened;
		},
	};
}

export function deferredPorts(load: () => Promise<WizardPorts>): WizardPorts {
	let loaded: WizardPorts | undefined;
	let loading: Promise<WizardPorts> | undefined;
	const ready = async () => {
		loading ??= load().then(ports => {
			loaded = ports;
			return ports;
		});
		return loading;
	};

	function later<K extends AsyncMethods>(name: K): WizardPorts[K] {
		// Every one of these returns a promise, so waiting for the ports first changes nothing for the caller.
		const call = async (...args: unknown[]) => {
			const ports = loaded ?? (await ready());
			return (ports[name] as (...parameters: unknown[]) => unknown)(...args);
		};

		return call as WizardPorts[K];
	}

	const undo: WizardUndoPort = {
		async preview(logPath, stepIndex) {
			return (await undoPort()).preview(logPath, stepIndex);
		},
		async apply(preview) {
			return (await undoPort()).apply(preview);
		},
	};
	async function undoPort(): Promise<WizardUndoPort> {
		const port = (loaded ?? (await ready())).undo;
		if (!port) {
			throw new Error('undo is not available here');
		}

		return port;
	}

	return {
		discoverPackages: later('discoverPackages'),
		inspectPackage: later('inspectPackage'),
		buildPlan: later('buildPlan'),
		createSpaces: later('createSpaces'),
		recheck: later('recheck'),
		measureLeftover: later('measureLeftover'),
		cleanupLeftover: later('cleanupLeftover'),
		restoreConfig: later('restoreConfig'),
		openLog: later('openLog'),
		startRun: (...args) => (loaded ? loaded.startRun(...args) : streamFrom(ready().then(ports => ports.startRun(...args)))),
		attachRun: (...args) => (loaded ? loaded.attachRun(...args) : streamFrom(ready().then(ports => ports.attachRun(...args)))),
		undo,
	};
}
