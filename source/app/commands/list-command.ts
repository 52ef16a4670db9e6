// `addon-wizard list` and `addon-wizard inspect`: what the Packages screen knows, as text or JSON.
import type {Options} from '../options.js';
import {formatBytes} from '../../domain/shared/format-bytes.js';
import {exitCodes} from '../../domain/shared/wizard-error.js';
import type {PackageInspection} from '../../domain/packages/inspection.js';
import {inspectionProgressPrinter} from '../../report/packages/inspection-progress.js';
import {writeError} from '../../report/io.js';
import {renderFinding} from '../../report/plan/plan-text.js';
import {showControls} from '../../domain/shared/sanitize-output.js';
import type {Services} from './services.js';

export async function runListCommand(options: Options, services: Services): Promise<number> {
	const {io} = services;
	const found = await services.discover();
	if (options.json) {
		io.stdout(`${JSON.stringify((await import('../../report/contract/package-list.js')).toPublicPackageList(found), null, 2)}\n`);
		return exitCodes.ok;
	}

	if (found.length === 0) {
		io.stderr(
			'addon-wizard: no offline packages found in the current folder, HOME, /home, /root or beside clusterConfig.yaml.\n  next: pass --search DIR (and --depth N) where the .tar.gz files are.\n',
		);
		return exitCodes.badInput;
	}

	for (const item of found) {
		const name = item.name ? `${item.name.kind} ${item.name.version} ${item.name.arch}` : 'unrecognised name';
		const mark = item.copying ? 'STILL BEING COPIED ' : item.status === 'incomplete' ? 'INCOMPLETE ' : '';
		const size = item.copying ? `${formatBytes(item.size)} so far` : formatBytes(item.size);
		io.stdout(`${mark}${showControls(item.path)}  ${size}  ${name}${item.inCluster ? '  (in cluster)' : ''}\n`);
		for (const finding of item.findings) {
			io.stdout(`${renderFinding(finding).join('\n')}\n`);
		}
	}

	return exitCodes.ok;
}

/** What the arch line concludes: confirmed only when an image config was read and agreed. */
function archVerdict(inspection: PackageInspection): string {
	const {arch} = inspection;
	if (!inspection.complete) {
		return `${arch.fromName ?? '?'} (not confirmed: the package could not be read whole)`;
	}

	if (arch.agreed === undefined) {
		return arch.fromImages.length > 1 || arch.fromName ? 'DISAGREE' : 'unknown';
	}

	return arch.confirmedByContents ? `${arch.agreed} (confirmed by contents)` : `${arch.agreed} (from the name only)`;
}

function describe(inspection: PackageInspection): string {
	// Nothing was read of a copy under way: only how far it has got, and when to look again.
	if (inspection.copying) {
		const lines = [
			`${showControls(inspection.path)}  STILL BEING COPIED`,
			...inspection.findings.flatMap(finding => renderFinding(finding)),
		];
		return `${lines.join('\n')}\n`;
	}

	const lines = [
		showControls(inspection.path),
		`  size ${formatBytes(inspection.size)}, unpacked ${formatBytes(inspection.uncompressedBytes)}, ${inspection.charts.length} charts, ${inspection.images.length} images`,
		`  arch: name ${inspection.arch.fromName ?? '-'}, images ${inspection.arch.fromImages.join('+') || '-'}, metadata ${inspection.arch.fromMetadata ?? '-'} => ${archVerdict(inspection)}`,
		`  integrity: ${inspection.integrity.state}  sha512 ${inspection.sha512.slice(0, 16)}...`,
		...inspection.findings.flatMap(finding => renderFinding(finding)),
	];
	return `${lines.join('\n')}\n`;
}

export async function runInspectCommand(options: Options, services: Services): Promise<number> {
	const {io} = services;
	if (options.packages.length === 0) {
		return writeError(
			io,
			{kind: 'no-package', message: 'No package given.', hint: 'Pass --package PATH.', exitCode: exitCodes.badInput},
			options.json,
		);
	}

	const results: PackageInspection[] = [];
	for (const item of options.packages) {
		results.push(await services.inspect(item, {onProgress: inspectionProgressPrinter(io, item)}));
	}

	io.stdout(
		options.json
			? `${JSON.stringify((await import('../../report/contract/inspection.js')).toPublicInspection(results), null, 2)}\n`
			: results.map(item => describe(item)).join('\n'),
	);
	const bad = results.some(item => !item.complete || item.findings.some(finding => finding.severity === 'error'));
	return bad ? exitCodes.blocked : exitCodes.ok;
}
