// The snapshot a step leaves for `undo`: before its installer starts, every tag the step's images
// go to is saved (manifest bytes, media type, what they point to, or absent), and the file is
// written before the installer runs, so a killed wizard, `attach` or a later login still has it.
// After the step, each tag's digest is added: what the step left, which undo tells apart from
// what someone else pushed since. Never fails the run: a snapshot that cannot be taken is noted.
import type {PlanStep} from '../../domain/plan/plan.js';
import {readTargetsOf} from '../../domain/registry/push-diff.js';
import {savedTagOf, snapshotBytes, type StepSnapshot} from '../../domain/registry/tag-snapshot.js';
import {exitCodes, isWizardError, type WizardError} from '../../domain/shared/wizard-error.js';
import {formatBytes} from '../../domain/shared/format-bytes.js';
import type {SnapshotFiles, SnapshotPort} from '../ports/snapshot-port.js';
import type {RunContext} from './run-context.js';
import {stepCharts, stepSubject} from './verify-run.js';
import type {ChartIndex} from '../../domain/registry/tag-state.js';

/** How a run saves snapshots: a port opened per use, and where the files go. */
export type SnapshotSetup = {open(): Promise<SnapshotPort | WizardError>; files: SnapshotFiles};

export type TakenSnapshot = {snapshot: StepSnapshot; path: string};

/** A snapshot over this size is said in the log with its size. */
const largeBytes = 1_048_576;

async function withPort<T>(setup: SnapshotSetup, use: (port: SnapshotPort) => Promise<T | WizardError>): Promise<T | WizardError> {
	const port = await setup.open();
	if (isWizardError(port)) {
		return port;
	}

	try {
		return await use(port);
	} finally {
		await port.close().catch(() => undefined);
	}
}

export async function saveBeforeStep(
	step: PlanStep,
	index: number,
	context: Pick<RunContext, 'plan' | 'log' | 'stop'>,
	setup: SnapshotSetup | undefined,
	now: () => number,
	unreadable?: string,
	chartsBefore?: ChartIndex,
): Promise<TakenSnapshot | undefined> {
	if (!setup) {
		return undefined;
	}

	// The chart repository's index read before the step: which of the step's chart versions it
	// lacked, so undo can list (and --remove-added delete) what the step uploaded. Unread: unknown.
	const charts = chartsBefore
		? {
				charts: stepCharts(context.plan, step).map(chart => ({
					...chart,
					existedBefore: chartsBefore.get(chart.name)?.includes(chart.version) ?? false,
				})),
			}
		: {};
	const base = {runId: '', stepIndex: index, stepId: step.id, configPath: context.plan.cluster.path, takenAt: now(), ...charts};
	// The read before the step just failed: a second try would only wait out the same timeouts.
	const read: StepSnapshot | WizardError = unreadable
		? {
				kind: 'registry-unreadable',
				message: `the registry could not be read before the step (${unreadable})`,
				hint: 'Check that the registry answers (addon-wizard verify).',
				exitCode: exitCodes.notVerified,
			}
		: await withPort(setup, async port => {
				const targets = readTargetsOf(stepSubject(context.plan, step, port.pathPrefix).pushes);
				const saved = await port.save(targets, context.stop);
				return isWizardError(saved)
					? saved
					: {
							...base,
							registry: port.registry,
							tags: targets.map((target, at) => savedTagOf(target, saved[at]!)),
						};
			});
	const snapshot: StepSnapshot = isWizardError(read)
		? {...base, registry: '', tags: [], error: {kind: read.kind, message: read.message, hint: read.hint}}
		: read;
	try {
		const written = await setup.files.write(snapshot, context.log.path);
		const size = snapshotBytes(snapshot);
		context.log.note(
			snapshot.error
				? `no snapshot for step ${step.id}, so undo cannot put its tags back: ${snapshot.error.message}`
				: `saved ${snapshot.tags.length} tag(s) for undo in ${written.path}${size > largeBytes ? ` (${formatBytes(size)} of manifests)` : ''}`,
		);
		return snapshot.error ? undefined : {snapshot, path: written.path};
	} catch (error) {
		context.log.note(`could not write the snapshot of step ${step.id}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
		return undefined;
	}
}

/** Adds what each tag holds after the step; a registry that cannot be read leaves `after` unknown. */
export async function saveAfterStep(
	taken: TakenSnapshot,
	context: Pick<RunContext, 'log'>,
	setup: SnapshotSetup,
	now: () => number,
): Promise<void> {
	const {snapshot} = taken;
	const heads = await withPort(setup, async port => port.digests(snapshot.tags));
	if (isWizardError(heads)) {
		context.log.note(`could not read the tags after step ${snapshot.stepId} for undo: ${heads.message}`);
		return;
	}

	const tags = snapshot.tags.map((tag, at) => {
		const head = heads[at]!;
		return head.kind === 'unreadable' ? tag : {...tag, after: head.kind === 'absent' ? ('absent' as const) : head.digest};
	});
	await setup.files.write({...snapshot, tags, afterReadAt: now()}, context.log.path).catch((error: unknown) => {
		context.log.note(`could not add the tags after step ${snapshot.stepId} to its snapshot: ${String(error)}`);
	});
}
