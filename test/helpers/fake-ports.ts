// A scripted outside world for screen tests: every port call is recorded and answered when the
// test says so (or at once, from canned answers), and a run's events are emitted by hand. The
// wizard is mounted on ink-testing-library at a fixed terminal size and read back as plain text.
import {stripVTControlCharacters} from 'node:util';
import {setTimeout as delay} from 'node:timers/promises';
import {render} from 'ink-testing-library';
import {createElement} from 'react';
import type {ConfigEdit} from '../../source/domain/config/config-facts.js';
import type {DiscoveredPackage, InspectionProgress, PackageInspection} from '../../source/domain/packages/inspection.js';
import type {Plan, PlanStep} from '../../source/domain/plan/plan.js';
import type {RunEvent} from '../../source/domain/run/run-events.js';
import type {WizardError} from '../../source/domain/shared/wizard-error.js';
import {App} from '../../source/ui/app.js';
import {glyphsFor} from '../../source/ui/glyphs.js';
import {ThemeContext, type Theme} from '../../source/ui/hooks/use-theme.js';
import {createChannel} from '../../source/workflow/run/event-channel.js';
import type {InitialOptions} from '../../source/workflow/wizard/wizard-reducer.js';
import type {InspectOptions, RunOptions, RunOutcome, SpacesCreated, WizardPorts} from '../../source/workflow/ports/ports.js';
import type {RestoredConfig} from '../../source/workflow/ports/config-edit-port.js';
import {full} from '../domain/packages/make-inspection.js';

// ---- Controllable promises ----

export type Deferred<T> = {promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void};

export function deferred<T>(): Deferred<T> {
	let resolve!: (value: T) => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<T>((yes, no) => {
		resolve = yes;
		reject = no;
	});
	return {promise, resolve, reject};
}

/** Polls until `probe` returns something other than undefined. */
export async function waitUntil<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 5000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) {
			return value;
		}

		if (Date.now() > deadline) {
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		}

		await delay(5);
	}
}

/** One call to a port; the test answers it through resolve/reject. */
export type PortCall<Args, Result> = Deferred<Result> & {args: Args};

/** The calls made to one port, in order. */
export class CallLog<Args, Result> {
	readonly calls: Array<PortCall<Args, Result>> = [];

	constructor(
		private readonly name: string,
		private readonly canned?: (args: Args) => Result | undefined,
	) {}

	get count(): number {
		return this.calls.length;
	}

	record(args: Args): Promise<Result> {
		const call = {...deferred<Result>(), args};
		this.calls.push(call);
		const answer = this.canned?.(args);
		if (answer !== undefined) {
			call.resolve(answer);
		}

		return call.promise;
	}

	/** The index-th call (0-based), once it has been made. */
	async nth(index: number, timeoutMs?: number): Promise<PortCall<Args, Result>> {
		return waitUntil(() => this.calls[index], `call ${index + 1} to ${this.name}`, timeoutMs);
	}
}

// ---- The fake run ----

export type FakeRun = {
	plan: Plan;
	fromStep: number;
	/** The options startRun was called with. */
	options?: RunOptions;
	/** True once the consumer left the stream (the screens' d, or quitting). */
	detached(): boolean;
	/** A run started by the wizard, or the stream of `attach`. */
	source: 'start' | 'attach';
	logPath: string;
	/** Reasons passed to stop(), one per call. */
	stops: Array<string | undefined>;
	emit(...events: RunEvent[]): void;
	finish(outcome: RunOutcome): void;
	crash(error: Error): void;
};

export type FakePortsOptions = {
	/** Answers discoverPackages at once; otherwise `discover` stays pending until the test answers. */
	packages?: DiscoveredPackage[];
	/** Answers inspectPackage at once for these paths; other paths stay pending. */
	inspections?: PackageInspection[];
	/** Answers buildPlan at once (a function: by the inspections asked for; undefined leaves the call pending). */
	plan?: Plan | WizardError | ((inspections: PackageInspection[]) => Plan | WizardError | undefined);
	/** Answers measureLeftover at once ('none' answers undefined: nothing left over). */
	leftover?: {path: string; bytes: number} | 'none';
	/** Answers cleanupLeftover at once. */
	cleanup?: {path: string; freedBytes: number} | WizardError;
	/** Answers recheck at once with the plan this returns for the plan and request it was given. */
	recheck?: (plan: Plan, request: RecheckCall['request']) => Plan;
	/** Answers restoreConfig at once. */
	restore?: RestoredConfig | WizardError;
	/** Answers createSpaces at once. */
	spaces?: SpacesCreated;
	/** Answers every buildPlan call after the first at once, in order (the plan re-read after creating spaces). */
	laterPlans?: Array<Plan | WizardError>;
};

export type RecheckCall = {plan: Plan; request: Parameters<WizardPorts['recheck']>[1]};

export type InspectCall = {path: string; options?: InspectOptions};

export type FakePorts = WizardPorts & {
	discover: CallLog<void, DiscoveredPackage[]>;
	inspect: CallLog<InspectCall, PackageInspection>;
	plans: CallLog<PackageInspection[], Plan | WizardError>;
	/** The options of each buildPlan call (the baseline's progress reporter). */
	planOptions: Array<Parameters<WizardPorts['buildPlan']>[1]>;
	runs: FakeRun[];
	measures: CallLog<PlanStep, {path: string; bytes: number} | undefined>;
	cleanups: CallLog<PlanStep, {path: string; freedBytes: number} | WizardError>;
	rechecks: CallLog<RecheckCall, Plan>;
	restores: CallLog<{edit: ConfigEdit; backupPath: string}, RestoredConfig | WizardError>;
	logs: CallLog<string, void>;
	spaceCreations: CallLog<string[], SpacesCreated>;
	/** The index-th run started (0-based), once it has been. */
	run(index: number): Promise<FakeRun>;
	/** Reports read progress to a pending inspection. */
	progress(call: PortCall<InspectCall, PackageInspection>, bytesRead: number, totalBytes: number): void;
};

export function createFakePorts(options: FakePortsOptions = {}): FakePorts {
	const byPath = new Map((options.inspections ?? []).map(inspection => [inspection.path, inspection]));
	const discover = new CallLog<void, DiscoveredPackage[]>('discoverPackages', () => options.packages);
	// Each path is answered once: a second request for it stays pending, so a wizard that reads a
	// package twice shows up as an extra call instead of looping on instant answers.
	const inspect = new CallLog<InspectCall, PackageInspection>('inspectPackage', ({path}) => {
		const answer = byPath.get(path);
		byPath.delete(path);
		return answer;
	});
	const later = [...(options.laterPlans ?? [])];
	let planCalls = 0;
	const answer = (inspections: PackageInspection[]) => (typeof options.plan === 'function' ? options.plan(inspections) : options.plan);
	const plans = new CallLog<PackageInspection[], Plan | WizardError>('buildPlan', inspections =>
		planCalls++ === 0 ? answer(inspections) : (later.shift() ?? answer(inspections)),
	);
	const spaceCreations = new CallLog<string[], SpacesCreated>('createSpaces', () => options.spaces);
	const measures = new CallLog<PlanStep, {path: string; bytes: number} | undefined>('measureLeftover');
	const cleanups = new CallLog<PlanStep, {path: string; freedBytes: number} | WizardError>('cleanupLeftover', () => options.cleanup);
	// By default a recheck finds the plan as it was (nothing new blocks the retry).
	const rechecks = new CallLog<RecheckCall, Plan>('recheck', ({plan, request}) =>
		options.recheck ? options.recheck(plan, request) : plan,
	);
	const restores = new CallLog<{edit: ConfigEdit; backupPath: string}, RestoredConfig | WizardError>(
		'restoreConfig',
		() => options.restore,
	);
	const logs = new CallLog<string, void>('openLog');
	const runs: FakeRun[] = [];
	const planOptions: Array<Parameters<WizardPorts['buildPlan']>[1]> = [];
	/** A run-event stream the test drives: emit() pushes events, finish() ends it with run-end. */
	function fakeStream(plan: Plan, fromStep: number, signal: AbortSignal, source: 'start' | 'attach', runOptions?: RunOptions) {
		let left = false;
		const channel = createChannel<RunEvent>(() => {
			left = true;
		});
		let failure: Error | undefined;
		const run: FakeRun = {
			plan,
			fromStep,
			options: runOptions,
			detached: () => left,
			source,
			logPath: `/var/log/addon-wizard/run-${runs.length + 1}.log`,
			stops: [],
			emit(...events) {
				for (const event of events) {
					channel.push(event);
				}
			},
			finish(outcome) {
				channel.push({type: 'run-end', at: Date.now(), ok: outcome.ok, outcome});
				channel.end();
			},
			crash(error) {
				failure = error;
				channel.end();
			},
		};
		signal.addEventListener('abort', () => run.stops.push(signal.reason as string | undefined));
		// The real stream says where its log is first, before the installer starts.
		channel.push({
			type: 'run-start',
			at: Date.now(),
			logPath: run.logPath,
			steps: plan.steps.map(({id, title, argv}) => ({id, title, argv})),
		});
		runs.push(run);
		return {
			[Symbol.asyncIterator]() {
				const inner = channel[Symbol.asyncIterator]();
				return {
					async next(): Promise<IteratorResult<RunEvent>> {
						const next = await inner.next();
						if (next.done && failure) {
							throw failure;
						}

						return next;
					},
					async return(): Promise<IteratorResult<RunEvent>> {
						return inner.return!();
					},
				};
			},
		};
	}

	return {
		discover,
		inspect,
		plans,
		planOptions,
		runs,
		measures,
		cleanups,
		rechecks,
		restores,
		logs,
		spaceCreations,
		async run(index) {
			return waitUntil(() => runs[index], `run ${index + 1} to start`);
		},
		progress(call, bytesRead, totalBytes) {
			const progress: InspectionProgress = {path: call.args.path, bytesRead, totalBytes, entries: 0, elapsedMs: 0};
			call.args.options?.onProgress?.(progress);
		},
		async discoverPackages() {
			return discover.record(undefined);
		},
		async inspectPackage(path, inspectOptions) {
			return inspect.record({path, options: inspectOptions});
		},
		async buildPlan(inspections, planOptionsOfCall) {
			planOptions.push(planOptionsOfCall);
			return plans.record(inspections);
		},
		startRun(plan, fromStep, signal, runOptions) {
			return fakeStream(plan, fromStep, signal, 'start', runOptions);
		},
		attachRun(signal) {
			const plan = runs.at(-1)?.plan;
			if (!plan) {
				throw new Error('attachRun: the test mounts the wizard with attachPlan and no run to attach to was prepared');
			}

			return fakeStream(plan, 0, signal, 'attach');
		},
		async measureLeftover(step, _packages) {
			const answer = measures.record(step);
			if (options.leftover) {
				measures.calls.at(-1)!.resolve(options.leftover === 'none' ? undefined : options.leftover);
			}

			return answer;
		},
		async cleanupLeftover(step) {
			return cleanups.record(step);
		},
		async recheck(plan, request) {
			return rechecks.record({plan, request});
		},
		async restoreConfig(edit, backupPath) {
			return restores.record({edit, backupPath});
		},
		async createSpaces(names) {
			return spaceCreations.record(names);
		},
		async openLog(logPath) {
			return logs.record(logPath);
		},
	};
}

// ---- Mounting the wizard ----

export type Expected = string | RegExp | ((frame: string) => boolean);

export type WizardHarness = {
	ports: FakePorts;
	/** Codes passed to onExit, in order. */
	exitCodes: number[];
	/** The latest frame, ANSI stripped. */
	frame(): string;
	/** Every frame written so far, ANSI stripped. */
	frames(): string[];
	/** Writes to stdin exactly as given: one write, however many keys it holds. */
	press(keys: string): void;
	/** Polls the latest frame until it matches; fails with that frame when it never does. */
	waitForFrame(expected: Expected, timeoutMs?: number): Promise<string>;
	/** Presses a key and waits for the frame it should lead to. */
	pressAndWait(keys: string, expected: Expected, timeoutMs?: number): Promise<string>;
	/** Changes the terminal size, as a window resize would. */
	resize(columns: number, rows: number): void;
	unmount(): void;
};

export type RenderOptions = {
	ports?: FakePorts;
	initial?: InitialOptions;
	ascii?: boolean;
	columns?: number;
	rows?: number;
	graceSeconds?: number;
};

export const keys = {
	up: '\u001B[A',
	down: '\u001B[B',
	pageUp: '\u001B[5~',
	pageDown: '\u001B[6~',
	enter: '\r',
	escape: '\u001B',
	ctrlC: '\u0003',
} as const;

function matches(frame: string, expected: Expected): boolean {
	if (typeof expected === 'string') {
		return frame.includes(expected);
	}

	return expected instanceof RegExp ? expected.test(frame) : expected(frame);
}

export function renderWizard(options: RenderOptions = {}): WizardHarness {
	const ports = options.ports ?? createFakePorts();
	const exitCodes: number[] = [];
	// As run-wizard.tsx builds it for a terminal without colour.
	const ascii = options.ascii ?? false;
	const theme: Theme = {glyphs: glyphsFor(ascii), color: false, ascii};
	const app = createElement(App, {
		ports,
		initial: options.initial,
		graceSeconds: options.graceSeconds,
		onExit(code: number) {
			exitCodes.push(code);
		},
	});
	const instance = render(createElement(ThemeContext.Provider, {value: theme}, app));
	// The testing stdout reports 100 columns and no rows; the app measures again on 'resize'.
	const resize = (columns: number, rows: number) => {
		Object.defineProperty(instance.stdout, 'columns', {value: columns, configurable: true});
		Object.defineProperty(instance.stdout, 'rows', {value: rows, configurable: true});
		instance.stdout.emit('resize');
	};

	resize(options.columns ?? 80, options.rows ?? 24);
	const frame = () => stripVTControlCharacters(instance.lastFrame() ?? '');
	const waitForFrame = async (expected: Expected, timeoutMs = 5000) => {
		try {
			return await waitUntil(
				() => {
					const current = frame();
					return matches(current, expected) ? current : undefined;
				},
				`a frame matching ${String(expected)}`,
				timeoutMs,
			);
		} catch (error: unknown) {
			throw new Error(`${(error as Error).message}\n--- last frame ---\n${frame()}\n------------------`);
		}
	};

	return {
		ports,
		exitCodes,
		frame,
		frames: () => instance.frames.map(item => stripVTControlCharacters(item)),
		press(input) {
			instance.stdin.write(input);
		},
		waitForFrame,
		async pressAndWait(input, expected, timeoutMs) {
			instance.stdin.write(input);
			return waitForFrame(expected, timeoutMs);
		},
		resize,
		unmount() {
			instance.unmount();
		},
	};
}

/** The frame as lines, without the trailing blanks a terminal would not show. */
export function frameLines(frame: string): string[] {
	return frame.split('\n').map(line => line.trimEnd());
}

/** Wrapped rows joined back into one line of text, for asserting on sentences that wrap. */
export function unwrap(frame: string): string {
	return frameLines(frame)
		.map(line => line.trim())
		.filter(Boolean)
		.join(' ')
		.replaceAll(/\s+/g, ' ');
}

// ---- Fixtures ----

export function discoveredFrom(inspection: PackageInspection, extra: Partial<DiscoveredPackage> = {}): DiscoveredPackage {
	return {
		path: inspection.path,
		fileName: inspection.fileName,
		name: inspection.name,
		size: inspection.size,
		mtimeMs: inspection.mtimeMs,
		status: 'candidate',
		findings: [],
		...extra,
	};
}

export function makeStep(index: number, extra: Partial<PlanStep> = {}): PlanStep {
	return {
		id: `step-${index + 1}`,
		kind: 'import-addon',
		title: `Import addon v0.11.0 (${index === 0 ? 'amd64' : 'arm64'}), step ${index + 1}`,
		packagePath: `/srv/packages/addon-offline-full-package-v0.11.0-amd64.tar.gz`,
		arch: 'amd64',
		argv: [
			'/root/dce5-installer',
			'import',
			'-addon',
			'-c',
			'/root/offline/sample/clusterConfig.yaml',
			`--addon-path=/srv/p${index + 1}.tar.gz`,
		],
		cwd: '/root/work',
		expectedBytes: 10_000_000_000,
		expectedCharts: 3,
		expectedImages: 10,
		...extra,
	};
}

export function makePlan(extra: Partial<Plan> = {}): Plan {
	return {
		operation: 'single-arch-import',
		reason: 'One amd64 package and no addon in the cluster yet: a single-architecture import.',
		packages: [],
		cluster: {path: '/root/offline/sample/clusterConfig.yaml', addonPackagePaths: [], addonPathShape: 'absent'},
		installer: {path: '/root/dce5-installer', found: true},
		manifestPath: '/root/offline/sample/manifest.yaml',
		steps: [makeStep(0), makeStep(1)],
		disk: [],
		diffs: {registrySpaces: {mustExist: [], alreadyUsed: []}, charts: [], multiArchImages: []},
		findings: [],
		blocked: false,
		...extra,
	};
}

// ---- Journeys: the keys a user presses to reach each screen ----

export const amd64 = full('v0.11.0', 'amd64', {
	charts: ['insight@0.30.0', 'kpanda@0.28.0'],
	images: ['release.daocloud.io/kpanda/kpanda:v0.28.0', 'release.daocloud.io/insight/insight:v0.30.0', 'docker.io/library/busybox:1.36'],
});
export const arm64 = full('v0.11.0', 'arm64');

export type JourneyOptions = RenderOptions & {fake?: FakePortsOptions};

/** Packages listed and both read; the cursor is on amd64. */
export async function onPackages(options: JourneyOptions = {}): Promise<WizardHarness> {
	const ports =
		options.ports ??
		createFakePorts({packages: [discoveredFrom(amd64), discoveredFrom(arm64)], inspections: [amd64, arm64], ...options.fake});
	const harness = renderWizard({...options, ports});
	await harness.waitForFrame(frame => frame.includes('Offline packages') && !frame.includes('still being read'));
	return harness;
}

/** amd64 chosen with enter and the plan answered: the Review screen showing `expected`. */
export async function onReview(plan: Plan | WizardError, expected: Expected, options: JourneyOptions = {}): Promise<WizardHarness> {
	const harness = await onPackages({...options, fake: {plan, ...options.fake}});
	await harness.pressAndWait(keys.enter, frame => frame.includes('REVIEW') && matches(frame, expected));
	return harness;
}

export async function onConfirm(plan: Plan = makePlan(), options: JourneyOptions = {}): Promise<WizardHarness> {
	const harness = await onReview(plan, 'Disk space', options);
	await harness.pressAndWait(keys.enter, 'CONFIRM');
	return harness;
}

/** The run started from Confirm; the fake run is ready to emit events. */
export async function onRun(plan: Plan = makePlan(), options: JourneyOptions = {}): Promise<{harness: WizardHarness; run: FakeRun}> {
	const harness = await onConfirm(plan, options);
	harness.press('y');
	const run = await harness.ports.run(0);
	await harness.waitForFrame(frame => frame.includes('RUN') && frame.includes(run.logPath));
	return {harness, run};
}

/** Some members of some ports (or settings) replaced, one level deep: `{settings: {sampleMs: 20}}`. */
export type DepsPatch<T> = {[K in keyof T]?: Partial<NonNullable<T[K]>>};

export function patchDeps<T extends object>(deps: T, patch: DepsPatch<T> = {}): T {
	const merged: Record<string, unknown> = {...(deps as Record<string, unknown>)};
	for (const [key, value] of Object.entries(patch)) {
		merged[key] = {...(merged[key] as object | undefined), ...(value as object)};
	}

	return merged as T;
}
