// The Inspection document (`inspect --json`): what reading each package whole found: its arch
// and the evidence for it, its checksum verdict, its charts and images, and what is wrong with it.
import {z} from 'zod';
import type {PackageInspection} from '../../domain/packages/inspection.js';
import {copyingSchema, findingSchema, toPublicCopying, toPublicFinding} from './common.js';
import {documentSchema, envelope} from './envelope.js';

const inspectedSchema = z.object({
	path: z.string(),
	file: z.string(),
	size: z.number(),
	version: z.string().optional(),
	kind: z.string().optional(),
	sha512: z.string(),
	uncompressedBytes: z.number(),
	/** False when truncated, corrupt or damaged inside: such a package is never imported. */
	complete: z.boolean(),
	arch: z.object({
		fromName: z.string().optional(),
		fromImages: z.array(z.string()),
		fromMetadata: z.string().optional(),
		/** The arch every source agrees on. */
		agreed: z.string().optional(),
		confirmedByContents: z.boolean(),
	}),
	integrity: z.object({
		state: z.enum(['verified', 'sidecar-verified', 'mismatch', 'unknown', 'damaged']),
		published: z.string().optional(),
		sidecar: z.string().optional(),
	}),
	charts: z.array(z.object({name: z.string(), version: z.string(), repo: z.string()})),
	images: z.array(z.object({ref: z.string(), architecture: z.string().optional(), bytes: z.number(), chart: z.string()})),
	findings: z.array(findingSchema),
	/** Present when it was not read because it is still being copied: wait, then inspect again. */
	copying: copyingSchema.optional(),
});

export const inspectionDocumentSchema = documentSchema('Inspection', {packages: z.array(inspectedSchema)});
export type InspectionDocument = z.infer<typeof inspectionDocumentSchema>;

const publicInspection = (item: PackageInspection): z.infer<typeof inspectedSchema> => ({
	path: item.path,
	file: item.fileName,
	size: item.size,
	version: item.name?.version,
	kind: item.kind ?? item.name?.kind,
	sha512: item.sha512,
	uncompressedBytes: item.uncompressedBytes,
	complete: item.complete,
	arch: {
		fromName: item.arch.fromName,
		fromImages: item.arch.fromImages,
		fromMetadata: item.arch.fromMetadata,
		agreed: item.arch.agreed,
		confirmedByContents: item.arch.confirmedByContents,
	},
	integrity: {state: item.integrity.state, published: item.integrity.published, sidecar: item.integrity.sidecar},
	charts: item.charts.map(chart => ({name: chart.name, version: chart.version, repo: chart.repo})),
	images: item.images.map(image => ({ref: image.ref, architecture: image.architecture, bytes: image.bytes, chart: image.chart})),
	findings: item.findings.map(finding => toPublicFinding(finding)),
	...(item.copying ? {copying: toPublicCopying(item.copying)} : {}),
});

export function toPublicInspection(results: PackageInspection[]): InspectionDocument {
	return envelope('Inspection', {packages: results.map(item => publicInspection(item))});
}
