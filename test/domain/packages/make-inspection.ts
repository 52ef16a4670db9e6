// Hand-made PackageInspection values for domain and workflow tests: what inspectPackage
// would learn from a package, without reading one.
import path from 'node:path';
import type {ChartInfo, ImageInfo, PackageInspection} from '../../../source/domain/packages/inspection.js';
import type {Finding} from '../../../source/domain/shared/findings.js';
import {parsePackageName} from '../../../source/domain/packages/package-name.js';

export type InspectionOptions = {
	dir?: string;
	/** Charts as `name@version`, or full ChartInfo values. */
	charts?: Array<string | (Partial<ChartInfo> & {name: string; version: string})>;
	/** Images as refs; their architecture defaults to the package's. */
	images?: Array<string | (Partial<ImageInfo> & {ref: string})>;
	uncompressedBytes?: number;
	findings?: Finding[];
	/** Architecture the contents agree on; defaults to the name's. `null` leaves it undefined. */
	agreed?: string | null;
};

export function makeInspection(fileName: string, options: InspectionOptions = {}): PackageInspection {
	const name = parsePackageName(fileName);
	const arch = options.agreed === null ? undefined : (options.agreed ?? name?.arch);
	const charts: ChartInfo[] = (options.charts ?? []).map(chart => {
		const base = typeof chart === 'string' ? {name: chart.split('@')[0]!, version: chart.split('@')[1]!} : chart;
		return {
			repo: 'addon',
			bundlePath: `addon-offline-package/addon/${base.name}-${base.version}.bundle.tar`,
			hintedImages: [],
			spaces: [],
			bytes: 1000,
			...base,
		};
	});
	const images: ImageInfo[] = (options.images ?? []).map(image => {
		const ref = typeof image === 'string' ? image : image.ref;
		const slash = ref.indexOf('/');
		const colon = ref.lastIndexOf(':');
		const registry = ref.slice(0, slash);
		return {
			ref,
			registry,
			repository: ref.slice(slash + 1, colon),
			tag: ref.slice(colon + 1),
			space: registry,
			architecture: arch,
			os: 'linux',
			bytes: 100,
			chart: 'chart-1.0.0',
			...(typeof image === 'string' ? {} : image),
		};
	});
	return {
		path: path.join(options.dir ?? '/srv/packages', fileName),
		fileName,
		size: 10_000,
		mtimeMs: 1_700_000_000_000,
		name,
		kind: name?.kind,
		sha512: 'a'.repeat(128),
		uncompressedBytes: options.uncompressedBytes ?? 20_000,
		entries: 10,
		charts,
		images,
		arch: {
			fromName: name?.arch,
			fromImages: arch ? [arch] : [],
			fromMetadata: arch,
			agreed: arch,
			confirmedByContents: Boolean(arch) && images.length > 0,
		},
		integrity: {state: 'unknown'},
		complete: true,
		findings: options.findings ?? [],
		inspectedAt: '2026-01-01T00:00:00.000Z',
		schema: 1,
	};
}

export const full = (version: string, arch: string, options?: InspectionOptions) =>
	makeInspection(`addon-offline-full-package-${version}-${arch}.tar.gz`, options);
export const standard = (version: string, arch: string, options?: InspectionOptions) =>
	makeInspection(`standard-addon-offline-package-${version}-${arch}.tar.gz`, options);
export const gpu = (version: string, arch: string, options?: InspectionOptions) =>
	makeInspection(`gpu-addon-offline-package-${version}-${arch}.tar.gz`, options);
export const metax = (version: string, arch: string, options?: InspectionOptions) =>
	makeInspection(`metax-addon-offline-package-${version}-${arch}.tar.gz`, options);
export const jenkins = (version: string, arch: string, options?: InspectionOptions) =>
	makeInspection(`jenkins-addon-offline-package-${version}-${arch}.tar.gz`, options);
/** Any kind, by the `<kind>-addon-offline-package-…` pattern (`full` uses its own name). */
export const ofKind = (kind: string, version: string, arch: string, options?: InspectionOptions) =>
	makeInspection(
		kind === 'full' ? `addon-offline-full-package-${version}-${arch}.tar.gz` : `${kind}-addon-offline-package-${version}-${arch}.tar.gz`,
		options,
	);
