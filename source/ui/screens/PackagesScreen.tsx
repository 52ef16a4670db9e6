// Packages: what was found, what reading each one has shown so far, and what is chosen.
// Inspection runs in the background; the list is usable while the bars fill.
import type {ReactNode} from 'react';
import stringWidth from 'string-width';
import {formatBytes} from '../../domain/shared/format-bytes.js';
import type {DiscoveredPackage} from '../../domain/packages/inspection.js';
import type {FindingCode} from '../../domain/shared/findings.js';
import {kindInfo} from '../../domain/packages/package-kinds.js';
import {groupReleases, type ArchSet} from '../../domain/packages/release-sets.js';
import {showControls} from '../../domain/shared/sanitize-output.js';
import {unavailableReason, type InspectionStatus, type WizardState} from '../../workflow/wizard/wizard-reducer.js';
import {Row, Styled, type Tone} from '../components/Styled.js';
import type {Glyphs} from '../glyphs.js';
import {bar, headOf, percent, wrapText} from '../text.js';

type Shown = {text: string; tone: Tone};

/** Why discovery set a package aside, in the few words the status column has room for. */
const setAsideLabels: Partial<Record<FindingCode, string>> = {
	'incomplete-download': 'incomplete download',
	'name-unrecognised': 'name not recognised',
	'suspiciously-small': 'too small, incomplete?',
};

function statusOf(item: DiscoveredPackage, status: InspectionStatus | undefined, glyphs: Glyphs): Shown {
	// Not damaged, not yet there: the size column grows while the list looks again every second.
	if (item.copying) {
		return {text: 'still being copied', tone: 'warn'};
	}

	if (item.status === 'incomplete') {
		const code = item.findings[0]?.code;
		return {text: (code && setAsideLabels[code]) ?? 'not offered', tone: 'error'};
	}

	switch (status?.state) {
		case undefined:
		case 'pending': {
			return {text: 'waiting to be read', tone: 'dim'};
		}

		case 'progress': {
			const fraction = status.totalBytes > 0 ? status.bytesRead / status.totalBytes : 0;
			return {text: `reading ${bar(fraction, 10, glyphs.barFull, glyphs.barEmpty)} ${percent(fraction)}`, tone: 'accent'};
		}

		case 'failed': {
			return {text: 'unreadable', tone: 'error'};
		}

		case 'done': {
			const {inspection} = status;
			if (!inspection.complete) {
				return {text: 'damaged', tone: 'error'};
			}

			const labels: Record<string, Shown> = {
				verified: {text: `${glyphs.done} checksum verified`, tone: 'ok'},
				'sidecar-verified': {text: `${glyphs.done} matches ${inspection.integrity.sidecarFile ?? '.sha512'}`, tone: 'ok'},
				mismatch: {text: `${glyphs.error} checksum MISMATCH`, tone: 'error'},
				unknown: {text: 'read ok, no checksum', tone: 'warn'},
				damaged: {text: 'damaged', tone: 'error'},
			};
			return labels[inspection.integrity.state] ?? {text: inspection.integrity.state, tone: 'plain'};
		}
	}
}

function archOf(item: DiscoveredPackage, status: InspectionStatus | undefined, glyphs: Glyphs): Shown {
	const named = item.name?.arch ?? '?';
	if (status?.state !== 'done') {
		return {text: named, tone: 'plain'};
	}

	const {arch} = status.inspection;
	// The check mark means an image config was read and agreed: never beside a damaged or unread package.
	if (arch.agreed && arch.confirmedByContents) {
		return {text: `${arch.agreed} ${glyphs.done}`, tone: 'ok'};
	}

	if (arch.agreed) {
		return {text: `${arch.agreed} ?`, tone: 'warn'};
	}

	return arch.fromImages.length > 0 && arch.fromImages.join(',') !== named
		? {text: `${named}${glyphs.warning}${arch.fromImages.join(',')}`, tone: 'error'}
		: {text: `${named} ?`, tone: 'warn'};
}

const labelWidth = 18;
const inClusterMarker = ' · in cluster';

/** A name the version and kind columns cannot hold keeps both ends: the detail row has it whole. */
function shortName(fileName: string, width: number, ellipsis: string): string {
	if (fileName.length <= width) {
		return fileName;
	}

	const keep = width - ellipsis.length;
	const tail = Math.ceil(keep / 2);
	return `${fileName.slice(0, keep - tail)}${ellipsis}${fileName.slice(-tail)}`;
}

/** `v0.44.0 amd64: standard, gpu, metax, jenkins · not here: gpu (optional)`: what a release holds for an arch. */
function setHeading(set: ArchSet<DiscoveredPackage>, version: string): string {
	const present = set.present.length > 0 ? set.present.join(', ') : 'nothing usable';
	const missing =
		set.missing.length > 0 ? ` · not here: ${set.missing.map(info => `${info.kind}${info.optional ? ' (optional)' : ''}`).join(', ')}` : '';
	const incomplete = set.incomplete.length > 0 ? ` · unfinished: ${set.incomplete.join(', ')}` : '';
	return `${version} ${set.arch}: ${present}${missing}${incomplete}`;
}

type ListLine = {heading: string} | {index: number};

/** Files in list order; a release-and-arch set with more to say than its one row gets a heading. */
function listLines(state: WizardState): ListLine[] {
	const {releases} = groupReleases(state.packages);
	const headingOf = new Map<DiscoveredPackage, string>();
	for (const release of releases) {
		for (const set of release.arches) {
			// One complete file says all a heading would (its row shows version, kind and arch).
			const saysMore = set.members.length > 1 || set.missing.length > 0 || set.incomplete.length > 0;
			if (saysMore) {
				headingOf.set(set.members[0]!, setHeading(set, release.version));
			}
		}
	}

	const lines: ListLine[] = [];
	let sawUnnamed = false;
	for (const [index, item] of state.packages.entries()) {
		const heading = headingOf.get(item);
		if (heading) {
			lines.push({heading});
		} else if (!item.name && !sawUnnamed && headingOf.size > 0) {
			sawUnnamed = true;
			lines.push({heading: 'Other files'});
		}

		lines.push({index});
	}

	return lines;
}

/** The rows of the list, windowed so the cursor stays visible. */
function listRows(state: WizardState, lines: ListLine[], glyphs: Glyphs, height: number, width: number): ReactNode[] {
	const cursorLine = lines.findIndex(line => 'index' in line && line.index === state.cursor);
	// The heading above the cursor's file stays in view when there is room for it.
	const start = Math.max(0, Math.min(cursorLine - Math.floor(height / 2), lines.length - height));
	return lines.slice(start, start + height).map((line, offset) => {
		if ('heading' in line) {
			return (
				<Row key={`h${start + offset}`} tone="title">
					{line.heading}
				</Row>
			);
		}

		const {index} = line;
		const item = state.packages[index]!;
		const status = state.inspections[item.path];
		const here = index === state.cursor;
		const chosen = state.selected.includes(item.path);
		const label = item.name
			? `${item.name.version.padEnd(9)} ${item.name.kind.padEnd(8)}`
			: shortName(item.fileName, labelWidth, glyphs.ellipsis).padEnd(labelWidth);
		const arch = archOf(item, status, glyphs);
		const shown = statusOf(item, status, glyphs);
		const blocked = unavailableReason(state, item) !== undefined;
		const columns = {
			pointer: here ? `${glyphs.pointer} ` : '  ',
			box: chosen ? glyphs.selected : glyphs.unselected,
			label: ` ${label} `,
			arch: arch.text.padEnd(10),
			size: ` ${formatBytes(item.size).padStart(9)}  `,
		};
		// The marker goes where it fits after everything else in the row.
		const used = Object.values(columns).join('').length + shown.text.length;
		const marker = item.inCluster && used + inClusterMarker.length <= width ? inClusterMarker : '';
		return (
			<Row key={item.path}>
				<Styled tone={here ? 'accent' : 'plain'}>{columns.pointer}</Styled>
				<Styled tone={blocked ? 'dim' : 'plain'}>{columns.box}</Styled>
				<Styled tone={here ? 'title' : 'plain'}>{columns.label}</Styled>
				<Styled tone={arch.tone}>{columns.arch}</Styled>
				{columns.size}
				<Styled tone={shown.tone}>{shown.text}</Styled>
				<Styled tone="accent">{marker}</Styled>
			</Row>
		);
	});
}

/** A path too long for the row keeps its file name whole: the folder is what gives way. */
function fittedPath(item: DiscoveredPackage, width: number, ellipsis: string): string {
	const shown = showControls(item.path);
	if (stringWidth(shown) <= width) {
		return shown;
	}

	const name = showControls(item.fileName);
	const room = width - stringWidth(name) - stringWidth(ellipsis) - 1;
	return room > 0 ? `${headOf(shown, room)}${ellipsis}/${name}` : shortName(name, width, ellipsis);
}

/**
 * What the file under the cursor is, in at most `room` rows. Packages has no scrolling (up and
 * down move the cursor), so when the rows do not fit, the kind's description goes first, then
 * the reason is cut with where to read it whole.
 */
function detailRows(state: WizardState, width: number, room: number, ellipsis: string): ReactNode[] {
	const item = state.packages[state.cursor];
	if (!item) {
		return [];
	}

	const path = (
		<Row key="path" tone="dim">
			{fittedPath(item, width, ellipsis)}
		</Row>
	);
	const kind = item.name ? kindInfo(item.name.kind) : undefined;
	const described = item.name
		? wrapText(
				kind
					? `${kind.kind}: ${kind.description}`
					: `${item.name.kind}: a kind this wizard does not know yet; it is read and offered like the others.`,
				width,
			).map((line, index) => (
				<Row key={`kind${index}`} tone="dim">
					{line}
				</Row>
			))
		: [];
	const inCluster = item.inCluster
		? [
				<Row key="in-cluster" tone="accent">
					In the cluster now: clusterConfig.yaml names this package.
				</Row>,
			]
		: [];
	const rest: ReactNode[] = [];
	const reason = unavailableReason(state, item);
	const status = state.inspections[item.path];
	if (reason) {
		const next = item.copying ? (item.findings[0]?.hint ?? '') : '';
		rest.push(
			...wrapText(`Not offered: ${reason}`, width).map((line, index) => (
				<Row key={`reason${index}`} tone={item.copying ? 'warn' : 'error'}>
					{line}
				</Row>
			)),
			...(next ? wrapText(next, width) : []).map((line, index) => (
				<Row key={`next${index}`} tone="dim">
					{line}
				</Row>
			)),
		);
	} else if (status?.state === 'done') {
		const {inspection} = status;
		rest.push(
			<Row key="content">{`${inspection.charts.length} charts, ${inspection.images.length} images, ${formatBytes(inspection.uncompressedBytes)} unpacked`}</Row>,
		);
		for (const finding of inspection.findings.filter(candidate => candidate.severity !== 'info').slice(0, 2)) {
			rest.push(
				<Row key={finding.code} tone="warn">
					{finding.message}
				</Row>,
			);
		}
	}

	const whole = [path, ...described, ...inCluster, ...rest];
	if (whole.length <= room) {
		return whole;
	}

	const kept = [path, ...inCluster, ...rest];
	if (kept.length <= room) {
		return kept;
	}

	const more = wrapText(`${ellipsis} the rest: addon-wizard inspect -p on this file, or a taller terminal`, width).map((line, index) => (
		<Row key={`more${index}`} tone="dim">
			{line}
		</Row>
	));
	return [...kept.slice(0, Math.max(1, room - more.length)), ...more];
}

export function packagesRows(state: WizardState, glyphs: Glyphs, size: {width: number; height: number}): ReactNode[] {
	if (state.discovery.state === 'loading') {
		return [<Row key="loading">Looking for offline packages…</Row>];
	}

	if (state.discovery.state === 'error') {
		return [<Row key="error" tone="error">{`Could not search for packages: ${state.discovery.message}`}</Row>];
	}

	if (state.packages.length === 0) {
		return [
			<Row key="none" tone="warn">
				No offline packages found.
			</Row>,
			...wrapText(
				'Put addon-offline-full-package-<version>-<arch>.tar.gz in this folder, or name its folder with --search DIR, or the file with --package FILE.',
				size.width,
			).map((line, index) => <Row key={index}>{line}</Row>),
		];
	}

	const reading = Object.values(state.inspections).filter(status => status.state === 'pending' || status.state === 'progress').length;
	const header = wrapText(
		`Offline packages (${state.packages.length} found${reading > 0 ? `, ${reading} still being read` : ''}). Choose with space, continue with enter.`,
		size.width,
	);
	const notice = state.notice
		? wrapText(state.notice, size.width).map((line, index) => (
				<Row key={`notice${index}`} tone="warn">
					{line}
				</Row>
			))
		: [];
	// The list keeps three rows (or all it has), the gap and a spare row; the detail has what is left.
	const lines = listLines(state);
	const listMin = Math.min(3, lines.length);
	const details = detailRows(state, size.width, size.height - header.length - listMin - 2 - notice.length, glyphs.ellipsis);
	const listHeight = Math.max(3, size.height - 2 - header.length - details.length - notice.length);
	return [
		...header.map((line, index) => <Row key={`header${index}`}>{line}</Row>),
		...listRows(state, lines, glyphs, listHeight, size.width),
		<Row key="gap" />,
		...details,
		...notice,
	];
}
