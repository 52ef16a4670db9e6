// The verification pass of a run: before a step starts, the registry is read at every tag the
// step's images go to (what lost arches are told against); after its installer and process group
// are gone, it is read again and judged by domain/verify-step.ts. The step is done only when that
// says so; a registry that cannot be read makes it "finished, not verified", never done.
import {chainSuggestions} from '../../domain/run/chain-step.js';
import type {RunEvent} from '../../domain/run/run-events.js';
import type {PackageInspection} from '../../domain/packages/inspection.js';
import type {Plan, PlanStep} from '../../domain/plan/plan.js';
import type {WizardError} from '../../domain/shared/wizard-error.js';
import {packageArch, packageVersion} from '../../domain/plan/decide-operation.js';
import {pushPolicyOf, type StepPush} from '../../domain/registry/push-policy.js';
import {diffRegistry, plannedPushes, readTargetsOf, type PlannedPush} from '../../domain/registry/push-diff.js';
import {archesOf, tagKey, type ChartIndex, type Neighbour, type RegistrySpaces, type TagState} from '../../domain/registry/tag-state.js';
import {countCharts, countImages} from '../../domain/registry/step-counts.js';
import {checkCharts, unreadableCharts, withCharts, type ChartRef} from '../../domain/registry/verify-charts.js';
import {judge, notVerified, type VerifiedStep} from './step-judgement.js';
import {verifyStep, type StepUnderTest, type VerifyPurpose} from '../../domain/registry/verify-step.js';
import {isWizardError} from '../../domain/shared/wizard-error.js';
import type {RunVerification} from '../ports/run-verification-port.js';
import type {RegistryPort, RegistryReadProgress} from '../ports/registry-port.js';

type Emit = (event: RunEvent) => void;

/** What the read before a step gave, or why there is none; `charts`: the chart repository's index then. */
export type BeforeRead = {
	tags?: Map<string, TagState>;
	neighbours?: Map<string, Neighbour>;
	spaces?: RegistrySpaces;
	error?: string;
	charts?: ChartIndex;
};

export type {VerifiedStep} from './step-judgement.js';

export type RunVerifier = {
	before(step: PlanStep, signal: AbortSignal): Promise<BeforeRead | undefined>;
	after(step: PlanStep, before: BeforeRead | undefined, signal: AbortSignal): Promise<VerifiedStep>;
	/** Lets go of the registry's connections (the run is over). */
	close(): Promise<void>;
};

/** A step's packages as the plan inspected them: a cluster-create imports every file of its set. */
export function stepPackages(plan: Plan, step: PlanStep): PackageInspection[] {
	const paths = step.packagePaths ?? [step.packagePath];
	return paths.map(file => plan.packages.find(item => item.path === file)).filter((item): item is PackageInspection => item !== undefined);
}

function purposeOf(plan: Plan, step: PlanStep): VerifyPurpose {
	if (step.kind === 'import-addon') {
		return 'integration';
	}

	return plan.operation.endsWith('upgrade') ? 'upgrade' : 'import';
}

/** The chart versions a step's packages hold: what the chart repository must list after it. */
export function stepCharts(plan: Plan, step: PlanStep): ChartRef[] {
	return stepPackages(plan, step).flatMap(item => item.charts.map(chart => ({name: chart.name, version: chart.version})));
}

/** What verify-step.ts needs of a step, but the registry before it and the cluster's arches. */
export function stepSubject(
	plan: Plan,
	step: PlanStep,
	pathPrefix: string,
): Omit<StepUnderTest, 'before' | 'clusterArches'> & {kinds: string[]} {
	const packages = stepPackages(plan, step);
	const first = packages[0];
	const arch = step.arch ?? (first ? packageArch(first) : undefined) ?? 'unknown';
	const version = first ? packageVersion(first) : '(unknown version)';
	const kinds = [...new Set(packages.map(item => item.kind ?? item.name?.kind).filter((kind): kind is string => kind !== undefined))];
	const push: StepPush = step.kind === 'import-addon' ? {kind: 'import-addon'} : {kind: 'cluster-create', version};
	return {
		step: push,
		purpose: purposeOf(plan, step),
		// `full` names no kind to an operator: "the v0.11.2 arm64 package" says it all.
		package: {kind: kinds.length === 1 && kinds[0] !== 'full' ? kinds[0] : undefined, arch, version},
		pushes: plannedPushes(
			packages.flatMap(item => item.images),
			{pathPrefix},
			arch,
		),
		kinds,
	};
}

/** The import -addon steps after `step` in the plan, by arch: what restores an arch the step takes away. */
function laterIntegrations(plan: Plan, step: PlanStep): Map<string, PlanStep> {
	const later = new Map<string, PlanStep>();
	for (const item of plan.steps.slice(plan.steps.indexOf(step) + 1)) {
		if (item.kind === 'import-addon' && item.arch && !later.has(item.arch)) {
			later.set(item.arch, item);
		}
	}

	return later;
}

function clusterArchesFor(
	plan: Plan,
	subject: ReturnType<typeof stepSubject>,
	before: BeforeRead | undefined,
	override: readonly string[],
): string[] {
	const fromRegistry = before?.tags
		? diffRegistry({
				pushes: subject.pushes,
				step: subject.step,
				now: before.tags,
				spaces: before.spaces ?? {kind: 'none', reason: ''},
				neighbours: before.neighbours,
			}).clusterArches.map(item => item.arch)
		: [];
	const planned = plan.steps.map(item => item.arch).filter((arch): arch is string => arch !== undefined && arch !== 'unknown');
	return [...new Set([...override, ...fromRegistry, ...planned, subject.package.arch])].sort();
}

/**
 * For an integration: the tags only this arch's package brings (absent before it, pushed by no
 * step of another arch in the plan), such as an arm64-only chart's images. Without a read before
 * the step none can be told, and every tag must carry every cluster arch.
 */
function singleArchTags(
	plan: Plan,
	step: PlanStep,
	subject: ReturnType<typeof stepSubject>,
	before: BeforeRead | undefined,
	pathPrefix: string,
): Set<string> | undefined {
	if (subject.purpose !== 'integration' || !before?.tags) {
		return undefined;
	}

	const elsewhere = new Set(
		plan.steps
			.filter(item => item !== step && item.arch !== step.arch)
			.flatMap(item => stepSubject(plan, item, pathPrefix).pushes.map(push => push.key)),
	);
	return new Set(
		subject.pushes.map(push => push.key).filter(key => (before.tags!.get(key)?.kind ?? 'absent') === 'absent' && !elsewhere.has(key)),
	);
}

/** verify-progress events at most every 250 ms, and always the last. */
function progressReporter(
	emit: Emit,
	stepId: string,
	phase: 'before' | 'after',
	now: () => number,
): (progress: RegistryReadProgress) => void {
	let last = Number.NEGATIVE_INFINITY;
	return progress => {
		const at = now();
		if (progress.done >= progress.total || at - last >= 250) {
			last = at;
			emit({type: 'verify-progress', at, stepId, phase, done: progress.done, total: progress.total});
		}
	};
}

export function createRunVerifier(plan: Plan, setup: RunVerification | undefined, emit: Emit, now: () => number): RunVerifier {
	let opened: Promise<RegistryPort | WizardError> | undefined;
	const port = async () => {
		if (setup?.mode !== 'registry') {
			return undefined;
		}

		opened ??= setup.open();
		return opened;
	};

	async function read(step: PlanStep, phase: 'before' | 'after', pushes: PlannedPush[], registry: RegistryPort, signal: AbortSignal) {
		const targets = readTargetsOf(pushes);
		emit({type: 'verify-start', at: now(), stepId: step.id, phase, registry: registry.location.registry.url, tags: targets.length});
		return registry.readRegistryState(targets, {signal, onProgress: progressReporter(emit, step.id, phase, now)});
	}

	return {
		async before(step, signal) {
			const registry = await port();
			if (!registry || isWizardError(registry)) {
				return undefined;
			}

			const subject = stepSubject(plan, step, registry.location.registry.pathPrefix);
			const [state, index] = await Promise.all([
				read(step, 'before', subject.pushes, registry, signal),
				readCharts(step, registry, signal),
			]);
			const charts = index && !isWizardError(index) ? {charts: index.charts} : {};
			return isWizardError(state)
				? {error: state.message, ...charts}
				: {tags: state.tags, neighbours: state.neighbours, spaces: state.spaces, ...charts};
		},

		async after(step, before, signal) {
			const registry = await port();
			let verified: VerifiedStep;
			if (!registry) {
				verified = {
					check: {name: 'registry'},
					verification: {state: 'skipped', reason: setup?.mode === 'off' ? setup.reason : 'no registry check was set up for this run'},
				};
			} else if (isWizardError(registry)) {
				verified = notVerified(undefined, registry);
			} else {
				verified = await verifyAfter(step, before, registry, signal);
			}

			emit({type: 'step-verified', at: now(), stepId: step.id, verification: verified.verification});
			return verified;
		},

		async close() {
			const registry = await opened;
			opened = undefined;
			if (registry && !isWizardError(registry)) {
				await registry.close();
			}
		},
	};

	/** The chart repository's index, when the step's packages hold charts at all. */
	async function readCharts(step: PlanStep, registry: RegistryPort, signal: AbortSignal) {
		return stepCharts(plan, step).length > 0 ? registry.readChartIndex({signal}) : undefined;
	}

	async function verifyAfter(
		step: PlanStep,
		before: BeforeRead | undefined,
		registry: RegistryPort,
		signal: AbortSignal,
	): Promise<VerifiedStep> {
		const url = registry.location.registry.url;
		const subject = stepSubject(plan, step, registry.location.registry.pathPrefix);
		const [after, index] = await Promise.all([read(step, 'after', subject.pushes, registry, signal), readCharts(step, registry, signal)]);
		if (isWizardError(after)) {
			return notVerified(url, after);
		}

		const charts = stepCharts(plan, step);
		const repository = isWizardError(registry.location.chartRepo) ? undefined : registry.location.chartRepo.url;
		const chartCheck =
			index === undefined
				? undefined
				: isWizardError(index)
					? unreadableCharts(charts, repository, index)
					: checkCharts(charts, repository ?? index.url.replace(/\/index\.yaml$/, ''), index.charts);

		const clusterArches = clusterArchesFor(plan, subject, before, setup?.mode === 'registry' ? setup.clusterArches : []);
		const result = withCharts(
			verifyStep(
				{
					...subject,
					before: before?.tags,
					clusterArches,
					singleArchTags: singleArchTags(plan, step, subject, before, registry.location.registry.pathPrefix),
				},
				after.tags,
			),
			chartCheck,
			{
				missing:
					'Clean up and run the step again (r on the Result; --cleanup without the screens); if it fails the same way, look in the installer log for the chart upload errors.',
			},
		);
		const later = laterIntegrations(plan, step);
		const chain = chainSuggestions(result, subject.kinds).filter(
			item => !(later.has(item.arch) && item.version === subject.package.version),
		);
		const judged = judge(result, subject, later, chain);
		const tagArches = [...new Set(readTargetsOf(subject.pushes).flatMap(target => archesOf(after.tags.get(tagKey(target)))))].sort();
		return {
			check: {name: 'registry', ...judged.check},
			verification: {
				state: judged.state,
				registry: url,
				result,
				laterStepId: judged.laterStepId,
				beforeError: before?.error,
				chain,
				tagArches,
				counts: {
					images: countImages(subject.pushes, before?.tags, after.tags, pushPolicyOf(subject.step).policy),
					...(index && !isWizardError(index) ? {charts: countCharts(charts, before?.charts, index.charts)} : {}),
				},
			},
		};
	}
}

// `addon-wizard verify` reads the same way; it lives beside this file.
export {verifyNow, type VerifyNowReport} from './verify-registry-now.js';
