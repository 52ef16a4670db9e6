// The PackageList document (`list --json`): the offline packages found on this host, by name and
// size, before their contents are read.
import {z} from 'zod';
import type {DiscoveredPackage} from '../../domain/packages/inspection.js';
import {copyingSchema, findingSchema, toPublicCopying, toPublicFinding} from './common.js';
import {documentSchema, envelope} from './envelope.js';

export const packageListDocumentSchema = documentSchema('PackageList', {
	packages: z.array(
		z.object({
			path: z.string(),
			file: z.string(),
			size: z.number(),
			/** Modification time (ms since the epoch). */
			mtimeMs: z.number(),
			/** Undefined when the name follows no known pattern. */
			version: z.string().optional(),
			kind: z.string().optional(),
			arch: z.string().optional(),
			/** `incomplete`: a download still under way or cut short; listed, never offered. */
			status: z.enum(['candidate', 'incomplete']),
			/** clusterConfig.yaml's addonPackage.path names it. */
			inCluster: z.boolean(),
			findings: z.array(findingSchema),
			/** Present while some process still writes it or it grows: a copy under way (status `incomplete`), not damage. */
			copying: copyingSchema.optional(),
		}),
	),
});
export type PackageListDocument = z.infer<typeof packageListDocumentSchema>;

export function toPublicPackageList(found: DiscoveredPackage[]): PackageListDocument {
	return envelope('PackageList', {
		packages: found.map(item => ({
			path: item.path,
			file: item.fileName,
			size: item.size,
			mtimeMs: item.mtimeMs,
			version: item.name?.version,
			kind: item.name?.kind,
			arch: item.name?.arch,
			status: item.status,
			inCluster: item.inCluster === true,
			findings: item.findings.map(finding => toPublicFinding(finding)),
			...(item.copying ? {copying: toPublicCopying(item.copying)} : {}),
		})),
	});
}
