// The Verification document (`verify --json`): whether the registry holds what the packages put
// there, with the counts and first few names of what it lacks and the next step.
import {z} from 'zod';
import type {ChartsCheck, VerifyResult} from '../../domain/registry/verify-step.js';
import type {VerifyNowReport} from '../../workflow/run/verify-run.js';
import {listedSchema} from './common.js';
import {documentSchema, envelope} from './envelope.js';
import {publicIntegration} from './run-event.js';

export const verificationDocumentSchema = documentSchema('Verification', {
	verified: z.boolean(),
	message: z.string(),
	/** What to do next; absent when verified. */
	hint: z.string().optional(),
	/** Where the checked packages came from, in words (-p, the run history, clusterConfig.yaml). */
	source: z.string(),
	packages: z.array(z.string()),
	/** Files that were to be checked but could not be read, with why. */
	notChecked: z.array(z.string()),
	registry: z.string(),
	tls: z.string(),
	clusterArches: z.array(z.string()),
	checkedImages: z.number().int(),
	checkedTags: z.number().int(),
	/** `repo:tag (arch)` of images not at their tag. */
	missing: listedSchema(z.string()),
	/** Tags holding another image than the package's. */
	different: listedSchema(z.string()),
	/** Tags without an arch the cluster runs. */
	lackingClusterArch: listedSchema(z.object({key: z.string(), missing: z.array(z.string())})),
	unreadable: listedSchema(z.object({key: z.string(), message: z.string()})),
	/**
	 * The packages' chart versions against the chart repository's index.yaml: `missing` lists
	 * `name@version` it lacks; `error` says why it could not be read. Absent when the packages hold no chart.
	 */
	charts: z
		.object({
			repository: z.string().optional(),
			expected: z.number().int(),
			missing: listedSchema(z.string()).optional(),
			error: z.object({id: z.string(), message: z.string(), hint: z.string()}).optional(),
		})
		.optional(),
	/** The likely cause, e.g. `below-0.12-conversion`. */
	cause: z.object({id: z.string(), message: z.string()}).optional(),
	/** Integrations that would give the tags their arches again. */
	next: z.array(
		z.object({version: z.string(), arch: z.string(), kinds: z.array(z.string()), fileNames: z.array(z.string()), reason: z.string()}),
	),
	elapsedMs: z.number(),
});
export type VerificationDocument = z.infer<typeof verificationDocumentSchema>;

const copyListed = <T>(list: {count: number; first: T[]}) => ({count: list.count, first: [...list.first]});

function publicCharts(charts: ChartsCheck) {
	return charts.state === 'read'
		? {repository: charts.repository, expected: charts.expected, missing: copyListed(charts.missing)}
		: {
				repository: charts.repository,
				expected: charts.expected,
				error: {id: charts.error.kind, message: charts.error.message, hint: charts.error.hint},
			};
}

function resultFields(result: VerifyResult) {
	return {
		verified: result.verified,
		message: result.message,
		hint: result.hint || undefined,
		checkedImages: result.checkedImages,
		checkedTags: result.checkedTags,
		missing: copyListed(result.missing),
		different: copyListed(result.different),
		lackingClusterArch: {
			count: result.lackingClusterArch.count,
			first: result.lackingClusterArch.first.map(item => ({key: item.key, missing: item.missing})),
		},
		unreadable: {count: result.unreadable.count, first: result.unreadable.first.map(item => ({key: item.key, message: item.message}))},
		cause: result.cause ? {id: result.cause.kind, message: result.cause.message} : undefined,
		charts: result.charts ? publicCharts(result.charts) : undefined,
	};
}

export function toPublicVerification(report: VerifyNowReport, chosen: {source: string; notChecked: string[]}): VerificationDocument {
	return envelope('Verification', {
		...resultFields(report.result),
		source: chosen.source,
		packages: report.packages,
		notChecked: chosen.notChecked,
		registry: report.registry,
		tls: report.tls,
		clusterArches: report.clusterArches,
		next: report.chain.map(item => publicIntegration(item)),
		elapsedMs: report.elapsedMs,
	});
}
