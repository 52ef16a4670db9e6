// The Plan document (`plan --json`, the first line of `run --json`): what the run would do and
// whether it may, flat enough for a script. Built from the internal plan by `toPublicPlan`, so a
// change to the internal type fails to compile here instead of changing what scripts read.
import {z} from 'zod';
import {packageArch, packageVersion} from '../../domain/plan/decide-operation.js';
import {maskPlan} from '../../domain/plan/mask-plan.js';
import {pendingChanges} from '../../domain/plan/pending-changes.js';
import {wordNextStep} from '../../domain/shared/next-step.js';
import {planHazards} from '../../domain/plan/plan-hazards.js';
import type {DiskNeed, Plan, PlanStep, PreflightCheck} from '../../domain/plan/plan.js';
import type {RegistryReview} from '../../domain/plan/registry-review.js';
import type {PackageInspection} from '../../domain/packages/inspection.js';
import type {TagChange} from '../../domain/registry/push-diff.js';
import {findingSchema, problemSchema, toPublicFinding, toPublicProblem} from './common.js';
import {documentSchema, envelope} from './envelope.js';

const planPackageSchema = z.object({
	file: z.string(),
	path: z.string(),
	version: z.string().optional(),
	arch: z.string().optional(),
	kind: z.string().optional(),
	sha512: z.string(),
	integrity: z.enum(['verified', 'sidecar-verified', 'mismatch', 'unknown', 'damaged']),
	/** `usable`: read whole, no error finding; `refused`: damaged or with an error finding, never imported. */
	verdict: z.enum(['usable', 'refused']),
});

const planStepSchema = z.object({
	/** 1-based, as `--from-step` takes it. */
	index: z.number().int(),
	id: z.string(),
	kind: z.enum(['cluster-create', 'import-addon']),
	title: z.string(),
	arch: z.string().optional(),
	/** The step's first (for cluster-create: the standard) package file. */
	package: z.string(),
	/** Every file the step imports. */
	packages: z.array(z.string()),
	/** The installer's command, as an argument list (passwords masked), and where it runs. */
	argv: z.array(z.string()),
	cwd: z.string(),
	/** The clusterConfig.yaml change made just before the step: the new addonPackage.path, and the unified diff (passwords masked). */
	configEdit: z.object({path: z.string(), newPaths: z.array(z.string()), diff: z.string()}).optional(),
});

const diskSchema = z.object({
	paths: z.array(z.string()),
	neededBytes: z.number(),
	freeBytes: z.number(),
	shortBytes: z.number(),
	basis: z.string(),
});

const tagChangeCounts = z.object({
	added: z.number().int(),
	merged: z.number().int(),
	overwritten: z.number().int(),
	unchanged: z.number().int(),
	unknown: z.number().int(),
});

const registrySchema = z.object({
	/** True when the registry's tags were read: every count is from the registry. */
	checked: z.boolean(),
	url: z.string().optional(),
	/** Why the registry was not read, when it was not. */
	problem: problemSchema.optional(),
	tags: z.object({count: z.number().int(), byChange: tagChangeCounts}),
	/** Every tag that could not be read, with its cause (`reason`, without the URL) and next step; counted as pending, never absent. */
	unreadableTags: z.array(problemSchema.extend({tag: z.string(), reason: z.string()})).optional(),
	/** Where the registry's login goes when its token service is on another origin (a Bearer realm elsewhere). */
	credentialsTo: z.string().optional(),
	/** Arches some tag loses during the plan. */
	losingArches: z.array(z.string()),
	charts: z.object({
		checked: z.boolean(),
		url: z.string().optional(),
		problem: problemSchema.optional(),
		/** Charts whose version the repository does not hold yet. */
		changes: z.array(
			z.object({
				name: z.string(),
				from: z.string().optional(),
				to: z.string().optional(),
				change: z.enum(['added', 'removed', 'upgraded', 'downgraded', 'unchanged']),
			}),
		),
	}),
});

const preflightSchema = z.object({
	id: z.string(),
	status: z.enum(['pass', 'warn', 'block']),
	message: z.string(),
	hint: z.string().optional(),
});

const hazardSchema = z.object({id: z.string(), message: z.string(), accepted: z.boolean()});

export const planDocumentSchema = documentSchema('Plan', {
	operation: z.enum(['single-arch-import', 'single-arch-upgrade', 'multi-arch-integration', 'multi-arch-upgrade']),
	reason: z.string(),
	config: z.object({path: z.string(), clusterName: z.string().optional()}),
	installer: z.object({path: z.string(), found: z.boolean()}),
	packages: z.array(planPackageSchema),
	/** What clusterConfig.yaml's addonPackage.path names now. */
	current: z.array(z.string()),
	steps: z.array(planStepSchema),
	disk: z.array(diskSchema),
	registry: registrySchema.optional(),
	preflight: z.array(preflightSchema),
	findings: z.array(findingSchema),
	hazards: z.array(hazardSchema),
	/** Whether running the plan would change the registry, the chart repository or the config. */
	changed: z.boolean(),
	summary: z.string(),
	blocked: z.boolean(),
});
export type PlanDocument = z.infer<typeof planDocumentSchema>;

type Mask = (line: string) => string;

function publicPackage(item: PackageInspection): PlanDocument['packages'][number] {
	const usable = item.complete && !item.findings.some(finding => finding.severity === 'error');
	return {
		file: item.fileName,
		path: item.path,
		version: item.name ? packageVersion(item) : undefined,
		arch: packageArch(item),
		kind: item.kind ?? item.name?.kind,
		sha512: item.sha512,
		integrity: item.integrity.state,
		verdict: usable ? 'usable' : 'refused',
	};
}

const publicStep = (step: PlanStep, index: number): PlanDocument['steps'][number] => ({
	index: index + 1,
	id: step.id,
	kind: step.kind,
	title: step.title,
	arch: step.arch,
	package: step.packagePath,
	packages: step.packagePaths ?? [step.packagePath],
	argv: step.argv,
	cwd: step.cwd,
	configEdit: step.configEdit ? {path: step.configEdit.path, newPaths: step.configEdit.newPaths, diff: step.configEdit.diff} : undefined,
});

const publicDisk = (need: DiskNeed): PlanDocument['disk'][number] => ({
	paths: need.paths.map(item => item.path),
	neededBytes: need.neededBytes,
	freeBytes: need.freeBytes,
	shortBytes: need.shortBytes,
	basis: need.basis,
});

function tagCounts(review: RegistryReview): z.infer<typeof tagChangeCounts> {
	const counts: Record<TagChange, number> = {added: 0, merged: 0, overwritten: 0, unchanged: 0, unknown: 0};
	for (const tag of review.tags) {
		counts[tag.change]++;
	}

	return counts;
}

function unreadableOf(review: RegistryReview): Pick<z.infer<typeof registrySchema>, 'unreadableTags'> {
	const tags = review.tags.flatMap(tag =>
		tag.unreadable ? [{tag: tag.key, reason: tag.unreadable.reason, ...toPublicProblem(tag.unreadable)}] : [],
	);
	return tags.length > 0 ? {unreadableTags: tags} : {};
}

function publicRegistry(review: RegistryReview): z.infer<typeof registrySchema> {
	const {charts} = review;
	return {
		checked: review.checked,
		url: review.registry?.url,
		problem: review.problem ? toPublicProblem(review.problem) : undefined,
		tags: {count: review.tags.length, byChange: tagCounts(review)},
		...unreadableOf(review),
		...(review.read?.tokenOrigin ? {credentialsTo: review.read.tokenOrigin} : {}),
		losingArches: review.losing.arches,
		charts: charts.checked
			? {checked: true, url: charts.url, changes: charts.changes.map(change => ({...change}))}
			: {checked: false, problem: charts.problem ? toPublicProblem(charts.problem) : undefined, changes: []},
	};
}

const publicCheck = (check: PreflightCheck): PlanDocument['preflight'][number] => ({
	id: check.id,
	status: check.status,
	message: check.message,
	// The next step as plain output words it: the hint, then the flag that does the rest.
	hint:
		check.hint || check.then ? wordNextStep({hint: check.hint ?? '', then: check.then, otherwise: check.otherwise}, 'plain') : undefined,
});

/** The Plan document, passwords masked; `accepted`: the `--accept` ids, which mark hazards accepted. */
export function toPublicPlan(plan: Plan, mask: Mask, accepted: readonly string[] = []): PlanDocument {
	const masked = maskPlan(plan, mask);
	const pending = pendingChanges(plan);
	return envelope('Plan', {
		operation: masked.operation,
		reason: masked.reason,
		config: {path: masked.cluster.path, clusterName: masked.cluster.clusterName},
		installer: {path: masked.installer.path, found: masked.installer.found},
		packages: masked.packages.map(item => publicPackage(item)),
		current: masked.cluster.addonPackagePaths,
		steps: masked.steps.map((step, index) => publicStep(step, index)),
		disk: masked.disk.map(need => publicDisk(need)),
		registry: masked.registry ? publicRegistry(masked.registry) : undefined,
		preflight: (masked.preflight ?? []).map(check => publicCheck(check)),
		findings: masked.findings.map(finding => toPublicFinding(finding)),
		hazards: planHazards(masked, accepted).map(({id, message, accepted: yes}) => ({id, message, accepted: yes})),
		changed: pending.changed,
		summary: pending.summary,
		blocked: masked.blocked,
	});
}
